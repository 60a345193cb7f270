/**
 * Test helpers of the checker (imported by *.test.ts only): files built in code, never checked in.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RawCell } from '../../standard/types.ts';

let gbkTable: Map<string, number[]> | undefined;

/** Encodes text as GBK, through a reverse map built once by decoding every 2-byte GB18030 code (tests only). */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(Uint8Array.of(lead, trail));
        if (char.length === 1 && !gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = gbkTable.get(char);
    if (!pair) throw new Error(`no GBK code for ${char}`);
    bytes.push(...pair);
  }
  return Buffer.from(bytes);
}

/** A CSV text from rows of cells, quoting where needed; `lineEnd` CRLF as Excel writes it. */
export function csvText(rows: RawCell[][], lineEnd = '\r\n'): string {
  const quoted = (cell: RawCell) => {
    const text = cell === null || cell === undefined ? '' : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return rows.map((row) => row.map(quoted).join(',')).join(lineEnd) + lineEnd;
}

export type SheetSpec = { name: string; rows: Array<Array<ExcelJS.CellValue>>; textColumns?: number[] };

/** An .xlsx in memory, written with ExcelJS (`textColumns`: 1-based columns formatted as text, like the template). */
export async function xlsxBuffer(sheets: SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const worksheet = workbook.addWorksheet(spec.name);
    for (const column of spec.textColumns ?? []) worksheet.getColumn(column).numFmt = '@';
    for (const row of spec.rows) worksheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A stream of a buffer in small chunks, to exercise chunk boundaries. */
export function chunked(buffer: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) parts.push(buffer.subarray(offset, offset + size));
  return Readable.from(parts);
}

/** 居民身份证 number with a valid check character (computed here, GB 11643: weights 7 9 10 5 8 4 2 1 6 3 …). */
export function residentId(region: string, birth: string, sequence: number): string {
  const first17 = `${region}${birth}${String(sequence).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(first17[index]), 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The first odd (male) or even (female) sequence from `from` whose ID ends in X. */
export function residentIdEndingInX(region: string, birth: string, female: boolean): string {
  for (let sequence = female ? 0 : 1; sequence < 1000; sequence += 2) {
    const id = residentId(region, birth, sequence);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check character');
}

/** The collection date used by the tests (the 2013 census). */
export const censusDay = new Date('2013-09-01T00:00:00+08:00');
