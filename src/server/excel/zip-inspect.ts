import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { DomainError } from '../errors.ts';
import { XmlGuard, xmlLimits, type XmlLimits, type XmlProblem } from './xml-guard.ts';

const MiB = 1024 * 1024;

/**
 * What an uploaded archive (an .xlsx, an Office attachment) may unpack to, counted in the bytes really
 * inflated: each part at most `maxPartBytes`, all parts together at most `maxTotalBytes` and at most `maxRatio`
 * times the archive's own size (never less than `minBudgetBytes`). A 20,000-row template unpacks to about
 * 8.4 times its size, 35 MB; a full 200,000-row one to about 350 MB.
 */
export const zipLimits = { maxEntries: 10_000, maxPartBytes: 768 * MiB, maxTotalBytes: 1024 * MiB, maxRatio: 200, minBudgetBytes: 16 * MiB };
export type ZipLimits = typeof zipLimits;

/** A part of an archive as its central directory records it, with where its compressed bytes lie. */
export type ZipPart = { name: string; method: 0 | 8; crc: number; compressedSize: number; size: number; localOffset: number; dataStart: number };

const signatures = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 };
const descriptorBytes = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const zip64Marker = 0xffffffff;
const sliceBytes = 64 * 1024;

/** Whether bytes begin as a zip archive does (a local file header). */
export const isZip = (head: Buffer) => head.length >= 4 && head.readUInt32LE(0) === signatures.local;

export type InspectOptions = {
  limits?: ZipLimits;
  /** The parts a reader will parse as XML: their XML is followed too (`XmlGuard`). */
  parsedAsXml?: (name: string) => boolean;
  xmlLimits?: XmlLimits;
};

/**
 * Inspects an archive by what it really unpacks to, before any reader sees it: the structure first
 * (`readZipDirectory`), then every part inflated as a stream and thrown away, counting its bytes against its
 * declared size, the caps and the CRC, and following the XML of the parts a reader will parse. Nothing is
 * kept in memory but the counts; zlib works off the main thread, a slice at a time. Throws a DomainError
 * naming the file, the part and the reason.
 */
export async function inspectZip(archive: Buffer, fileName: string, options: InspectOptions = {}): Promise<ZipPart[]> {
  const limits = options.limits ?? zipLimits;
  const parts = readZipDirectory(archive, fileName, limits);
  const refuse = refusals(fileName);
  const budget = budgetOf(archive, limits);
  let total = 0;
  for (const part of parts) {
    const guard = options.parsedAsXml?.(part.name) ? new XmlGuard(options.xmlLimits ?? xmlLimits) : undefined;
    total += await inflatedSize(archive, part, Math.min(limits.maxPartBytes, budget - total), refuse, guard);
  }
  return parts;
}

/**
 * Reads an archive's central directory and proves it describes the one archive the file is, so that every
 * reader sees the same parts: ExcelJS (through unzipper) walks local headers from the first byte, Excel and
 * most libraries follow the directory found from the end. The file must begin with the first part's header,
 * the parts must follow one another with nothing between them (ending each as unzipper ends it: by the
 * stated size, or at the first data-descriptor signature), the directory must follow the last part, and the
 * end record must end the file. Refuses as well encrypted parts, methods other than store and deflate, ZIP64,
 * part paths that leave the archive, duplicate parts, and declared sizes past the limits (without inflating).
 * Synchronous and cheap: no part is inflated.
 */
