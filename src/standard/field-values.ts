import { codeTableFor, codeTables, resolveCode, type CodeTable } from './code-tables.ts';
import { parseDate, parseYearMonth } from './dates.ts';
import { fields, type FieldDef } from './fields.ts';
import { recordOf } from './record-of.ts';
import {
  birthPlaceText,
  exclusiveText,
  finding,
  futureText,
  invalidCodeText,
  invalidDateText,
  nameSpacesText,
  requiredText,
  tooLongText,
} from './messages.ts';
import { cellText, characterCount } from './normalize.ts';
import { parseBirthPlace } from './regions.ts';
import { schoolTypes, type SchoolType } from './school-types.ts';
import type { FieldKey, Finding, RawCell, StaffValues } from './types.ts';

/** The state of one record while it is checked: canonical values, which of them parsed, and the findings. */
export type RecordCheck = {
  values: StaffValues;
  /** Fields whose value parsed into canonical form (and, for dates, is not in the future). */
  valid: Partial<Record<FieldKey, true>>;
  findings: Finding[];
  /** The collection date in China, YYYY-MM-DD, and its year-month. */
  today: string;
  todayMonth: string;
};

/** How one field of one school type's template is read; built once at module load. */
export type FieldPlan = {
  field: FieldDef;
  table: CodeTable | undefined;
  /** A code's position in its table, so several codes are stored in table order. */
  order: Map<string, number> | undefined;
  required: boolean;
};

/** Codes that stand alone in a multi-value cell (rule 8: 12 无党派民主人士 and 13 群众 of 政治面貌). */
const exclusiveCodes: Partial<Record<FieldKey, ReadonlySet<string>>> = { political: new Set(['12', '13']) };
/** Fields holding a person's name: a Chinese one has no spaces inside (rule 11). */
const nameFields: ReadonlySet<FieldKey> = new Set(['name', 'formerName']);

const valueSeparators = /[,;、]/; // after NFKC: , ， ; ； 、
const chineseCharacter = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3134F}]/u;
const innerSpace = /\s/;

function planFor(field: FieldDef, schoolType: SchoolType): FieldPlan {
  const table = field.type === 'yesNo' ? codeTables['yes-no'] : codeTableFor(field.key, schoolType);
  return {
    field,
    table,
    order: table ? new Map(table.entries.map((entry, index) => [entry.code, index])) : undefined,
    required: field.presence[schoolType] === 'required',
  };
}

/** Per school type, the plans of the fields its template has (idNumber is read apart: it needs idType). */
export const fieldPlans: Record<SchoolType, FieldPlan[]> = recordOf(schoolTypes, (schoolType) =>
  fields.filter((field) => field.presence[schoolType] !== 'absent').map((field) => planFor(field, schoolType)),
);

function readCode(plan: FieldPlan, table: CodeTable, text: string, check: RecordCheck): void {
  const key = plan.field.key;
  const resolution = resolveCode(table, text);
  if (resolution.kind === 'found') {
    check.values[key] = resolution.entry.code;
    check.valid[key] = true;
  } else {
    check.values[key] = text;
    check.findings.push(finding(key, 'invalid_code', invalidCodeText(key, table, text, resolution)));
  }
}

function readCodes(plan: FieldPlan, table: CodeTable, text: string, check: RecordCheck): void {
  const key = plan.field.key;
  const codes: string[] = [];
  let allFound = true;
  for (const rawPart of text.split(valueSeparators)) {
    const part = rawPart.trim();
    if (part === '') continue;
    const resolution = resolveCode(table, part);
    if (resolution.kind === 'found') {
      if (!codes.includes(resolution.entry.code)) codes.push(resolution.entry.code);
    } else {
      allFound = false;
      check.findings.push(finding(key, 'invalid_code', invalidCodeText(key, table, part, resolution)));
    }
  }
  if (!allFound || codes.length === 0) {
    check.values[key] = text;
    return;
  }
  const order = plan.order;
  if (order) codes.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  check.values[key] = codes.join(',');
  check.valid[key] = true;
  const exclusive = exclusiveCodes[key];
  if (exclusive && codes.length > 1) {
    for (const code of codes) {
      const entry = exclusive.has(code) ? table.lookup(code) : undefined;
      if (entry) check.findings.push(finding(key, 'exclusive_choice', exclusiveText(key, entry)));
    }
  }
}

function readDate(plan: FieldPlan, cell: RawCell, check: RecordCheck): void {
  const key = plan.field.key;
  const kind = plan.field.type === 'date' ? 'date' : 'yearMonth';
  const result = kind === 'date' ? parseDate(cell) : parseYearMonth(cell);
  if (result.ok) {
    check.values[key] = result.value;
    if (result.value > (kind === 'date' ? check.today : check.todayMonth)) {
      check.findings.push(finding(key, 'date_in_future', futureText(key, result.value, check.today)));
    } else {
      check.valid[key] = true;
    }
  } else if (result.problem !== 'empty') {
    check.values[key] = result.text;
    check.findings.push(finding(key, 'invalid_date', invalidDateText(key, kind, result.problem, result.text)));
  }
}

function readText(plan: FieldPlan, text: string, check: RecordCheck): void {
  const key = plan.field.key;
  check.values[key] = text;
  const maxLength = plan.field.maxLength;
  if (maxLength !== undefined && text.length > maxLength) {
    const length = characterCount(text);
    if (length > maxLength) check.findings.push(finding(key, 'too_long', tooLongText(key, maxLength, length)));
  }
  if (nameFields.has(key) && innerSpace.test(text) && chineseCharacter.test(text)) {
    check.findings.push(finding(key, 'invalid_format', nameSpacesText(key, text)));
    return;
  }
  check.valid[key] = true;
}

function readBirthPlace(plan: FieldPlan, text: string, check: RecordCheck): void {
  const key = plan.field.key;
  const place = parseBirthPlace(text);
  if (place.ok) {
    check.values[key] = place.code;
    check.valid[key] = true;
  } else {
    check.values[key] = text;
    check.findings.push(finding(key, 'invalid_code', birthPlaceText(place.problem, text)));
  }
}

/**
 * Reads one field's cell into its canonical value (rules 2, 3 and 11 of the standard, and rule 1 for
 * fields that are always required), recording what is wrong with it.
 */
export function readField(plan: FieldPlan, cell: RawCell, check: RecordCheck): void {
  const field = plan.field;
  if (field.type === 'date' || field.type === 'yearMonth') readDate(plan, cell, check);
  else if (field.type === 'yesNo' && typeof cell === 'boolean') {
    check.values[field.key] = cell ? '1' : '0';
    check.valid[field.key] = true;
  } else {
    const text = cellText(cell);
    if (text !== null) {
      if (plan.table && field.type === 'codes') readCodes(plan, plan.table, text, check);
      else if (plan.table) readCode(plan, plan.table, text, check);
      else if (field.type === 'division') readBirthPlace(plan, text, check);
      else readText(plan, text, check);
    }
  }
  if (plan.required && check.values[field.key] === null) {
    check.findings.push(finding(field.key, 'required', requiredText(field.key)));
  }
}
