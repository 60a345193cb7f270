import { describe, expect, it } from 'vitest';
import { fieldChangesOf, fileSize, holderOf, newUploadToken, type ImportRow } from './imports-api';

const row = (changes: Record<string, unknown> | null): ImportRow => ({ row: 3, action: 'changed', staffId: 7, values: null, changes });

describe('import helpers', () => {
  it('reads a changed row\'s fields as before/after pairs', () => {
    expect(fieldChangesOf(row({ marital: { before: '10', after: '20' }, remark: { before: null, after: '新' } }))).toEqual([
      ['marital', { before: '10', after: '20' }],
      ['remark', { before: null, after: '新' }],
    ]);
    expect(fieldChangesOf(row(null))).toEqual([]);
  });

  it('names the school and county that already hold a conflicting ID number', () => {
    const holder = { schoolCode: '2430103001', schoolName: '天心区第一小学', countyName: '天心区' };
    expect(holderOf({ ...row({ holder }), action: 'conflict' })).toEqual(holder);
    expect(holderOf(row({ marital: { before: '10', after: '20' } }))).toBeNull();
  });

  it('says a file size in KB or MB', () => {
    expect(fileSize(200)).toBe('1 KB');
    expect(fileSize(33_685)).toBe('33 KB');
    expect(fileSize(5 * 1024 * 1024)).toBe('5.0 MB');
  });

  it('makes a different 32-character upload token each time', () => {
    const token = newUploadToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(newUploadToken()).not.toBe(token);
  });
});
