import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another on paper: no 0/O/o, 1/l/I. */
export const initialPasswordAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz';
const letters = /[A-Za-z]/;
const digits = /\d/;

/** A random initial password of 10 characters from the readable alphabet, with a letter and a digit. */
export function makeInitialPassword(length = 10): string {
  for (;;) {
    let password = '';
    for (let index = 0; index < length; index += 1) password += initialPasswordAlphabet[randomInt(initialPasswordAlphabet.length)];
    if (letters.test(password) && digits.test(password)) return password;
  }
}

const version = 'v1';

/**
 * Encrypts an initial password with AES-256-GCM under the server key, bound to its username (the additional
 * data), so a value copied to another account does not open: `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export function sealInitialPassword(key: Buffer, username: string, password: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(username.toLowerCase()));
  const sealed = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return [version, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The initial password in a sealed value, or undefined when it does not open under this key (another key, altered). */
export function openInitialPassword(key: Buffer, username: string, value: string): string | undefined {
  const [tag, iv, authTag, sealed] = value.split('.');
  if (tag !== version || !iv || !authTag || sealed === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(username.toLowerCase()));
    decipher.setAuthTag(Buffer.from(authTag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
