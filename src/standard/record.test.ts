import { describe, expect, it } from 'vitest';
import { checkRecord, duplicateFinding } from './record.ts';
import { schoolTypes, type SchoolType } from './school-types.ts';
import { collectionDate, makeIdNumber, validRaw } from './test-fixtures.ts';
import type { RawRecord } from './types.ts';

function check(overrides: RawRecord, schoolType: SchoolType = 'k12') {
  return checkRecord(validRaw(overrides), { schoolType, today: collectionDate });
}

function errorsOf(overrides: RawRecord, schoolType: SchoolType = 'k12') {
  return check(overrides, schoolType).findings.filter((finding) => finding.severity === 'error');
}

describe('checkRecord: a valid record', () => {
  it('passes for every school type and comes back in canonical form', () => {
    for (const schoolType of schoolTypes) expect(check({}, schoolType).findings, schoolType).toEqual([]);
    const { values } = check({});
    expect(values).toMatchObject({
      name: '张三',
      sex: '1',
      nationality: '156',
      idType: '1',
      idNumber: makeIdNumber('430102', '19800101', '123'),
      birthDate: '1980-01-01',
      birthPlace: '430181',
      ethnicity: '01',
      political: '01',
      workStart: '2001-09',
      schoolJoin: '2005-09',
      onPayroll: '1',
      employmentForm: null,
      remark: null,
    });
  });

  it('checks its own canonical values back to the same values (as an update does)', () => {
    for (const schoolType of schoolTypes) {
      const { values } = check({ political: '03、01', onPayroll: '0', employmentForm: '人事代理' }, schoolType);
      expect(checkRecord(values, { schoolType, today: collectionDate })).toEqual({ values, findings: [] });
    }
  });

  it('ignores the fields a school type\'s template lacks and leaves them null', () => {
    const { values, findings } = check({ specialEdStart: 'not a date', dualTeacher: '可能', department: 'x'.repeat(500) }, 'k12');
    expect(findings).toEqual([]);
    expect(values.specialEdStart).toBeNull();
    expect(values.dualTeacher).toBeNull();
    expect(values.department).toBeNull();
    expect(check({ itAbility: null, normalGrad: null }, 'higher_ed').findings).toEqual([]);
  });
});

describe('rule 1: required fields', () => {
  it('flags each empty required field, naming its label', () => {
    const errors = errorsOf({ name: '  ', political: null, workStart: undefined });
    expect(errors.map((error) => [error.field, error.code])).toEqual([
      ['name', 'required'],
      ['political', 'required'],
      ['workStart', 'required'],
    ]);
    expect(errors[0].message).toBe('姓名：必填，不能为空');
    expect(errors[0].messageEn).toBe('Name: required; it is empty');
  });

  it('requires what a school type requires: 出生地 for 高等学校, 籍贯 for 中职', () => {
    expect(errorsOf({ birthPlace: null }, 'higher_ed').map((error) => error.code)).toEqual(['required']);
    expect(errorsOf({ birthPlace: null }, 'k12')).toEqual([]);
    expect(errorsOf({ nativePlace: null }, 'vocational').map((error) => error.field)).toEqual(['nativePlace']);
    expect(errorsOf({ specialEdStart: null }, 'special').map((error) => error.field)).toEqual(['specialEdStart']);
  });
});

