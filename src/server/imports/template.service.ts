import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { codeLabel, codeTableFor, codeTables, fieldsFor, formatCell, presenceOf, type CodeTable, type FieldDef } from '../../standard/index.ts';
import { schoolTypeLabels, type SchoolType } from '../../standard/school-types.ts';
import type { DatedTask } from '../../standard/campaign.ts';
import type { StaffValues } from '../../standard/types.ts';
import { columnLetter } from '../excel/cells.ts';

/** The header of the template's hidden column that ties a row to its record, so a re-upload updates it. */
export const rowKeyHeader = '行标识（系统使用，请勿修改）';
export const dataSheetName = '教职工基础信息';
const dictionarySheetName = '字典';
/** Rows below the pre-filled ones that still carry dropdowns and text format. */
const blankRows = 3000;

function tableOf(field: FieldDef, schoolType: SchoolType): CodeTable | undefined {
  return field.type === 'yesNo' ? codeTables['yes-no'] : codeTableFor(field.key, schoolType);
}

function widthOf(field: FieldDef): number {
  if (field.key === 'idNumber') return 22;
  if (field.type === 'date' || field.type === 'yearMonth') return 14;
  if (field.type === 'code' || field.type === 'codes') return 18;
  if (field.type === 'yesNo') return 10;
  return Math.min(30, Math.max(12, (field.maxLength ?? 20) / 2));
}

function headerNote(field: FieldDef, schoolType: SchoolType): string {
  const presence = presenceOf(field.key, schoolType);
  const need = presence === 'required' ? '必填' : presence === 'conditional' ? '条件必填' : '选填';
  const forms =
    field.type === 'date'
      ? '\n日期可写作 1980-01-01、1980/1/1、1980.1.1、19800101 或 1980年1月1日。'
      : field.type === 'yearMonth'
        ? '\n年月可写作 1980-09、1980/9、1980.9、198009 或 1980年9月。'
        : field.type === 'code' || field.type === 'yesNo'
          ? '\n请从下拉列表选择（“代码-名称”），也可只填代码或名称。'
          : field.type === 'codes'
            ? '\n可填多个，用逗号或顿号分隔。'
            : '';
  return `【${need}】${field.label}\n${field.explain}${forms}`;
}

export type TemplateInput = {
  school: { code: string; name: string; schoolType: SchoolType };
  tasks: DatedTask[];
  records: { id: number; values: StaffValues }[];
};