export function readZipDirectory(archive: Buffer, fileName: string, limits: ZipLimits = zipLimits): ZipPart[] {
  const refuse = refusals(fileName);
  const end = endRecord(archive, refuse);
  const count = archive.readUInt16LE(end + 10);
  const directorySize = archive.readUInt32LE(end + 12);
  const directoryOffset = archive.readUInt32LE(end + 16);
  if (archive.readUInt16LE(end + 4) !== 0 || archive.readUInt16LE(end + 6) !== 0 || archive.readUInt16LE(end + 8) !== count) {
    throw refuse.damaged('这是分卷压缩包的一卷', 'it is one volume of a split archive');
  }
  if (count === 0xffff || directoryOffset === zip64Marker || directorySize === zip64Marker) throw refuse.damaged('使用了 ZIP64 格式', 'it uses ZIP64');
  if (directoryOffset + directorySize !== end) {
    throw refuse.damaged(`压缩包目录的位置与大小（第 ${directoryOffset} 字节起 ${directorySize} 字节）与结束记录（第 ${end} 字节）不符`, `its directory (${directorySize} bytes at byte ${directoryOffset}) does not end where its end record begins (byte ${end})`);
  }
  if (count > limits.maxEntries) {
    throw refuse.tooLarge(`包含 ${count} 个内部文件，超过上限 ${limits.maxEntries}`, `holds ${count} parts, more than the ${limits.maxEntries} allowed`);
  }
  const parts = directoryParts(archive, directoryOffset, count, end, refuse);
  checkNames(parts, refuse);
  checkPartsFollowOneAnother(archive, parts, directoryOffset, refuse);
  checkDeclaredSizes(archive, parts, limits, refuse);
  return parts;
}

type Refusals = ReturnType<typeof refusals>;

/** The end-of-central-directory record that ends the file exactly (its comment included). */
function endRecord(archive: Buffer, refuse: Refusals): number {
  const earliest = Math.max(0, archive.length - 22 - 0xffff);
  for (let offset = archive.length - 22; offset >= earliest; offset -= 1) {
    if (archive.readUInt32LE(offset) === signatures.end && offset + 22 + archive.readUInt16LE(offset + 20) === archive.length) return offset;
  }
  const last = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (last >= 0 && last + 22 <= archive.length) {
    const archiveEnd = last + 22 + archive.readUInt16LE(last + 20);
    throw refuse.damaged(`压缩包在第 ${archiveEnd} 字节处结束，其后还有 ${archive.length - archiveEnd} 字节多余数据`, `the archive ends at byte ${archiveEnd} and ${archive.length - archiveEnd} more bytes follow it`);
  }
  throw refuse.damaged('找不到压缩包目录的结束记录（文件可能不完整）', 'it has no end-of-directory record (the file may be cut off)');
}

/** Stored (0) or deflated (1): the two compression methods a part may use. */
function isSupportedMethod(method: number): method is ZipPart['method'] {
  return method === 0 || method === 8;
}

function directoryParts(archive: Buffer, offset: number, count: number, end: number, refuse: Refusals): ZipPart[] {
  const parts: ZipPart[] = [];
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > end || archive.readUInt32LE(offset) !== signatures.central) {
      throw refuse.damaged(`压缩包目录的第 ${index + 1} 条记录（第 ${offset} 字节）无效`, `directory record ${index + 1} (byte ${offset}) is not valid`);
    }
    const flags = archive.readUInt16LE(offset + 8);
    const method = archive.readUInt16LE(offset + 10);
    const nameLength = archive.readUInt16LE(offset + 28);
    const next = offset + 46 + nameLength + archive.readUInt16LE(offset + 30) + archive.readUInt16LE(offset + 32);
    if (next > end) throw refuse.damaged(`压缩包目录的第 ${index + 1} 条记录超出了目录`, `directory record ${index + 1} runs past the directory`);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    const where = partName(name);
    if (flags & 0x1) throw refuse.damaged(`内部文件${where.zh}已加密`, `part ${where.en} is encrypted`);
    if (!isSupportedMethod(method)) throw refuse.damaged(`内部文件${where.zh}使用了不支持的压缩方式（${method}）`, `part ${where.en} uses an unsupported compression method (${method})`);
    const part = {
      name,
      method,
      crc: archive.readUInt32LE(offset + 16),
      compressedSize: archive.readUInt32LE(offset + 20),
      size: archive.readUInt32LE(offset + 24),
      localOffset: archive.readUInt32LE(offset + 42),
      dataStart: 0,
    };
    if (part.compressedSize === zip64Marker || part.size === zip64Marker || part.localOffset === zip64Marker) {
      throw refuse.damaged(`内部文件${where.zh}使用了 ZIP64 格式`, `part ${where.en} uses ZIP64`);
    }
    parts.push(part);
    offset = next;
  }
  if (offset !== end) throw refuse.damaged(`压缩包目录之后、结束记录之前有 ${end - offset} 字节多余数据`, `${end - offset} stray bytes lie between the directory and its end record`);
  return parts;
}

