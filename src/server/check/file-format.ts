import { DomainError } from '../errors.ts';

/** The formats the checker reads, told apart by their first bytes, not by the file name. */
export type FileFormat = 'xlsx' | 'csv';

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((byte, index) => head[index] === byte);

const binaryKinds: Array<{ bytes: number[]; zh: string; en: string }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46], zh: 'PDF 文件', en: 'a PDF file' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], zh: '图片', en: 'an image' },
  { bytes: [0xff, 0xd8, 0xff], zh: '图片', en: 'an image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], zh: '图片', en: 'an image' },
  { bytes: [0x52, 0x61, 0x72, 0x21], zh: 'RAR 压缩包', en: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], zh: '7z 压缩包', en: 'a 7z archive' },
  { bytes: [0x1f, 0x8b], zh: 'gzip 压缩包', en: 'a gzip archive' },
];

/** An OLE compound file: a legacy .xls, or an .xlsx encrypted with a password (Excel wraps those in OLE). */
export const isOleContainer = (head: Buffer) => startsWith(head, [0xd0, 0xcf, 0x11, 0xe0]);

/** The stream an encrypted .xlsx keeps its workbook in; OLE directories name streams in UTF-16. */
const encryptedStreamName = Buffer.from('EncryptedPackage', 'utf16le');

/** Whether an OLE container's bytes name an encrypted package (scanned across chunk boundaries). */
export async function holdsEncryptedPackage(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<boolean> {
  let tail = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const window = Buffer.concat([tail, chunk]);
    if (window.includes(encryptedStreamName)) return true;
    tail = window.subarray(Math.max(0, window.length - encryptedStreamName.length + 1));
  }
  return false;
}

/** The refusal of an OLE container, saying which of the two it is and what to do. */
export function oleRefusal(fileName: string, encrypted: boolean): DomainError {
  return encrypted
    ? unsupported(
        `文件“${fileName}”设置了密码（已加密），无法读取。请在 Excel 中打开它，通过“文件 → 信息 → 保护工作簿 → 用密码进行加密”清除密码，保存后再上传。`,
        `"${fileName}" is password-protected (encrypted) and cannot be read. Open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password), save it and upload it again.`,
      )
    : unsupported(
        `文件“${fileName}”是旧版 .xls 格式。请在 Excel 中“另存为” Excel 工作簿（.xlsx）后再上传。`,
        `"${fileName}" is a legacy .xls workbook. In Excel, save it as an Excel workbook (.xlsx) and upload it again.`,
      );
}

/**
 * Decides how to read a file from its first bytes: a zip is an .xlsx, text is a CSV. Refuses a legacy .xls or a
 * password-protected workbook (both OLE containers), UTF-16 text, an empty file and known binary formats,
 * with a message saying what to do (Chinese first, then English).
 */
export function detectFormat(head: Buffer, fileName: string): FileFormat {
  if (head.length === 0) {
    throw unsupported(`文件“${fileName}”是空文件。请填写模板后重新选择文件。`, `"${fileName}" is empty. Fill in the template and choose the file again.`);
  }
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'xlsx';
  if (startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    throw unsupported(`文件“${fileName}”是空的压缩包，不是工作簿。请另存为 .xlsx 后再检查。`, `"${fileName}" is an empty zip, not a workbook. Save it as .xlsx and check again.`);
  }
  if (isOleContainer(head)) {
    // Told apart from its first bytes alone, the two look the same; `FileCheck` reads on to say which.
    throw unsupported(
      `文件“${fileName}”是旧版 .xls 或设置了密码的工作簿，请另存为 .xlsx 并取消密码。`,
      `"${fileName}" is a legacy .xls or a password-protected workbook: save it as .xlsx without a password.`,
    );
  }
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    throw unsupported(
      `文件“${fileName}”是 UTF-16 文本（Excel 的“Unicode 文本”）。请另存为 .xlsx 或“CSV UTF-8（逗号分隔）”。`,
      `"${fileName}" is UTF-16 text (Excel's "Unicode Text"). Save it as .xlsx or "CSV UTF-8 (comma delimited)".`,
    );
  }
  const kind = binaryKinds.find((candidate) => startsWith(head, candidate.bytes));
  if (kind || head.includes(0)) {
    const what = kind ? { zh: kind.zh, en: kind.en } : { zh: '无法识别的二进制文件', en: 'an unrecognised binary file' };
    throw unsupported(
      `文件“${fileName}”是${what.zh}，不是表格。请使用 .xlsx 或 .csv 格式的模板。`,
      `"${fileName}" is ${what.en}, not a spreadsheet. Use the template as .xlsx or .csv.`,
    );
  }
  return 'csv';
}

function unsupported(zh: string, en: string) {
  return new DomainError('unsupported_media_type', { zh, en });
}
