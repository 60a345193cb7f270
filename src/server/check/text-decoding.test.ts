import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeGbk } from './test-fixtures.ts';
import { decodeText, type TextEncoding } from './text-decoding.ts';

async function decode(bytes: Buffer, chunkSize = bytes.length || 1) {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) parts.push(bytes.subarray(offset, offset + chunkSize));
  let encoding: TextEncoding | undefined;
  let text = '';
  for await (const piece of decodeText(Readable.from(parts), 'x.csv', (e) => (encoding = e))) text += piece;
  return { text, encoding };
}

const sample = 'name,姓名\r\n张三,男性，汉族\r\n';

describe('decodeText', () => {
  it('reads UTF-8 with and without a BOM', async () => {
    expect(await decode(Buffer.from(sample))).toEqual({ text: sample, encoding: 'utf-8' });
    expect(await decode(Buffer.from(`\ufeff${sample}`))).toEqual({ text: sample, encoding: 'utf-8' });
    expect(await decode(Buffer.from(`\ufeff${sample}`), 1)).toEqual({ text: sample, encoding: 'utf-8' });
  });

  it('reads GBK (as GB18030) without being told', async () => {
    expect(await decode(encodeGbk(sample))).toEqual({ text: sample, encoding: 'gb18030' });
    expect(await decode(encodeGbk(sample), 3)).toEqual({ text: sample, encoding: 'gb18030' });
  });

  it('decides on the first non-ASCII bytes, even far into the file', async () => {
    const ascii = 'a,b\r\n'.repeat(30_000);
    expect(await decode(Buffer.concat([Buffer.from(ascii), encodeGbk(sample)]), 4096)).toEqual({
      text: ascii + sample,
      encoding: 'gb18030',
    });
  });

  it('refuses text with NUL bytes', async () => {
    await expect(decode(Buffer.from('a,b\u0000c'))).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });
});
