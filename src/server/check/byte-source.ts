import { createReadStream } from 'node:fs';

/** Where a file to check comes from: a path on disk, or a stream (an upload) with the name the user gave it. */
export type CheckInput = { path: string; fileName?: string } | { stream: AsyncIterable<Uint8Array>; fileName: string };

const headBytes = 8;

/**
 * The bytes of an input, read once: `head` (the first bytes, for sniffing the format) and `chunks()` (all bytes
 * from the start). Reading stops quietly past `maxBytes` or on a failing input and records why, because
 * ExcelJS pipes its input and would wait forever on a stream that errors; callers check `problem()` after
 * reading, whether reading ended or threw.
 */
export class ByteSource {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly pending: Buffer[] = [];
  private bytes = 0;
  private tooLarge = false;
  private failure: unknown = undefined;
  head: Buffer = Buffer.alloc(0);

  private constructor(
    input: AsyncIterable<Uint8Array>,
    private readonly maxBytes: number,
  ) {
    this.iterator = input[Symbol.asyncIterator]();
  }

  static async open(input: CheckInput, maxBytes: number): Promise<ByteSource> {
    const stream = 'path' in input ? createReadStream(input.path) : input.stream;
    const source = new ByteSource(stream, maxBytes);
    await source.readHead();
    return source;
  }

  private async readHead() {
    let length = 0;
    while (length < headBytes) {
      const chunk = await this.next();
      if (!chunk) break;
      this.pending.push(chunk);
      length += chunk.length;
    }
    this.head = Buffer.concat(this.pending).subarray(0, headBytes);
  }

  private async next(): Promise<Buffer | undefined> {
    if (this.tooLarge || this.failure !== undefined) return undefined;
    let step: IteratorResult<Uint8Array>;
    try {
      step = await this.iterator.next();
    } catch (error) {
      this.failure = error ?? new Error('input failed');
      return undefined;
    }
    if (step.done) return undefined;
    const chunk = Buffer.isBuffer(step.value) ? step.value : Buffer.from(step.value);
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.tooLarge = true;
      await this.close();
      return undefined;
    }
    return chunk;
  }

  /** All bytes from the first, once. */
  async *chunks(): AsyncGenerator<Buffer> {
    while (this.pending.length > 0) yield this.pending.shift()!;
    for (let chunk = await this.next(); chunk; chunk = await this.next()) yield chunk;
  }

  /** Why reading stopped early: the size limit, or the input's own error; undefined when all was read. */
  problem(): { kind: 'too_large'; maxBytes: number } | { kind: 'failed'; error: unknown } | undefined {
    if (this.tooLarge) return { kind: 'too_large', maxBytes: this.maxBytes };
    if (this.failure !== undefined) return { kind: 'failed', error: this.failure };
    return undefined;
  }

  /** Stops reading and releases the input (a file descriptor, or the rest of an upload is left to its owner). */
  async close(): Promise<void> {
    try {
      await this.iterator.return?.();
    } catch {
      // closing a failed input has nothing more to report
    }
  }

  get bytesRead(): number {
    return this.bytes;
  }
}
