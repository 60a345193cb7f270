import { codeTableSources, type CodeTableSource, type ParentRule, type RawCode } from './code-table-data.ts';
import { codeTableIdOf } from './fields.ts';
import { normalizeText } from './normalize.ts';
import type { SchoolType } from './school-types.ts';
import type { FieldKey } from './types.ts';

/** One value of a code table. `aliases` are the other names a cell may use for it (gbLabel, short, …). */
export type CodeEntry = {
  code: string;
  label: string;
  aliases: string[];
  /** The code this one belongs to in a tree (21 初婚 → 20 已婚), or null. */
  parent: string | null;
  /** A heading of other codes (10 研究生教育); still a valid value (README: parent codes are valid values). */
  isCategory: boolean;
};

export type CodeTable = {
  id: string;
  title: string;
  standard?: string;
  source: string;
  /** false or 'partial': not every code was seen in a source; labels are accepted as well as codes. */
  verified: boolean | 'partial';
  entries: CodeEntry[];
  /**
   * The entry a cell means, after NFKC and trim: `code-label` (`1-男`, `1－男`, `1 男`, `01-中共党员`), the
   * code (`1`), the label (`男`) or another name the table gives (`男性`, `中共党员`). Codes are not padded:
   * `1` is not 政治面貌 `01`.
   */
  lookup(text: string): CodeEntry | undefined;
  isTree: boolean;
};

/** What a cell's text resolved to in a table, with what a message needs when it did not. */
export type CodeResolution =
  | { kind: 'found'; entry: CodeEntry }
  | { kind: 'mismatch'; byCode: CodeEntry; byLabel: CodeEntry | undefined }
  | { kind: 'unknown'; padded: CodeEntry | undefined };

type IndexedTable = CodeTable & { index: Map<string, CodeEntry>; byCode: Map<string, CodeEntry>; examples: CodeEntry[] };

// `code` separator `label`: hyphens and dashes of every width, underscore, colon, dot or spaces.
const codeAndLabel = /^([0-9A-Za-z]{1,6})\s*(?:[-‐‑‒–—―−_:.]|\s)\s*(.+)$/;
const shortNumber = /^\d{1,3}$/;

function namesOf(raw: RawCode): string[] {
  const names = [raw.gbLabel, raw.short, ...(raw.aliases ?? []), raw.alpha2, raw.alpha3, raw.roman];
  const unique: string[] = [];
  for (const name of names) {
    if (name && name !== raw.label && !unique.includes(name)) unique.push(name);
  }
  return unique;
}

function parentOf(code: string, rule: ParentRule, raw: RawCode, codes: Set<string>): string | null {
  if (rule === 'explicit') return raw.parent ?? null;
  if (rule === 'firstDigit') return code.length === 3 && codes.has(code[0]) ? code[0] : null;
  if (rule === 'tens') {
    if (code.length === 3 && codes.has(code.slice(0, 2))) return code.slice(0, 2);
    if (code.length === 2 && code[1] !== '0' && codes.has(`${code[0]}0`)) return `${code[0]}0`;
  }
  return null;
}

/** Map key of a name: NFKC, trimmed, Latin letters upper-cased (id-document-type `a`, country `cn`). */
function indexKey(text: string): string {
  return normalizeText(text).toUpperCase();
}

function buildTable(source: CodeTableSource): IndexedTable {
  const raws = source.data.codes;
  const codes = new Set(raws.map((raw) => raw.code));
  const entries: CodeEntry[] = raws.map((raw) => ({
    code: raw.code,
    label: raw.label,
    aliases: namesOf(raw),
    parent: parentOf(raw.code, source.parentRule, raw, codes),
    isCategory: false,
  }));
  for (const entry of entries) {
    const raw = raws.find((candidate) => candidate.code === entry.code);
    entry.isCategory = raw?.isCategory ?? entries.some((child) => child.parent === entry.code);
  }
  const byCode = new Map(entries.map((entry) => [entry.code, entry]));
  const index = new Map<string, CodeEntry>();
  const add = (key: string, entry: CodeEntry) => {
    const normalized = indexKey(key);
    if (!index.has(normalized)) index.set(normalized, entry); // codes first, so a code always wins
  };
  for (const entry of entries) add(entry.code, entry);
  for (const entry of entries) add(entry.label, entry);
  for (const entry of entries) for (const alias of entry.aliases) add(alias, entry);
  for (const entry of entries) {
    for (const name of [entry.label, ...entry.aliases]) add(`${entry.code}-${name}`, entry);
  }
  const verified = source.data.verified;
  const examples = (source.examples ?? []).map((code) => byCode.get(code)).filter((entry) => entry !== undefined);
  const table: IndexedTable = {
    id: source.id,
    title: source.title,
    ...(source.data.standard ? { standard: source.data.standard } : {}),
    source: source.data.source ?? source.data.note ?? source.data.standard ?? '',
    verified: verified === undefined ? true : verified === 'partial' ? 'partial' : verified === true,
    entries,
    isTree: entries.some((entry) => entry.parent !== null),
    index,
    byCode,
    examples: examples.length > 0 ? examples : entries.slice(0, 3),
    lookup: (text: string) => {
      const resolution = resolveKey(table, indexKey(text));
      return resolution.kind === 'found' ? resolution.entry : undefined;
    },
  };
  return table;
}

/** Resolves an already normalised, upper-cased cell text. */
function resolveKey(table: IndexedTable, key: string): CodeResolution {
  const direct = table.index.get(key);
  if (direct) return { kind: 'found', entry: direct };
  const parts = codeAndLabel.exec(key);
  if (parts) {
    const byCode = table.byCode.get(parts[1]);
    const byLabel = table.index.get(parts[2]);
    if (byCode && byLabel === byCode) return { kind: 'found', entry: byCode };
    if (byCode && byLabel !== undefined) return { kind: 'mismatch', byCode, byLabel };
  }
  // A code whose leading zeros Excel dropped (1 for 01): not accepted, but named in the message.
  let padded: CodeEntry | undefined;
  if (shortNumber.test(key)) {
    for (const entry of table.entries) {
      if (entry.code.length > key.length && entry.code === key.padStart(entry.code.length, '0')) padded = entry;
    }
  }
  return { kind: 'unknown', padded };
}

const indexedTables: Record<string, IndexedTable> = Object.fromEntries(
  codeTableSources.map((source) => [source.id, buildTable(source)]),
);

/** Every code table of the standard by id (gender, country, political, yes-no, …). */
export const codeTables: Record<string, CodeTable> = indexedTables;

/** The code table a field uses for a school type (教职工来源 differs for 高等学校); undefined for other fields. */
export function codeTableFor(key: FieldKey, schoolType: SchoolType): CodeTable | undefined {
  const id = codeTableIdOf(key, schoolType);
  return id === undefined ? undefined : indexedTables[id];
}

/** Resolves normalised cell text in a table, saying why it failed when it did (for the message). */
export function resolveCode(table: CodeTable, text: string): CodeResolution {
  const indexed = indexedTables[table.id];
  return resolveKey(indexed, text.toUpperCase());
}

/** A few valid values of a table for a message (`1-男、2-女`), and whether the list is the whole table. */
export function exampleEntries(table: CodeTable): { entries: CodeEntry[]; complete: boolean } {
  if (table.entries.length <= 5) return { entries: table.entries, complete: true };
  return { entries: indexedTables[table.id].examples, complete: false };
}

/** `code-label`, the form the national system writes and exports use. */
export function codeLabel(entry: CodeEntry): string {
  return `${entry.code}-${entry.label}`;
}
