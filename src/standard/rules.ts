import { codeLabel, codeTables } from './code-tables.ts';
import type { RecordCheck } from './field-values.ts';
import { fieldByKey } from './fields.ts';
import { formatCell } from './format.ts';
import { recordOf } from './record-of.ts';
import type { IdFacts } from './id-field.ts';
import {
  ageOver65Text,
  birthDateMismatchText,
  dateOrderText,
  finding,
  mustBeEmptyText,
  requiredWhenText,
  sexMismatchText,
  workAgeText,
  workBefore18Text,
} from './messages.ts';
import { schoolTypes, type SchoolType } from './school-types.ts';
import type { FieldKey } from './types.ts';

/** A condition on another field, in words for messages: `国籍/地区为156-中国`. */
function condition(key: FieldKey, code: string, negated = false): { zh: string; en: string } {
  const field = fieldByKey[key];
  const table = codeTables[typeof field.codeTable === 'string' ? field.codeTable : ''];
  const entry = table?.lookup(code);
  const value = entry ? codeLabel(entry) : code;
  return {
    zh: `${field.label}${negated ? '不是' : '为'}${value}`,
    en: `${field.labelEn} is ${negated ? 'not ' : ''}${value}`,
  };
}

// Built once: the conditions of rules 6, 7 and 10 in words.
const conditions = {
  china: condition('nationality', '156'),
  notChina: condition('nationality', '156', true),
  offPayroll: condition('onPayroll', '0'),
  onPayroll: condition('onPayroll', '1'),
  served: condition('grassroots', '0', true),
  notServed: condition('grassroots', '0'),
};

/** Per school type, the year-months that may not precede 参加工作年月 (rule 9). */
const notBeforeWorkStart: Record<SchoolType, FieldKey[]> = recordOf(schoolTypes, (schoolType) =>
  (['schoolJoin', 'specialEdStart'] as const).filter((key) => fieldByKey[key].presence[schoolType] !== 'absent'),
);

/** Rule 1 for a conditional field: filled when `when` holds, empty otherwise. */
function filledExactlyWhen(
  check: RecordCheck,
  schoolType: SchoolType,
  key: FieldKey,
  when: boolean,
  reason: { zh: string; en: string },
  otherwise: { zh: string; en: string },
) {
  const value = check.values[key];
  if (when && value === null) check.findings.push(finding(key, 'required', requiredWhenText(key, reason.zh, reason.en)));
  if (!when && value !== null) {
    const shown = check.valid[key] ? formatCell(key, value, schoolType) : value;
    check.findings.push(finding(key, 'must_be_empty', mustBeEmptyText(key, shown, otherwise.zh, otherwise.en)));
  }
}

/** `YYYY-MM` of the month a person born on `birthDate` turns `age`. */
function monthOfAge(birthDate: string, age: number): string {
  return `${Number(birthDate.slice(0, 4)) + age}${birthDate.slice(4, 7)}`;
}

/** Completed years of age (周岁) on `day`. */
function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Rule 5: the birth date and sex agree with a valid 居民身份证 number. */
function agreesWithId(check: RecordCheck, id: IdFacts): void {
  const { values, valid } = check;
  if (valid.birthDate && values.birthDate !== id.birthDate) {
    check.findings.push(finding('birthDate', 'birthdate_mismatch', birthDateMismatchText(id.birthDate, values.birthDate ?? '')));
  }
  if (valid.sex && values.sex !== id.sex) {
    const sexes = codeTables.gender;
    const expected = sexes.lookup(id.sex);
    const given = sexes.lookup(values.sex ?? '');
    const digit = values.idNumber?.charAt(16) ?? '';
    if (expected && given) check.findings.push(finding('sex', 'sex_mismatch', sexMismatchText(digit, expected, given)));
  }
}

/** Rules 9 and 13: work started at 16 or later (a warning before 18); the person's age on the collection date. */
function agesAndOrder(check: RecordCheck, schoolType: SchoolType): void {
  const { values, valid } = check;
  const birthDate = valid.birthDate ? values.birthDate : null;
  const workStart = valid.workStart ? values.workStart : null;
  if (birthDate && workStart) {
    const at16 = monthOfAge(birthDate, 16);
    if (workStart < at16) check.findings.push(finding('workStart', 'work_age', workAgeText(workStart, birthDate, at16)));
    else if (workStart < monthOfAge(birthDate, 18)) {
      check.findings.push(finding('workStart', 'work_before_18', workBefore18Text(workStart, birthDate), 'warning'));
    }
  }
  if (workStart) {
    for (const key of notBeforeWorkStart[schoolType]) {
      const value = valid[key] ? values[key] : null;
      if (value && value < workStart) check.findings.push(finding(key, 'date_order', dateOrderText(key, value, 'workStart', workStart)));
    }
  }
  if (birthDate) {
    const age = ageOn(birthDate, check.today);
    if (age > 65) check.findings.push(finding('birthDate', 'age_over_65', ageOver65Text(age, birthDate, check.today), 'warning'));
  }
}

/** Rule 10: grassroots service dates follow 是否参加基层服务项目. */
function grassrootsDates(check: RecordCheck, schoolType: SchoolType): void {
  const { values, valid } = check;
  if (fieldByKey.grassroots.presence[schoolType] === 'absent' || !valid.grassroots) return;
  const served = values.grassroots !== '0';
  filledExactlyWhen(check, schoolType, 'grassrootsStart', served, conditions.served, conditions.notServed);
  if (!served) filledExactlyWhen(check, schoolType, 'grassrootsEnd', false, conditions.served, conditions.notServed);
  const start = valid.grassrootsStart ? values.grassrootsStart : null;
  const end = valid.grassrootsEnd ? values.grassrootsEnd : null;
  if (served && start && end && end < start) {
    check.findings.push(finding('grassrootsEnd', 'date_order', dateOrderText('grassrootsEnd', end, 'grassrootsStart', start)));
  }
}

/**
 * The rules across fields of one record: 5 (birth date and sex against the ID), 6 (民族 with 国籍/地区),
 * 7 (用人形式 with 是否在编), 9 (work age and date order), 10 (grassroots dates) and 13 (warnings). A rule
 * is skipped while a field it depends on is empty or invalid: that field already has its own finding.
 */
export function crossFieldRules(check: RecordCheck, schoolType: SchoolType, id: IdFacts | null): void {
  const { values, valid } = check;
  if (id) agreesWithId(check, id);
  if (valid.nationality) {
    const china = values.nationality === '156';
    filledExactlyWhen(check, schoolType, 'ethnicity', china, conditions.china, conditions.notChina);
  }
  if (valid.onPayroll) {
    const off = values.onPayroll === '0';
    filledExactlyWhen(check, schoolType, 'employmentForm', off, conditions.offPayroll, conditions.onPayroll);
  }
  agesAndOrder(check, schoolType);
  grassrootsDates(check, schoolType);
}
