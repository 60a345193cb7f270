import type { Writable } from 'node:stream';
import { XlsxStreamWriter, type XlsxSheet } from '../excel/xlsx-stream-writer.ts';
import { neutralise } from '../excel/cells.ts';
import { fieldsFor, formatCell, maskValues, presenceOf } from '../../standard/index.ts';
import { schoolTypeLabels, schoolTypes, type SchoolType } from '../../standard/school-types.ts';
import type { StaffValues } from '../../standard/types.ts';
import type { Executor } from '../db/client.ts';
import { valuesOf } from '../staff/staff.repository.ts';
import { liveStaffOfSchools, schoolsOfTypeWithin } from './imports.repository.ts';


/** Schools per query: a few thousand rows at a time. */
const schoolsPerQuery = 50;

/**
 * Live staff of a subtree's schools of one type, a chunk of schools at a time through the (school, status, id)
 * index: each query reads only the rows it returns, whatever the province's size.
 */
async function* staffPages(executor: Executor, path: string, schoolType: SchoolType) {
  const schools = await schoolsOfTypeWithin(executor, path, schoolType);
  const names = new Map(schools.map((school) => [school.code, school.name]));
  for (let start = 0; start < schools.length; start += schoolsPerQuery) {
    const codes = schools.slice(start, start + schoolsPerQuery).map((school) => school.code);
    const rows = await liveStaffOfSchools(executor, codes);
    if (rows.length > 0) yield rows.map((record) => ({ record, schoolName: names.get(record.schoolCode)! }));
  }
}

/** One row of a staff workbook: the school and the record's values. */
export type StaffExportRow = { schoolCode: string; schoolName: string; values: StaffValues };

/**
 * 导出: a unit's staff as .xlsx in the template's layout — one sheet per school type present, the school's
 * code and name first, then the standard's columns with `code-label` values. Truly streamed: rows are read a
 * page at a time and written with back-pressure, so memory stays flat at any size. Unless `fullIds`, ID numbers
 * and birth dates are masked as on every page (a read-only report: the birth date column holds the month);
 * text that Excel would run as a formula is neutralised.
 */
export async function writeStaffExport(executor: Executor, output: Writable, unit: { path: string }, options: { fullIds: boolean }) {
  return writeStaffWorkbook(output, (schoolType) => liveRows(executor, unit.path, schoolType), options);
}

async function* liveRows(executor: Executor, path: string, schoolType: SchoolType): AsyncGenerator<StaffExportRow[]> {
  for await (const rows of staffPages(executor, path, schoolType)) {
    yield rows.map(({ record, schoolName }) => ({ schoolCode: record.schoolCode, schoolName, values: valuesOf(record) }));
  }
}

/**
 * Writes the pages `pagesOf` yields for each school type, one sheet per type present; returns the rows written.
 * `beforeFinish` runs once every row is written and before the file ends (the reader sees its effects).
 */
export async function writeStaffWorkbook(
  output: Writable,
  pagesOf: (schoolType: SchoolType) => AsyncIterable<StaffExportRow[]>,
  options: { fullIds: boolean; beforeFinish?: (written: number) => Promise<void> },
) {
  const writer = new XlsxStreamWriter(output);
  let written = 0;
  for (const schoolType of schoolTypes) {
    const columns = fieldsFor(schoolType);
    let sheet: XlsxSheet | undefined;
    for await (const rows of pagesOf(schoolType)) {
      if (!sheet) {
        sheet = writer.addSheet(schoolTypeLabels[schoolType].zh, {
          frozenRows: 1,
          widths: [14, 28, ...columns.map((field) => (field.key === 'idNumber' ? 22 : 14))],
        });
        await sheet.addRow(['学校标识码', '学校名称', ...columns.map((f) => (presenceOf(f.key, schoolType) === 'required' ? `★${f.label}` : f.label))], { bold: true });
      }
      for (const { schoolCode, schoolName, values: stored } of rows) {
        const values = options.fullIds ? stored : maskValues(stored);
        const pending = sheet.addRow([schoolCode, neutralise(schoolName), ...columns.map((field) => neutralise(formatCell(field.key, values[field.key], schoolType)))]);
        if (pending) await pending;
        written += 1;
      }
    }
    await sheet?.end();
  }
  if (written === 0) {
    const sheet = writer.addSheet('教职工');
    await sheet.addRow(['（无记录）']);
    await sheet.end();
  }
  await options.beforeFinish?.(written);
  await writer.finish();
  return written;
}
