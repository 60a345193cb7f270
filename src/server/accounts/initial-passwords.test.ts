import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { initialPasswordAlphabet, makeInitialPassword, openInitialPassword, sealInitialPassword } from './initial-passwords.ts';
import { hashInitialPasswords, verifyPassword } from './password.ts';

describe('initial passwords', () => {
  it('are 10 readable characters with a letter and a digit, never 0 O o 1 l I', () => {
    expect(initialPasswordAlphabet).not.toMatch(/[0Oo1lI]/);
    const made = Array.from({ length: 500 }, () => makeInitialPassword());
    for (const password of made) expect(password).toMatch(/^(?=.*\d)(?=.*[A-Za-z])[2-9A-HJ-NP-Za-km-np-z]{10}$/);
    expect(new Set(made).size).toBe(500);
  });

  it('open only under the same key and for the same username', () => {
    const key = randomBytes(32);
    const sealed = sealInitialPassword(key, '2430102001-op', 'Ab3dEf7hJk');
    expect(sealed).not.toContain('Ab3dEf7hJk');
    expect(openInitialPassword(key, '2430102001-OP', sealed)).toBe('Ab3dEf7hJk');
    expect(openInitialPassword(key, '2430102001-admin', sealed)).toBeUndefined();
    expect(openInitialPassword(randomBytes(32), '2430102001-op', sealed)).toBeUndefined();
    const [version, iv, tag, ciphertext] = sealed.split('.');
    const altered = [version, iv, tag, (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1)].join('.');
    expect(openInitialPassword(key, '2430102001-op', altered)).toBeUndefined();
  });

  it('hash in parallel to Argon2id hashes that verify', async () => {
    const passwords = ['Ab3dEf7hJk', 'Zz9yXw8vUt', 'Qq2Rr3Ss4T'];
    const hashes = await hashInitialPasswords(passwords);
    expect(hashes[0]).toMatch(/^\$argon2id\$/);
    for (const [index, password] of passwords.entries()) expect(await verifyPassword(hashes[index], password)).toBe(true);
    expect(await verifyPassword(hashes[0], passwords[1])).toBe(false);
  });
});
