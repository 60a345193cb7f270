import ExcelJS from 'exceljs';
import type { ContactPerson } from '../db/schema.ts';
import { personFields } from '../../contract/coordination.schema.ts';
import { contactsForm } from './coordination.service.ts';

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

export type DirectoryLine = { unitName: string; department: string; people: ContactPerson[] | null };

/**
 * The directory in the layout of attachment 2 (教职工基础信息采集责任人和联络员信息表): the title, then a
 * two-row header — 单位 and 责任部门 spanning both rows, each role (主管领导, 责任部门负责人, 联络员) over its five
 * columns (姓名, 职务, 办公电话, 手机, 邮箱) — and one row per unit below; a unit that has not reported keeps
 * its name with 未报送 in the department column.
 */
export async function contactsDirectoryWorkbook(input: { unitName: string; lines: DirectoryLine[] }): Promise<Buffer> {
  const { header, roles, columns } = contactsForm;
  const width = header.length + roles.length * columns.length;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('责任人和联络员', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 20 }, { width: 16 }, ...roles.flatMap(() => [{ width: 10 }, { width: 14 }, { width: 16 }, { width: 14 }, { width: 22 }])];

  const attachment = sheet.addRow([`附件${contactsForm.attachment}`]);
  attachment.font = { bold: true };
  const title = sheet.addRow([contactsForm.title]);
  sheet.mergeCells(title.number, 1, title.number, width);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  title.height = 28;
  const subtitle = sheet.addRow([`汇总单位：${input.unitName}`]);
  sheet.mergeCells(subtitle.number, 1, subtitle.number, width);

  const roleRow = sheet.addRow([...header, ...roles.flatMap((role) => [role, ...columns.slice(1).map(() => '')])]);
  const columnRow = sheet.addRow([...header.map(() => ''), ...roles.flatMap(() => columns)]);
  header.forEach((_, index) => sheet.mergeCells(roleRow.number, index + 1, columnRow.number, index + 1));
  roles.forEach((_, index) => {
    const first = header.length + index * columns.length + 1;
    sheet.mergeCells(roleRow.number, first, roleRow.number, first + columns.length - 1);
  });
  for (const row of [roleRow, columnRow]) {
    row.font = { bold: true };
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }

  for (const line of input.lines) {
    const people = line.people ?? [];
    sheet.addRow([
      line.unitName,
      line.people ? line.department : '未报送',
      ...roles.flatMap((_, index) => personFields.map((field) => people[index]?.[field] ?? '')),
    ]);
  }
  for (let rowNo = roleRow.number; rowNo <= sheet.rowCount; rowNo += 1) {
    for (let columnNo = 1; columnNo <= width; columnNo += 1) sheet.getCell(rowNo, columnNo).border = border;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
