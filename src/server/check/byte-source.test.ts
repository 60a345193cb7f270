import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ByteSource } from './byte-source.ts';

async function readAll(source: ByteSource) {
  const parts: Buffer[] = [];
  for await (const chunk of source.chunks()) parts.push(chunk);
  return Buffer.concat(parts).toString();
}

describe('ByteSource', () => {
  it('peeks the first bytes and still gives every byte from the start', async () => {
    const source = await ByteSource.open({ stream: Readable.from([Buffer.from('ab'), Buffer.from('cdefghij'), Buffer.from('k')]), fileName: 'x' }, 100);
    expect(source.head.toString()).toBe('abcdefgh');
    expect(await readAll(source)).toBe('abcdefghijk');
    expect(source.problem()).toBeUndefined();
  });

  it('stops quietly past the size limit and says so', async () => {
    const source = await ByteSource.open({ stream: Readable.from(['0123456789', '0123456789', 'x'].map((s) => Buffer.from(s))), fileName: 'x' }, 15);
    expect(await readAll(source)).toBe('0123456789');
    expect(source.problem()).toEqual({ kind: 'too_large', maxBytes: 15 });
  });

  it('records a failing input instead of throwing through a pipe', async () => {
    async function* failing() {
      yield Buffer.from('0123456789');
      throw new Error('connection reset');
    }
    const source = await ByteSource.open({ stream: failing(), fileName: 'x' }, 100);
    expect(await readAll(source)).toBe('0123456789');
    expect(source.problem()).toMatchObject({ kind: 'failed', error: { message: 'connection reset' } });
  });
});
