import {
  checkRecord,
  codeTableFor,
  codeTables,
  fieldByKey,
  fieldsFor,
  hunanHistoricalCodes,
  provincePrefixes,
  type CodeTable,
  type FieldDef,
  type FieldKey,
  type Finding,
  type SchoolType,
  type StaffValues,
} from '../../standard/index.ts';

/**
 * The staff form's logic, all derived from the record standard (src/standard): which fields show, which
 * are required now, the live findings (the same rules the server runs) and what a save sends.
 */

/** The form's values: a canonical string per field, or empty. */
export type FormValues = Partial<Record<FieldKey, string | null>>;

/** The code table behind a code, codes or yes/no field for a school type. */
export function tableOf(field: FieldDef, schoolType: SchoolType): CodeTable | undefined {
  return field.type === 'yesNo' ? codeTables['yes-no'] : codeTableFor(field.key, schoolType);
}

const filled = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';

/** The record as checkRecord takes it: only the school type's fields, blanks as null. */
function rawOf(values: FormValues, schoolType: SchoolType): FormValues {
  const raw: FormValues = {};
  for (const field of fieldsFor(schoolType)) raw[field.key] = filled(values[field.key]) ? values[field.key] : null;
  return raw;
}

/**
 * The fields the standard's rules say must be empty for these values (民族 unless 国籍/地区 is 中国,
 * 用人形式 unless 是否在编 is 否, the grassroots dates unless 是否参加基层服务项目 is not 否): found by checking
 * the record with every blank field filled, and keeping the fields that then get `must_be_empty`. A field
 * whose condition is still blank stays shown.
 */
export function hiddenFields(values: FormValues, schoolType: SchoolType, today: Date): Set<FieldKey> {
  const probe = rawOf(values, schoolType);
  for (const field of fieldsFor(schoolType)) if (probe[field.key] === null) probe[field.key] = '?';
  const { findings } = checkRecord(probe, { schoolType, today });
  return new Set(findings.flatMap((finding) => (finding.code === 'must_be_empty' && finding.field ? [finding.field] : [])));
}

/** The values a save sends: hidden fields emptied, blanks as null. */
export function shownValues(values: FormValues, hidden: Set<FieldKey>, schoolType: SchoolType): FormValues {
  const raw = rawOf(values, schoolType);
  for (const key of hidden) raw[key] = null;
  return raw;
}

/** Required now: `required` for the school type, or a conditional field whose condition holds. */
export function requiredFields(values: FormValues, hidden: Set<FieldKey>, schoolType: SchoolType, today: Date): Set<FieldKey> {
  const fields = fieldsFor(schoolType);
  const required = new Set(fields.filter((field) => field.presence[schoolType] === 'required').map((field) => field.key));
  const conditional = fields.filter((field) => field.presence[schoolType] === 'conditional' && !hidden.has(field.key));
  if (conditional.length === 0) return required;
  const probe = shownValues(values, hidden, schoolType);
  for (const field of conditional) probe[field.key] = null;
  for (const finding of checkRecord(probe, { schoolType, today }).findings) {
    if (finding.code === 'required' && finding.field && conditional.some((field) => field.key === finding.field)) required.add(finding.field);
  }
  return required;
}

export type FormState = {
  hidden: Set<FieldKey>;
  required: Set<FieldKey>;
  /** Canonical values of the shown fields, as the server would store them. */
  values: StaffValues;
  findings: Finding[];
};

/** Everything the form shows for the current values: one run of the standard's rules and two probes. */
export function formState(values: FormValues, schoolType: SchoolType, today: Date): FormState {
  const hidden = hiddenFields(values, schoolType, today);
  const checked = checkRecord(shownValues(values, hidden, schoolType), { schoolType, today });
  return { hidden, required: requiredFields(values, hidden, schoolType, today), values: checked.values, findings: checked.findings };
}

/** The fields whose canonical value differs from the stored record (what a PATCH sends). */
export function changedValues(before: StaffValues, after: StaffValues, schoolType: SchoolType): FormValues {
  const changes: FormValues = {};
  for (const field of fieldsFor(schoolType)) {
    if ((before[field.key] ?? null) !== (after[field.key] ?? null)) changes[field.key] = after[field.key];
  }
  return changes;
}

/** Findings grouped by field; findings of the whole record under `null`. */
export function findingsByField(findings: readonly Finding[]): Map<FieldKey | null, Finding[]> {
  const grouped = new Map<FieldKey | null, Finding[]>();
  for (const finding of findings) {
    const key = finding.field && finding.field in fieldByKey ? finding.field : null;
    grouped.set(key, [...(grouped.get(key) ?? []), finding]);
  }
  return grouped;
}

/** '01,03' ⇄ ['01', '03']; a list is written back in the table's order, as the standard stores it. */
export function codesOf(value: string | null | undefined): string[] {
  return filled(value) ? value.split(',').filter(Boolean) : [];
}

export function joinCodes(codes: readonly string[], table: CodeTable | undefined): string | null {
  if (codes.length === 0) return null;
  const order = new Map(table?.entries.map((entry, index) => [entry.code, index]) ?? []);
  return [...codes].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity)).join(',');
}

/** A division code with its name: the latest Hunan name, or the province of another province's code. */
function divisionWords(code: string): string {
  const names = hunanHistoricalCodes.get(code);
  const name = names ? names[names.length - 1] : provincePrefixes.get(code.slice(0, 2));
  return name ? `${code} ${name}` : code;
}

/** A value in plain words: the label of a code (several joined by 、), a division with its name, others as stored. */
export function plainValue(key: FieldKey, value: string | null | undefined, schoolType: SchoolType): string | null {
  if (!filled(value)) return null;
  const field = fieldByKey[key];
  if (field.type === 'division') return divisionWords(value);
  const table = tableOf(field, schoolType);
  if (!table) return value;
  const codes = field.type === 'codes' ? codesOf(value) : [value];
  return codes.map((code) => table.entries.find((entry) => entry.code === code)?.label ?? code).join('、');
}
