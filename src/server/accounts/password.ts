import { hash, verify, type Options } from '@node-rs/argon2';
import { z } from 'zod';

// Argon2id with 19 MiB memory and 2 passes: the memory-hard setting OWASP recommends for interactive logins.
// (algorithm 2 is Argon2id; the package's enum is a const enum that isolated modules cannot read.)
const options: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Passwords: 8–128 characters with at least one letter and one digit. */
export const passwordSchema = z
  .string()
  .min(8, '密码至少 8 位 / at least 8 characters')
  .max(128, '密码最多 128 位 / at most 128 characters')
  .regex(/[A-Za-z]/, '密码须包含字母 / must contain a letter')
  .regex(/\d/, '密码须包含数字 / must contain a digit');

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the time of one verification, so an unknown username answers as slowly as a wrong password. */
export async function verifyNothing(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-password-0');
  await verifyPassword(await dummyHash, password);
}
