import { describe, expect, it } from 'vitest';
import { childPath, isWithin, reportingUnitCode } from './unit-tree.ts';

describe('the unit tree', () => {
  it('sends higher education to the province and every other school to its county', () => {
    expect(reportingUnitCode('higher_ed', '430104', '430000')).toBe('430000');
    for (const type of ['k12', 'vocational', 'special'] as const) expect(reportingUnitCode(type, '430104', '430000')).toBe('430104');
  });

  it('compares subtrees by whole codes', () => {
    const county = { path: childPath('430000.430100.', '430102') };
    expect(isWithin({ path: '430000.430100.430102.2430102001.' }, county)).toBe(true);
    expect(isWithin({ path: '430000.430100.4301021.' }, county)).toBe(false);
  });
});
