import { describe, expect, it } from 'vitest';
import { idCheckCharacter } from './id-number.ts';
import { maskBirthDate, maskChanges, maskFieldValue, maskFinding, maskIdNumber, maskIdNumbersIn, maskPersonalText, maskPhone, maskValues } from './masking.ts';

describe('maskIdNumber', () => {
  it('keeps only the region of an ID number, hiding the birth date, the sequence and the check character', () => {
    expect(maskIdNumber('430102198001011234')).toBe('430102************');
    expect(maskIdNumber('43010219800101123X')).toBe('430102************');
    expect(maskIdNumber('430102800101123')).toBe('430102*********');
  });

  it('keeps the first and last 2 of a short number and hides a tiny one', () => {
    expect(maskIdNumber('A1234567')).toBe('A1****67');
    expect(maskIdNumber('1234')).toBe('****');
  });

  it('leaves about 500 numbers per birth date open, so a birth date to the month leaves thousands', () => {
    // What a reader holds: the region shown, the month of birth, the sex (odd 17th digit).
    const possible = new Set<string>();
    for (let day = 1; day <= 31; day += 1) {
      for (let sequence = 1; sequence < 1000; sequence += 2) {
        const first17 = `430102196905${String(day).padStart(2, '0')}${String(sequence).padStart(3, '0')}`;
        const id = first17 + idCheckCharacter(first17);
        if (maskIdNumber(id) === '430102************' && maskBirthDate(`1969-05-${String(day).padStart(2, '0')}`) === '1969-05') possible.add(id);
      }
    }
    expect(possible.size).toBe(31 * 500);
  });
});

describe('maskBirthDate', () => {
  it('gives a date to the month and keeps a year-month as it is', () => {
    expect(maskBirthDate('1969-05-23')).toBe('1969-05');
    expect(maskBirthDate('1969-05')).toBe('1969-05');
  });

  it('hides every digit of a value that is not a date', () => {
    expect(maskBirthDate('1969年5月23日')).toBe('****年*月**日');
    expect(maskBirthDate('19690523')).toBe('********');
  });
});

describe('maskIdNumbersIn', () => {
  it('masks ID numbers inside text, typed with spaces or not, and leaves phones, dates and codes alone', () => {
    expect(maskIdNumbersIn('证件号430102198001011234，电话13812345678')).toBe('证件号430102************，电话13812345678');
    expect(maskIdNumbersIn('实为“430102 19800101 123X”')).toBe('实为“430102 ******** ****”');
    expect(maskIdNumbersIn('1980-01-01 0731-84720000 430102')).toBe('1980-01-01 0731-84720000 430102');
  });
});

describe('maskPersonalText', () => {
  it('gives every date in a finding to the month, in any of its forms', () => {
    expect(maskPersonalText('1986-09参加工作时未满18周岁（出生日期1969-05-23），请核对')).toBe('1986-09参加工作时未满18周岁（出生日期1969-05），请核对');
    expect(maskPersonalText('born 1969年5月23日; digits 7-14 ("19690532")')).toBe('born 1969年5月; digits 7-14 ("196905**")');
  });
});

describe('a record, its changes and its findings, masked', () => {
  it('masks the ID number, the birth date and ID numbers typed into other fields; the rest stays', () => {
    const values = { name: '张三', sex: '1', idNumber: '430102196905231234', birthDate: '1969-05-23', staffNo: '430102196905231234', remark: null };
    expect(maskValues(values)).toEqual({ name: '张三', sex: '1', idNumber: '430102************', birthDate: '1969-05', staffNo: '430102************', remark: null });
    expect(maskFieldValue('workStart', '1986-09')).toBe('1986-09');
  });

  it('masks both sides of a change', () => {
    expect(maskChanges({ birthDate: { before: '1969-05-23', after: '1969-05-28' }, name: { before: '张三', after: '张叁' } })).toEqual({
      birthDate: { before: '1969-05', after: '1969-05' },
      name: { before: '张三', after: '张叁' },
    });
  });

  it('masks both languages of a finding and keeps its code', () => {
    const finding = { field: 'workStart', code: 'work_before_18', message: '（出生日期1969-05-23）', messageEn: '(born 1969-05-23)' };
    expect(maskFinding(finding)).toEqual({ ...finding, message: '（出生日期1969-05）', messageEn: '(born 1969-05)' });
  });
});

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mobile, the area code and last four of a landline', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0731-84720000')).toBe('0731-****0000');
    expect(maskPhone('010-12345678-123')).toBe('010-****5678');
  });
});
