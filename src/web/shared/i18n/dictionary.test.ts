import { describe, expect, it } from 'vitest';
import { dictionary, translate, type MessageKey } from './dictionary';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the UI dictionary', () => {
  const keys = Object.keys(dictionary.zh) as MessageKey[];

  it('has the same placeholders in Chinese and English for every string', () => {
    const mismatched = keys.filter((key) => placeholders(dictionary.zh[key]).join() !== placeholders(dictionary.en[key]).join());
    expect(mismatched).toEqual([]);
  });

  it('has every Chinese string in English too (empty only where Chinese needs a unit word)', () => {
    const missing = keys.filter((key) => (dictionary.zh[key]) !== '' && dictionary.en[key] === '' && !key.startsWith('unit.counts.unit'));
    expect(missing).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(translate('zh', 'common.total', { total: 8 })).toBe('共 8 条');
    expect(translate('en', 'tree.more', { loaded: 200, total: 350 })).toBe('More… (200 of 350 shown)');
    expect(translate('en', 'tree.more', { loaded: 200 })).toBe('More… (200 of {total} shown)');
  });
});