function checkNames(parts: ZipPart[], refuse: Refusals) {
  const seen = new Set<string>();
  for (const { name } of parts) {
    if (name.includes('..') || name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[a-z]:/i.test(name)) {
      throw refuse.tooLarge(`含有非法的内部路径（${name.slice(0, 40)}）`, `has an illegal part path (${name.slice(0, 40)})`);
    }
    // part names of an Office file are case-insensitive: two that differ only in case are the same part
    const key = name.toLowerCase();
    if (seen.has(key)) throw refuse.damaged(`内部文件${partName(name).zh}出现了不止一次`, `part ${partName(name).en} appears more than once`);
    seen.add(key);
  }
}

/** The most all parts may unpack to: `maxRatio` times the archive, within the floor and the cap. */
function budgetOf(archive: Buffer, limits: ZipLimits) {
  return Math.min(limits.maxTotalBytes, Math.max(limits.minBudgetBytes, archive.length * limits.maxRatio));
}

/** Refuses before inflating anything when the sizes the directory declares are already past the limits. */
function checkDeclaredSizes(archive: Buffer, parts: ZipPart[], limits: ZipLimits, refuse: Refusals) {
  const budget = budgetOf(archive, limits);
  const largest = parts.reduce((found, part) => (part.size > found.size ? part : found), parts[0] ?? { name: '', size: 0 });
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  if (largest.size > limits.maxPartBytes) throw refuse.bomb(largest.size, limits.maxPartBytes, partName(largest.name));
  if (total > budget) throw refuse.bomb(total, budget);
}

/**
 * Walks the local headers from byte 0 as a streaming reader does and checks that each begins where the
 * directory says, agrees with it, and ends where the next begins; the last must end where the directory does.
 */
function checkPartsFollowOneAnother(archive: Buffer, parts: ZipPart[], directoryOffset: number, refuse: Refusals) {
  const byOffset = [...parts].sort((a, b) => a.localOffset - b.localOffset);
  let position = 0;
  for (const part of byOffset) {
    const where = partName(part.name);
    if (part.localOffset !== position) {
      throw part.localOffset > position
        ? refuse.damaged(`第 ${position} 字节起有 ${part.localOffset - position} 字节不属于任何内部文件`, `${part.localOffset - position} bytes from byte ${position} belong to no part`)
        : refuse.damaged(`内部文件${where.zh}与前一个内部文件重叠（第 ${part.localOffset} 字节）`, `part ${where.en} overlaps the one before it (byte ${part.localOffset})`);
    }
    position = localPartEnd(archive, part, directoryOffset, refuse);
  }
  if (position !== directoryOffset) {
    throw refuse.damaged(`第 ${position} 字节起有 ${directoryOffset - position} 字节不属于任何内部文件`, `${directoryOffset - position} bytes from byte ${position} belong to no part`);
  }
}

