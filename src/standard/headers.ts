import { fields } from './fields.ts';
import type { FieldKey } from './types.ts';

// Required-column markers (★ ☆ * ※), spaces, quotes, brackets, slashes and similar separators: a header
// matches whatever of these a school added, dropped or typed full-width.
const ignoredInHeader = /[\s★☆*※"'“”‘’「」『』()[\]{}<>《》〈〉【】/\\|、,.:;_-]/g;
const parenthetical = /\([^)]*\)/g;
const requiredWords = /必填|选填/g;

/** The key a header cell is matched by: NFKC, lower case, markers, separators and 必填/选填 removed. */
export function headerKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(ignoredInHeader, '').replace(requiredWords, '');
}

/**
 * Header spellings seen in schools' own files that name one field beyond doubt (国籍/地区 is often headed
 * 国籍; 身份证件号 is often 身份证号).
 */
const headerSynonyms: [string, FieldKey][] = [
  ['国籍', 'nationality'],
  ['身份证号', 'idNumber'],
  ['身份证号码', 'idNumber'],
  ['身份证件号码', 'idNumber'],
];

function buildIndex(): Map<string, FieldKey> {
  const index = new Map<string, FieldKey>();
  const add = (text: string, key: FieldKey) => {
    const normalized = headerKey(text);
    const existing = index.get(normalized);
    if (existing && existing !== key) throw new Error(`header "${text}" would name both ${existing} and ${key}`);
    if (normalized !== '') index.set(normalized, key);
  };
  for (const field of fields) {
    add(field.label, field.key);
    add(field.labelEn, field.key);
    // `On the establishment (在编)` is also matched without its bracketed gloss.
    add(field.labelEn.normalize('NFKC').replace(parenthetical, ''), field.key);
    add(field.key, field.key);
  }
  for (const [text, key] of headerSynonyms) add(text, key);
  return index;
}

/** Every header spelling the template conventions accept, by headerKey, naming its field. */
export const fieldsLabelIndex: ReadonlyMap<string, FieldKey> = buildIndex();

/**
 * The field a header cell names: its Chinese label (`★姓名`, `* 姓名`, `出生 日期`, `国籍(地区)`, `国籍／地区`),
 * its English label in any case (`date of birth`), or its key (`birthDate`); undefined for other text.
 */
export function matchHeader(text: string): FieldKey | undefined {
  return fieldsLabelIndex.get(headerKey(text));
}
