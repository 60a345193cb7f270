import { constants, crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { fieldsFor, formatCell, presenceOf } from '../../standard/index.ts';
import type { FieldKey } from '../../standard/types.ts';

/**
 * Hostile uploads built in memory, byte for byte the same on every run: zips are written by hand (deflate
 * from node:zlib) so a part can lie, escape the archive or unpack to far more than it weighs.
 */
export type ZipPart = {
  name: string;
  data: Buffer | string | Iterable<string>;
  store?: boolean;
  /** The unpacked size the headers claim instead of the real one: in both, or only in one of them. */
  declaredSize?: number;
  declaredIn?: 'local' | 'central';
  /** Sizes and CRC written after the data (a data descriptor) and left 0 in the local header, as streaming writers do. */
  descriptor?: boolean;
};

/**
 * Deflates a part piece by piece: each piece ends with a sync flush (no final bit) and one empty final block
 * closes the stream, so a part of hundreds of megabytes never exists in memory, only its compressed bytes.
 */
function deflatePieces(pieces: Iterable<string>) {
  const compressed: Buffer[] = [];
  let crc = 0;
  let size = 0;
  let last: { piece: string; bytes: Buffer; body: Buffer } | undefined;
  for (const piece of pieces) {
    // a piece repeated (the bomb's) is encoded and compressed once
    const same = last?.piece === piece ? last : undefined;
    const bytes = same ? same.bytes : Buffer.from(piece, 'utf8');
    const body = same ? same.body : deflateRawSync(bytes, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
    last = { piece, bytes, body };
    crc = crc32(bytes, crc);
    size += bytes.length;
    compressed.push(body);
  }
  compressed.push(deflateRawSync(Buffer.alloc(0)));
  return { body: Buffer.concat(compressed), crc, size };
}

/** A zip of `parts`; `offsetBase` places it that many bytes into a file (to be appended to other bytes). */
export function zipOf(parts: ZipPart[], options: { offsetBase?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const base = options.offsetBase ?? 0;
  let offset = 0;
  for (const part of parts) {
    const data = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : part.data;
    const packed = Buffer.isBuffer(data) ? { body: part.store ? data : deflateRawSync(data, { level: 9 }), crc: crc32(data), size: data.length } : deflatePieces(data);
    const body = packed.body;
    const crc = packed.crc;
    const name = Buffer.from(part.name, 'utf8');
    const method = part.store ? 0 : 8;
    const flags = 0x0800 | (part.descriptor ? 0x0008 : 0); // names in UTF-8
    const size = part.declaredSize ?? packed.size;
    const localSize = part.declaredIn === 'central' ? packed.size : size;
    const centralSize = part.declaredIn === 'local' ? packed.size : size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    if (!part.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(localSize, 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(part.descriptor ? 16 : 0);
    if (part.descriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(body.length, 8);
      descriptor.writeUInt32LE(localSize, 12);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(centralSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(base + offset, 42);
    locals.push(local, name, body, descriptor);
    centrals.push(central, name);
    offset += local.length + name.length + body.length + descriptor.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(base + offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const mainNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const pkgRelNs = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The parts every workbook has, with one sheet of the given kind. */
function workbookParts(sheet: { kind: 'worksheet' | 'chartsheet'; xml: string | Iterable<string> }, extra: ZipPart[] = []): ZipPart[] {
  const worksheet = sheet.kind === 'worksheet';
  const sheetPath = worksheet ? 'worksheets/sheet1.xml' : 'chartsheets/sheet1.xml';
  const sheetType = worksheet ? 'worksheet' : 'chartsheet';
  return [
    {
      name: '[Content_Types].xml',
      data: `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/${sheetPath}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.${sheetType}+xml"/></Types>`,
    },
    { name: '_rels/.rels', data: `${xmlHead}<Relationships xmlns="${pkgRelNs}"><Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `${xmlHead}<workbook xmlns="${mainNs}" xmlns:r="${relNs}"><sheets><sheet name="教职工" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: `${xmlHead}<Relationships xmlns="${pkgRelNs}"><Relationship Id="rId1" Type="${relNs}/${sheetType}" Target="${sheetPath}"/></Relationships>` },
    ...extra,
    { name: `xl/${sheetPath}`, data: sheet.xml },
  ];
}

const worksheetXml = (rows: string) => `${xmlHead}<worksheet xmlns="${mainNs}"><sheetData>${rows}</sheetData></worksheet>`;

/** A worksheet written in pieces: the opening, the rows as `rows` yields them (in pieces of ~1 MB), the closing. */
function* worksheetPieces(rows: Iterable<string>): Generator<string> {
  yield `${xmlHead}<worksheet xmlns="${mainNs}"><sheetData>`;
  let piece = '';
  for (const row of rows) {
    piece += row;
    if (piece.length >= 1024 * 1024) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
  yield '</sheetData></worksheet>';
}

function* repeat(text: string, times: number) {
  for (let index = 0; index < times; index++) yield text;
}
const inlineCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** Bytes that do not compress, the same on every run (a linear congruential generator). */
function noise(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

/** Letters that compress about as badly as text can (around 1.7 : 1). */
function noisyLetters(length: number): string {
  const bytes = noise(length, 11);
  for (let index = 0; index < length; index++) bytes[index] = 0x61 + (bytes[index] % 26);
  return bytes.toString('latin1');
}

const bombRow = '<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>';

/** One worksheet of `megabytes` MB of the same row: about a thousandth of that on disk. */
export function zipBomb(megabytes = 1024): Buffer {
  const rows = worksheetPieces(repeat(bombRow.repeat(Math.ceil((1024 * 1024) / bombRow.length)), megabytes));
  return zipOf(workbookParts({ kind: 'worksheet', xml: rows }));
}

/** A bomb whose zip headers claim each part unpacks to 100 bytes. */
export function lyingZipBomb(megabytes = 64): Buffer {
  const rows = worksheetPieces(repeat(bombRow.repeat(Math.ceil((1024 * 1024) / bombRow.length)), megabytes));
  return zipOf(workbookParts({ kind: 'worksheet', xml: rows }).map((part) => ({ ...part, declaredSize: 100 })));
}

/** One cell of `megabytes` MB of the same letter: ExcelJS's parser holds a cell's text whole. */
function cellBombParts(megabytes: number): ZipPart[] {
  function* sheet() {
    yield `${xmlHead}<worksheet xmlns="${mainNs}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`;
    yield* repeat('A'.repeat(1024 * 1024), megabytes);
    yield '</t></is></c></row></sheetData></worksheet>';
  }
  return workbookParts({ kind: 'worksheet', xml: sheet() });
}

/** A cell bomb of `megabytes` MB whose headers tell the truth (about a thousandth of that on disk). */
export function cellBomb(megabytes = 256): Buffer {
  return zipOf(cellBombParts(megabytes));
}

const isSheet = (part: ZipPart) => part.name.startsWith('xl/worksheets/');

/** A cell bomb whose headers say its worksheet unpacks to 100 bytes: in both headers, or in one of them. */
export function lyingCellBomb(megabytes = 256, declaredIn?: 'local' | 'central'): Buffer {
  return zipOf(cellBombParts(megabytes).map((part) => (isSheet(part) ? { ...part, declaredSize: 100, declaredIn } : part)));
}

/** A cell bomb written as streaming writers do (sizes in data descriptors), whose worksheet's sizes say 100 bytes. */
export function lyingDescriptorBomb(megabytes = 256): Buffer {
  return zipOf(cellBombParts(megabytes).map((part) => ({ ...part, descriptor: true, ...(isSheet(part) ? { declaredSize: 100 } : {}) })));
}

/**
 * A cell bomb that keeps within the ratio an archive may unpack to (200 : 1): incompressible bytes stored
 * beside it make the archive heavy enough. Only its XML gives it away.
 */
export function paddedCellBomb(megabytes = 200): Buffer {
  return zipOf([...cellBombParts(megabytes), { name: 'xl/media/image1.png', data: noise(megabytes * 5500), store: true }]);
}

/** `bytes` of junk after an archive: its end record is no longer in the last 64 KB. */
export function withTrailingJunk(archive: Buffer, bytes = 70 * 1024): Buffer {
  return Buffer.concat([archive, noise(bytes, 3)]);
}

/** A harmless workbook, and after it a whole second archive (a bomb) with its own directory and end record. */
export function bombBehindWorkbook(megabytes = 256): Buffer {
  const harmless = zipOf(workbookParts({ kind: 'worksheet', xml: worksheetXml('') }));
  return Buffer.concat([harmless, zipOf(cellBombParts(megabytes), { offsetBase: harmless.length })]);
}

/** A workbook whose worksheet appears twice: the second one is what a streaming reader would take last. */
export function duplicateWorksheet(): Buffer {
  const parts = workbookParts({ kind: 'worksheet', xml: worksheetXml('') });
  return zipOf([...parts, { name: 'xl/worksheets/sheet1.xml', data: worksheetXml(`<row r="1">${inlineCell('A1', 'x')}</row>`) }]);
}

/** "Billion laughs": ten levels of entities, each ten of the one below. */
export function entityExpansion(): Buffer {
  let entities = '<!ENTITY lol0 "lol">';
  for (let level = 1; level <= 10; level++) entities += `<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`;
  const xml = `${xmlHead}<!DOCTYPE worksheet [${entities}]><worksheet xmlns="${mainNs}"><sheetData><row r="1">${inlineCell('A1', '&lol10;')}</row></sheetData></worksheet>`;
  return zipOf(workbookParts({ kind: 'worksheet', xml }));
}

/** A shared-strings table of `count` distinct entries, with a sheet that uses the first one. */
export function manySharedStrings(count: number, options: { declareCount?: boolean } = {}): Buffer {
  const declared = options.declareCount === false ? '' : ` count="${count}" uniqueCount="${count}"`;
  function* strings() {
    yield `${xmlHead}<sst xmlns="${mainNs}"${declared}>`;
    for (let start = 0; start < count; start += 50_000) {
      let piece = '';
      for (let index = start; index < Math.min(count, start + 50_000); index++) piece += `<si><t>${index.toString(36)}</t></si>`;
      yield piece;
    }
    yield '</sst>';
  }
  const sheet = worksheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>');
  return zipOf(workbookParts({ kind: 'worksheet', xml: sheet }, [{ name: 'xl/sharedStrings.xml', data: strings() }]));
}

/** A header row the checker recognises, then `count` rows that hold nothing but a style. */
export function emptyStyledRows(count: number): Buffer {
  const header = fieldsFor('k12').map((field, index) => inlineCell(`${columnLetter(index)}1`, presenceOf(field.key, 'k12') === 'required' ? `★${field.label}` : field.label));
  function* rows() {
    yield `<row r="1">${header.join('')}</row>`;
    for (let row = 2; row <= count + 1; row++) yield `<row r="${row}" s="1" customFormat="1"/>`;
  }
  const styles = `${xmlHead}<styleSheet xmlns="${mainNs}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf fillId="0"/></cellXfs></styleSheet>`;
  return zipOf(workbookParts({ kind: 'worksheet', xml: worksheetPieces(rows()) }, [
    { name: 'xl/sharedStrings.xml', data: `${xmlHead}<sst xmlns="${mainNs}" count="0" uniqueCount="0"/>` },
    { name: 'xl/styles.xml', data: styles },
  ]));
}

/** A workbook whose only sheet is a chart. */
export function chartOnly(): Buffer {
  const xml = `${xmlHead}<chartsheet xmlns="${mainNs}" xmlns:r="${relNs}"><sheetViews><sheetView workbookViewId="0"/></sheetViews><drawing r:id="rId1"/></chartsheet>`;
  return zipOf(workbookParts({ kind: 'chartsheet', xml }));
}

/** An OLE compound file header followed by the directory entry names an encrypted .xlsx carries. */
export function encryptedWorkbook(): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([header, Buffer.alloc(504), Buffer.from('EncryptionInfo\0EncryptedPackage', 'utf16le'), Buffer.alloc(4096)]);
}

/** A legacy workbook (OLE compound file with a Workbook stream), named .xlsx. */
export function legacyXls(): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([header, Buffer.alloc(504), Buffer.from('Workbook\0SummaryInformation', 'utf16le'), Buffer.alloc(4096)]);
}

/** A workbook with a part that tries to leave the archive. */
export function pathTraversal(): Buffer {
  return zipOf(workbookParts({ kind: 'worksheet', xml: worksheetXml('') }, [{ name: '../../../tmp/rollcall-escape.txt', data: 'escaped' }]));
}

/** One cell of ten megabytes of letters. */
export function hugeCell(): Buffer {
  const header = fieldsFor('k12').map((field, index) => inlineCell(`${columnLetter(index)}1`, field.label));
  const xml = worksheetXml(`<row r="1">${header.join('')}</row><row r="2">${inlineCell('A2', noisyLetters(10 * 1024 * 1024))}</row>`);
  return zipOf(workbookParts({ kind: 'worksheet', xml }));
}

/**
 * A staff workbook whose first person's name is a HYPERLINK formula (cached result: the name) and whose second
 * person's name is text that Excel would run as a formula.
 */
export async function formulaWorkbook(people: Array<Partial<Record<FieldKey, string>>>): Promise<Buffer> {
  const columns = fieldsFor('k12');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('教职工');
  sheet.addRow(columns.map((field) => (presenceOf(field.key, 'k12') === 'required' ? `★${field.label}` : field.label)));
  for (const person of people) sheet.addRow(columns.map((field) => formatCell(field.key, person[field.key] ?? null, 'k12')));
  const nameColumn = columns.findIndex((field) => field.key === 'name') + 1;
  sheet.getRow(2).getCell(nameColumn).value = { formula: `HYPERLINK("http://example.com/steal","${people[0].name}")`, result: people[0].name! };
  sheet.getRow(3).getCell(nameColumn).value = '=HYPERLINK("http://example.com/steal","点击")';
  return Buffer.from(await book.xlsx.writeBuffer());
}

function columnLetter(index: number): string {
  let letters = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
