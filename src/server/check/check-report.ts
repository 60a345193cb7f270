import { schoolTypeLabels } from '../../standard/school-types.ts';
import { columnLetter } from '../excel/cells.ts';
import type { CheckIssue, CheckResult } from './check.types.ts';
import type { FileFormat } from './file-format.ts';

/** An issue's messages with the row, as a person reads them out of context: `第12行 身份证件号：…`. */
export function issueMessage(issue: CheckIssue): { zh: string; en: string } {
  return { zh: `第${issue.row}行 ${issue.message}`, en: `Row ${issue.row} ${issue.messageEn}` };
}

/** A column as the file's own program names it: the letter in a workbook, the 1-based number in a CSV. */
export function columnName(format: FileFormat, column: number | null): string | number | null {
  if (column === null) return null;
  return format === 'csv' ? column + 1 : columnLetter(column);
}

/** The checker's JSON report (`rollcall check --json`). */
export function checkReportJson(result: CheckResult) {
  return {
    file: result.fileName,
    schoolType: result.schoolType,
    rows: result.rows,
    errors: result.errors,
    warnings: result.warnings,
    issues: result.issues.map((issue) => ({
      row: issue.row,
      column: columnName(result.format, issue.column),
      field: issue.field,
      code: issue.code,
      severity: issue.severity,
      message: issueMessage(issue).zh,
      messageEn: issueMessage(issue).en,
    })),
    ...(result.issuesTruncated ? { issuesTruncated: true } : {}),
  };
}

const severityLabel = { error: '错误 error', warning: '警告 warning' } as const;

/** The checker's readable report, grouped by row, Chinese with English, ending with a summary line. */
export function checkReportText(result: CheckResult): string {
  const lines: string[] = [];
  const type = schoolTypeLabels[result.schoolType];
  const where =
    result.format === 'xlsx'
      ? { zh: `工作表“${result.sheetName}”，表头在第${result.headerRow}行`, en: `sheet "${result.sheetName}", header on row ${result.headerRow}` }
      : { zh: `CSV（${result.encoding === 'gb18030' ? 'GBK/GB18030' : 'UTF-8'}），表头在第${result.headerRow}行`, en: `CSV, header on line ${result.headerRow}` };
  lines.push(`检查 / Checked: ${result.fileName}（${where.zh} / ${where.en}）`);
  lines.push(`学校类型 / School type: ${type.zh} / ${type.en}`);
  let currentRow = -1;
  for (const issue of result.issues) {
    if (issue.row !== currentRow) {
      currentRow = issue.row;
      lines.push('', `第${issue.row}行 / Row ${issue.row}`);
    }
    // a file-level issue (field null) names its column in its message already
    const column = issue.field === null ? null : columnName(result.format, issue.column);
    const place = column === null ? '' : result.format === 'csv' ? `第${column}列 ` : `${column}列 `;
    lines.push(`  [${severityLabel[issue.severity]}] ${place}${issue.message}`);
    lines.push(`      ${issue.messageEn}`);
  }
  if (result.issuesTruncated) {
    lines.push('', `（只列出前 ${result.issues.length} 个问题 / only the first ${result.issues.length} issues are listed）`);
  }
  lines.push('');
  lines.push(
    `共 ${result.rows} 行数据：错误 ${result.errors} 个，警告 ${result.warnings} 个 / ` +
      `${result.rows} ${plural(result.rows, 'row')}: ${result.errors} ${plural(result.errors, 'error')}, ${result.warnings} ${plural(result.warnings, 'warning')}`,
  );
  lines.push(result.errors === 0 ? '未发现错误 / No errors found.' : '请改正错误后重新检查 / Correct the errors and check again.');
  return `${lines.join('\n')}\n`;
}

const plural = (count: number, word: string) => (count === 1 ? word : `${word}s`);
