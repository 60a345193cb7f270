import { describe, expect, it } from 'vitest';
import { divisionUnits } from './reference-data.ts';

describe('the division units loaded by the migrations', () => {
  it('holds 湖南省, 14 市州 and 122 县市区 of 2013 with their GB/T 2260 codes', () => {
    const rows = divisionUnits();
    expect(rows.filter((r) => r.kind === 'province')).toEqual([expect.objectContaining({ code: '430000', name: '湖南省' })]);
    expect(rows.filter((r) => r.kind === 'prefecture')).toHaveLength(14);
    expect(rows.filter((r) => r.kind === 'county')).toHaveLength(122);
    expect(rows.find((r) => r.code === '433100')).toMatchObject({ name: '湘西土家族苗族自治州', parentCode: '430000' });
    expect(rows.find((r) => r.code === '430124')).toMatchObject({ name: '宁乡县', parentCode: '430100', path: '430000.430100.430124.' });
    for (const row of rows) expect(row.code).toMatch(/^43\d{4}$/);
  });
});
