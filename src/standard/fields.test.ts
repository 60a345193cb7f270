import { describe, expect, it } from 'vitest';
import { fieldByKey, fields, fieldsFor, presenceOf } from './fields.ts';
import { codeTableFor } from './code-tables.ts';
import { schoolTypes } from './school-types.ts';
import { fieldKeys } from './types.ts';

describe('fields', () => {
  it('lists the 40 fields of the contract in the standard\'s order with labels and 指标解释', () => {
    expect(fields.map((field) => field.key)).toEqual([...fieldKeys]);
    expect(fieldByKey.idNumber).toMatchObject({ label: '身份证件号', labelEn: 'ID document number', type: 'text', maxLength: 30 });
    expect(fieldByKey.nationality.label).toBe('国籍/地区');
    expect(fieldByKey.ethnicity.rule).toContain('nationality = 156');
    expect(fieldByKey.political.type).toBe('codes');
  });

  it('gives each school type its template: absent fields left out, order kept', () => {
    const k12 = fieldsFor('k12').map((field) => field.key);
    expect(k12).not.toContain('specialEdStart');
    expect(k12).not.toContain('dualTeacher');
    expect(k12).not.toContain('department');
    expect(k12.indexOf('idType')).toBeLessThan(k12.indexOf('idNumber'));
    expect(fieldsFor('special').map((field) => field.key)).toContain('specialEdStart');
    expect(fieldsFor('vocational').map((field) => field.key)).toContain('dualTeacher');
    const higherEd = fieldsFor('higher_ed').map((field) => field.key);
    expect(higherEd).toContain('department');
    expect(higherEd).not.toContain('itAbility');
    for (const schoolType of schoolTypes) {
      expect(fieldsFor(schoolType).every((field) => field.presence[schoolType] !== 'absent')).toBe(true);
    }
  });

  it('says per school type whether a field is required, optional, conditional or absent', () => {
    expect(presenceOf('birthPlace', 'higher_ed')).toBe('required');
    expect(presenceOf('birthPlace', 'k12')).toBe('optional');
    expect(presenceOf('ethnicity', 'k12')).toBe('conditional');
    expect(presenceOf('specialEdStart', 'k12')).toBe('absent');
  });

  it('uses the higher-education staff-source table only for 高等学校', () => {
    expect(codeTableFor('staffSource', 'k12')?.id).toBe('staff-source-k12');
    expect(codeTableFor('staffSource', 'special')?.id).toBe('staff-source-k12');
    expect(codeTableFor('staffSource', 'higher_ed')?.id).toBe('staff-source-higher-ed');
    expect(codeTableFor('onPayroll', 'k12')?.id).toBe('yes-no');
    expect(codeTableFor('name', 'k12')).toBeUndefined();
  });
});