describe('rule 2: code cells', () => {
  it('accepts every form of a code and stores the code', () => {
    for (const sex of ['1-男', '1', '男', '男性', '1 男', 1]) expect(check({ sex }).values.sex, String(sex)).toBe('1');
    expect(check({ staffSource: '10-录用' }).values.staffSource).toBe('10');
    expect(check({ onPayroll: true }).values.onPayroll).toBe('1');
  });

  it('flags a value outside the table and lists valid values, or points to the drop-down list', () => {
    const [sex] = errorsOf({ sex: '男的' });
    expect(sex).toMatchObject({ field: 'sex', code: 'invalid_code' });
    expect(sex.message).toBe('性别：“男的”不是性别代码表中的值，应填0-未知的性别、1-男、2-女、9-未说明的性别之一');
    const [category] = errorsOf({ staffCategory: '老师' });
    expect(category.message).toContain('请从下拉列表中选择');
    expect(category.message).toContain('11-专任教师');
    expect(check({ sex: '男的' }).values.sex).toBe('男的');
  });

  it('names the code Excel stripped of its leading zero', () => {
    const [political] = errorsOf({ political: 1 });
    expect(political.code).toBe('invalid_code');
    expect(political.message).toContain('01-中国共产党党员');
    expect(political.messageEn).toContain('leading 0');
  });

  it('says when the code and the name of a code-label disagree', () => {
    const errors = errorsOf({ sex: '1-女' });
    expect(errors.map((error) => error.code)).toEqual(['invalid_code']);
    expect(errors[0].message).toContain('代码1是“男”');
    expect(errors[0].message).toContain('“女”的代码是2');
  });

  it('reads several values separated by , ， 、 ; ； and stores them in table order', () => {
    for (const political of ['03,01', '03，01', '03、01', '03;01', '03；01', '03-共青团员, 01-中共党员', '中共党员、共青团员']) {
      expect(check({ political }).values.political, political).toBe('01,03');
    }
    expect(check({ political: '01,01' }).values.political).toBe('01');
  });

  it('flags each value of a multi-value cell that is not in the table', () => {
    const errors = errorsOf({ political: '01,党员,99' });
    expect(errors.map((error) => [error.field, error.code])).toEqual([
      ['political', 'invalid_code'],
      ['political', 'invalid_code'],
    ]);
    expect(errors[0].message).toContain('“党员”');
  });

  it('takes yes-no cells as 1-是/0-否 only', () => {
    for (const [cell, value] of [['是', '1'], ['1', '1'], ['1-是', '1'], ['否', '0'], ['0', '0'], ['0-否', '0']] as const) {
      expect(check({ specialGrade: cell }).values.specialGrade).toBe(value);
    }
    expect(errorsOf({ specialGrade: 'Y' }).map((error) => error.code)).toEqual(['invalid_code']);
  });
});

describe('rule 3: dates', () => {
  it('flags a date that is not a real day and lists the accepted forms', () => {
    const [error] = errorsOf({ workStart: '2001-13' });
    expect(error).toMatchObject({ field: 'workStart', code: 'invalid_date' });
    expect(error.message).toContain('“2001-13”');
    const [format] = errorsOf({ schoolJoin: '去年九月' });
    expect(format.message).toContain('198009');
    expect(format.messageEn).toContain('accepted forms');
  });

  it('flags dates after the collection date', () => {
    const errors = errorsOf({ schoolJoin: '2013-11' });
    expect(errors.map((error) => [error.field, error.code])).toEqual([['schoolJoin', 'date_in_future']]);
    expect(errors[0].message).toBe('进本校年月：2013-11晚于采集日期2013-10-21，不能是将来的日期');
    expect(errorsOf({ schoolJoin: '2013-10' })).toEqual([]);
  });
});

