import type { Executor } from '../db/client.ts';
import { storeFile } from './stored-files.ts';
import { DomainError } from '../errors.ts';
import { readZipDirectory } from '../excel/zip-inspect.ts';
import { hasControlCharacters } from '../http/text.ts';

/** 20 MB per attachment or library file. */
export const maxAttachmentBytes = 20 * 1024 * 1024;

/** The file types accepted, each with its content type and how its bytes must begin. */
const fileTypes = {
  pdf: { contentType: 'application/pdf', label: 'PDF' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel' },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint' },
  png: { contentType: 'image/png', label: 'PNG' },
  jpg: { contentType: 'image/jpeg', label: 'JPEG' },
  jpeg: { contentType: 'image/jpeg', label: 'JPEG' },
  txt: { contentType: 'text/plain; charset=utf-8', label: '文本' },
} as const;

type Extension = keyof typeof fileTypes;
function isExtension(value: string): value is Extension {
  return Object.hasOwn(fileTypes, value);
}
export const allowedExtensions: Extension[] = Object.keys(fileTypes).filter(isExtension);

/** The inner part an Office zip must hold for its extension. */
const officeExtensions = ['docx', 'xlsx', 'pptx'] as const;
const officeParts: Record<(typeof officeExtensions)[number], string> = { docx: 'word/', xlsx: 'xl/', pptx: 'ppt/' };

/** Names of the parts in a zip's central directory (empty when it is not a zip). */
function zipEntryNames(buffer: Buffer): string[] {
  const earliest = Math.max(0, buffer.length - 22 - 0xffff);
  let end = -1;
  for (let offset = buffer.length - 22; offset >= earliest; offset -= 1) {
    if (buffer.readUInt32LE(offset) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) return [];
  const entries = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let index = 0; index < entries; index += 1) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50) break;
    const nameLength = buffer.readUInt16LE(offset + 28);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + buffer.readUInt16LE(offset + 30) + buffer.readUInt16LE(offset + 32);
  }
  return names;
}

/** What the bytes really are, judged by their first bytes (and an Office zip's parts), or null. */
export function sniffType(content: Buffer): Extension | 'exe' | null {
  if (content.subarray(0, 2).toString('latin1') === 'MZ' || content.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return 'exe';
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (content.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'jpg';
  if (content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const names = zipEntryNames(content);
    if (!names.includes('[Content_Types].xml')) return null;
    for (const extension of officeExtensions) {
      if (names.some((name) => name.startsWith(officeParts[extension]))) return extension;
    }
    return null;
  }
  // Plain text: valid UTF-8 without control characters other than tab and line ends.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  if (!text.includes('\uFFFD') && !hasControlCharacters(text)) return 'txt';
  return null;
}

/**
 * Checks an upload before anything stores it: a name of an allowed type, within the size limit, and bytes
 * that really are what the extension says (an `.exe` renamed `.pdf` is refused, naming the file).
 */
export function checkUpload(name: string, content: Buffer): { contentType: string } {
  const extension = name.toLowerCase().split('.').pop() ?? '';
  const allowed = allowedExtensions.join('、');
  if (!isExtension(extension) || !name.includes('.')) {
    throw new DomainError('unsupported_media_type', {
      zh: `文件“${name}”的类型不允许上传，只接受 ${allowed}`,
      en: `"${name}" is not an allowed type; accepted: ${allowedExtensions.join(', ')}`,
    });
  }
  if (content.length === 0) throw new DomainError('unprocessable', { zh: `文件“${name}”是空的`, en: `"${name}" is empty` });
  if (content.length > maxAttachmentBytes) {
    throw new DomainError('payload_too_large', {
      zh: `文件“${name}”超过 ${maxAttachmentBytes / 1024 / 1024} MB 的上限`,
      en: `"${name}" is larger than the ${maxAttachmentBytes / 1024 / 1024} MB limit`,
    });
  }
  const actual = sniffType(content);
  if (actual === 'exe') {
    throw new DomainError('unsupported_media_type', {
      zh: `文件“${name}”实际是可执行程序，已拒绝`,
      en: `"${name}" is really an executable program; refused`,
    });
  }
  const expected = extension === 'jpeg' ? 'jpg' : extension;
  if (actual !== expected) {
    throw new DomainError('unsupported_media_type', {
      zh: `文件“${name}”的内容与扩展名 .${extension} 不符，已拒绝`,
      en: `The content of "${name}" does not match its extension .${extension}; refused`,
    });
  }
  if (actual === 'docx' || actual === 'xlsx' || actual === 'pptx') readZipDirectory(content, name);
  return { contentType: fileTypes[extension].contentType };
}

/** Checks and stores an upload's bytes; returns the stored file's id. */
export async function storeUpload(executor: Executor, name: string, content: Buffer): Promise<number> {
  const { contentType } = checkUpload(name, content);
  return (await storeFile(executor, { name, contentType, content })).id;
}

/** `content-disposition` for a download, with the UTF-8 name (RFC 5987) and an ASCII fallback. */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

