import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { fieldsFor, formatCell, presenceOf } from '../../standard/index.ts';
import { createRandom, type Random } from '../demo/random.ts';
import { generateStaffValues } from '../demo/staff.generator.ts';

export type Person = ReturnType<typeof generateStaffValues>;

/** `count` valid k12 people, none with an ID number already in `seen` (which records theirs). */
export function generatePeople(random: Random, count: number, seen = new Set<string>()): Person[] {
  const today = new Date();
  const people: Person[] = [];
  while (people.length < count) {
    const values = generateStaffValues(random, 'k12', today);
    if (seen.has(values.idNumber!)) continue;
    seen.add(values.idNumber!);
    people.push(values);
  }
  return people;
}

/**
 * Streams people as a k12 staff workbook laid out as the template is (header row of the standard's labels,
 * ★ on required ones, every cell text), to a file or a stream.
 */
export async function writeStaffRows(target: { filename: string } | { stream: Writable }, people: Person[]): Promise<void> {
  const columns = fieldsFor('k12');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ ...target, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('教职工基础信息');
  sheet.columns = columns.map(() => ({ style: { numFmt: '@' } }));
  sheet.addRow(columns.map((f) => (presenceOf(f.key, 'k12') === 'required' ? `★${f.label}` : f.label))).commit();
  for (const values of people) sheet.addRow(columns.map((f) => formatCell(f.key, values[f.key], 'k12'))).commit();
  sheet.commit();
  await workbook.commit();
}

/** A k12 staff workbook of `rows` valid, distinct people at `file`; the same seed gives the same people. */
export async function writeStaffWorkbook(file: string, rows: number, seed = 50): Promise<void> {
  await writeStaffRows({ filename: file }, generatePeople(createRandom(seed), rows));
}
