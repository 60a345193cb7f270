import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, characterCount, chinaDateTime, chinaDay, normalizeText } from './normalize.ts';

describe('normalizeText', () => {
  it('turns full-width digits, letters and punctuation half-width and trims', () => {
    expect(normalizeText('　４３０１０２ＡＢｃ（１）　')).toBe('430102ABc(1)');
    expect(normalizeText('\u200B张三\uFEFF ')).toBe('张三');
  });

  it('gives what full NFKC and trimming give, for any text (the fast path changes nothing)', () => {
    const junk = /^[\s\u200B-\u200D\uFEFF]+|[\s\u200B-\u200D\uFEFF]+$/g;
    const pieces = fc.constantFrom('张', '三', '·', ' ', '　', 'Ａ', 'a', '1', '１', '（', '-', '－', '\u200B', '\uF900', '㈠', 'x', '\t');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        expect(normalizeText(text)).toBe(text.normalize('NFKC').replace(junk, ''));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves the inside of a name alone', () => {
    expect(normalizeText('阿依古丽·买买提')).toBe('阿依古丽·买买提');
    expect(normalizeText('张  三')).toBe('张  三');
  });
});

describe('cellText', () => {
  it('gives null for empty cells and text for numbers, booleans and dates', () => {
    expect(cellText(null)).toBeNull();
    expect(cellText(undefined)).toBeNull();
    expect(cellText('  ')).toBeNull();
    expect(cellText(156)).toBe('156');
    expect(cellText(true)).toBe('TRUE');
    expect(cellText(new Date('1980-01-01T00:00:00Z'))).toBe('1980-01-01');
  });
});

describe('chinaDay and characterCount', () => {
  it('counts the collection day in China (UTC+8)', () => {
    expect(chinaDay(new Date('2013-10-20T16:30:00Z'))).toBe('2013-10-21');
    expect(chinaDay(new Date('2013-10-20T15:59:00Z'))).toBe('2013-10-20');
  });

  it('shows an instant on China\'s clock, past midnight into the next day, with seconds when asked', () => {
    expect(chinaDateTime(new Date('2013-10-20T16:05:09Z'))).toBe('2013-10-21 00:05');
    expect(chinaDateTime('2013-10-20T16:05:09.000Z', true)).toBe('2013-10-21 00:05:09');
  });

  it('counts a rare character outside the BMP once', () => {
    expect(characterCount('𠮷野')).toBe(2);
  });
});
