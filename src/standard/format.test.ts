import { describe, expect, it } from 'vitest';
import { formatCell } from './format.ts';
import { checkRecord } from './record.ts';
import { collectionDate, validRaw } from './test-fixtures.ts';
import { fieldKeys } from './types.ts';

describe('formatCell', () => {
  it('writes codes as code-label, several joined by a comma', () => {
    expect(formatCell('sex', '1', 'k12')).toBe('1-男');
    expect(formatCell('political', '01,03', 'k12')).toBe('01-中国共产党党员,03-中国共产主义青年团团员');
    expect(formatCell('onPayroll', '0', 'k12')).toBe('0-否');
    expect(formatCell('staffSource', '111', 'higher_ed')).toBe('111-本校应届本科生');
  });

  it('writes dates, year-months and text as stored, and empty as an empty cell', () => {
    expect(formatCell('birthDate', '1980-01-01', 'k12')).toBe('1980-01-01');
    expect(formatCell('workStart', '2001-09', 'k12')).toBe('2001-09');
    expect(formatCell('name', '张三', 'k12')).toBe('张三');
    expect(formatCell('birthPlace', '430181', 'k12')).toBe('430181');
    expect(formatCell('remark', null, 'k12')).toBe('');
  });

  it('writes a value that is not a code unchanged', () => {
    expect(formatCell('sex', '男的', 'k12')).toBe('男的');
    expect(formatCell('political', '01,党员', 'k12')).toBe('01,党员');
  });

  it('round-trips: an exported record checks back to the same values', () => {
    for (const schoolType of ['k12', 'special', 'higher_ed'] as const) {
      const { values } = checkRecord(validRaw({ political: '03,01' }), { schoolType, today: collectionDate });
      const exported = Object.fromEntries(fieldKeys.map((key) => [key, formatCell(key, values[key], schoolType)]));
      const again = checkRecord(exported, { schoolType, today: collectionDate });
      expect(again.findings).toEqual([]);
      expect(again.values).toEqual(values);
    }
  });
});
