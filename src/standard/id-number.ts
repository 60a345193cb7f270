import { isRealDate } from './dates.ts';
import { idMessages } from './messages.ts';
import { chinaDay, normalizeText } from './normalize.ts';
import { regionProblem } from './regions.ts';

/** GB 11643-1999: weights of the first 17 digits; the sum mod 11 indexes the check characters. */
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkCharacters = '10X98765432';
const seventeenDigits = /^\d{17}$/;
const fifteenDigits = /^\d{15}$/;
const eighteenCharacters = /^\d{17}[\dX]$/;

/** The check character (0-9 or X) of the first 17 digits of a 居民身份证 number. */
export function idCheckCharacter(first17: string): string {
  if (!seventeenDigits.test(first17)) throw new RangeError(`idCheckCharacter needs 17 digits, got "${first17}"`);
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += (first17.charCodeAt(index) - 48) * weights[index];
  return checkCharacters[sum % 11];
}

export type IdProblemCode = 'id_format' | 'id_checksum' | 'id_birthdate' | 'id_region';

export type IdCheckResult =
  | { ok: true; normalized: string; birthDate: string; sex: '1' | '2'; upgradedFrom15: boolean }
  | { ok: false; code: IdProblemCode; message: string; messageEn: string };

export type IdCheckOptions = {
  /** Birth dates after this day are refused; defaults to now. */
  today?: Date;
};

function problem(code: IdProblemCode, text: { message: string; messageEn: string }): IdCheckResult {
  return { ok: false, code, ...text };
}

/**
 * Checks a 居民身份证 number (GB 11643-1999) after NFKC, trim and `x` → `X`: 18 characters (or the legacy 15
 * digits, upgraded by inserting 19 and appending the check character), a known province prefix and, for
 * Hunan (43), a region code Hunan has had; a real birth date not in the future; the check character.
 */
export function checkIdNumber(value: string, options: IdCheckOptions = {}): IdCheckResult {
  return checkIdText(normalizeText(value).toUpperCase(), chinaDay(options.today ?? new Date()));
}

/** checkIdNumber on normalised, upper-cased text, with today in China as YYYY-MM-DD. */
export function checkIdText(text: string, today: string): IdCheckResult {
  let full: string;
  const upgradedFrom15 = fifteenDigits.test(text);
  if (upgradedFrom15) {
    const first17 = `${text.slice(0, 6)}19${text.slice(6)}`;
    full = first17 + idCheckCharacter(first17);
  } else if (eighteenCharacters.test(text)) {
    full = text;
  } else {
    return problem('id_format', idMessages.format(text));
  }
  const region = full.slice(0, 6);
  const regionIssue = regionProblem(region);
  if (regionIssue) return problem('id_region', idMessages.region(region, regionIssue));
  const year = Number(full.slice(6, 10));
  const month = Number(full.slice(10, 12));
  const day = Number(full.slice(12, 14));
  if (!isRealDate(year, month, day)) return problem('id_birthdate', idMessages.birthDateNotReal(full.slice(6, 14)));
  const birthDate = `${full.slice(6, 10)}-${full.slice(10, 12)}-${full.slice(12, 14)}`;
  if (birthDate > today) return problem('id_birthdate', idMessages.birthDateInFuture(birthDate, today));
  if (!upgradedFrom15) {
    const expected = idCheckCharacter(full.slice(0, 17));
    if (full[17] !== expected) return problem('id_checksum', idMessages.checksum(expected, full[17]));
  }
  const sex = (full.charCodeAt(16) - 48) % 2 === 1 ? '1' : '2';
  return { ok: true, normalized: full, birthDate, sex, upgradedFrom15 };
}
