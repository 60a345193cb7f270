import { hash, verify, type Options } from '@node-rs/argon2';

// Argon2id with 19 MiB memory and 2 passes: the memory-hard setting OWASP recommends for interactive logins.
// (algorithm 2 is Argon2id; the package's enum is a const enum that isolated modules cannot read.)
const options: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

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
