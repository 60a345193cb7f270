/** A CSV record: its fields and the line it starts on (1-based; a quoted field with line breaks spans lines). */
export type CsvRecord = { line: number; fields: string[] };

const comma = 44;
const quote = 34;
const carriageReturn = 13;
const lineFeed = 10;

/**
 * An incremental RFC 4180 parser fed with text chunks: quoted fields may hold commas, doubled quotes and line
 * breaks; records end at CRLF, LF or a lone CR. Lenient where spreadsheets are sloppy: a quote inside an
 * unquoted field, or text after a closing quote, is kept as text.
 */
export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private closedQuote = false;
  private lastWasCarriageReturn = false;
  private line = 1;
  private recordLine = 1;
  private recordHasContent = false;

  /** Parses a chunk; calls `emit` for every record completed in it. */
  push(text: string, emit: (record: CsvRecord) => void): void {
    const length = text.length;
    let index = 0;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code === lineFeed && this.lastWasCarriageReturn) {
        // the LF of a CRLF: the CR already ended the line (or was kept inside quotes)
        this.lastWasCarriageReturn = false;
        if (this.inQuotes) this.field += '\n';
        index++;
        continue;
      }
      this.lastWasCarriageReturn = code === carriageReturn;
      if (this.inQuotes) {
        if (code === quote) {
          this.inQuotes = false;
          this.closedQuote = true;
          index++;
          continue;
        }
        const start = index;
        while (index < length) {
          const next = text.charCodeAt(index);
          if (next === quote || next === carriageReturn || next === lineFeed) break;
          index++;
        }
        if (index > start) {
          this.field += text.slice(start, index);
          this.lastWasCarriageReturn = false;
          continue;
        }
        this.field += text[index];
        this.line++;
        index++;
        continue;
      }
      if (code === comma) {
        this.endField();
        index++;
      } else if (code === carriageReturn || code === lineFeed) {
        this.endRecord(emit);
        this.line++;
        this.recordLine = this.line;
        index++;
      } else if (code === quote) {
        // opens a quoted field, or (right after a closing quote) is an escaped quote
        if (this.closedQuote) this.field += '"';
        if (this.field === '' || this.closedQuote) this.inQuotes = true;
        else this.field += '"';
        this.closedQuote = false;
        this.recordHasContent = true;
        index++;
      } else {
        const start = index;
        while (index < length) {
          const next = text.charCodeAt(index);
          if (next === comma || next === quote || next === carriageReturn || next === lineFeed) break;
          index++;
        }
        this.field += text.slice(start, index);
        this.closedQuote = false;
        this.recordHasContent = true;
      }
    }
  }

  /** Ends the input: emits the last record when the text does not end with a line break. */
  end(emit: (record: CsvRecord) => void): void {
    if (this.recordHasContent || this.fields.length > 0 || this.inQuotes) this.endRecord(emit);
  }

  private endField() {
    this.fields.push(this.field);
    this.field = '';
    this.closedQuote = false;
    this.recordHasContent = true;
  }

  private endRecord(emit: (record: CsvRecord) => void) {
    this.fields.push(this.field);
    emit({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
    this.closedQuote = false;
    this.recordHasContent = false;
  }
}
