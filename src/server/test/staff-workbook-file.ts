import ExcelJS from 'exceljs';
import { fieldsFor, formatCell, presenceOf } from '../../standard/index.ts';
import { createRandom } from '../demo/random.ts';
import { generateStaffValues } from '../demo/staff.generator.ts';

/**
 * Streams a k12 staff workbook of `rows` valid, distinct people to `file`, laid out as the template is
 * (header row of the standard's labels, ★ on required ones, every cell text). The same seed gives the same people.
 */
export async function writeStaffWorkbook(file: string, rows: number, seed = 50): Promise<void> {
  const columns = fieldsFor('k12');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('教职工基础信息');
  sheet.columns = columns.map(() => ({ style: { numFmt: '@' } }));
  sheet.addRow(columns.map((f) => (presenceOf(f.key, 'k12') === 'required' ? `★${f.label}` : f.label))).commit();
  const random = createRandom(seed);
  const seen = new Set<string>();
  const today = new Date();
  for (let written = 0; written < rows; ) {
    const values = generateStaffValues(random, 'k12', today);
    if (seen.has(values.idNumber!)) continue;
    seen.add(values.idNumber!);
    sheet.addRow(columns.map((f) => formatCell(f.key, values[f.key], 'k12'))).commit();
    written += 1;
  }
  sheet.commit();
  await workbook.commit();
}