function writeInstructions(workbook: ExcelJS.stream.xlsx.WorkbookWriter, input: TemplateInput) {
  const sheet = workbook.addWorksheet('填表说明', { properties: { tabColor: { argb: 'FF1677FF' } } });
  sheet.columns = [{ width: 18 }, { width: 90 }];
  const lines: [string, string][] = [
    ['学校', `${input.school.name}（学校标识码 ${input.school.code}，${schoolTypeLabels[input.school.schoolType].zh}）`],
    ['填写', `在“${dataSheetName}”工作表中每人一行；标 ★ 的列必填。表头不要修改，可以调整列的顺序。`],
    ['身份证件号', '本表所有列均设为“文本”格式，18 位身份证号请直接输入，不要改为“数值”或“常规”格式，否则 Excel 会丢失末尾数字。'],
    ['代码', '代码类字段请从下拉列表中选择，格式为“代码-名称”（如 1-男）；也可只填代码（1）或名称（男）。'],
    ['日期', '出生日期可写作 1980-01-01、1980/1/1、1980.1.1、19800101 或 1980年1月1日。'],
    ['年月', '年月可写作 1980-09、1980/9、1980.9、198009 或 1980年9月。'],
    ['多选', '政治面貌可填多个，用逗号或顿号分隔；“无党派民主人士”“群众”不能与其他值同时填写。'],
    ['已有记录', '表中已列出本校已录入的教职工。修改后重新上传即可更新这些人员的信息，不会重复新增。最后一列“行标识”由系统使用，请勿修改或复制到其他学校的表中。'],
    ['指标解释', '将鼠标停在表头单元格上可查看该字段的指标解释。'],
  ];
  sheet.addRow(['教职工基础信息采集 — 填表说明']).font = { bold: true, size: 14 };
  sheet.addRow([]);
  for (const line of lines) {
    const row = sheet.addRow(line);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  sheet.addRow([]);
  sheet.addRow(['本校工作时间表']).font = { bold: true };
  for (const task of input.tasks.filter((t) => t.due)) sheet.addRow([task.due, task.task]);
  sheet.commit();
}

/** Writes the values of every code table the template uses to a very hidden sheet; returns each list's range. */
function writeDictionary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, columns: FieldDef[], schoolType: SchoolType) {
  const tables = [...new Map(columns.flatMap((field) => {
    const table = tableOf(field, schoolType);
    return table ? [[table.id, table] as const] : [];
  })).values()];
  const sheet = workbook.addWorksheet(dictionarySheetName, { state: 'veryHidden' });
  const longest = Math.max(...tables.map((table) => table.entries.length));
  for (let index = 0; index < longest; index += 1) {
    sheet.addRow(tables.map((table) => (table.entries[index] ? codeLabel(table.entries[index]) : null))).commit();
  }
  sheet.commit();
  return new Map(
    tables.map((table, index) => {
      const letter = columnLetter(index);
      return [table.id, `'${dictionarySheetName}'!$${letter}$1:$${letter}$${table.entries.length}`] as const;
    }),
  );
}

/**
 * 学校模板: a 填表说明 sheet, then the data sheet generated from the standard for the school's type — ★ on
 * required headers with the 指标解释 as notes, frozen header, every column formatted as text (Excel keeps all
 * 18 digits of an ID), dropdowns from a very hidden code sheet (`code-label`, lists of any length), and the
 * school's records pre-filled with a hidden row key so a re-upload updates them. Streamed to `output`.
 */
export async function writeSchoolTemplate(output: Writable, input: TemplateInput) {
  const { schoolType } = input.school;
  const columns = fieldsFor(schoolType);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: true });
  writeInstructions(workbook, input);
  const sheet = workbook.addWorksheet(dataSheetName, { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  sheet.columns = [
    ...columns.map((field) => ({ key: field.key, width: widthOf(field), style: { numFmt: '@' } })),
    { key: 'rowKey', width: 14, hidden: true, style: { numFmt: '@' } },
  ];
  const lists = writeDictionary(workbook, columns, schoolType);
  const lastRow = input.records.length + 1 + blankRows;
  columns.forEach((field, index) => {
    const table = tableOf(field, schoolType);
    if (!table) return;
    const letter = columnLetter(index);
    const multiple = field.type === 'codes';
    (sheet as unknown as { dataValidations: { add(range: string, rule: object): void } }).dataValidations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [lists.get(table.id)],
      showErrorMessage: !multiple,
      errorStyle: 'stop',
      errorTitle: field.label,
      error: `请从下拉列表中选择${field.label}`,
      showInputMessage: false,
    });
  });
  const header = sheet.addRow([
    ...columns.map((field) => (presenceOf(field.key, schoolType) === 'required' ? `★${field.label}` : field.label)),
    rowKeyHeader,
  ]);
  header.font = { bold: true };
  header.height = 30;
  header.eachCell((cell, number) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: number <= columns.length ? 'FFE6F4FF' : 'FFF0F0F0' } };
    cell.alignment = { vertical: 'middle', wrapText: true };
    if (number <= columns.length) cell.note = headerNote(columns[number - 1], schoolType);
  });
  header.commit();
  for (const record of input.records) {
    const row = sheet.addRow([...columns.map((field) => formatCell(field.key, record.values[field.key], schoolType)), String(record.id)]);
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}
