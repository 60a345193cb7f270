import type { RawCell } from './types.ts';

// Invisible characters that copy-paste leaves at the ends of a cell (zero-width space/joiners, BOM).
const edgeJunk = /^[\s\u200B-\u200D\uFEFF]+|[\s\u200B-\u200D\uFEFF]+$/g;
// Text made of printable ASCII, the middle dot and CJK ideographs (blocks without compatibility forms),
// starting and ending with no space, is already NFKC-normalised and trimmed.
const alreadyNormal =
  /^(?:[\x21-\x7E\u00B7\u3400-\u4DBF\u4E00-\u9FFF](?:[\x20-\x7E\u00B7\u3400-\u4DBF\u4E00-\u9FFF]*[\x21-\x7E\u00B7\u3400-\u4DBF\u4E00-\u9FFF])?)?$/;

/**
 * The standard's text normalisation: NFKC (full-width digits, letters and punctuation become half-width,
 * the ideographic space a plain space), then trimmed. Nothing inside the text is collapsed or removed.
 */
export function normalizeText(value: string): string {
  // Most cells are already normal: skipping normalize() keeps 100k-row files fast.
  if (alreadyNormal.test(value)) return value;
  return value.normalize('NFKC').replace(edgeJunk, '');
}

/** YYYY-MM-DD of a calendar date held in UTC components. */
export function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * A cell as normalised text, or null when it is empty: text is normalised, a number written as JavaScript
 * prints it, a boolean as Excel shows it (TRUE/FALSE), a Date as the calendar day it stands for.
 */
export function cellText(cell: RawCell): string | null {
  if (cell === null || cell === undefined) return null;
  let text: string;
  if (typeof cell === 'string') text = normalizeText(cell);
  else if (typeof cell === 'number') text = Number.isFinite(cell) ? String(cell) : '';
  else if (typeof cell === 'boolean') text = cell ? 'TRUE' : 'FALSE';
  else text = dateCellDay(cell) ?? '';
  return text === '' ? null : text;
}

const dayMs = 86_400_000;

/**
 * The calendar day an Excel date cell stands for, YYYY-MM-DD. Readers hand dates over as UTC midnight
 * (ExcelJS) or as local midnight (browser readers in UTC+8 give 16:00 UTC of the day before), sometimes
 * off by seconds; rounding to the nearest UTC midnight gives the intended day for both.
 */
export function dateCellDay(date: Date): string | null {
  const time = date.getTime();
  if (Number.isNaN(time)) return null;
  const day = new Date(Math.round(time / dayMs) * dayMs);
  return isoDay(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate());
}

const chinaOffsetMs = 8 * 3_600_000;

/** Today's date in China (UTC+8, no daylight saving) as YYYY-MM-DD: the collection's calendar. */
export function chinaDay(instant: Date): string {
  const shifted = new Date(instant.getTime() + chinaOffsetMs);
  return isoDay(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/**
 * An instant as China's clock shows it (UTC+8, whatever the machine's or the browser's zone): `YYYY-MM-DD HH:mm`,
 * with `:ss` when asked. Deadlines, reports and logs are read in Beijing time.
 */
export function chinaDateTime(instant: Date | string, withSeconds = false): string {
  const time = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const text = new Date(time + chinaOffsetMs).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, withSeconds ? 19 : 16)}`;
}

/** Code points, not UTF-16 units: a rare character of a name (CJK extension B) counts once. */
export function characterCount(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0xdc00 || unit > 0xdfff) count += 1;
  }
  return count;
}
