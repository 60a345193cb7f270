import type { Finding } from './types.ts';

/**
 * 遮蔽: what a reader who may not see a person's full ID number is shown instead. A 居民身份证 number is the
 * region (6 digits, often the school's own county), the birth date (8), a sequence whose last digit gives the
 * sex (3) and a check character computed from the other 17. Whoever holds the region, the birth date and the
 * sex lacks only the 500 sequences of that sex, so hiding the birth date inside the number is not enough when
 * the birth date is shown beside it. The masked view keeps the region and hides everything after it, and gives
 * the birth date to the month: the days of that month times 500 sequences (about 15,000 numbers) stay possible
 * for every person, whatever else of the record is shown.
 */

/** Fields whose values give away part of a 居民身份证 number. */
export const idBearingFields: ReadonlySet<string> = new Set(['idNumber', 'birthDate']);

/**
 * An ID number for readers who may not see it: a number of 12 or more characters keeps its first 6 (the
 * region) and hides the rest (`430102************`); a shorter number of another document type keeps its first
 * and last 2; up to 4 characters are all hidden.
 */
export function maskIdNumber(id: string): string {
  const characters = Array.from(id);
  const length = characters.length;
  if (length <= 4) return '*'.repeat(length);
  const [head, tail] = length >= 12 ? [6, 0] : [2, 2];
  return characters.slice(0, head).join('') + '*'.repeat(length - head - tail) + characters.slice(length - tail).join('');
}

/** A birth date to the month (1969-05-23 → 1969-05); a value that is not a date keeps no digit at all. */
export function maskBirthDate(value: string): string {
  const month = /^(\d{4}-\d{2})(?:-\d{2})?$/.exec(value);
  return month ? month[1] : value.replace(/\d/g, '*');
}

// Digits (and X) standing alone, in groups one space apart.
const digitGroups = /(?<![0-9A-Za-z])[\dXx]+(?: [\dXx]+)*(?![0-9A-Za-z])/g;
const idLengths = new Set([15, 18]);
const fullDate = /(?<!\d)(\d{4}-\d{2})-\d{2}(?!\d)/g;
const chineseDate = /(?<!\d)(\d{4}年\d{1,2}月)\d{1,2}日/g;
const compactDate = /(?<!\d)(\d{6})\d{2}(?!\d)/g;

/** The characters of a number hidden as `maskIdNumber` hides them, the spaces typed between them kept. */
function hideAfterRegion(text: string): string {
  let kept = 0;
  return text.replace(/[\dXx]/g, (character) => (++kept <= 6 ? character : '*'));
}

/**
 * Text with every ID number in it masked as `maskIdNumber` does: a number of 12 or more characters, and
 * groups typed one space apart that together have the 15 or 18 characters of an ID number.
 */
export function maskIdNumbersIn(text: string): string {
  return text.replace(digitGroups, (run) => {
    const groups = run.split(' ');
    const shown: string[] = [];
    for (let start = 0; start < groups.length; ) {
      // The longest stretch of groups from here that is one number: a long group, or an ID's length together.
      let end = groups[start].length >= 12 ? start : -1;
      for (let next = start, length = 0; next < groups.length && length < 18; next += 1) {
        length += groups[next].length;
        if (next > start && idLengths.has(length)) end = next;
      }
      if (end < 0) shown.push(groups[start++]);
      else {
        shown.push(hideAfterRegion(groups.slice(start, end + 1).join(' ')));
        start = end + 1;
      }
    }
    return shown.join(' ');
  });
}

/**
 * Text about one person (a finding's message) as a masked reader sees it: ID numbers masked, and every date in
 * it to the month (`1969-05-23`, `1969年5月23日`, `19690523`), since any of them may be the birth date.
 */
export function maskPersonalText(text: string): string {
  return maskIdNumbersIn(text).replace(fullDate, '$1').replace(chineseDate, '$1').replace(compactDate, '$1**');
}

/** One field's value as a masked reader sees it; any other text keeps no full ID number either. */
export function maskFieldValue(key: string, value: string | null): string | null {
  if (value === null) return null;
  if (key === 'idNumber') return maskIdNumber(value);
  if (key === 'birthDate') return maskBirthDate(value);
  return maskIdNumbersIn(value);
}

/** A record's values (all of them or some) as a masked reader sees them. */
export function maskValues<K extends string>(values: Readonly<Record<K, string | null>>): Record<K, string | null> {
  const masked: Record<K, string | null> = { ...values };
  for (const key in masked) masked[key] = maskFieldValue(key, masked[key]);
  return masked;
}

export type FieldChanges = Record<string, { before: string | null; after: string | null }>;

/** Field changes (history, import rows) as a masked reader sees them. */
export function maskChanges(changes: FieldChanges): FieldChanges {
  return Object.fromEntries(
    Object.entries(changes).map(([key, change]) => [key, { before: maskFieldValue(key, change.before), after: maskFieldValue(key, change.after) }]),
  );
}

/** A finding as a masked reader sees it: its words keep no ID number and no date finer than the month. */
export function maskFinding<T extends Pick<Finding, 'message' | 'messageEn'>>(finding: T): T {
  return { ...finding, message: maskPersonalText(finding.message), messageEn: maskPersonalText(finding.messageEn) };
}

/** `138****5678` for a mobile; a landline keeps its area code and last four digits (`0731-****0000`). */
export function maskPhone(value: string): string {
  if (!value) return value;
  if (/^1\d{10}$/.test(value)) return `${value.slice(0, 3)}****${value.slice(7)}`;
  const landline = /^(0\d{2,3})-(\d{7,8})/.exec(value);
  if (landline) return `${landline[1]}-****${landline[2].slice(-4)}`;
  return value.replace(/\d(?=\d{4})/g, '*');
}
