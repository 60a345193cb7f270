import { describe, expect, it } from 'vitest';
import { columnLetter, neutralise } from './cells.ts';

describe('cells', () => {
  it('neutralises text Excel would run as a formula', () => {
    expect(neutralise('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    expect(neutralise('+1')).toBe("'+1");
    expect(neutralise('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralise('-2')).toBe("'-2");
    expect(neutralise('张三')).toBe('张三');
  });

  it('letters columns as Excel does', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});
