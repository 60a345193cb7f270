import fs from 'node:fs';
import type { Executor } from '../db/client.ts';
import { findUnits } from '../org/units.repository.ts';
import { DomainError } from '../errors.ts';
import { passwordShapeSchema } from '../../contract/accounts.schema.ts';

/** The lists of common passwords shipped as data (sources in data/SOURCES.md), lower-cased. */
const commonPasswords = new Set(
  ['common-passwords-top-1000.txt', 'common-passwords-chinese-top-1000.txt'].flatMap((file) =>
    fs
      .readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  ),
);

/**
 * True for a password on the lists, or one made of a listed password with digits or signs around it
 * (`Password2024`, `woaini1314520`), or listed digits with a few letters around them (`a1234567890`).
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  const word = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const digits = lower.replace(/^[a-z]{1,3}|[a-z]{1,3}$/g, '');
  return [lower, word, digits].some((candidate) => candidate.length >= 4 && commonPasswords.has(candidate));
}

/** A rule a password breaks, named for the person who typed it. */
export type PasswordProblem = { code: 'common_password' | 'contains_username' | 'contains_unit_code'; zh: string; en: string };

const problems: Record<PasswordProblem['code'], Omit<PasswordProblem, 'code'>> = {
  common_password: { zh: '不能使用常见密码（或常见密码加数字）', en: 'must not be a common password (or one with digits added)' },
  contains_username: { zh: '密码不能包含用户名', en: 'must not contain the username' },
  contains_unit_code: { zh: '密码不能包含单位代码', en: 'must not contain a unit code' },
};

/**
 * Passwords: 10–128 characters with a letter and a digit, not a common password. What needs the account
 * (its username, the unit codes) is checked by `assertPasswordAllowed`.
 */
export const passwordSchema = passwordShapeSchema.refine((password) => !isCommonPassword(password), `${problems.common_password.zh} / ${problems.common_password.en}`);

/** Runs of six or more digits in a password, cut into every six- and ten-digit piece: the shapes of unit codes. */
export function unitCodeCandidates(password: string): string[] {
  const pieces = new Set<string>();
  for (const run of password.normalize('NFKC').match(/\d{6,}/g) ?? []) {
    for (const length of [6, 10]) {
      for (let start = 0; start + length <= run.length; start += 1) pieces.add(run.slice(start, start + length));
    }
  }
  return [...pieces];
}

/** The rule a new password breaks for an account with `username`, given the unit codes found in it. */
export function passwordProblem(password: string, context: { username: string; unitCodesInside: string[] }): PasswordProblem | null {
  const lower = password.normalize('NFKC').toLowerCase();
  const username = context.username.normalize('NFKC').trim().toLowerCase();
  if (isCommonPassword(password)) return { code: 'common_password', ...problems.common_password };
  if (username.length >= 3 && lower.includes(username)) return { code: 'contains_username', ...problems.contains_username };
  if (context.unitCodesInside.length > 0) return { code: 'contains_unit_code', ...problems.contains_unit_code };
  return null;
}

/**
 * Refuses a new password that breaks a rule needing the account: it contains the username or any unit's code
 * (both public), or is common. `field` names the form field the message belongs to.
 */
export async function assertPasswordAllowed(executor: Executor, password: string, context: { username: string; field: string }) {
  const candidates = unitCodeCandidates(password);
  const found = await findUnits(executor, candidates);
  const problem = passwordProblem(password, { username: context.username, unitCodesInside: found.map((row) => row.code) });
  if (!problem) return;
  throw new DomainError(
    'validation_failed',
    { zh: `密码不符合要求：${problem.zh}`, en: `The password is not allowed: it ${problem.en}` },
    [{ field: context.field, code: problem.code, message: `${problem.zh} / ${problem.en}` }],
  );
}
