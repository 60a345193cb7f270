import { describe, expect, it } from 'vitest';
import { fields } from './fields.ts';
import { matchHeader } from './headers.ts';

describe('matchHeader', () => {
  it('matches every field by its label, its English label in any case and its key', () => {
    for (const field of fields) {
      expect(matchHeader(field.label)).toBe(field.key);
      expect(matchHeader(field.labelEn.toUpperCase())).toBe(field.key);
      expect(matchHeader(field.key)).toBe(field.key);
    }
  });

  it('ignores required markers, spaces and full-width punctuation', () => {
    expect(matchHeader('★姓名')).toBe('name');
    expect(matchHeader('*姓名')).toBe('name');
    expect(matchHeader('＊ 姓 名 ')).toBe('name');
    expect(matchHeader('出生日期(必填)')).toBe('birthDate');
    expect(matchHeader('是否"双师型"教师')).toBe('dualTeacher');
    expect(matchHeader('On the establishment')).toBe('onPayroll');
  });

  it('matches 国籍/地区 written with brackets, full-width slashes or alone', () => {
    for (const text of ['国籍/地区', '国籍(地区)', '国籍（地区）', '国籍／地区', '★国籍 / 地区', '国籍地区', '国籍']) {
      expect(matchHeader(text), text).toBe('nationality');
    }
  });

  it('knows the common spellings of 身份证件号 and nothing else', () => {
    expect(matchHeader('身份证号')).toBe('idNumber');
    expect(matchHeader('身份证号码')).toBe('idNumber');
    expect(matchHeader('序号')).toBeUndefined();
    expect(matchHeader('')).toBeUndefined();
    expect(matchHeader('姓名 备注')).toBeUndefined();
  });
});
