import type { SchoolType } from './school-types.ts';

/**
 * The contract of the record standard module (src/standard). Everything that handles a staff record — the
 * checker command, the importer, the API, the web form, templates and exports — uses these types and the
 * functions exported from `src/standard/index.ts`; nothing else lists fields.
 */

/** The 40 stable field keys of the record standard (fields.json), in the standard's order. */
export const fieldKeys = [
  'name', 'formerName', 'sex', 'staffNo', 'nationality', 'idType', 'idNumber', 'birthDate', 'nativePlace',
  'birthPlace', 'ethnicity', 'political', 'marital', 'health', 'workStart', 'specialEdStart', 'schoolJoin',
  'staffSource', 'staffCategory', 'onPayroll', 'employmentForm', 'contract', 'highestEducation', 'highestDegree',
  'professionalTitle', 'normalGrad', 'specialEdGrad', 'specialEdTrained', 'specialEdCert', 'itAbility',
  'freeNormal', 'grassroots', 'grassrootsStart', 'grassrootsEnd', 'specialGrade', 'countyBackbone',
  'psychTeacher', 'dualTeacher', 'department', 'remark',
] as const;
export type FieldKey = (typeof fieldKeys)[number];

const fieldKeySet: ReadonlySet<string> = new Set(fieldKeys);

/** Whether a text (a form path, a JSON key) is one of the standard's field keys. */
export function isFieldKey(value: string): value is FieldKey {
  return fieldKeySet.has(value);
}

export type FieldType = 'text' | 'code' | 'codes' | 'date' | 'yearMonth' | 'yesNo' | 'division';
export type Presence = 'required' | 'optional' | 'conditional' | 'absent';

/**
 * A cell as a spreadsheet or form gives it: text, a number (Excel numeric cell, e.g. an ID that Excel turned
 * into 4.30102198001011e+17, or a date serial), a Date (Excel date cell), a boolean, or empty.
 */
export type RawCell = string | number | Date | boolean | null | undefined;
export type RawRecord = Partial<Record<FieldKey, RawCell>>;

/**
 * A record after normalisation, in canonical form: codes as their code (`1`), several codes joined by `,`
 * in table order (`01,03`), dates `YYYY-MM-DD`, year-months `YYYY-MM`, ID numbers upper-case (18 digits for
 * a 居民身份证, a 15-digit one upgraded), text NFKC-normalised and trimmed; empty is null. A value that could
 * not be understood keeps its normalised text (so the user sees what they typed) and has an error finding.
 */
export type StaffValues = Record<FieldKey, string | null>;

/** Stable codes of findings (the API, the checker's JSON and the web form use them). */
export type FindingCode =
  | 'required'
  | 'invalid_code'
  | 'invalid_date'
  | 'date_in_future'
  | 'id_format'
  | 'id_checksum'
  | 'id_birthdate'
  | 'id_region'
  | 'id_mangled' // Excel turned the ID into a number and lost digits (4.30102E+17) or it arrived as a numeric cell
  | 'birthdate_mismatch'
  | 'sex_mismatch'
  | 'must_be_empty'
  | 'exclusive_choice'
  | 'work_age'
  | 'date_order'
  | 'too_long'
  | 'invalid_format'
  | 'duplicate_in_file'
  | 'duplicate_in_school'
  | 'duplicate_in_province'
  | 'age_over_65' // warning
  | 'work_before_18' // warning
  | 'unknown_column' // warning, file level
  | 'missing_column'; // file level

export type Severity = 'error' | 'warning';

/**
 * One problem with one field of one record. `message` and `messageEn` name the field and say what to do,
 * without the row (callers that know the row prefix `第12行 ` / `Row 12 `), e.g.
 * `身份证件号：校验位应为X，实为3` / `ID number: the check character should be X, found 3`.
 */
export type Finding = {
  field: FieldKey | null;
  code: FindingCode;
  severity: Severity;
  message: string;
  messageEn: string;
};

export type CheckOptions = {
  schoolType: SchoolType;
  /** The collection date: dates after it are in the future; ages are counted on it. */
  today: Date;
};
