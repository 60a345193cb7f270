import { z } from 'zod';

/** True when `text` holds a control character other than tab and line ends. */
export function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) return true;
  }
  return false;
}

/**
 * Typed text, stored exactly as typed (HTML included: pages show it as text, never as markup), trimmed,
 * between 1 and `max` characters, without control characters.
 */
export const plainText = (max: number, label: { zh: string; en: string }) =>
  z
    .string()
    .trim()
    .min(1, `${label.zh}不能为空 / ${label.en} is required`)
    .max(max, `${label.zh}最多 ${max} 个字 / ${label.en}: at most ${max} characters`)
    .refine((value) => !hasControlCharacters(value), `${label.zh}含有不可见的控制字符 / ${label.en} contains control characters`);
