import { checkRecord, duplicateFinding } from '../../standard/index.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { CheckOptions, FieldKey, Finding, RawRecord } from '../../standard/types.ts';
import type { CheckedRecord, CheckIssue } from './check.types.ts';
import { missingConditionalColumn, type Header } from './header.ts';
import { cellText, type SheetRow } from './sheet-rows.ts';

const noIssues: readonly CheckIssue[] = Object.freeze([]);

/**
 * Checks the data rows of one table against the standard, one at a time, holding only what a file-wide rule
 * needs (the first row of each ID number) and the issues. Blank rows (nothing in any checked column) are
 * skipped and not counted.
 */
export class RowChecker {
  private readonly firstRowOfId = new Map<string, number>();
  private readonly missingReported = new Set<FieldKey>();
  private readonly checked: Header['checked'];
  private readonly checkOptions: CheckOptions;
  private readonly raw: RawRecord = {};
  private needsSort = false;
  rows = 0;
  errors = 0;
  warnings = 0;
  issuesTruncated = false;
  readonly issues: CheckIssue[] = [];

  constructor(
    private readonly header: Header,
    private readonly options: { schoolType: SchoolType; today: Date; maxIssues: number },
  ) {
    this.checked = header.checked;
    this.checkOptions = { schoolType: options.schoolType, today: options.today };
    for (const { field } of this.checked) this.raw[field] = null;
    for (const issue of header.issues) {
      if (issue.code === 'missing_column' && issue.field) this.missingReported.add(issue.field);
      this.keep(issue);
    }
  }

  /** Checks one row; undefined for a blank row. */
  check(row: SheetRow): CheckedRecord | undefined {
    // one record object, reused: every row sets every checked field (checkRecord keeps nothing of it)
    const raw = this.raw;
    const cells = row.cells;
    let blank = true;
    for (let position = 0; position < this.checked.length; position++) {
      const { index, field } = this.checked[position];
      const cell = cells[index];
      raw[field] = cell;
      if (blank && cell !== null && cell !== undefined && (typeof cell !== 'string' || cell.trim() !== '')) blank = false;
    }
    if (blank) return undefined;
    this.rows++;
    const { values, findings } = checkRecord(raw, this.checkOptions);
    let issues: CheckIssue[] | undefined; // most rows have none: no array for them
    let idMangled = false;
    for (const finding of findings) {
      if (finding.code === 'id_mangled') idMangled = true;
      const column = finding.field === null ? undefined : this.header.columnOf[finding.field];
      if (finding.code === 'required' && finding.field !== null && column === undefined) {
        // the column is missing, not the value: said once for the file
        this.reportMissingColumn(finding.field, row.rowNumber);
        continue;
      }
      (issues ??= []).push(this.issue(row.rowNumber, column, finding));
    }
    // rule 12 within the file; digits lost to Excel's number format would make false duplicates
    const idNumber = values.idNumber;
    if (idNumber && !idMangled) {
      const firstRow = this.firstRowOfId.get(idNumber);
      if (firstRow === undefined) this.firstRowOfId.set(idNumber, row.rowNumber);
      else (issues ??= []).push(this.issue(row.rowNumber, this.header.columnOf.idNumber, duplicateFinding('file', String(firstRow))));
    }
    const keyColumn = this.header.rowKeyColumn;
    const rowKey = keyColumn === null ? null : cellText(cells[keyColumn]) || null;
    if (!issues) return { row: row.rowNumber, values, issues: noIssues, rowKey };
    for (const issue of issues) this.keep(issue);
    return { row: row.rowNumber, values, issues, rowKey };
  }

  /** The issues in row order, file-level ones (on the header row) first. */
  sortedIssues(): CheckIssue[] {
    if (this.needsSort) {
      this.issues.sort((a, b) => a.row - b.row);
      this.needsSort = false;
    }
    return this.issues;
  }

  private issue(row: number, column: number | undefined, finding: Finding): CheckIssue {
    return {
      row,
      column: column ?? null,
      field: finding.field,
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      messageEn: finding.messageEn,
    };
  }

  private reportMissingColumn(field: FieldKey, rowNumber: number) {
    if (this.missingReported.has(field)) return;
    this.missingReported.add(field);
    this.keep(missingConditionalColumn(field, this.header.rowNumber, rowNumber));
    this.needsSort = true;
  }

  private keep(issue: CheckIssue) {
    if (issue.severity === 'error') this.errors++;
    else this.warnings++;
    if (this.issues.length < this.options.maxIssues) this.issues.push(issue);
    else this.issuesTruncated = true;
  }
}
