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

/** Where the guard is: numbers, compared once a byte. */
const inText = 0;
const afterLessThan = 1;
const inTag = 2;
const inDoubleQuotes = 3;
const inSingleQuotes = 4;

/**
 * Follows a part's XML as it is inflated, chunk by chunk, without keeping any of it: text runs and tags by
 * their length, elements by their depth. Declarations Excel never writes in the parts ExcelJS reads are
 * refused outright: a DOCTYPE (entity expansion), comments, CDATA and processing instructions, whose
 * contents saxes gathers whole whatever they hold. Only the XML declaration at the very start is allowed.
 */
export class XmlGuard {
  private state = inText;
  private offset = 0;
  /** Bytes of the current text run or tag seen in earlier chunks. */
  private tokenBytes = 0;
  private tagStart = 0;
  private closing = false;
  private declaration = false;
  private previous = 0;
  private depth = 0;
  private seenTag = false;

  constructor(private readonly limits: XmlLimits = xmlLimits) {}

  /**
   * Takes the next chunk; returns the first problem found, if any (the guard is then spent). One loop over
   * the bytes with the state in local variables: tokens in a worksheet are a few bytes long, so calling
   * indexOf per token cost more than looking at each byte.
   */
  feed(chunk: Buffer): XmlProblem | undefined {
    const base = this.offset;
    const { maxTextBytes, maxTagBytes, maxDepth } = this.limits;
    let state = this.state;
    let tokenStart = -this.tokenBytes; // where the current text run or tag began, relative to this chunk
    let previous = this.previous;
    let depth = this.depth;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (state === inText) {
        if (byte !== lessThan) continue;
        if (index - tokenStart > maxTextBytes) return { kind: 'text', offset: base + tokenStart };
        state = afterLessThan;
        tokenStart = index;
        this.tagStart = base + index;
      } else if (state === inTag) {
        if (byte === greaterThan) {
          if (index + 1 - tokenStart > maxTagBytes) return { kind: 'tag', offset: this.tagStart };
          if (this.closing) depth -= 1;
          else if (!this.declaration && previous !== slash && ++depth > maxDepth) return { kind: 'depth', offset: base + index };
          state = inText;
          tokenStart = index + 1;
        } else if (byte === doubleQuote || byte === singleQuote) {
          state = byte === doubleQuote ? inDoubleQuotes : inSingleQuotes;
        } else {
          previous = byte;
        }
      } else if (state === afterLessThan) {
        if (byte === bang) return { kind: this.startsDoctype(chunk, index) ? 'doctype' : 'markup', offset: this.tagStart };
        this.declaration = byte === question;
        if (this.declaration && (this.seenTag || this.tagStart > 3)) return { kind: 'markup', offset: this.tagStart };
        this.closing = byte === slash;
        this.seenTag = true;
        state = inTag;
        previous = byte;
      } else if (byte === (state === inDoubleQuotes ? doubleQuote : singleQuote)) {
        state = inTag;
        previous = byte;
      }
    }
    if (state === inText ? chunk.length - tokenStart > maxTextBytes : chunk.length - tokenStart > maxTagBytes) {
      return state === inText ? { kind: 'text', offset: base + tokenStart } : { kind: 'tag', offset: this.tagStart };
    }
    this.offset += chunk.length;
    this.state = state;
    this.tokenBytes = chunk.length - tokenStart;
    this.previous = previous;
    this.depth = depth;
    return undefined;
  }

  /** Whether `<!` at `index - 1` opens a DOCTYPE (told apart only when the chunk holds its first letters). */
  private startsDoctype(chunk: Buffer, index: number) {
    return chunk.toString('latin1', index + 1, index + 8).toUpperCase() === 'DOCTYPE';
  }
}
