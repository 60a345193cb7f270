import { Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RawCell } from '../../standard/types.ts';
import { csvTable } from '../check/csv-reader.ts';
import { headerScore } from '../check/header.ts';
import type { RowTable } from '../check/sheet-rows.ts';
import { xlsxTables } from '../check/xlsx-reader.ts';

export type AnnotationIssue = { row: number; column: number | null; severity: string; message: string };

export const statusHeader = '导入结果';

const actionLabels: Record<string, string> = {
  new: '新增',
  changed: '修改',
  unchanged: '无变化',
  invalid: '有错误，未导入',
  conflict: '与他校冲突，未导入',
};
const committedSuffix: Record<string, string> = { new: '（已导入）', changed: '（已导入）' };

const red = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } } as const;
const yellow = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } } as const;

type Annotation = {
  format: 'xlsx' | 'csv';
  fileName: string;
  headerRow: number;
  issues: AnnotationIssue[];
  actions: Map<number, string>;
  committed: boolean;
};

function byCell(issues: AnnotationIssue[]) {
  const cells = new Map<string, AnnotationIssue[]>();
  for (const issue of issues) {
    const key = `${issue.row}:${issue.column ?? 'row'}`;
    const list = cells.get(key);
    if (list) list.push(issue);
    else cells.set(key, [issue]);
  }
  return cells;
}

function writableValue(cell: RawCell): ExcelJS.CellValue {
  return cell === undefined ? null : cell;
}

/**
 * 标注工作簿: the uploaded file rewritten with its own sheets, rows and columns, each bad cell filled red
 * (warnings yellow) with a note holding its messages, and a 导入结果 column after the header's last column
 * telling each row's fate. Read and written as streams, so a large file never sits in memory.
 */
export async function writeAnnotatedWorkbook(original: Buffer, output: Writable, annotation: Annotation) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: true });
  const cells = byCell(annotation.issues);
  const tables: AsyncIterable<RowTable> =
    annotation.format === 'xlsx'
      ? xlsxTables(Readable.from([original]), annotation.fileName)
      : (async function* () {
          yield csvTable(Readable.from([original]), annotation.fileName);
        })();
  const usedNames = new Set<string>();
  let annotated = false;
  for await (const table of tables) {
    let name = table.name.slice(0, 31) || 'Sheet';
    while (usedNames.has(name)) name = `${name.slice(0, 28)}_${usedNames.size}`;
    usedNames.add(name);
    const sheet = workbook.addWorksheet(name);
    let statusColumn = 0;
    let isData = false;
    for await (const batch of table.batches) {
      for (const source of batch) {
        const row = sheet.getRow(source.rowNumber);
        source.cells.forEach((cell, index) => {
          if (cell === null || cell === undefined) return;
          const target = row.getCell(index + 1);
          target.value = writableValue(cell);
          if (cell instanceof Date) target.numFmt = 'yyyy-mm-dd';
          else if (typeof cell === 'string') target.numFmt = '@';
        });
        if (!annotated && source.rowNumber === annotation.headerRow && headerScore(source.cells) >= 3) {
          isData = true;
          annotated = true;
          statusColumn = source.cells.length + 1;
          const header = row.getCell(statusColumn);
          header.value = statusHeader;
          header.font = { bold: true };
        }
        if (isData) annotateRow(row, source.rowNumber, statusColumn, cells, annotation);
        row.commit();
      }
    }
    sheet.commit();
  }
  await workbook.commit();
}

function annotateRow(row: ExcelJS.Row, rowNumber: number, statusColumn: number, cells: Map<string, AnnotationIssue[]>, annotation: Annotation) {
  const action = annotation.actions.get(rowNumber);
  for (let column = 0; column < statusColumn - 1; column += 1) {
    const issues = cells.get(`${rowNumber}:${column}`);
    if (!issues) continue;
    const cell = row.getCell(column + 1);
    const hasError = issues.some((issue) => issue.severity === 'error');
    cell.style = { ...cell.style, fill: hasError ? red : yellow };
    cell.note = issues.map((issue) => issue.message).join('\n');
  }
  const rowIssues = cells.get(`${rowNumber}:row`);
  if (!action && !rowIssues) return;
  const status = row.getCell(statusColumn);
  const label = action ? `${actionLabels[action] ?? action}${annotation.committed ? (committedSuffix[action] ?? '') : ''}` : '';
  const extra = rowIssues?.map((issue) => issue.message).join('；');
  status.value = extra ? `${label}${label ? '：' : ''}${extra}` : label;
  if (action === 'invalid' || action === 'conflict') status.style = { ...status.style, fill: red };
}
