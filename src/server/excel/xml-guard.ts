/**
 * What ExcelJS's XML parser (saxes) holds whole in memory, bounded: one run of text (a cell: Excel keeps at
 * most 32,767 characters in one, the checker reports a longer one as too long), one tag with its attributes,
 * and the stack of open elements. Past these a part within the archive limits could still make the parser
 * hold hundreds of megabytes, or block the event loop for seconds on one tag.
 */
export const xmlLimits = { maxTextBytes: 16 * 1024 * 1024, maxTagBytes: 256 * 1024, maxDepth: 128 };
export type XmlLimits = typeof xmlLimits;

/** Why a part's XML is refused, and at which byte of the part. */
export type XmlProblem = { kind: 'text' | 'tag' | 'depth' | 'doctype' | 'markup'; offset: number };

const lessThan = 0x3c;
const greaterThan = 0x3e;
const slash = 0x2f;
const bang = 0x21;
const question = 0x3f;
const doubleQuote = 0x22;
const singleQuote = 0x27;

type State = 'text' | 'open' | 'tag' | 'quoted';

/**
 * Follows a part's XML as it is inflated, chunk by chunk, without keeping any of it: text runs and tags by
 * their length, elements by their depth. Declarations Excel never writes in the parts ExcelJS reads are
 * refused outright: a DOCTYPE (entity expansion), comments, CDATA and processing instructions, whose
 * contents saxes gathers whole whatever they hold. Only the XML declaration at the very start is allowed.
 */
export class XmlGuard {
  private state: State = 'text';
  private offset = 0;
  private textBytes = 0;
  private tagBytes = 0;
  private tagStart = 0;
  private closing = false;
  private declaration = false;
  private previous = 0;
  private quote = 0;
  private depth = 0;
  private seenTag = false;

  constructor(private readonly limits: XmlLimits = xmlLimits) {}

  /** Takes the next chunk; returns the first problem found, if any (the guard is then spent). */
  feed(chunk: Buffer): XmlProblem | undefined {
    const base = this.offset;
    this.offset += chunk.length;
    let index = 0;
    while (index < chunk.length) {
      switch (this.state) {
        case 'text': {
          const next = chunk.indexOf(lessThan, index);
          const end = next < 0 ? chunk.length : next;
          this.textBytes += end - index;
          if (this.textBytes > this.limits.maxTextBytes) return { kind: 'text', offset: base + end - this.textBytes };
          if (next < 0) return undefined;
          this.state = 'open';
          this.tagStart = base + next;
          this.tagBytes = 1;
          index = next + 1;
          break;
        }
        case 'open': {
          const byte = chunk[index];
          if (byte === bang) return { kind: this.startsDoctype(chunk, index) ? 'doctype' : 'markup', offset: this.tagStart };
          this.declaration = byte === question;
          if (this.declaration && (this.seenTag || this.tagStart > 3)) return { kind: 'markup', offset: this.tagStart };
          this.closing = byte === slash;
          this.seenTag = true;
          this.state = 'tag';
          this.previous = byte;
          this.tagBytes += 1;
          index += 1;
          break;
        }
        case 'tag': {
          const problem = this.inTag(chunk, index, base);
          if (typeof problem === 'object') return problem;
          index = problem;
          break;
        }
        case 'quoted': {
          const next = chunk.indexOf(this.quote, index);
          const end = next < 0 ? chunk.length : next + 1;
          this.tagBytes += end - index;
          if (this.tagBytes > this.limits.maxTagBytes) return { kind: 'tag', offset: this.tagStart };
          if (next >= 0) {
            this.state = 'tag';
            this.previous = this.quote;
          }
          index = end;
          break;
        }
      }
    }
    return undefined;
  }

  /** Reads a tag up to its end or its next quoted value; returns where to go on, or the problem. */
  private inTag(chunk: Buffer, start: number, base: number): number | XmlProblem {
    for (let index = start; index < chunk.length; index++) {
      const byte = chunk[index];
      if (++this.tagBytes > this.limits.maxTagBytes) return { kind: 'tag', offset: this.tagStart };
      if (byte === doubleQuote || byte === singleQuote) {
        this.state = 'quoted';
        this.quote = byte;
        return index + 1;
      }
      if (byte === greaterThan) {
        if (this.closing) this.depth -= 1;
        else if (!this.declaration && this.previous !== slash && ++this.depth > this.limits.maxDepth) return { kind: 'depth', offset: base + index };
        this.state = 'text';
        this.textBytes = 0;
        return index + 1;
      }
      this.previous = byte;
    }
    return chunk.length;
  }

  /** Whether `<!` at `index - 1` opens a DOCTYPE (told apart only when the chunk holds its first letters). */
  private startsDoctype(chunk: Buffer, index: number) {
    return chunk.toString('latin1', index + 1, index + 8).toUpperCase() === 'DOCTYPE';
  }
}
