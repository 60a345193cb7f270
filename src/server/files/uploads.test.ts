import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { checkUpload, sniffType } from './uploads.ts';

/** A workbook's zip with its xl/ parts moved under `folder` (three characters). */
async function officeZip(folder: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('a');
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
  // Renames the xl/ parts in the central directory and local headers (the same length keeps offsets valid).
  return Buffer.from(xlsx.toString('latin1').replaceAll('xl/', folder), 'latin1');
}

const refusal = (name: string, content: Buffer) => {
  try {
    checkUpload(name, content);
  } catch (error) {
    return error instanceof DomainError ? { code: error.code, zh: error.messages.zh } : undefined;
  }
  return undefined;
};

describe('uploads: the real type by the bytes', () => {
  it('knows PDF, PNG, JPEG, UTF-8 text, executables and the Office formats by their inner parts', async () => {
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('jpg');
    expect(sniffType(Buffer.from('第一行\r\n第二行\t完'))).toBe('txt');
    expect(sniffType(Buffer.from([0xc3, 0x28]))).toBeNull();
    expect(sniffType(Buffer.from('MZ\x90\x00'))).toBe('exe');
    expect(sniffType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2]))).toBe('exe');
    expect(sniffType(await officeZip('xl/'))).toBe('xlsx');
    // An Office zip without the inner part of a known format is not accepted as any of them.
    expect(sniffType(await officeZip('wd/'))).toBeNull();
  });

  it('accepts a matching file and refuses disguised, mismatched, unknown, empty and oversized ones with the file named', async () => {
    expect(checkUpload('说明.PDF', Buffer.from('%PDF-1.4\n'))).toEqual({ contentType: 'application/pdf' });
    expect(checkUpload('照片.jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ contentType: 'image/jpeg' });
    expect(refusal('课件.pdf', Buffer.from('MZ'))).toEqual({ code: 'unsupported_media_type', zh: '文件“课件.pdf”实际是可执行程序，已拒绝' });
    expect(refusal('表.xlsx', Buffer.from('%PDF-1.4'))?.zh).toBe('文件“表.xlsx”的内容与扩展名 .xlsx 不符，已拒绝');
    expect(refusal('文档.docx', await officeZip('xl/'))?.zh).toBe('文件“文档.docx”的内容与扩展名 .docx 不符，已拒绝');
    expect(refusal('脚本.js', Buffer.from('alert(1)'))?.code).toBe('unsupported_media_type');
    expect(refusal('无扩展名', Buffer.from('abc'))?.code).toBe('unsupported_media_type');
    expect(refusal('空.txt', Buffer.alloc(0))?.code).toBe('unprocessable');
    expect(refusal('大.txt', Buffer.alloc(20 * 1024 * 1024 + 1, 0x61))).toEqual({ code: 'payload_too_large', zh: '文件“大.txt”超过 20 MB 的上限' });
  });
});
