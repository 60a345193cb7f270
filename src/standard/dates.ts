import { dateCellDay, isoDay, normalizeText } from './normalize.ts';
import type { RawCell } from './types.ts';

/**
 * Why a cell is not a date: `format` (not a form the standard accepts), `not_real` (2013-02-30), `missing_day`
 * (a year-month where a date is asked), `year_only`, `ambiguous_number` (Excel stored 1980.10 as the number
 * 1980.1: January or October?), `empty`.
 */
export type DateProblem = 'empty' | 'format' | 'not_real' | 'missing_day' | 'year_only' | 'ambiguous_number';

export type DateResult = { ok: true; value: string } | { ok: false; problem: DateProblem; text: string };

type Parts = { year: number; month: number; day: number | null } | { problem: DateProblem };

const separated = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const compactDay = /^(\d{4})(\d{2})(\d{2})$/;
const chineseDay = /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/;
const separatedMonth = /^(\d{4})[-/.](\d{1,2})$/;
const compactMonth = /^(\d{4})(\d{2})$/;
const chineseMonth = /^(\d{4})年(\d{1,2})月$/;
const serialText = /^\d{5}$/;
const yearText = /^\d{4}年?$/;
const timeSuffix = /^(\S+)\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const whitespace = /\s+/g;
const decimalJanuary = /^\d{4}\.1$/;

const dayMs = 86_400_000;
const excelEpoch = Date.UTC(1899, 11, 30);

/** Whether year-month-day is a day of the Gregorian calendar (2013-02-30 is not). */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  if (month === 2) return day <= (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28);
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

/**
 * An Excel serial day of the 1900 date system: 1 is 1900-01-01, 60 is the 1900-02-29 that Excel counts but
 * that never was (Lotus's leap-year bug), 61 is 1900-03-01; a fraction is the time of day.
 */
function fromSerial(serial: number): Parts {
  const whole = Math.floor(serial);
  if (whole < 1) return { problem: 'format' };
  if (whole === 60) return { problem: 'not_real' };
  const date = new Date(excelEpoch + (whole < 60 ? whole + 1 : whole) * dayMs);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function fromDay(text: string): Parts {
  const day = dateCellDay(new Date(text));
  return day ? fromText(day) : { problem: 'format' };
}

/** A numeric cell: YYYYMMDD, YYYYMM, a year-month Excel stored as a decimal (1980.09), or a serial day. */
function fromNumber(value: number): Parts {
  if (!Number.isFinite(value) || value <= 0) return { problem: 'format' };
  if (Number.isInteger(value)) {
    if (value >= 10_000_000 && value <= 99_999_999) return fromText(String(value));
    if (value >= 100_000 && value <= 999_999) return fromText(String(value));
    // A serial of 1902-1927 is not a staff member's date; a 4-digit number is a year typed alone.
    if (value >= 1000 && value <= 9999) return { problem: 'year_only' };
    if (value >= 100_000) return { problem: 'format' };
    return fromSerial(value);
  }
  if (value >= 1000 && value < 10_000) {
    const text = String(value);
    // 1980.1 is what Excel keeps of both 1980.1 and 1980.10.
    if (decimalJanuary.test(text)) return { problem: 'ambiguous_number' };
    return fromText(text);
  }
  if (value >= 100_000) return { problem: 'format' };
  return fromSerial(value);
}

function fromText(raw: string): Parts {
  if (isoInstant.test(raw)) return fromDay(raw);
  const timed = timeSuffix.exec(raw);
  const text = (timed ? timed[1] : raw).replace(whitespace, '');
  const full = separated.exec(text) ?? compactDay.exec(text);
  if (full) {
    const monthIndex = full.length === 5 ? 3 : 2;
    return { year: Number(full[1]), month: Number(full[monthIndex]), day: Number(full[monthIndex + 1]) };
  }
  const chinese = chineseDay.exec(text);
  if (chinese) return { year: Number(chinese[1]), month: Number(chinese[2]), day: Number(chinese[3]) };
  const month = separatedMonth.exec(text) ?? compactMonth.exec(text) ?? chineseMonth.exec(text);
  if (month) return { year: Number(month[1]), month: Number(month[2]), day: null };
  if (serialText.test(text)) return fromSerial(Number(text));
  if (yearText.test(text)) return { problem: 'year_only' };
  return { problem: 'format' };
}

function partsOf(cell: RawCell): { parts: Parts; text: string } {
  if (cell === null || cell === undefined) return { parts: { problem: 'empty' }, text: '' };
  if (cell instanceof Date) {
    const day = dateCellDay(cell);
    return day ? { parts: fromText(day), text: day } : { parts: { problem: 'format' }, text: '' };
  }
  if (typeof cell === 'number') return { parts: fromNumber(cell), text: String(cell) };
  const text = typeof cell === 'boolean' ? (cell ? 'TRUE' : 'FALSE') : normalizeText(cell);
  if (text === '') return { parts: { problem: 'empty' }, text };
  return { parts: fromText(text), text };
}

function failed(problem: DateProblem, text: string): DateResult {
  return { ok: false, problem, text };
}

/**
 * A calendar date, `YYYY-MM-DD`, from an Excel date cell, an Excel serial number, or text `YYYY-MM-DD`,
 * `YYYY/M/D`, `YYYY.M.D`, `YYYYMMDD` or `YYYY年M月D日`. Only real days are dates.
 */
export function parseDate(cell: RawCell): DateResult {
  const { parts, text } = partsOf(cell);
  if ('problem' in parts) return failed(parts.problem, text);
  if (parts.day === null) return failed(isRealDate(parts.year, parts.month, 1) ? 'missing_day' : 'not_real', text);
  if (!isRealDate(parts.year, parts.month, parts.day)) return failed('not_real', text);
  return { ok: true, value: isoDay(parts.year, parts.month, parts.day) };
}

/**
 * A year and month, `YYYY-MM`, from the date forms without the day (`YYYY-MM`, `YYYY/M`, `YYYY.M`, `YYYYMM`,
 * `YYYY年M月`) or any date form, whose year and month are kept (the date must still be a real day).
 */
export function parseYearMonth(cell: RawCell): DateResult {
  const { parts, text } = partsOf(cell);
  if ('problem' in parts) return failed(parts.problem, text);
  if (!isRealDate(parts.year, parts.month, parts.day ?? 1)) return failed('not_real', text);
  return { ok: true, value: isoDay(parts.year, parts.month, 1).slice(0, 7) };
}
