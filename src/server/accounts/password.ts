import { availableParallelism } from 'node:os';
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

/**
 * Initial passwords (made by the server for an import or a bulk reset) are 10 characters drawn at random from 56
 * (≈58 bits), must be changed at first sign-in, and are kept encrypted for the admin to hand out anyway: the
 * memory-hard setting above would spend 25 ms of a core on each, 25 minutes for 60,000 accounts on two cores.
 * They take Argon2id with 2 MiB and 1 pass (under 1 ms): guessing 2^57 candidates at even a million a second
 * takes millennia. The password the user then chooses is hashed with the full setting.
 */
const initialOptions: Options = { algorithm: 2, memoryCost: 2_048, timeCost: 1, parallelism: 1 };

/**
 * Hashes many initial passwords, `parallelism` at a time: @node-rs/argon2 hashes on libuv's thread pool, off the
 * event loop, so a few calls in flight keep every core busy (a worker_threads pool would add only messaging).
 */
export async function hashInitialPasswords(passwords: string[], parallelism = Math.max(2, availableParallelism())): Promise<string[]> {
  const hashes: string[] = new Array<string>(passwords.length);
  let next = 0;
  const lane = async () => {
    while (next < passwords.length) {
      const index = next;
      next += 1;
      hashes[index] = await hash(passwords[index], initialOptions);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, passwords.length) }, lane));
  return hashes;
}
