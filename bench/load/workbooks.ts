/**
 * Staff workbooks for the load benchmark's uploads: k12 columns of the standard with ★ on required headers, every
 * cell text, valid generated people whose ID numbers differ across the whole set (and, with a fresh seed per run,
 * from earlier runs), each wrapped as the multipart body the upload route reads.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { fieldsFor, formatCell, presenceOf } from '../../src/standard/index.ts';
import { createRandom } from '../../src/server/demo/random.ts';
import { generateStaffValues } from '../../src/server/demo/staff.generator.ts';

export type Upload = { body: Buffer; contentType: string };

const columns = fieldsFor('k12');

async function workbook(rows: ReturnType<typeof generateStaffValues>[]): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: true });
  const sheet = writer.addWorksheet('教职工基础信息');
  sheet.columns = columns.map(() => ({ style: { numFmt: '@' } }));
  sheet.addRow(columns.map((field) => (presenceOf(field.key, 'k12') === 'required' ? `★${field.label}` : field.label))).commit();
  for (const values of rows) sheet.addRow(columns.map((field) => formatCell(field.key, values[field.key], 'k12'))).commit();
  sheet.commit();
  await writer.commit();
  return Buffer.concat(chunks);
}

function multipart(file: Buffer, fileName: string): Upload {
  const boundary = `----rollcall-load-${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nlenient\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
  );
  return { body: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** `count` upload bodies of `rows` new people each (no ID number twice across them). */
export async function buildUploads(count: number, rows: number, seed: number): Promise<Upload[]> {
  const random = createRandom(seed);
  const seen = new Set<string>();
  const today = new Date();
  const uploads: Upload[] = [];
  for (let index = 0; index < count; index += 1) {
    const people: ReturnType<typeof generateStaffValues>[] = [];
    while (people.length < rows) {
      const values = generateStaffValues(random, 'k12', today);
      if (seen.has(values.idNumber!)) continue;
      seen.add(values.idNumber!);
      people.push(values);
    }
    uploads.push(multipart(await workbook(people), `load-${seed}-${index}.xlsx`));
  }
  return uploads;
}
