import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { assertSafeZip } from './zip-inspect.ts';

/** A one-entry zip whose entry claims `uncompressed` bytes (built by hand: no library makes bombs). */
function zipWith(name: string, content: Buffer, uncompressed = content.length) {
  const data = deflateRawSync(content);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(uncompressed, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(uncompressed, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

describe('assertSafeZip', () => {
  it('lets a real workbook through', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('x').addRow(['a', 1]);
    const workbook = Buffer.from(await book.xlsx.writeBuffer());
    expect(() => assertSafeZip(workbook, 'ok.xlsx')).not.toThrow();
  });

  it('refuses a zip bomb by its declared size, before reading it', () => {
    const bomb = zipWith('xl/worksheets/sheet1.xml', Buffer.alloc(10_000_000, 0x20));
    expect(bomb.length).toBeLessThan(50_000);
    expect(() => assertSafeZip(bomb, 'bomb.xlsx')).toThrow(expect.objectContaining({ code: 'payload_too_large', messages: expect.objectContaining({ zh: expect.stringContaining('压缩炸弹') }) }));
  });

  it('refuses a part path that leaves the archive', () => {
    expect(() => assertSafeZip(zipWith('../../etc/passwd', Buffer.from('x')), 'evil.xlsx')).toThrow(expect.objectContaining({ messages: expect.objectContaining({ zh: expect.stringContaining('非法的内部路径') }) }));
  });

  it('says nothing of what is not a zip', () => {
    expect(() => assertSafeZip(Buffer.from('plain text'), 'a.csv')).not.toThrow();
  });
});
