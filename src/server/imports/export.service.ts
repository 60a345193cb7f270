import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { and, asc, eq, gt, isNull, like, sql } from 'drizzle-orm';
import { fieldsFor, formatCell, maskIdNumber, presenceOf } from '../../standard/index.ts';
import { schoolTypeLabels, schoolTypes, type SchoolType } from '../../standard/school-types.ts';
import type { StaffValues } from '../../standard/types.ts';
import type { Executor } from '../db/client.ts';
import { staff, units } from '../db/schema.ts';
import { valuesOf } from '../staff/staff.repository.ts';

/** A cell Excel would run as a formula (=, +, -, @, and tab/CR tricks) is written with a leading apostrophe. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const pageSize = 5000;

/** Live staff of a subtree and school type, in pages by id (keyset: constant memory at any size). */
async function* staffPages(executor: Executor, path: string, schoolType: SchoolType) {
  let after = 0;
  for (;;) {
    const rows = await executor
      .select({ record: staff, schoolName: units.name })
      .from(staff)
      .innerJoin(units, eq(units.code, staff.schoolCode))
      .where(and(like(units.path, `${path}%`), eq(units.schoolType, schoolType), isNull(staff.deletedAt), gt(staff.id, after)))
      .orderBy(asc(staff.id))
      .limit(pageSize);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1].record.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function countStaffWithin(executor: Executor, path: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(staff)
    .innerJoin(units, eq(units.code, staff.schoolCode))
    .where(and(like(units.path, `${path}%`), isNull(staff.deletedAt)));
  return row.n;
}

/**
 * 导出: a unit's staff as .xlsx in the template's layout — one sheet per school type present, the school's
 * code and name first, then the standard's columns with `code-label` values. Streamed: rows are read a page
 * at a time and written as they come. ID numbers are masked unless `fullIds`.
 */
export async function writeStaffExport(executor: Executor, output: Writable, unit: { path: string }, options: { fullIds: boolean }) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  let written = 0;
  for (const schoolType of schoolTypes) {
    const columns = fieldsFor(schoolType);
    let sheet: ExcelJS.Worksheet | undefined;
    for await (const rows of staffPages(executor, unit.path, schoolType)) {
      if (!sheet) {
        sheet = workbook.addWorksheet(schoolTypeLabels[schoolType].zh, { views: [{ state: 'frozen', ySplit: 1 }] });
        sheet.columns = [{ width: 14 }, { width: 28 }, ...columns.map((field) => ({ width: field.key === 'idNumber' ? 22 : 14 }))];
        sheet.addRow(['学校标识码', '学校名称', ...columns.map((f) => (presenceOf(f.key, schoolType) === 'required' ? `★${f.label}` : f.label))]).commit();
      }
      for (const { record, schoolName } of rows) {
        const values: StaffValues = valuesOf(record);
        if (!options.fullIds && values.idNumber) values.idNumber = maskIdNumber(values.idNumber);
        sheet.addRow([record.schoolCode, neutralise(schoolName), ...columns.map((field) => neutralise(formatCell(field.key, values[field.key], schoolType)))]).commit();
        written += 1;
      }
    }
    sheet?.commit();
  }
  if (written === 0) {
    const sheet = workbook.addWorksheet('教职工');
    sheet.addRow(['（无记录）']).commit();
    sheet.commit();
  }
  await workbook.commit();
  return written;
}
