import { describe, expect, it } from 'vitest';
import { checkRecord, codeTables, fieldKeys, type StaffValues } from '../../standard/index.ts';
import { makeIdNumber, validRaw } from '../../standard/test-fixtures.ts';
import { changedValues, codesOf, findingsByField, formState, hiddenFields, joinCodes, plainValue, type FormValues } from './staff-form-model';

const today = new Date('2013-10-21T00:00:00Z');
/** A valid k12 record in canonical form, as the API gives it. */
const stored: StaffValues = checkRecord(validRaw(), { schoolType: 'k12', today }).values;

describe('the staff form model', () => {
  it('shows 民族 only for 中国 and 用人形式 only off the payroll', () => {
    expect(hiddenFields(stored, 'k12', today)).toEqual(new Set(['employmentForm', 'grassrootsStart', 'grassrootsEnd']));
    const foreign = hiddenFields({ ...stored, nationality: '840', onPayroll: '0', grassroots: '1' }, 'k12', today);
    expect(foreign).toEqual(new Set(['ethnicity']));
  });

  it('keeps a conditional field shown while its condition is blank, but requires it only when the condition holds', () => {
    const blank: FormValues = { name: '张三' };
    const state = formState(blank, 'k12', today);
    expect(state.hidden.has('ethnicity')).toBe(false);
    expect(state.required.has('ethnicity')).toBe(false);
    expect(formState({ ...blank, nationality: '156' }, 'k12', today).required.has('ethnicity')).toBe(true);
    expect(formState({ ...stored, grassroots: '1' }, 'k12', today).required.has('grassrootsStart')).toBe(true);
    expect(formState({ ...stored, grassroots: '1' }, 'k12', today).required.has('grassrootsEnd')).toBe(false);
  });

  it('leaves out fields a school type does not have (特教从业年月 only for special schools)', () => {
    expect(formState(stored, 'k12', today).values.specialEdStart).toBeNull();
    const special = formState(stored, 'special', today);
    expect(special.required.has('specialEdStart')).toBe(true);
    expect(special.findings.filter((finding) => finding.code === 'required').map((finding) => finding.field)).toEqual(['specialEdStart', 'specialEdGrad']);
  });

  it('gives the server\'s own message for a wrong check character, under 身份证件号', () => {
    const idNumber = makeIdNumber('430102', '19800101', '123');
    const wrong = idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');
    const findings = formState({ ...stored, idNumber: wrong }, 'k12', today).findings;
    const grouped = findingsByField(findings);
    expect(grouped.get('idNumber')?.[0].message).toMatch(/^身份证件号：校验位应为/);
  });

  it('empties hidden fields before checking, so a changed condition does not leave a must-be-empty error', () => {
    const state = formState({ ...stored, nationality: '840' }, 'k12', today);
    expect(state.values.ethnicity).toBeNull();
    expect(state.findings).toEqual([]);
    expect(changedValues(stored, state.values, 'k12')).toEqual({ nationality: '840', ethnicity: null });
  });

  it('sends nothing when nothing changed', () => {
    const state = formState(stored, 'k12', today);
    expect(changedValues(stored, state.values, 'k12')).toEqual({});
    expect(Object.keys(state.values)).toEqual([...fieldKeys]);
  });

  it('joins several codes in the table\'s order and reads them back', () => {
    expect(joinCodes(['03', '01'], codeTables.political)).toBe('01,03');
    expect(joinCodes([], codeTables.political)).toBeNull();
    expect(codesOf('01,03')).toEqual(['01', '03']);
    expect(codesOf(null)).toEqual([]);
  });

  it('says a value in plain words', () => {
    expect(plainValue('sex', '1', 'k12')).toBe('男');
    expect(plainValue('onPayroll', '0', 'k12')).toBe('否');
    expect(plainValue('political', '01,03', 'k12')).toBe('中国共产党党员、中国共产主义青年团团员');
    expect(plainValue('birthDate', '1980-01-01', 'k12')).toBe('1980-01-01');
    expect(plainValue('remark', null, 'k12')).toBeNull();
    expect(plainValue('birthPlace', '430102', 'k12')).toBe('430102 芙蓉区');
    expect(plainValue('birthPlace', '110101', 'k12')).toBe('110101 北京市');
  });
});
