import { describe, expect, it } from 'vitest';
import { checkContacts, checkWorkingGroup, normaliseEmail, normaliseLandline, normaliseMobile, normalisePhone, type ContactsInput } from './contact-rules.ts';

const person = (name: string) => ({ name, title: '科长', officePhone: '0731-84720000', mobile: '13812345678', email: 'liaison@example.cn' });
const valid = (): ContactsInput => ({ department: '人事科', leader: person('张主管'), head: person('李科长'), liaison: person('王联络') });

describe('mainland mobile numbers', () => {
  it('accepts 11 digits starting 13–19, typed with spaces, dashes or +86, and normalises them', () => {
    expect(normaliseMobile('13812345678')).toBe('13812345678');
    expect(normaliseMobile(' 138 1234 5678 ')).toBe('13812345678');
    expect(normaliseMobile('138-1234-5678')).toBe('13812345678');
    expect(normaliseMobile('+86 138 1234 5678')).toBe('13812345678');
    expect(normaliseMobile('008619912345678')).toBe('19912345678');
  });

  it('refuses other lengths, prefixes and letters', () => {
    for (const bad of ['1381234567', '138123456789', '12812345678', '23812345678', '1381234567a', '', '+85 13812345678']) {
      expect(normaliseMobile(bad), bad).toBeNull();
    }
  });
});

describe('landlines with area code', () => {
  it('normalises to area-number, with an extension when given', () => {
    expect(normaliseLandline('0731-84720000')).toBe('0731-84720000');
    expect(normaliseLandline('073184720000')).toBe('0731-84720000');
    expect(normaliseLandline('(0731) 8472 0000')).toBe('0731-84720000');
    expect(normaliseLandline('010-12345678')).toBe('010-12345678');
    expect(normaliseLandline('01012345678')).toBe('010-12345678');
    expect(normaliseLandline('0744-8234567')).toBe('0744-8234567');
    expect(normaliseLandline('0731-84720000转123')).toBe('0731-84720000-123');
    expect(normaliseLandline('0731-84720000-123')).toBe('0731-84720000-123');
  });

  it('refuses numbers without area code, too short or too long', () => {
    for (const bad of ['84720000', '731-84720000', '0731-847200', '0731-847200001', '0731-8472000a', '13812345678']) {
      expect(normaliseLandline(bad), bad).toBeNull();
    }
  });

  it('takes a mobile or a landline as a working group phone', () => {
    expect(normalisePhone('138 1234 5678')).toBe('13812345678');
    expect(normalisePhone('0731 84720000')).toBe('0731-84720000');
    expect(normalisePhone('12345')).toBeNull();
  });
});

describe('e-mail addresses', () => {
  it('accepts usual addresses, trimmed', () => {
    expect(normaliseEmail(' rsk@hnedu.cn ')).toBe('rsk@hnedu.cn');
    expect(normaliseEmail('zhang.san+census@mail.csedu.gov.cn')).toBe('zhang.san+census@mail.csedu.gov.cn');
  });

  it('refuses malformed ones', () => {
    for (const bad of ['rsk', 'rsk@', '@hnedu.cn', 'rsk@hnedu', 'rsk@@hnedu.cn', 'r sk@hnedu.cn', 'rsk@-hnedu.cn', 'rsk@hnedu.c']) {
      expect(normaliseEmail(bad), bad).toBeNull();
    }
  });
});

describe('checking the 责任人和联络员信息表', () => {
  it('passes a complete form and normalises its phones', () => {
    const input = valid();
    input.liaison.mobile = '+86 139-0731-0000';
    input.head.officePhone = '(0731)84720001';
    const { value, findings } = checkContacts(input);
    expect(findings).toEqual([]);
    expect(value.liaison.mobile).toBe('13907310000');
    expect(value.head.officePhone).toBe('0731-84720001');
  });

  it('names the person, the field and why for a bad mobile, landline and e-mail', () => {
    const input = valid();
    input.liaison.mobile = '1381234567';
    input.head.officePhone = '84720000';
    input.leader.email = 'leader@';
    const { findings } = checkContacts(input);
    expect(findings.map((finding) => finding.field)).toEqual(['leader.email', 'head.officePhone', 'liaison.mobile']);
    const mobile = findings.find((finding) => finding.field === 'liaison.mobile')!;
    expect(mobile.messages.zh).toContain('联络员的手机“1381234567”不是有效的手机号码');
    expect(mobile.messages.en).toContain("The liaison's mobile \"1381234567\" is not a valid mainland mobile number");
    expect(findings.find((finding) => finding.field === 'head.officePhone')!.messages.zh).toContain('责任部门负责人的办公电话“84720000”不是有效的固定电话（须带区号');
    expect(findings.find((finding) => finding.field === 'leader.email')!.messages.zh).toContain('主管领导的邮箱“leader@”不是有效的电子邮箱地址');
  });

  it('refuses missing fields, control characters and overlong text, but keeps HTML as typed text', () => {
    const input = valid();
    input.department = '';
    input.leader.name = '张\u0000三';
    input.head.title = '科'.repeat(101);
    input.liaison.name = '<script>alert(1)</script>';
    const { value, findings } = checkContacts(input);
    expect(findings.map((finding) => [finding.field, finding.messages.zh])).toEqual([
      ['department', '本单位的责任部门未填写'],
      ['leader.name', '主管领导的姓名含有控制字符（如换行、制表符），请删除后重新填写'],
      ['head.title', '责任部门负责人的职务过长（不超过 100 个字）'],
    ]);
    expect(value.liaison.name).toBe('<script>alert(1)</script>');
  });
});

describe('checking a working group', () => {
  it('passes one leader with deputies and members, normalising phones', () => {
    const { value, findings } = checkWorkingGroup([
      { role: 'leader', name: '赵组长', post: '局长', phone: '0731 84720000' },
      { role: 'member', name: '钱成员', post: '人事科科长', phone: '138 1234 5678' },
    ]);
    expect(findings).toEqual([]);
    expect(value.map((member) => member.phone)).toEqual(['0731-84720000', '13812345678']);
  });

  it('refuses no leader or two, and names the member with a bad phone', () => {
    expect(checkWorkingGroup([{ role: 'member', name: '钱', post: '科长', phone: '13812345678' }]).findings.map((f) => f.field)).toEqual(['members']);
    const two = checkWorkingGroup([
      { role: 'leader', name: '赵', post: '局长', phone: '13812345678' },
      { role: 'leader', name: '孙', post: '局长', phone: '12345' },
    ]);
    expect(two.findings.map((f) => f.field)).toEqual(['members.1.phone', 'members']);
    expect(two.findings[0].messages.zh).toBe('第 2 位组长的联系电话“12345”不是有效的电话号码（手机 11 位，或带区号的固定电话如 0731-84720000）');
  });
});