describe('rule 4: ID numbers', () => {
  it('checks a 居民身份证 number and stores its 18-digit form', () => {
    const errors = errorsOf({ idNumber: '430102198001011239' });
    expect(errors.map((error) => error.code)).toContain('id_checksum');
    const upgraded = check({ idNumber: makeIdNumber('430102', '19800101', '123').slice(0, 6) + '800101123' });
    expect(upgraded.findings).toEqual([]);
    expect(upgraded.values.idNumber).toBe(makeIdNumber('430102', '19800101', '123'));
    const lower = makeIdNumber('110105', '19491231', '002').toLowerCase();
    expect(check({ idNumber: lower, birthDate: '1949-12-31', sex: '2' }).values.idNumber).toBe('11010519491231002X');
  });

  it('recognises an ID that Excel turned into a number and says how to re-enter it', () => {
    // What ExcelJS hands over for 430102198001011234 typed into a General cell: a double, 15-17 digits kept.
    const asDouble = Number('430102198001011234');
    for (const idNumber of [asDouble, 4.30102e17, '4.30102E+17', '4.30102198001011E+17', '4.30102e+17']) {
      const errors = errorsOf({ idNumber });
      expect(errors.map((error) => error.code), String(idNumber)).toEqual(['id_mangled']);
      expect(errors[0].message).toContain('文本');
      expect(errors[0].messageEn).toContain('Text');
    }
    // Excel keeps 15 significant digits: the last three became 000.
    expect(errorsOf({ idNumber: '430102198001011000' }).map((error) => error.code)).toEqual(['id_mangled']);
  });

  it('reads a 15-digit ID held exactly in a numeric cell', () => {
    const { values, findings } = check({ idNumber: 430102800101123 });
    expect(findings).toEqual([]);
    expect(values.idNumber).toBe(makeIdNumber('430102', '19800101', '123'));
  });

  it('checks other document types for length and characters only', () => {
    expect(check({ idType: 'A-护照', idNumber: 'e12345678', nationality: '840', ethnicity: null }).findings).toEqual([]);
    expect(check({ idType: '2', idNumber: '南字第123456号' }).findings).toEqual([]);
    expect(check({ idType: '6', idNumber: 'A123456（7）' }).values.idNumber).toBe('A123456(7)');
    expect(errorsOf({ idType: 'A', idNumber: 'E 1234', nationality: '840', ethnicity: null }).map((e) => e.code)).toEqual(['invalid_format']);
    expect(errorsOf({ idType: 'A', idNumber: 'E'.repeat(31), nationality: '840', ethnicity: null }).map((e) => e.code)).toEqual(['too_long']);
  });
});

describe('rule 11: text fields', () => {
  it('keeps text within maxLength, counting characters', () => {
    const errors = errorsOf({ name: '张'.repeat(37) });
    expect(errors.map((error) => error.code)).toEqual(['too_long']);
    expect(errors[0].message).toBe('姓名：最多36个字，实为37个');
    expect(errorsOf({ name: '张'.repeat(36) })).toEqual([]);
  });

  it('refuses spaces inside a Chinese name but takes the dot of minority names and spaced Latin names', () => {
    const errors = errorsOf({ name: '张 三' });
    expect(errors.map((error) => [error.field, error.code])).toEqual([['name', 'invalid_format']]);
    expect(errors[0].message).toContain('“张 三”');
    expect(errorsOf({ formerName: '张　小三' }).map((error) => error.field)).toEqual(['formerName']);
    expect(errorsOf({ name: '阿依古丽·买买提' })).toEqual([]);
    expect(errorsOf({ name: 'John Smith' })).toEqual([]);
    expect(check({ name: '  张三  ' }).values.name).toBe('张三');
  });

  it('takes 出生地 as a county code or a Hunan county name, stored as the code', () => {
    expect(check({ birthPlace: '浏阳市' }).values.birthPlace).toBe('430181');
    expect(check({ birthPlace: '湖南省长沙市浏阳市' }).values.birthPlace).toBe('430181');
    expect(check({ birthPlace: '432524' }).values.birthPlace).toBe('432524');
    expect(check({ birthPlace: 440305 }).values.birthPlace).toBe('440305');
    const [error] = errorsOf({ birthPlace: '439999' });
    expect(error).toMatchObject({ field: 'birthPlace', code: 'invalid_code' });
    expect(error.message).toContain('湖南省使用过');
  });
});

describe('duplicateFinding (rule 12, for callers)', () => {
  it('names the first row of the file', () => {
    expect(duplicateFinding('file', '3')).toEqual({
      field: 'idNumber',
      code: 'duplicate_in_file',
      severity: 'error',
      message: '身份证件号：与第3行重复，同一人在一个文件中只能出现一次',
      messageEn: 'ID document number: repeats row 3; a person appears once in a file',
    });
  });

  it('names the school that already holds the number', () => {
    expect(duplicateFinding('school', '张三')).toMatchObject({ code: 'duplicate_in_school' });
    const province = duplicateFinding('province', '浏阳市第一中学');
    expect(province.code).toBe('duplicate_in_province');
    expect(province.message).toContain('浏阳市第一中学');
    expect(province.messageEn).toContain('浏阳市第一中学');
  });
});
