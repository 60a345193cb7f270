import historical from './data/codes/hunan-division-codes-historical.json' with { type: 'json' };
import provincesData from './data/codes/provinces-2013.json' with { type: 'json' };
import { counties, prefectures, province } from './divisions.ts';

/**
 * GB/T 2260 region codes as the standard uses them: the 2-digit province prefixes of 2013 and every
 * county-level code Hunan has had (1980-2019). An ID number keeps the region of its first issue, so Hunan
 * regions are checked against the historical list, never the 2013 list alone.
 */
export const provincePrefixes: ReadonlyMap<string, string> = new Map(
  provincesData.provinces.map((entry) => [entry.code, entry.name]),
);

/** Every Hunan code of 1980-2019 with the names it has carried. */
export const hunanHistoricalCodes: ReadonlyMap<string, string[]> = new Map(
  historical.codes.map((entry) => [entry.code, entry.names]),
);

export const hunanPrefix = '43';

export type RegionProblem = 'unknown_province' | 'unknown_hunan_code';

/** Whether an ID's 6-digit region is acceptable: a known province prefix, and for Hunan a code it has had. */
export function regionProblem(code: string): RegionProblem | null {
  const prefix = code.slice(0, 2);
  if (!provincePrefixes.has(prefix)) return 'unknown_province';
  if (prefix === hunanPrefix && !hunanHistoricalCodes.has(code)) return 'unknown_hunan_code';
  return null;
}

/** A Hunan county's name → its code: the 2013 names first, then older names that meant one code only. */
const countyCodeByName = new Map<string, string>();
for (const county of counties) countyCodeByName.set(county.name, county.code);
{
  const codesByOldName = new Map<string, Set<string>>();
  for (const [code, names] of hunanHistoricalCodes) {
    if (code.endsWith('00')) continue; // a province or prefecture, not a county
    for (const name of names) {
      const codes = codesByOldName.get(name) ?? new Set<string>();
      codes.add(code);
      codesByOldName.set(name, codes);
    }
  }
  for (const [name, codes] of codesByOldName) {
    if (codes.size === 1 && !countyCodeByName.has(name)) countyCodeByName.set(name, [...codes][0]);
  }
}

// Leading 湖南省 and a 市州 name, so that `湖南省长沙市浏阳市` names 浏阳市.
const placePrefixes = [province.name, '湖南', ...prefectures.map((prefecture) => prefecture.name)];

export type PlaceResult =
  | { ok: true; code: string }
  | { ok: false; problem: 'format' | 'not_county' | RegionProblem | 'unknown_name' };

const sixDigits = /^\d{6}$/;
const anyDigit = /\d/;
const codeThenName = /^(\d{6})\s*(?:[-‐‑‒–—―−_:.]|\s)\s*(\S.*)$/;

function placeByCode(code: string): PlaceResult {
  const problem = regionProblem(code);
  if (problem) return { ok: false, problem };
  // 出生地 is filled to county level: 430000 or 430100 names a province or a 市州.
  if (code.endsWith('00')) return { ok: false, problem: 'not_county' };
  return { ok: true, code };
}

function placeByName(text: string): PlaceResult {
  let rest = text;
  for (let changed = true; changed; ) {
    changed = false;
    for (const prefix of placePrefixes) {
      if (rest.startsWith(prefix) && rest.length > prefix.length) {
        rest = rest.slice(prefix.length);
        changed = true;
      }
    }
  }
  const code = countyCodeByName.get(rest);
  if (code) return { ok: true, code };
  if (placePrefixes.includes(rest)) return { ok: false, problem: 'not_county' };
  return { ok: false, problem: 'unknown_name' };
}

/**
 * 出生地 (birthPlace), following its rule in fields.json: a 6-digit county-level GB/T 2260 code (a Hunan
 * code must be one Hunan has had; another province needs a known prefix), or the name of a Hunan county
 * (浏阳市, 湖南省长沙市浏阳市, or an older unambiguous name), normalised to its code. `430181-浏阳市` is read
 * as its code when the name fits.
 */
export function parseBirthPlace(text: string): PlaceResult {
  if (sixDigits.test(text)) return placeByCode(text);
  const parts = codeThenName.exec(text);
  if (parts) {
    const byCode = placeByCode(parts[1]);
    if (!byCode.ok) return byCode;
    const names = hunanHistoricalCodes.get(parts[1]);
    if (!names || names.includes(parts[2])) return byCode;
    const byName = placeByName(parts[2]);
    return byName.ok && byName.code === parts[1] ? byCode : { ok: false, problem: 'unknown_name' };
  }
  if (anyDigit.test(text)) return { ok: false, problem: 'format' };
  return placeByName(text);
}

/** The names of a region code for a message (`浏阳市`), when it is a Hunan code. */
export function hunanNameOf(code: string): string | undefined {
  const names = hunanHistoricalCodes.get(code);
  return names ? names[names.length - 1] : undefined;
}