/** Where the record after `part` begins, reading its local header (and data descriptor) as unzipper does. */
function localPartEnd(archive: Buffer, part: ZipPart, directoryOffset: number, refuse: Refusals): number {
  const offset = part.localOffset;
  const where = partName(part.name);
  const disagrees = (zh: string, en: string) => refuse.damaged(`内部文件${where.zh}的本地文件头（第 ${offset} 字节）${zh}`, `the local header of part ${where.en} (byte ${offset}) ${en}`);
  if (offset + 30 > directoryOffset || archive.readUInt32LE(offset) !== signatures.local) throw disagrees('无效', 'is not valid');
  const flags = archive.readUInt16LE(offset + 6);
  const nameLength = archive.readUInt16LE(offset + 26);
  part.dataStart = offset + 30 + nameLength + archive.readUInt16LE(offset + 28);
  if (part.dataStart > directoryOffset) throw disagrees('超出了压缩包', 'runs past the archive');
  if (archive.toString('utf8', offset + 30, offset + 30 + nameLength) !== part.name) throw disagrees('与目录记载的名称不一致', 'names another part than the directory');
  if (archive.readUInt16LE(offset + 8) !== part.method || flags & 0x1) throw disagrees('与目录记载的压缩方式不一致', 'disagrees with the directory on how the part is stored');
  const localCompressed = archive.readUInt32LE(offset + 18);
  const localSize = archive.readUInt32LE(offset + 22);
  // unzipper trusts the local sizes unless the part has a data descriptor and no size (then it scans for one)
  if (!(flags & 0x8) || localCompressed > 0) {
    if (localCompressed !== part.compressedSize || (!(flags & 0x8) && (localSize !== part.size || archive.readUInt32LE(offset + 14) !== part.crc))) {
      throw disagrees(`记载的大小或校验和（解压后 ${localSize} 字节）与目录记载的（${part.size} 字节）不一致`, `states other sizes or checksum (${localSize} bytes unpacked) than the directory (${part.size} bytes)`);
    }
    return part.dataStart + part.compressedSize;
  }
  const dataEnd = archive.indexOf(descriptorBytes, part.dataStart);
  if (dataEnd !== part.dataStart + part.compressedSize || dataEnd + 16 > directoryOffset) {
    throw refuse.damaged(`内部文件${where.zh}的数据描述符不在目录记载的位置（第 ${part.dataStart + part.compressedSize} 字节）`, `the data descriptor of part ${where.en} is not where the directory puts it (byte ${part.dataStart + part.compressedSize})`);
  }
  if (archive.readUInt32LE(dataEnd + 4) !== part.crc || archive.readUInt32LE(dataEnd + 8) !== part.compressedSize || archive.readUInt32LE(dataEnd + 12) !== part.size) {
    throw refuse.damaged(`内部文件${where.zh}的数据描述符与目录记载的大小不一致`, `the data descriptor of part ${where.en} states other sizes than the directory`);
  }
  return dataEnd + 16;
}

/**
 * Inflates one part as a stream, slice by slice, counting what comes out and keeping none of it; stops at the
 * first byte past its declared size or past `allowance`. Returns the bytes it really unpacks to.
 */
async function inflatedSize(archive: Buffer, part: ZipPart, allowance: number, refuse: Refusals, guard?: XmlGuard): Promise<number> {
  const where = partName(part.name);
  const data = archive.subarray(part.dataStart, part.dataStart + part.compressedSize);
  const inflater = part.method === 8 ? createInflateRaw({ chunkSize: sliceBytes }) : new PassThrough();
  let size = 0;
  let crc = 0;
  const count = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > part.size) {
        return callback(refuse.damaged(`内部文件${where.zh}声明解压后为 ${part.size} 字节，实际解压超过此数`, `part ${where.en} declares ${part.size} bytes unpacked but unpacks to more`));
      }
      if (size > allowance) return callback(refuse.bomb(size, allowance, where, 'more'));
      const problem = guard?.feed(chunk);
      if (problem) return callback(refuse.xml(problem, where));
      crc = crc32(chunk, crc);
      callback();
    },
  });
  try {
    await pipeline(Readable.from(slices(data)), inflater, count);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw refuse.damaged(`内部文件${where.zh}的压缩数据无法解压（${(error instanceof Error ? error.message : String(error))}）`, `the data of part ${where.en} cannot be inflated (${(error instanceof Error ? error.message : String(error))})`);
  }
  const consumed = 'bytesWritten' in inflater ? inflater.bytesWritten : data.length;
  if (consumed !== data.length) {
    throw refuse.damaged(`内部文件${where.zh}的压缩数据之后还有 ${data.length - consumed} 字节多余数据`, `${data.length - consumed} stray bytes follow the data of part ${where.en}`);
  }
  if (size !== part.size) throw refuse.damaged(`内部文件${where.zh}声明解压后为 ${part.size} 字节，实际为 ${size} 字节`, `part ${where.en} declares ${part.size} bytes unpacked but unpacks to ${size}`);
  if (crc !== part.crc) throw refuse.damaged(`内部文件${where.zh}的校验和（CRC）不符`, `part ${where.en} fails its checksum (CRC)`);
  return size;
}

function* slices(data: Buffer) {
  for (let offset = 0; offset < data.length; offset += sliceBytes) yield data.subarray(offset, offset + sliceBytes);
}

const partName = (name: string) => ({ zh: `“${name.slice(0, 60)}”`, en: `"${name.slice(0, 60)}"` });
const megabytes = (bytes: number) => Math.round(bytes / MiB);

