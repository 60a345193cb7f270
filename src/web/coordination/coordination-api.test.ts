import { describe, expect, it } from 'vitest';
import { chinaDateTime, fieldFindings } from './coordination-api';

describe('fieldFindings', () => {
  it('turns the server\'s dotted field paths into form paths with the message in the chosen language', () => {
    const details = [
      { field: 'liaison.mobile', message: '联络员的手机…', messages: { zh: '联络员的手机“1”不是有效的手机号码', en: 'The liaison\'s mobile "1" is not valid' } },
      { field: 'members.2.phone', messages: { zh: '第 3 位成员的联系电话…', en: 'member no. 3 phone' } },
      { field: 'department', message: '本单位的责任部门未填写' },
    ];
    expect(fieldFindings(details, 'zh')).toEqual([
      { name: ['liaison', 'mobile'], errors: ['联络员的手机“1”不是有效的手机号码'] },
      { name: ['members', 2, 'phone'], errors: ['第 3 位成员的联系电话…'] },
      { name: ['department'], errors: ['本单位的责任部门未填写'] },
    ]);
    expect(fieldFindings(details, 'en')[0].errors).toEqual(['The liaison\'s mobile "1" is not valid']);
  });

  it('ignores answers without field findings', () => {
    expect(fieldFindings(undefined, 'zh')).toEqual([]);
    expect(fieldFindings([{ message: 'x' }, null], 'zh')).toEqual([]);
  });
});

describe('chinaDateTime', () => {
  it('shows a moment in Beijing time', () => {
    expect(chinaDateTime('2026-11-29T10:49:00.000Z')).toBe('2026-11-29 18:49');
    expect(chinaDateTime('2026-11-29T16:05:00.000Z')).toBe('2026-11-30 00:05');
  });
});
