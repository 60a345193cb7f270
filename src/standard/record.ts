import { fieldPlans, readField, type RecordCheck } from './field-values.ts';
import { readIdNumber, type IdFacts } from './id-field.ts';
import { duplicateText, finding } from './messages.ts';
import { chinaDay } from './normalize.ts';
import { recordOf } from './record-of.ts';
import { crossFieldRules } from './rules.ts';
import { fieldKeys, type CheckOptions, type Finding, type RawRecord, type StaffValues } from './types.ts';

// The last collection date seen, so 100,000 rows checked with one `today` convert it once.
let lastToday = { time: Number.NaN, day: '' };

function collectionDay(today: Date): string {
  const time = today.getTime();
  if (time !== lastToday.time) lastToday = { time, day: chinaDay(today) };
  return lastToday.day;
}

const noValues: StaffValues = recordOf(fieldKeys, () => null);

/**
 * Checks one record against rules 1-11 and 13 of the standard for a school type and collection date, and
 * returns its canonical values (see StaffValues) with every finding, in field order and then by rule.
 * Fields absent from the school type's template are ignored and stay null. Rule 12 (duplicate ID numbers
 * in a file, a school, the province) needs other records: callers add it with `duplicateFinding`.
 */
export function checkRecord(raw: RawRecord, options: CheckOptions): { values: StaffValues; findings: Finding[] } {
  const today = collectionDay(options.today);
  const check: RecordCheck = { values: { ...noValues }, valid: {}, findings: [], today, todayMonth: today.slice(0, 7) };
  let idFacts: IdFacts | null = null;
  for (const plan of fieldPlans[options.schoolType]) {
    if (plan.field.key === 'idNumber') {
      // 身份证件类型 comes before 身份证件号 in the standard's order, so its value is known here.
      idFacts = readIdNumber(raw.idNumber, check.valid.idType ? check.values.idType : null, check);
    } else {
      readField(plan, raw[plan.field.key], check);
    }
  }
  crossFieldRules(check, options.schoolType, idFacts);
  return { values: check.values, findings: check.findings };
}

const duplicateCodes = { file: 'duplicate_in_file', school: 'duplicate_in_school', province: 'duplicate_in_province' } as const;

/**
 * Rule 12's finding on 身份证件号: the number repeats an earlier row of the file (`firstRowOrPlace` = its row
 * number, e.g. `3`), a record of the same school, or a record at another school of the province (a
 * conflict to resolve with that school, named in `firstRowOrPlace`).
 */
export function duplicateFinding(kind: 'file' | 'school' | 'province', firstRowOrPlace: string): Finding {
  return finding('idNumber', duplicateCodes[kind], duplicateText(kind, firstRowOrPlace));
}
