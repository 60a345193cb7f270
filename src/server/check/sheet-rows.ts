import type { RawCell } from '../../standard/types.ts';

/** A row of a worksheet or CSV: its number as Excel shows it (the line for CSV) and its cells from column A. */
export type SheetRow = { rowNumber: number; cells: RawCell[] };

/** A table to look for the header in: a worksheet of an .xlsx, or the whole CSV. */
export type RowTable = {
  name: string;
  /** The rows in batches (as the reader parsed them from one chunk), so a row costs no promise of its own. */
  batches: AsyncIterable<SheetRow[]>;
  /** Releases what reading the rows would have used, when the rows are not (all) read. */
  discard(): void;
};

/** True when a cell holds nothing a person would see. */
export function isBlankCell(cell: RawCell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'string') return cell.trim() === '';
  return false;
}

/** The text of a cell as a person reads it (for headers and messages). */
export function cellText(cell: RawCell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).trim();
}
