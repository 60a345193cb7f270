import { describe, expect, it } from 'vitest';
import { isRealDate, parseDate, parseYearMonth } from './dates.ts';

const date = (cell: Parameters<typeof parseDate>[0]) => parseDate(cell);
const yearMonth = (cell: Parameters<typeof parseYearMonth>[0]) => parseYearMonth(cell);

describe('parseDate', () => {
  it('accepts every text form of the README', () => {
    for (const text of ['1980-09-01', '1980-9-1', '1980/9/1', '1980/09/01', '1980.9.1', '19800901', '1980年9月1日', '1980年09月01日']) {
      expect(date(text), text).toEqual({ ok: true, value: '1980-09-01' });
    }
  });

  it('accepts full-width digits and stray spaces after NFKC', () => {
    expect(date('１９８０－０９－０１')).toEqual({ ok: true, value: '1980-09-01' });
    expect(date(' 1980 年 9 月 1 日 ')).toEqual({ ok: true, value: '1980-09-01' });
  });

  it('reads an Excel date cell at UTC midnight and at local midnight in UTC+8', () => {
    expect(date(new Date(Date.UTC(1980, 8, 1)))).toEqual({ ok: true, value: '1980-09-01' });
    expect(date(new Date('1980-09-01T00:00:00+08:00'))).toEqual({ ok: true, value: '1980-09-01' });
  });

  it('reads Excel serial numbers of the 1900 date system, skipping the fake 1900-02-29', () => {
    expect(date(1)).toEqual({ ok: true, value: '1900-01-01' });
    expect(date(59)).toEqual({ ok: true, value: '1900-02-28' });
    expect(date(60)).toMatchObject({ ok: false, problem: 'not_real' });
    expect(date(61)).toEqual({ ok: true, value: '1900-03-01' });
    expect(date(29465)).toEqual({ ok: true, value: '1980-09-01' });
    expect(date(41568)).toEqual({ ok: true, value: '2013-10-21' });
    expect(date(41568.75)).toEqual({ ok: true, value: '2013-10-21' });
    expect(date('29465')).toEqual({ ok: true, value: '1980-09-01' });
  });

  it('reads a YYYYMMDD typed into a numeric cell', () => {
    expect(date(19800901)).toEqual({ ok: true, value: '1980-09-01' });
  });

  it('accepts only real calendar days', () => {
    expect(date('2013-02-30')).toMatchObject({ ok: false, problem: 'not_real', text: '2013-02-30' });
    expect(date('2013-02-29')).toMatchObject({ ok: false, problem: 'not_real' });
    expect(date('2012-02-29')).toEqual({ ok: true, value: '2012-02-29' });
    expect(date('1900-02-29')).toMatchObject({ ok: false, problem: 'not_real' });
    expect(date('2000-02-29')).toEqual({ ok: true, value: '2000-02-29' });
    expect(date('1980-13-01')).toMatchObject({ ok: false, problem: 'not_real' });
    expect(date('19800931')).toMatchObject({ ok: false, problem: 'not_real' });
  });

  it('says why other text is not a date', () => {
    expect(date('1980-09')).toMatchObject({ ok: false, problem: 'missing_day' });
    expect(date(198009)).toMatchObject({ ok: false, problem: 'missing_day' });
    expect(date('1980')).toMatchObject({ ok: false, problem: 'year_only' });
    expect(date(1980)).toMatchObject({ ok: false, problem: 'year_only' });
    expect(date('九月一日')).toMatchObject({ ok: false, problem: 'format', text: '九月一日' });
    expect(date('1980-9/1')).toMatchObject({ ok: false, problem: 'format' });
    expect(date('')).toMatchObject({ ok: false, problem: 'empty' });
    expect(date(null)).toMatchObject({ ok: false, problem: 'empty' });
    expect(date(new Date(Number.NaN))).toMatchObject({ ok: false, problem: 'format' });
    expect(date(-3)).toMatchObject({ ok: false, problem: 'format' });
  });

  it('ignores a midnight time written after the date', () => {
    expect(date('1980-09-01 00:00:00')).toEqual({ ok: true, value: '1980-09-01' });
    expect(date('1980-08-31T16:00:00.000Z')).toEqual({ ok: true, value: '1980-09-01' });
  });
});

describe('parseYearMonth', () => {
  it('accepts every year-month form of the README', () => {
    for (const text of ['1980-09', '1980-9', '1980/9', '1980/09', '1980.9', '1980.09', '198009', '1980年9月', '1980年09月']) {
      expect(yearMonth(text), text).toEqual({ ok: true, value: '1980-09' });
    }
  });

  it('keeps the year and month of a full date in any form', () => {
    for (const cell of ['1980-09-15', '1980/9/15', '1980.9.15', '19800915', '1980年9月15日', new Date(Date.UTC(1980, 8, 15)), 29479]) {
      expect(yearMonth(cell), String(cell)).toEqual({ ok: true, value: '1980-09' });
    }
  });

  it('still refuses a full date that is not a real day', () => {
    expect(yearMonth('2013-02-30')).toMatchObject({ ok: false, problem: 'not_real' });
  });

  it('reads YYYYMM and YYYY.MM typed into a numeric cell, but not an ambiguous 1980.1', () => {
    expect(yearMonth(198009)).toEqual({ ok: true, value: '1980-09' });
    expect(yearMonth(1980.09)).toEqual({ ok: true, value: '1980-09' });
    expect(yearMonth(1980.12)).toEqual({ ok: true, value: '1980-12' });
    expect(yearMonth(1980.1)).toMatchObject({ ok: false, problem: 'ambiguous_number' });
    expect(yearMonth('1980.1')).toEqual({ ok: true, value: '1980-01' });
  });

  it('refuses months that do not exist and a year alone', () => {
    expect(yearMonth('198013')).toMatchObject({ ok: false, problem: 'not_real' });
    expect(yearMonth('1980-00')).toMatchObject({ ok: false, problem: 'not_real' });
    expect(yearMonth('1980年')).toMatchObject({ ok: false, problem: 'year_only' });
  });
});

describe('isRealDate', () => {
  it('follows the Gregorian leap years', () => {
    expect(isRealDate(2000, 2, 29)).toBe(true);
    expect(isRealDate(1900, 2, 29)).toBe(false);
    expect(isRealDate(2004, 2, 29)).toBe(true);
    expect(isRealDate(2013, 4, 31)).toBe(false);
    expect(isRealDate(2013, 12, 31)).toBe(true);
  });
});
