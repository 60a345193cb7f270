import { PassThrough, type Writable } from 'node:stream';
import archiver from 'archiver';
import { columnLetter } from './cells.ts';

/**
 * A minimal .xlsx writer that truly streams: each worksheet is one zip entry written row by row with
 * back-pressure, so a million-row export holds only a few megabytes. (ExcelJS's streaming writer keeps a
 * worksheet's XML until the sheet is committed.) Cells are inline strings or numbers; row 1 can be bold and
 * frozen; columns have widths.
 */
export type SheetOptions = { widths?: number[]; frozenRows?: number };

// Characters XML 1.0 forbids (control characters other than tab and line breaks, lone surrogates).
// eslint-disable-next-line no-control-regex
const invalidXml = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeXml(text: string): string {
  return text.replace(invalidXml, '').replace(/[&<>"]/g, (c) => escapes[c]);
}

export type CellInput = string | number | null | undefined;

/** Rows are gathered into pieces of about this many characters: zlib works per chunk, so tiny chunks cost. */
const pieceSize = 256 * 1024;

export class XlsxSheet {
  private rowNumber = 0;
  private readonly letters: string[] = [];
  private piece = '';

  constructor(
    private readonly stream: PassThrough,
    options: SheetOptions,
  ) {
    const frozen = options.frozenRows
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${options.frozenRows}" topLeftCell="A${options.frozenRows + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`
      : '';
    const cols = options.widths?.length
      ? `<cols>${options.widths.map((width, index) => `<col min="${index + 1}" max="${index + 1}" width="${width}" customWidth="1"/>`).join('')}</cols>`
      : '';
    stream.write(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        `${frozen}<sheetFormatPr defaultRowHeight="15"/>${cols}<sheetData>`,
    );
  }

  private letter(index: number) {
    return (this.letters[index] ??= columnLetter(index));
  }

  /** Writes a row; resolves at once unless the zip is behind, then when it has caught up. */
  addRow(cells: CellInput[], options: { bold?: boolean } = {}): Promise<void> | undefined {
    this.rowNumber += 1;
    const style = options.bold ? ' s="1"' : '';
    let xml = `<row r="${this.rowNumber}">`;
    for (let index = 0; index < cells.length; index += 1) {
      const value = cells[index];
      if (value === null || value === undefined || value === '') continue;
      const ref = `${this.letter(index)}${this.rowNumber}`;
      xml +=
        typeof value === 'number'
          ? `<c r="${ref}"${style}><v>${value}</v></c>`
          : `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
    }
    xml += '</row>';
    this.piece += xml;
    if (this.piece.length < pieceSize) return undefined;
    const piece = this.piece;
    this.piece = '';
    if (this.stream.write(piece)) return undefined;
    return new Promise((resolve) => this.stream.once('drain', resolve));
  }

  end(): Promise<void> {
    const rest = this.piece;
    this.piece = '';
    return new Promise((resolve) => this.stream.end(`${rest}</sheetData></worksheet>`, resolve));
  }
}

export class XlsxStreamWriter {
  private readonly archive = archiver('zip', { zlib: { level: 1 } });
  private readonly sheets: string[] = [];
  private readonly done: Promise<void>;

  constructor(output: Writable) {
    this.done = new Promise((resolve, reject) => {
      output.on('finish', resolve);
      output.on('close', resolve);
      output.on('error', reject);
      this.archive.on('error', reject);
    });
    this.archive.pipe(output);
  }

  /** Starts the next worksheet (end the previous one first). */
  addSheet(name: string, options: SheetOptions = {}): XlsxSheet {
    this.sheets.push(name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || `Sheet${this.sheets.length + 1}`);
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    this.archive.append(stream, { name: `xl/worksheets/sheet${this.sheets.length}.xml` });
    return new XlsxSheet(stream, options);
  }

  /** Writes the workbook's remaining parts and ends the zip. */
  async finish(): Promise<void> {
    if (this.sheets.length === 0) this.addSheet('Sheet1').end();
    const sheets = this.sheets;
    const header = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
    this.archive.append(
      `${header}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
        '</Types>',
      { name: '[Content_Types].xml' },
    );
    this.archive.append(
      `${header}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
      { name: '_rels/.rels' },
    );
    this.archive.append(
      `${header}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
        sheets.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
      { name: 'xl/workbook.xml' },
    );
    this.archive.append(
      `${header}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
        `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        '</Relationships>',
      { name: 'xl/_rels/workbook.xml.rels' },
    );
    this.archive.append(
      `${header}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
        '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>' +
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
        '</styleSheet>',
      { name: 'xl/styles.xml' },
    );
    await this.archive.finalize();
    await this.done;
  }
}
