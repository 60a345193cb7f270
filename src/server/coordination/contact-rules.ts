import type { Messages } from '../errors.ts';
import { type ContactRole, type GroupRole, type PersonField } from '../../contract/coordination.schema.ts';

/**
 * The checks of the 责任人和联络员信息表 and the 联合工作组: phone numbers and e-mail addresses in their
 * mainland formats (normalised to one spelling), plain text without control characters. Every finding names
 * the person, the field and why, in Chinese and English, with the field path the form marks.
 */

export type Finding = { field: string; message: string; messages: Messages };

/** The roles in the attachment's order and wording (contactsForm.roles). */
export const contactRoleLabels: Record<ContactRole, Messages> = {
  leader: { zh: '主管领导', en: 'leader in charge' },
  head: { zh: '责任部门负责人', en: 'department head' },
  liaison: { zh: '联络员', en: 'liaison' },
};

/** The columns in the attachment's order and wording (contactsForm.columns). */
export const personFieldLabels: Record<PersonField, Messages> = {
  name: { zh: '姓名', en: 'name' },
  title: { zh: '职务', en: 'title' },
  officePhone: { zh: '办公电话', en: 'office phone' },
  mobile: { zh: '手机', en: 'mobile' },
  email: { zh: '邮箱', en: 'e-mail' },
};