/** The refusals of one file: Chinese first, then English, naming the file, where and why, and what to do. */
function refusals(fileName: string) {
  const advice = adviceFor(fileName);
  return {
    damaged: (zh: string, en: string) =>
      new DomainError('unprocessable', {
        zh: `无法读取文件“${fileName}”：文件已损坏或被改动过（${zh}），已拒绝。${advice.zh}`,
        en: `Cannot read "${fileName}": the file is damaged or was altered (${en}); refused. ${advice.en}`,
      }),
    tooLarge: (zh: string, en: string) =>
      new DomainError('payload_too_large', { zh: `文件“${fileName}”${zh}，已拒绝。${advice.zh}`, en: `"${fileName}" ${en}; refused. ${advice.en}` }),
    xml: (problem: XmlProblem, part: { zh: string; en: string }) => xmlRefusal(fileName, problem, part, advice),
    bomb: (bytes: number, limit: number, part?: { zh: string; en: string }, exceeded?: 'more') => {
      const size = exceeded ? { zh: `超过 ${megabytes(limit)} MB`, en: `more than ${megabytes(limit)} MB` } : { zh: `约 ${megabytes(bytes)} MB`, en: `about ${megabytes(bytes)} MB` };
      return new DomainError('payload_too_large', {
        zh: `文件“${fileName}”${part ? `的内部文件${part.zh}` : ''}解压后${size.zh}，超过上限 ${megabytes(limit)} MB（可能是压缩炸弹），已拒绝。${advice.zh}`,
        en: `"${fileName}"${part ? `, part ${part.en},` : ''} would unpack to ${size.en}, past the limit of ${megabytes(limit)} MB (a zip bomb?); refused. ${advice.en}`,
      });
    },
  };
}

/** The refusal of a part whose XML would make the parser hold too much (see `XmlGuard`). */
function xmlRefusal(fileName: string, problem: XmlProblem, part: { zh: string; en: string }, advice: { zh: string; en: string }) {
  const at = { zh: `第 ${problem.offset} 字节`, en: `byte ${problem.offset}` };
  const why = {
    text: { zh: `有一段超过 ${megabytes(xmlLimits.maxTextBytes)} MB 的文字（${at.zh}起），而一个单元格最多 32767 个字符`, en: `holds a run of text longer than ${megabytes(xmlLimits.maxTextBytes)} MB (from ${at.en}), while a cell holds at most 32,767 characters` },
    tag: { zh: `有一个超过 ${xmlLimits.maxTagBytes / 1024} KB 的 XML 标签（${at.zh}）`, en: `holds an XML tag longer than ${xmlLimits.maxTagBytes / 1024} KB (${at.en})` },
    depth: { zh: `的 XML 嵌套超过 ${xmlLimits.maxDepth} 层（${at.zh}）`, en: `nests XML more than ${xmlLimits.maxDepth} levels deep (${at.en})` },
    doctype: { zh: `含有 XML 实体定义（DOCTYPE，${at.zh}），不是 Excel 保存的工作簿`, en: `holds XML entity definitions (DOCTYPE, ${at.en}), which Excel never writes` },
    markup: { zh: `含有 Excel 从不写入的 XML 注释、CDATA 或处理指令（${at.zh}）`, en: `holds an XML comment, CDATA section or processing instruction (${at.en}), which Excel never writes` },
  }[problem.kind];
  const code = problem.kind === 'text' || problem.kind === 'tag' ? 'payload_too_large' : 'unprocessable';
  return new DomainError(code, {
    zh: `文件“${fileName}”的内部文件${part.zh}${why.zh}，已拒绝。${advice.zh}`,
    en: `"${fileName}", part ${part.en}, ${why.en}; refused. ${advice.en}`,
  });
}

function adviceFor(fileName: string) {
  const extension = /\.(\w+)$/.exec(fileName)?.[1]?.toLowerCase();
  const program = extension === 'docx' ? 'Word' : extension === 'pptx' ? 'PowerPoint' : 'Excel';
  const format = extension === 'docx' || extension === 'pptx' ? `.${extension}` : '.xlsx';
  return {
    zh: `请在 ${program} 中打开并另存为普通的 ${format} 后再上传。`,
    en: `Open it in ${program}, save it as a plain ${format} and upload again.`,
  };
}
