import { describe, expect, it } from 'vitest';
import { parseBirthPlace, regionProblem } from './regions.ts';

describe('regionProblem', () => {
  it('accepts any code of a known province and Hunan codes Hunan has had', () => {
    expect(regionProblem('110105')).toBeNull();
    expect(regionProblem('810000')).toBeNull();
    expect(regionProblem('432301')).toBeNull();
    expect(regionProblem('430181')).toBeNull();
  });

  it('refuses unknown prefixes and Hunan codes never used', () => {
    expect(regionProblem('990101')).toBe('unknown_province');
    expect(regionProblem('830000')).toBe('unknown_province');
    expect(regionProblem('439999')).toBe('unknown_hunan_code');
  });
});

describe('parseBirthPlace (出生地)', () => {
  it('takes a 6-digit county code: Hunan from the historical list, elsewhere by province prefix', () => {
    expect(parseBirthPlace('430181')).toEqual({ ok: true, code: '430181' });
    expect(parseBirthPlace('432524')).toEqual({ ok: true, code: '432524' });
    expect(parseBirthPlace('510107')).toEqual({ ok: true, code: '510107' });
    expect(parseBirthPlace('439999')).toEqual({ ok: false, problem: 'unknown_hunan_code' });
    expect(parseBirthPlace('990107')).toEqual({ ok: false, problem: 'unknown_province' });
  });

  it('refuses a province or 市州 code: 出生地 is filled to county level', () => {
    expect(parseBirthPlace('430100')).toEqual({ ok: false, problem: 'not_county' });
    expect(parseBirthPlace('510000')).toEqual({ ok: false, problem: 'not_county' });
    expect(parseBirthPlace('长沙市')).toEqual({ ok: false, problem: 'not_county' });
  });

  it('takes the name of a Hunan county, with or without province and 市州', () => {
    expect(parseBirthPlace('浏阳市')).toEqual({ ok: true, code: '430181' });
    expect(parseBirthPlace('长沙市浏阳市')).toEqual({ ok: true, code: '430181' });
    expect(parseBirthPlace('湖南省长沙市浏阳市')).toEqual({ ok: true, code: '430181' });
    expect(parseBirthPlace('芙蓉区')).toEqual({ ok: true, code: '430102' });
    // An older name that meant one county only.
    expect(parseBirthPlace('大庸县')).toEqual({ ok: true, code: '433128' });
  });

  it('takes code-name when the name fits the code', () => {
    expect(parseBirthPlace('430181-浏阳市')).toEqual({ ok: true, code: '430181' });
    expect(parseBirthPlace('430181-芙蓉区')).toEqual({ ok: false, problem: 'unknown_name' });
  });

  it('refuses names outside Hunan and ambiguous old names', () => {
    expect(parseBirthPlace('海淀区')).toEqual({ ok: false, problem: 'unknown_name' });
    expect(parseBirthPlace('郊区')).toEqual({ ok: false, problem: 'unknown_name' });
    expect(parseBirthPlace('4301')).toEqual({ ok: false, problem: 'format' });
  });
});
