import ExcelJS from 'exceljs';
import { province } from '../../standard/divisions.ts';
import { parseSchoolType, schoolTypeLabels, schoolTypes } from '../../standard/school-types.ts';
import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import type { AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { readFirstSheetRows, type SheetRow } from '../check/read-rows.ts';
import { columnLetter } from '../excel/cells.ts';
import { findUnits } from '../org/units.repository.ts';
import { isWithin, reportingUnitCode, reportsToProvince } from '../../contract/unit-tree.ts';
import { assertUsernamesFree, insertSchoolAccounts, prepareSchoolAccounts } from '../accounts/school-accounts.service.ts';
import { mayPlace, upsertSchools, type SchoolListRow } from './schools.service.ts';

/** The columns of a school list (学校名单), with the header names people write for them. */
const columns = [
  { key: 'code', label: '学校标识码', labelEn: 'School code', aliases: ['学校代码', '标识码', 'code'] },
  { key: 'name', label: '学校名称', labelEn: 'School name', aliases: ['名称', '学校', 'name'] },
  { key: 'schoolType', label: '学校类型', labelEn: 'School type', aliases: ['类型', 'type'] },
  { key: 'countyCode', label: '所在县市区代码', labelEn: 'County code', aliases: ['县市区代码', '县区代码', '区划代码', 'county'] },
  { key: 'expectedStaff', label: '教职工数（编制/统计数）', labelEn: 'Expected staff', aliases: ['教职工数', '编制数', '应有教职工数', 'expected staff'] },
] as const;

type ColumnKey = (typeof columns)[number]['key'];

export type RowError = { row: number; column: string | null; field: ColumnKey | null; message: string; messageEn: string };

const maxRows = 50_000;

function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[★*\s]/g, '')
    .replace(/[()（）]/g, '')
    .toLowerCase();
}

const headerIndex = new Map<string, ColumnKey>(
  columns.flatMap((column) =>
    [column.label, column.labelEn, ...column.aliases].map((name) => [normaliseHeader(name), column.key] as const),
  ),
);

function findHeader(rows: SheetRow[]) {
  for (const row of rows.slice(0, 10)) {
    const map = new Map<ColumnKey, number>();
    row.cells.forEach((cell, index) => {
      const key = headerIndex.get(normaliseHeader(cell));
      if (key && !map.has(key)) map.set(key, index);
    });
    if (map.size >= 3) return { headerRow: row.rowNumber, map };
  }
  return undefined;
}

