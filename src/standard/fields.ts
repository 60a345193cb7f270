import fieldsData from './data/fields.json' with { type: 'json' };
import { schoolTypes, type SchoolType } from './school-types.ts';
import { recordOf } from './record-of.ts';
import { fieldKeys, type FieldKey, type FieldType, type Presence } from './types.ts';

/**
 * One field of the staff record (教职工基础信息), as the standard's fields.json gives it: the template header
 * (`label`), its type and code table, whether each school type's template has it, and the 指标解释.
 */
export type FieldDef = {
  key: FieldKey;
  label: string;
  labelEn: string;
  type: FieldType;
  /** The code table's id, or one per school type (教职工来源 differs for 高等学校). */
  codeTable?: string | Record<SchoolType, string>;
  presence: Record<SchoolType, Presence>;
  maxLength?: number;
  /** The standard's rule where presence is conditional or dates are ordered (English, from fields.json). */
  rule?: string;
  /** 指标解释 shown to users. */
  explain: string;
};

type RawField = {
  key: string;
  label: string;
  labelEn: string;
  type: string;
  codeTable?: string | Record<string, string>;
  presence: Record<string, string>;
  maxLength?: number;
  rule?: string;
  explain: string;
};

const fieldTypes: ReadonlySet<string> = new Set<FieldType>(['text', 'code', 'codes', 'date', 'yearMonth', 'yesNo', 'division']);
const presences: ReadonlySet<string> = new Set<Presence>(['required', 'optional', 'conditional', 'absent']);

function isFieldType(value: string): value is FieldType {
  return fieldTypes.has(value);
}

function isPresence(value: string): value is Presence {
  return presences.has(value);
}

/** Turns one entry of fields.json into a FieldDef, refusing at load time anything the contract does not know. */
function toFieldDef(raw: RawField, expectedKey: FieldKey): FieldDef {
  if (raw.key !== expectedKey) throw new Error(`fields.json: expected field ${expectedKey}, found ${raw.key}`);
  if (!isFieldType(raw.type)) throw new Error(`fields.json: ${raw.key} has unknown type ${raw.type}`);
  const presence = recordOf(schoolTypes, (schoolType) => {
    const value = raw.presence[schoolType];
    if (!isPresence(value)) throw new Error(`fields.json: ${raw.key} has no valid presence for ${schoolType}`);
    return value;
  });
  let codeTable: FieldDef['codeTable'];
  const rawTable = raw.codeTable;
  if (typeof rawTable === 'string') codeTable = rawTable;
  else if (rawTable) codeTable = recordOf(schoolTypes, (schoolType) => rawTable[schoolType]);
  return {
    key: expectedKey,
    label: raw.label,
    labelEn: raw.labelEn,
    type: raw.type,
    ...(codeTable ? { codeTable } : {}),
    presence,
    ...(raw.maxLength !== undefined ? { maxLength: raw.maxLength } : {}),
    ...(raw.rule ? { rule: raw.rule } : {}),
    explain: raw.explain,
  };
}

const rawFields: RawField[] = fieldsData.fields;
if (rawFields.length !== fieldKeys.length) {
  throw new Error(`fields.json has ${rawFields.length} fields; the contract has ${fieldKeys.length}`);
}

export const fieldByKey: Record<FieldKey, FieldDef> = recordOf(fieldKeys, (key, index) => toFieldDef(rawFields[index], key));

/** The 40 fields of the record standard, in the standard's order. */
export const fields: FieldDef[] = fieldKeys.map((key) => fieldByKey[key]);

const fieldsBySchoolType = recordOf(schoolTypes, (schoolType) => fields.filter((field) => field.presence[schoolType] !== 'absent'));

/** The fields of a school type's template (every field that is not `absent` for it), in order. */
export function fieldsFor(schoolType: SchoolType): FieldDef[] {
  return fieldsBySchoolType[schoolType];
}

/** Whether a field is required, optional, conditional or absent for a school type. */
export function presenceOf(key: FieldKey, schoolType: SchoolType): Presence {
  return fieldByKey[key].presence[schoolType];
}

/** The code table id a field uses for a school type, if it has one. */
export function codeTableIdOf(key: FieldKey, schoolType: SchoolType): string | undefined {
  const codeTable = fieldByKey[key].codeTable;
  if (codeTable === undefined) return undefined;
  return typeof codeTable === 'string' ? codeTable : codeTable[schoolType];
}
