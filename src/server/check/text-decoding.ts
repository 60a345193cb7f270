import { DomainError } from '../errors.ts';

/** The encodings a CSV may come in; GB18030 is a superset of GBK and GB2312 (what Chinese Excel saves). */
export type TextEncoding = 'utf-8' | 'gb18030';

const sampleBytes = 64 * 1024;

const firstNonAscii = (chunk: Buffer): number => {
  for (let index = 0; index < chunk.length; index++) if (chunk[index] >= 0x80) return index;
  return -1;
};

/**
 * Decodes text of an unstated encoding: UTF-8 (with or without BOM) when the first 64 KB after the first
 * non-ASCII byte decode as strict UTF-8, GB18030 otherwise. Pure ASCII reads the same in both, so nothing is
 * decided (nor buffered) until the first non-ASCII byte. `onEncoding` reports the choice.
 */
export async function* decodeText(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  onEncoding: (encoding: TextEncoding) => void = () => {},
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let sample: Buffer[] = [];
  let sampleLength = 0;
  let checkedForNul = 0;
  const decide = () => {
    const bytes = Buffer.concat(sample);
    let encoding: TextEncoding = 'utf-8';
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    } catch {
      encoding = 'gb18030';
    }
    onEncoding(encoding);
    decoder = new TextDecoder(encoding);
    sample = [];
    sampleLength = 0;
    return decoder.decode(bytes, { stream: true });
  };
  for await (const chunk of chunks) {
    if (checkedForNul < sampleBytes) {
      if (chunk.subarray(0, sampleBytes - checkedForNul).includes(0)) throw binaryText(fileName);
      checkedForNul += chunk.length;
    }
    if (decoder) {
      yield decoder.decode(chunk, { stream: true });
      continue;
    }
    if (sampleLength === 0) {
      const at = firstNonAscii(chunk);
      if (at < 0) {
        yield chunk.toString('latin1');
        continue;
      }
      if (at > 0) yield chunk.toString('latin1', 0, at);
      sample.push(chunk.subarray(at));
      sampleLength = chunk.length - at;
    } else {
      sample.push(chunk);
      sampleLength += chunk.length;
    }
    if (sampleLength >= sampleBytes) yield decide();
  }
  if (sampleLength > 0) yield decide();
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield rest;
  } else {
    onEncoding('utf-8');
  }
}

function binaryText(fileName: string) {
  return new DomainError('unsupported_media_type', {
    zh: `文件“${fileName}”不是文本表格（CSV），也不是 .xlsx 工作簿。请使用 .xlsx 或 .csv 格式的模板。`,
    en: `"${fileName}" is neither a text table (CSV) nor an .xlsx workbook. Use the template as .xlsx or .csv.`,
  });
}
