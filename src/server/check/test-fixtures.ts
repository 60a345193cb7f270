/**
 * Test helpers of the checker (imported by *.test.ts only): files built in code, never checked in.
 */
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import archiver from 'archiver';
import ExcelJS from 'exceljs';
import type { RawCell } from '../../standard/types.ts';
import { readZipDirectory } from '../excel/zip-inspect.ts';

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

/** The same .xlsx with the parts named in `first` stored ahead of the others, in that order, as other writers may. */
export async function withPartsFirst(xlsx: Buffer, first: string[]): Promise<Buffer> {
  const parts = readZipDirectory(xlsx, 'fixture.xlsx').map((part) => {
    const stored = xlsx.subarray(part.dataStart, part.dataStart + part.compressedSize);
    return { name: part.name, content: part.method === 8 ? inflateRawSync(stored) : stored };
  });
  const rank = (name: string) => (first.includes(name) ? first.indexOf(name) : first.length);
  const zip = archiver('zip');
  const chunks: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => zip.on('end', resolve).on('error', reject));
  for (const part of [...parts].sort((a, b) => rank(a.name) - rank(b.name))) zip.append(part.content, { name: part.name });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
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
