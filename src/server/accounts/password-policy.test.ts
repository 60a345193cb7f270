import { describe, expect, it } from 'vitest';
import { isCommonPassword, passwordProblem, passwordSchema, unitCodeCandidates } from './password-policy.ts';

const messageOf = (password: string) => {
  const result = passwordSchema.safeParse(password);
  return result.success ? null : result.error.issues.map((issue) => issue.message).join('；');
};

describe('password rules', () => {
  it('asks for at least 10 characters with a letter and a digit', () => {
    expect(messageOf('password1')).toContain('至少 10 位');
    expect(messageOf('a123456')).toContain('至少 10 位');
    expect(messageOf('12345678901')).toContain('须包含字母');
    expect(messageOf('qwertyuiopas')).toContain('须包含数字');
    expect(messageOf('Sturdy-Pass-2024')).toBeNull();
  });

  it('refuses the common passwords of both lists, in any letter case', () => {
    for (const password of ['woaini1314', 'WOAINI1314', 'a123456789', '1qaz2wsx', 'abc123456789', 'zxcvbnm123', '12345678', 'qwertyuiop', 'password1']) {
      expect(isCommonPassword(password), password).toBe(true);
    }
    expect(messageOf('woaini1314')).toContain('常见密码');
  });

  it('refuses a common password with digits or signs added, and common digits wrapped in a few letters', () => {
    expect(isCommonPassword('Password2024')).toBe(true);
    expect(isCommonPassword('woaini1314520')).toBe(true);
    expect(isCommonPassword('qwertyuiop123')).toBe(true);
    expect(isCommonPassword('a1234567890')).toBe(true);
    expect(isCommonPassword('abc1234567')).toBe(true);
    expect(isCommonPassword('Sturdy-Pass-2024')).toBe(false);
    expect(isCommonPassword('Changed2024')).toBe(false);
  });

  it('refuses a password holding the username or a unit code', () => {
    expect(passwordProblem('Furong-Admin-2024', { username: 'furong-admin', unitCodesInside: [] })?.code).toBe('contains_username');
    expect(passwordProblem('x2430102001y', { username: 'someone', unitCodesInside: ['2430102001'] })?.zh).toContain('单位代码');
    expect(passwordProblem('Sturdy-Pass-2024', { username: 'someone', unitCodesInside: [] })).toBeNull();
  });

  it('finds every six- and ten-digit piece of a long digit run, the shapes of unit codes', () => {
    expect(unitCodeCandidates('ab12345')).toEqual([]);
    expect(unitCodeCandidates('x430102y')).toEqual(['430102']);
    expect(unitCodeCandidates('x2430102001y')).toEqual(expect.arrayContaining(['243010', '430102', '2430102001']));
  });
});