/** Checks every row of a school list and either writes all of them or none (row-level error report). */
export async function importSchoolList(
  db: Database,
  context: AuditContext & { actor: Actor },
  file: { buffer: Buffer; fileName: string },
  /** `accountKey`: make each added school's accounts, their initial passwords sealed under this key. */
  options: { accountKey?: Buffer } = {},
) {
  const rows = await readFirstSheetRows(file.buffer, file.fileName, maxRows + 10);
  const header = findHeader(rows);
  if (!header) {
    throw new DomainError('unprocessable', {
      zh: `在“${file.fileName}”的前 10 行中找不到表头。表头应包含：${columns.map((c) => c.label).join('、')}。请使用学校名单模板。`,
      en: `No header row in the first 10 rows of "${file.fileName}". It needs: ${columns.map((c) => c.labelEn).join(', ')}. Use the school list template.`,
    });
  }
  const missing = columns.filter((column) => !header.map.has(column.key));
  if (missing.length > 0) {
    throw new DomainError('unprocessable', {
      zh: `“${file.fileName}”缺少列：${missing.map((c) => c.label).join('、')}`,
      en: `"${file.fileName}" lacks the columns: ${missing.map((c) => c.labelEn).join(', ')}`,
    });
  }
  const errors: RowError[] = [];
  const parsed: SchoolListRow[] = [];
  const firstRowOfCode = new Map<string, number>();
  const at = (row: SheetRow, key: ColumnKey) => row.cells[header.map.get(key)!] ?? '';
  const fail = (row: SheetRow, key: ColumnKey | null, zh: string, en: string) =>
    errors.push({
      row: row.rowNumber,
      column: key ? columnLetter(header.map.get(key)!) : null,
      field: key,
      message: `第${row.rowNumber}行 ${key ? columns.find((c) => c.key === key)!.label : ''}：${zh}`,
      messageEn: `Row ${row.rowNumber} ${key ? columns.find((c) => c.key === key)!.labelEn : ''}: ${en}`,
    });

  for (const row of rows.filter((r) => r.rowNumber > header.headerRow)) {
    if (row.cells.every((cell) => cell === '')) continue;
    const before = errors.length;
    const code = at(row, 'code').normalize('NFKC').trim();
    const name = at(row, 'name').normalize('NFKC').trim();
    const typeText = at(row, 'schoolType');
    const countyCode = at(row, 'countyCode').normalize('NFKC').trim().split(/[-\s]/)[0];
    const staffText = at(row, 'expectedStaff').normalize('NFKC').trim();
    if (!/^\d{10}$/.test(code)) fail(row, 'code', `应为 10 位数字，实为“${code}”`, `must be 10 digits, found "${code}"`);
    else if (firstRowOfCode.has(code)) {
      fail(row, 'code', `与第${firstRowOfCode.get(code)}行重复`, `repeats row ${firstRowOfCode.get(code)}`);
    } else firstRowOfCode.set(code, row.rowNumber);
    if (!name) fail(row, 'name', '不能为空', 'is required');
    else if (name.length > 100) fail(row, 'name', '最多 100 字', 'at most 100 characters');
    const schoolType = parseSchoolType(typeText);
    if (!schoolType) {
      const allowed = schoolTypes.map((type) => schoolTypeLabels[type].zh).join('、');
      fail(row, 'schoolType', `“${typeText}”不是学校类型，应为：${allowed}`, `"${typeText}" is not a school type (${schoolTypes.join(', ')})`);
    }
    if (!/^\d{6}$/.test(countyCode)) fail(row, 'countyCode', `应为 6 位县市区代码，实为“${countyCode}”`, `must be a 6-digit county code, found "${countyCode}"`);
    const expectedStaff = Number(staffText);
    if (!/^\d+$/.test(staffText) || expectedStaff > 100_000) {
      fail(row, 'expectedStaff', `应为 0 或正整数，实为“${staffText}”`, `must be a whole number ≥ 0, found "${staffText}"`);
    }
    if (errors.length === before) {
      parsed.push({ rowNumber: row.rowNumber, code, name, schoolType: schoolType!, countyCode, expectedStaff });
    }
  }
  if (parsed.length + errors.length > maxRows) {
    throw new DomainError('payload_too_large', {
      zh: `学校名单最多 ${maxRows} 行，请拆分后上传`,
      en: `A school list holds at most ${maxRows} rows; split it`,
    });
  }

  // Database checks: each county exists and lies in scope; a known code belongs to the actor's subtree.
  const referenced = await findUnits(db, [...new Set([...parsed.map((row) => row.countyCode), province.code, ...parsed.map((row) => row.code)])]);
  const byCode = new Map(referenced.map((unit) => [unit.code, unit]));
  for (const row of parsed) {
    const sheetRow = { rowNumber: row.rowNumber, cells: [] };
    const county = byCode.get(row.countyCode);
    if (!county || county.kind !== 'county' || (!isWithin(county, context.actor.unit) && !reportsToProvince(row.schoolType))) {
      fail(sheetRow, 'countyCode', `县市区 ${row.countyCode} 不存在或不在您的管辖范围内`, `county ${row.countyCode} does not exist or is outside your scope`);
      continue;
    }
    const parent = byCode.get(reportingUnitCode(row.schoolType, row.countyCode, province.code));
    if (!mayPlace(context.actor, parent)) {
      fail(sheetRow, 'schoolType', '高等学校报送至省级，只有省级管理员可以添加', 'higher education reports to the province; only a province admin may add it');
      continue;
    }
    const existing = byCode.get(row.code);
    if (existing && (existing.kind !== 'school' || !isWithin(existing, context.actor.unit))) {
      fail(sheetRow, 'code', `学校标识码 ${row.code} 已被您管辖范围以外的单位使用`, `the code ${row.code} is used by a unit outside your scope`);
    }
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row);
    throw new DomainError('unprocessable', {
      zh: `学校名单有 ${errors.length} 处错误，未导入任何数据。请修改后重新上传。`,
      en: `The school list has ${errors.length} errors; nothing was imported. Fix them and upload again.`,
    }, { errors });
  }
  if (parsed.length === 0) {
    throw new DomainError('unprocessable', { zh: '学校名单中没有数据行', en: 'The school list has no data rows' });
  }
  const { accountKey } = options;
  if (!accountKey) return { ...(await upsertSchools(db, context, parsed)), accountsCreated: 0 };
  // The passwords are hashed before the transaction opens; the accounts are written in it, with the schools.
  const added = parsed.filter((row) => !byCode.has(row.code));
  await assertUsernamesFree(db, added);
  const prepared = await prepareSchoolAccounts(accountKey, added);
  let accountsCreated = 0;
  const counts = await upsertSchools(db, context, parsed, async (tx, createdCodes) => {
    accountsCreated = await insertSchoolAccounts(tx, context, prepared.filter((account) => createdCodes.has(account.unitCode)));
  });
  return { ...counts, accountsCreated };
}

/** The school list template: the header row, one example row and a sheet of county codes. */
export async function schoolListTemplate(counties: { code: string; name: string }[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学校名单', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: `★${column.label}`,
    key: column.key,
    width: column.key === 'name' ? 36 : 20,
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  const typeList = schoolTypes.map((type) => schoolTypeLabels[type].zh).join(',');
  for (let row = 2; row <= 2000; row += 1) {
    sheet.getCell(row, 3).dataValidation = { type: 'list', allowBlank: false, formulae: [`"${typeList}"`] };
  }
  const countySheet = workbook.addWorksheet('县市区代码');
  countySheet.columns = [
    { header: '县市区代码', key: 'code', width: 14 },
    { header: '县市区名称', key: 'name', width: 20 },
  ];
  for (const county of counties) countySheet.addRow(county);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
