import { describe, expect, it } from 'vitest';
import { checkRecord } from './record.ts';
import type { SchoolType } from './school-types.ts';
import { collectionDate, makeIdNumber, validRaw } from './test-fixtures.ts';
import type { RawRecord } from './types.ts';

function findingsOf(overrides: RawRecord, schoolType: SchoolType = 'k12') {
  return checkRecord(validRaw(overrides), { schoolType, today: collectionDate }).findings;
}

const codesOf = (overrides: RawRecord, schoolType: SchoolType = 'k12') =>
  findingsOf(overrides, schoolType).map((finding) => [finding.field, finding.code, finding.severity]);

describe('rule 5: birth date and sex agree with the ID number', () => {
  it('flags a birth date other than the ID\'s, naming both', () => {
    const findings = findingsOf({ birthDate: '1980-01-02' });
    expect(findings.map((finding) => [finding.field, finding.code])).toEqual([['birthDate', 'birthdate_mismatch']]);
    expect(findings[0].message).toBe('出生日期：应与身份证件号中的出生日期1980-01-01一致，实为1980-01-02');
    expect(findingsOf({ birthDate: '19800101' })).toEqual([]);
  });

  it('flags a sex that disagrees with the 17th digit', () => {
    const findings = findingsOf({ idNumber: makeIdNumber('430102', '19800101', '124') });
    expect(findings.map((finding) => [finding.field, finding.code])).toEqual([['sex', 'sex_mismatch']]);
    expect(findings[0].message).toBe('性别：身份证件号第17位为4（偶数），性别应为2-女，实为1-男');
    expect(findingsOf({ idNumber: makeIdNumber('430102', '19800101', '124'), sex: '2-女' })).toEqual([]);
  });

  it('does not compare with an invalid ID or for other document types', () => {
    expect(codesOf({ idNumber: '430102198001011239', sex: '2' })).toEqual([['idNumber', 'id_checksum', 'error']]);
    expect(findingsOf({ idType: 'A-护照', idNumber: 'E1234567', birthDate: '1981-05-05', sex: '2', nationality: '840', ethnicity: null })).toEqual([]);
  });
});

describe('rule 6: 民族 exactly when 国籍/地区 is 156', () => {
  it('requires 民族 for Chinese nationals', () => {
    const findings = findingsOf({ ethnicity: null });
    expect(findings.map((finding) => [finding.field, finding.code])).toEqual([['ethnicity', 'required']]);
    expect(findings[0].message).toBe('民族：国籍/地区为156-中国时必填');
  });

  it('requires 民族 to be empty for other nationalities', () => {
    const findings = findingsOf({ nationality: '840', idType: 'A', idNumber: 'E1234567' });
    expect(findings.map((finding) => [finding.field, finding.code])).toEqual([['ethnicity', 'must_be_empty']]);
    expect(findings[0].message).toContain('01-汉族');
    expect(findingsOf({ nationality: '840', idType: 'A', idNumber: 'E1234567', ethnicity: null })).toEqual([]);
  });
});

describe('rule 7: 用人形式 exactly when not 在编', () => {
  it('requires 用人形式 when 是否在编 is 0', () => {
    expect(codesOf({ onPayroll: '0-否' })).toEqual([['employmentForm', 'required', 'error']]);
    expect(findingsOf({ onPayroll: '0-否', employmentForm: '2-劳务派遣' })).toEqual([]);
  });

  it('requires 用人形式 to be empty when 是否在编 is 1', () => {
    expect(codesOf({ onPayroll: '1', employmentForm: '1-人事代理' })).toEqual([['employmentForm', 'must_be_empty', 'error']]);
  });
});