export const groupRoleLabels: Record<GroupRole, Messages> = {
  leader: { zh: '组长', en: 'leader' },
  deputy: { zh: '副组长', en: 'deputy leader' },
  member: { zh: '成员', en: 'member' },
};

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A mainland mobile number as typed (spaces, dashes, +86 or 0086 allowed) → 11 digits, or null. */
export function normaliseMobile(typed: string): string | null {
  let digits = typed.trim().replace(/[\s-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/**
 * A landline with its area code → `0731-84720000` (with `-extension` when given as 转, ext, # or a third
 * dash group), or null. Area codes 010 and 02x have three digits, the others four.
 */
export function normaliseLandline(typed: string): string | null {
  const compact = typed.trim().replace(/\s+/g, '').replace(/^(\+86|0086)-?/, '');
  const match = /^\(?(0(?:[12]\d|[3-9]\d{2}))\)?-?(\d{7,8})(?:(?:-|转|ext\.?|x|#)(\d{1,6}))?$/i.exec(compact);
  if (!match) return null;
  const [, area, number, extension] = match;
  return `${area}-${number}${extension ? `-${extension}` : ''}`;
}

const emailPattern = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

/** An e-mail address → trimmed, or null. */
export function normaliseEmail(typed: string): string | null {
  const value = typed.trim();
  return value.length <= 254 && emailPattern.test(value) ? value : null;
}

/** A phone given in the working group's 联系电话: a mobile or a landline. */
export function normalisePhone(typed: string): string | null {
  return normaliseMobile(typed) ?? normaliseLandline(typed);
}

type TextRule = { max: number };

function checkText(value: string, rule: TextRule, field: string, who: Messages, what: Messages, findings: Finding[]): string {
  const text = value.trim();
  const say = (zh: string, en: string) => findings.push({ field, message: `${who.zh}的${what.zh}${zh}`, messages: { zh: `${who.zh}的${what.zh}${zh}`, en: `The ${who.en}'s ${what.en} ${en}` } });
  if (text === '') say('未填写', 'is missing');
  else if (controlCharacters.test(text)) say('含有控制字符（如换行、制表符），请删除后重新填写', 'contains control characters (line breaks, tabs); remove them');
  else if (text.length > rule.max) say(`过长（不超过 ${rule.max} 个字）`, `is too long (at most ${rule.max} characters)`);
  return text;
}

function checkFormatted(value: string, normalise: (typed: string) => string | null, why: Messages, field: string, who: Messages, what: Messages, findings: Finding[]): string {
  const before = findings.length;
  const text = checkText(value, { max: 64 }, field, who, what, findings);
  if (findings.length > before) return text;
  const normalised = normalise(text);
  if (normalised === null) {
    const zh = `${who.zh}的${what.zh}“${text}”${why.zh}`;
    findings.push({ field, message: zh, messages: { zh, en: `The ${who.en}'s ${what.en} "${text}" ${why.en}` } });
    return text;
  }
  return normalised;
}

const mobileWhy: Messages = { zh: '不是有效的手机号码（11 位，以 13–19 开头，如 13812345678）', en: 'is not a valid mainland mobile number (11 digits starting 13–19, e.g. 13812345678)' };
const landlineWhy: Messages = { zh: '不是有效的固定电话（须带区号，如 0731-84720000，分机可写作 0731-84720000-123）', en: 'is not a valid landline with area code (e.g. 0731-84720000, extension as 0731-84720000-123)' };
const emailWhy: Messages = { zh: '不是有效的电子邮箱地址（如 name@example.cn）', en: 'is not a valid e-mail address (e.g. name@example.cn)' };
const phoneWhy: Messages = { zh: '不是有效的电话号码（手机 11 位，或带区号的固定电话如 0731-84720000）', en: 'is not a valid phone number (an 11-digit mobile, or a landline with area code such as 0731-84720000)' };

export type ContactPersonInput = Record<PersonField, string>;
export type ContactsInput = { department: string } & Record<ContactRole, ContactPersonInput>;

/** Checks and normalises a 责任人和联络员信息表; `findings` is empty when it may be saved. */
export function checkContacts(input: ContactsInput): { value: ContactsInput; findings: Finding[] } {
  const findings: Finding[] = [];
  const unitWho: Messages = { zh: '本单位', en: 'unit' };
  const department = checkText(input.department, { max: 100 }, 'department', unitWho, { zh: '责任部门', en: 'responsible department' }, findings);
  const checkPerson = (role: ContactRole): ContactPersonInput => {
    const who = contactRoleLabels[role];
    const person = input[role];
    const at = (field: PersonField) => `${role}.${field}`;
    return {
      name: checkText(person.name, { max: 50 }, at('name'), who, personFieldLabels.name, findings),
      title: checkText(person.title, { max: 100 }, at('title'), who, personFieldLabels.title, findings),
      officePhone: checkFormatted(person.officePhone, normaliseLandline, landlineWhy, at('officePhone'), who, personFieldLabels.officePhone, findings),
      mobile: checkFormatted(person.mobile, normaliseMobile, mobileWhy, at('mobile'), who, personFieldLabels.mobile, findings),
      email: checkFormatted(person.email, normaliseEmail, emailWhy, at('email'), who, personFieldLabels.email, findings),
    };
  };
  // The people in the attachment's order (contactRoles), so the findings read in that order too.
  const value: ContactsInput = { department, leader: checkPerson('leader'), head: checkPerson('head'), liaison: checkPerson('liaison') };
  return { value, findings };
}

export type GroupMemberInput = { role: GroupRole; name: string; post: string; phone: string };

/** Checks a working group: one 组长 first, then deputies, then members; each with name, post and phone. */
export function checkWorkingGroup(members: GroupMemberInput[]): { value: GroupMemberInput[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const value = members.map((member, index) => {
    const who: Messages = { zh: `第 ${index + 1} 位${groupRoleLabels[member.role].zh}`, en: `${groupRoleLabels[member.role].en} no. ${index + 1}` };
    const at = (field: string) => `members.${index}.${field}`;
    return {
      role: member.role,
      name: checkText(member.name, { max: 50 }, at('name'), who, { zh: '姓名', en: 'name' }, findings),
      post: checkText(member.post, { max: 100 }, at('post'), who, { zh: '职务', en: 'post' }, findings),
      phone: checkFormatted(member.phone, normalisePhone, phoneWhy, at('phone'), who, { zh: '联系电话', en: 'phone' }, findings),
    };
  });
  const leaders = members.filter((member) => member.role === 'leader').length;
  if (members.length > 0 && leaders !== 1) {
    findings.push({ field: 'members', message: '工作组须有且只有一位组长（由主要负责人担任）', messages: { zh: '工作组须有且只有一位组长（由主要负责人担任）', en: 'A working group has exactly one leader (the head of the unit)' } });
  }
  return { value, findings };
}
