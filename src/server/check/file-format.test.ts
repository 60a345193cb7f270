import { describe, expect, it } from 'vitest';
import { detectFormat } from './file-format.ts';

describe('detectFormat', () => {
  it('tells a zip (xlsx) from text (csv) by content, not by name', () => {
    expect(detectFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'staff.csv')).toBe('xlsx');
    expect(detectFormat(Buffer.from('姓名,性别'), 'staff.xlsx')).toBe('csv');
  });

  it('refuses legacy .xls and encrypted workbooks (OLE) with what to do', () => {
    expect(() => detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'a.xlsx')).toThrow(
      expect.objectContaining({
        code: 'unsupported_media_type',
        messages: expect.objectContaining({ zh: expect.stringContaining('旧版 .xls 或设置了密码的工作簿，请另存为 .xlsx 并取消密码') }),
      }),
    );
  });

  it('refuses empty files, UTF-16 text and binaries', () => {
    for (const head of [Buffer.alloc(0), Buffer.from([0xff, 0xfe, 0x53, 0x00]), Buffer.from('%PDF-1.7'), Buffer.from([1, 2, 0, 4])]) {
      expect(() => detectFormat(head, 'a.csv')).toThrow(expect.objectContaining({ code: 'unsupported_media_type' }));
    }
  });
});