describe('rule 8: 12 and 13 of 政治面貌 stand alone', () => {
  it('flags 13 群众 or 12 无党派民主人士 combined with another value', () => {
    const findings = findingsOf({ political: '01-中共党员,13-群众' });
    expect(findings.map((finding) => [finding.field, finding.code])).toEqual([['political', 'exclusive_choice']]);
    expect(findings[0].message).toBe('政治面貌：“13-群众”不能与其他选项同时填写');
    expect(codesOf({ political: '12、05' })).toEqual([['political', 'exclusive_choice', 'error']]);
  });

  it('accepts 13 alone and several party memberships together', () => {
    expect(findingsOf({ political: '13' })).toEqual([]);
    expect(findingsOf({ political: '01,05' })).toEqual([]);
  });
});

describe('rule 9: work age and date order', () => {
  it('flags work started before 16, naming the earliest month', () => {
    const findings = findingsOf({ workStart: '1995-12' });
    expect(findings.map((finding) => [finding.field, finding.code])).toEqual([['workStart', 'work_age']]);
    expect(findings[0].message).toContain('应不早于1996-01');
    expect(findingsOf({ workStart: '1998-01' })).toEqual([]);
  });

  it('flags 进本校年月 and 从事特教起始年月 before 参加工作年月', () => {
    expect(codesOf({ schoolJoin: '2001-08' })).toEqual([['schoolJoin', 'date_order', 'error']]);
    expect(findingsOf({ schoolJoin: '2001-09' })).toEqual([]);
    expect(codesOf({ specialEdStart: '2000-01' }, 'special')).toEqual([['specialEdStart', 'date_order', 'error']]);
    expect(findingsOf({ specialEdStart: '2001-09' }, 'special')).toEqual([]);
  });
});

describe('rule 10: grassroots service dates', () => {
  it('requires the start when 是否参加基层服务项目 is not 0', () => {
    expect(codesOf({ grassroots: '11-中央特岗教师' })).toEqual([['grassrootsStart', 'required', 'error']]);
    expect(findingsOf({ grassroots: '11-中央特岗教师', grassrootsStart: '2006-09' })).toEqual([]);
    expect(findingsOf({ grassroots: '1', grassrootsStart: '2006-09', grassrootsEnd: '2009-08' })).toEqual([]);
  });

  it('requires both dates empty when it is 0', () => {
    expect(codesOf({ grassrootsStart: '2006-09', grassrootsEnd: '2009-08' })).toEqual([
      ['grassrootsStart', 'must_be_empty', 'error'],
      ['grassrootsEnd', 'must_be_empty', 'error'],
    ]);
  });

  it('flags an end before the start', () => {
    const findings = findingsOf({ grassroots: '2', grassrootsStart: '2006-09', grassrootsEnd: '2006-08' });
    expect(findings.map((finding) => [finding.field, finding.code])).toEqual([['grassrootsEnd', 'date_order']]);
    expect(findings[0].message).toContain('参加基层服务项目起始年月2006-09');
  });

  it('is not checked where the template has no grassroots fields', () => {
    expect(findingsOf({ grassroots: null, grassrootsStart: '2006-09' }, 'vocational')).toEqual([]);
  });
});

describe('rule 13: warnings', () => {
  const old = { idNumber: makeIdNumber('430102', '19471020', '123'), birthDate: '1947-10-20', workStart: '1966-09', schoolJoin: '1970-09' };

  it('warns about a person over 65 on the collection date, without blocking', () => {
    const findings = findingsOf(old);
    expect(findings.map((finding) => [finding.field, finding.code, finding.severity])).toEqual([['birthDate', 'age_over_65', 'warning']]);
    expect(findings[0].message).toContain('66周岁');
  });

  it('does not warn a person of 65 on the eve of the 66th birthday', () => {
    expect(findingsOf({ ...old, idNumber: makeIdNumber('430102', '19471022', '123'), birthDate: '1947-10-22' })).toEqual([]);
  });

  it('warns about work started between 16 and 18', () => {
    expect(codesOf({ workStart: '1996-01', schoolJoin: '2005-09' })).toEqual([['workStart', 'work_before_18', 'warning']]);
    expect(findingsOf({ workStart: '1998-01' })).toEqual([]);
  });
});
