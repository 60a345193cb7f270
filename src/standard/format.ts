import { codeLabel, codeTableFor, codeTables } from './code-tables.ts';
import { fieldByKey } from './fields.ts';
import type { SchoolType } from './school-types.ts';
import type { FieldKey } from './types.ts';

/**
 * A canonical value as a template or export cell: codes as `code-label` (several joined by `,`, e.g.
 * `01-中国共产党党员,03-中国共产主义青年团团员`), dates and year-months as stored, other text as is; empty
 * is ''. A value that is not a code of the table (kept as typed) is written unchanged.
 */
export function formatCell(key: FieldKey, value: string | null, schoolType: SchoolType): string {
  if (value === null) return '';
  const field = fieldByKey[key];
  const table = field.type === 'yesNo' ? codeTables['yes-no'] : codeTableFor(key, schoolType);
  if (!table) return value;
  const codes = field.type === 'codes' ? value.split(',') : [value];
  const labelled: string[] = [];
  for (const code of codes) {
    const entry = table.lookup(code);
    if (!entry || entry.code !== code) return value;
    labelled.push(codeLabel(entry));
  }
  return labelled.join(',');
}
