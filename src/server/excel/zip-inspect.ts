import { DomainError } from '../errors.ts';

/** Limits on what an uploaded .xlsx may unpack to: a zip bomb is refused before anything reads it. */
export const zipLimits = { maxUncompressedBytes: 1024 * 1024 * 1024, maxRatio: 200, maxEntries: 10_000 };

/**
 * Reads the zip's central directory (never the entries) and refuses a workbook that would unpack to more
 * than the limits allow, or whose entry names try to leave the archive (`../`). Not a zip: nothing to say.
 */
export function assertSafeZip(buffer: Buffer, fileName: string, limits = zipLimits): void {
  const end = findEndOfCentralDirectory(buffer);
  if (end < 0) return;
  const entries = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  let total = 0;
  const refuse = (zh: string, en: string) => {
    throw new DomainError('payload_too_large', {
      zh: `文件“${fileName}”${zh}，已拒绝。请在 Excel 中打开并另存为普通的 .xlsx 后再上传。`,
      en: `"${fileName}" ${en}; refused. Open it in Excel, save it as a plain .xlsx and upload again.`,
    });
  };
  if (entries > limits.maxEntries) refuse(`包含 ${entries} 个内部文件，超过上限`, `holds ${entries} parts, more than allowed`);
  for (let index = 0; index < entries; index += 1) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50) return; // damaged: the reader will say so
    const uncompressed = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name.includes('..') || name.startsWith('/') || name.includes('\\')) refuse(`含有非法的内部路径（${name.slice(0, 40)}）`, `has an illegal part path (${name.slice(0, 40)})`);
    total += uncompressed === 0xffffffff ? limits.maxUncompressedBytes + 1 : uncompressed;
    offset += 46 + nameLength + extraLength + commentLength;
  }
  if (total > limits.maxUncompressedBytes || total > Math.max(buffer.length, 1) * limits.maxRatio) {
    refuse(`解压后约 ${Math.round(total / 1024 / 1024)} MB，超过上限（可能是压缩炸弹）`, `would unpack to about ${Math.round(total / 1024 / 1024)} MB, past the limit (a zip bomb?)`);
  }
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  const earliest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let offset = buffer.length - 22; offset >= earliest; offset -= 1) {
    if (buffer.readUInt32LE(offset) === 0x06054b50) return offset;
  }
  return -1;
}
