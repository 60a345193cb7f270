import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from './csv-parser.ts';

function parse(text: string, chunkSize = text.length): CsvRecord[] {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  for (let offset = 0; offset < text.length; offset += chunkSize) parser.push(text.slice(offset, offset + chunkSize), (r) => records.push(r));
  parser.end((r) => records.push(r));
  return records;
}

describe('CsvParser', () => {
  it('splits plain records on CRLF, LF and lone CR', () => {
    expect(parse('a,b\r\nc,d\ne,f\rg,h')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
      { line: 4, fields: ['g', 'h'] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quotes, numbering records by their first line', () => {
    const text = '姓名,备注\r\n"张,三","他说""好"""\r\n李四,"第一行\r\n第二行\n第三行"\r\n王五,x\r\n';
    expect(parse(text)).toEqual([
      { line: 1, fields: ['姓名', '备注'] },
      { line: 2, fields: ['张,三', '他说"好"'] },
      { line: 3, fields: ['李四', '第一行\r\n第二行\n第三行'] },
      { line: 6, fields: ['王五', 'x'] },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const text = 'a,"b""c",d\r\n"x\r\ny",,"",z\r\n\r\nlast,"q"';
    const whole = parse(text);
    for (const size of [1, 2, 3, 5, 7]) expect(parse(text, size)).toEqual(whole);
    expect(whole).toEqual([
      { line: 1, fields: ['a', 'b"c', 'd'] },
      { line: 2, fields: ['x\r\ny', '', '', 'z'] },
      { line: 4, fields: [''] },
      { line: 5, fields: ['last', 'q'] },
    ]);
  });

  it('keeps stray quotes in unquoted fields as text', () => {
    expect(parse('ab"c,"d"e\n')).toEqual([{ line: 1, fields: ['ab"c', 'de'] }]);
  });

  it('emits no empty record after the final line break', () => {
    expect(parse('a\n')).toEqual([{ line: 1, fields: ['a'] }]);
    expect(parse('')).toEqual([]);
  });
});
