import ExcelJS from 'exceljs';
import { chinaDate } from '../campaign/tasks.ts';
import { chinaDateTime } from '../../standard/normalize.ts';
import type { WeeklySnapshot } from './weekly-figures.ts';
import { weeklyReportForm, type WeeklyIssue } from './weekly-issues.ts';
import { subunitLabel, type IssueTable } from './weekly-layout.ts';

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

function writeTable(sheet: ExcelJS.Worksheet, table: IssueTable, firstHeading: string) {
  const heading = sheet.addRow([firstHeading, ...table.columns.map((column) => column.zh)]);
  heading.font = { bold: true };
  heading.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  heading.height = 32;
  for (const row of table.rows) {
    const line = sheet.addRow([row.label, ...row.values]);
    if (row.total) line.font = { bold: true };
  }
  const last = sheet.rowCount;
  for (let rowNo = heading.number; rowNo <= last; rowNo += 1) {
    for (let columnNo = 1; columnNo <= table.columns.length + 1; columnNo += 1) sheet.getCell(rowNo, columnNo).border = border;
  }
}

function titleRows(sheet: ExcelJS.Worksheet, width: number, lines: string[]) {
  const title = sheet.addRow([weeklyReportForm.title]);
  sheet.mergeCells(title.number, 1, title.number, width);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  title.height = 28;
  for (const text of lines) {
    const row = sheet.addRow([text]);
    sheet.mergeCells(row.number, 1, row.number, width);
  }
}

export type SignatureLine = { label: string; name: string | null; at: Date | null };

/**
 * One unit's weekly report for an issue in the attachment's layout: title, the header (市（州） and
 * 所辖区县数), the issue, its table, 备注, then the signature rows 填表人 / 责任部门负责人 / 主管局领导 /
 * 教育局公章 / 日期.
 */
export async function weeklyReportWorkbook(input: {
  snapshot: WeeklySnapshot;
  issue: WeeklyIssue;
  table: IssueTable;
  remarks: string | null;
  signatures: SignatureLine[];
  submittedAt: Date | null;
}): Promise<Buffer> {
  const { snapshot, issue, table } = input;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`第${issue.issueNo}期`, { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const width = table.columns.length + 1;
  sheet.columns = [{ width: 22 }, ...table.columns.map(() => ({ width: 14 }))];
  titleRows(sheet, width, [
    `${snapshot.unit.kind === 'prefecture' ? '市（州）' : '填报单位'}：${snapshot.unit.name}\u3000\u3000${subunitLabel(snapshot.unit.kind)}：${snapshot.subunitCount}`,
    `第 ${issue.issueNo} 期（${issue.date}）\u3000${issue.content}`,
    `数据截至 ${chinaDateTime(new Date(snapshot.asOf))}${snapshot.live ? '（实时，截止前）' : ''}`,
  ]);
  sheet.addRow([]);
  writeTable(sheet, table, issue.issueNo === 2 || issue.issueNo === 3 ? '学校类型' : '单位');
  const remarks = sheet.addRow(['备注', input.remarks ?? '']);
  sheet.mergeCells(remarks.number, 2, remarks.number, width);
  remarks.height = 40;
  remarks.alignment = { vertical: 'top', wrapText: true };
  for (let columnNo = 1; columnNo <= width; columnNo += 1) sheet.getCell(remarks.number, columnNo).border = border;
  sheet.addRow([]);
  for (const signature of input.signatures) {
    sheet.addRow([signature.label, signature.name ?? '', signature.at ? chinaDate(signature.at) : '']);
  }
  sheet.addRow([weeklyReportForm.signatures[3], '']);
  sheet.addRow([weeklyReportForm.signatures[4], input.submittedAt ? chinaDate(input.submittedAt) : '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The parent's summary for one issue (the province's for the Ministry): a line per unit below, and the sum. */
export async function summaryWorkbook(input: { unitName: string; issue: WeeklyIssue; table: IssueTable; statuses: string[] }): Promise<Buffer> {
  const { issue, table } = input;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`第${issue.issueNo}期汇总`, { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const width = table.columns.length + 2;
  sheet.columns = [{ width: 22 }, ...table.columns.map(() => ({ width: 14 })), { width: 18 }];
  titleRows(sheet, width, [`汇总单位：${input.unitName}\u3000\u3000第 ${issue.issueNo} 期（${issue.date}）\u3000${issue.content}`]);
  sheet.addRow([]);
  writeTable(sheet, { ...table, columns: [...table.columns, { zh: '报送情况', en: 'Report' }] }, '单位');
  const first = sheet.rowCount - table.rows.length + 1;
  input.statuses.forEach((status, index) => {
    sheet.getCell(first + index, width).value = status;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

