import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  bombBehindWorkbook,
  cellBomb,
  duplicateWorksheet,
  lyingCellBomb,
  lyingDescriptorBomb,
  paddedCellBomb,
  pathTraversal,
  withTrailingJunk,
  zipBomb,
  zipOf,
} from '../imports/hostile-files.fixture.ts';
import { inspectZip, readZipDirectory, zipLimits } from './zip-inspect.ts';

const refusedWith = (code: string, zh: RegExp, en?: RegExp) =>
  expect.objectContaining({ code, messages: expect.objectContaining({ zh: expect.stringMatching(zh), ...(en ? { en: expect.stringMatching(en) } : {}) }) });

async function excelJsWorkbook() {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('x').addRow(['a', 1]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function streamedWorkbook(rows: number) {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  const sheet = book.addWorksheet('教职工');
  for (let row = 1; row <= rows; row++) sheet.addRow([`姓名${row}`, row, new Date(Date.UTC(1990, 0, row % 28 + 1))]).commit();
  sheet.commit();
  await book.commit();
  return Buffer.concat(chunks);
}

describe('inspectZip lets real workbooks through', () => {
  it('a workbook with sizes in its local headers, and one streamed with data descriptors', async () => {
    const whole = await excelJsWorkbook();
    const streamed = await streamedWorkbook(2000);
    expect(streamed.readUInt16LE(6) & 0x8).toBe(0x8); // the streaming writer leaves sizes to data descriptors
    expect((await inspectZip(whole, 'ok.xlsx')).map((part) => part.name)).toContain('xl/workbook.xml');
    const parts = await inspectZip(streamed, 'streamed.xlsx');
    expect(parts.find((part) => part.name === 'xl/worksheets/sheet1.xml')!.size).toBeGreaterThan(100_000);
  });

  it('a part that is itself an archive is counted by its bytes, never opened', async () => {
    const nested = zipOf([{ name: 'xl/embeddings/inner.xlsx', data: cellBomb(64), store: true }, { name: 'xl/workbook.xml', data: '<workbook/>' }]);
    await expect(inspectZip(nested, 'nested.xlsx')).resolves.toHaveLength(2);
  });
});

describe('inspectZip refuses by what the parts really unpack to, whatever the headers say', () => {
  it('a bomb that declares its size, before inflating anything', () => {
    const bomb = zipBomb(1024);
    const started = performance.now();
    expect(() => readZipDirectory(bomb, 'bomb.xlsx')).toThrow(refusedWith('payload_too_large', /解压后约 1024 MB.*压缩炸弹/, /unpack to about 1024 MB.*zip bomb/));
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('a bomb whose headers agree on a lie: stopped at the first byte past the declared size', async () => {
    await expect(inspectZip(lyingCellBomb(64), 'liar.xlsx')).rejects.toEqual(
      refusedWith('unprocessable', /liar\.xlsx.*已损坏或被改动过.*“xl\/worksheets\/sheet1\.xml”声明解压后为 100 字节，实际解压超过此数/, /declares 100 bytes unpacked but unpacks to more/),
    );
  });

  it('sizes that lie in the local headers only, or in the central directory only', async () => {
    await expect(inspectZip(lyingCellBomb(64, 'local'), 'local.xlsx')).rejects.toEqual(refusedWith('unprocessable', /本地文件头（第 \d+ 字节）记载的大小或校验和.*不一致/, /local header of part/));
    await expect(inspectZip(lyingCellBomb(64, 'central'), 'central.xlsx')).rejects.toEqual(refusedWith('unprocessable', /本地文件头（第 \d+ 字节）记载的大小或校验和/));
  });

  it('sizes that lie in data descriptors', async () => {
    await expect(inspectZip(lyingDescriptorBomb(64), 'descriptor.xlsx')).rejects.toEqual(refusedWith('unprocessable', /声明解压后为 100 字节，实际解压超过此数/));
  });

  it('a bomb whose real size passes the caps, counted as it is inflated', async () => {
    const limits = { ...zipLimits, maxPartBytes: 1024 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024, maxRatio: 10_000 };
    const bomb = cellBomb(64);
    await expect(inspectZip(bomb, 'allowed.xlsx', { limits })).resolves.toHaveLength(5);
    // the same archive within the project's own caps: 200 times its size is far below 64 MB
    await expect(inspectZip(bomb, 'capped.xlsx')).rejects.toEqual(refusedWith('payload_too_large', /解压后约 64 MB，超过上限 16 MB（可能是压缩炸弹）/));
  });

  it('junk after the archive, wherever its end record hides', async () => {
    await expect(inspectZip(withTrailingJunk(cellBomb(64)), 'junk.xlsx')).rejects.toEqual(
      refusedWith('unprocessable', /压缩包在第 \d+ 字节处结束，其后还有 71680 字节多余数据/, /71680 more bytes follow it/),
    );
    await expect(inspectZip(withTrailingJunk(cellBomb(64), 100), 'short-junk.xlsx')).rejects.toEqual(refusedWith('unprocessable', /其后还有 100 字节多余数据/));
  });

  it('junk before the archive', async () => {
    const archive = cellBomb(8);
    await expect(inspectZip(Buffer.concat([Buffer.alloc(512, 0x20), archive]), 'lead.xlsx')).rejects.toEqual(refusedWith('unprocessable', /已损坏或被改动过/));
    const shifted = zipOf([{ name: 'xl/workbook.xml', data: '<workbook/>' }], { offsetBase: 512 });
    await expect(inspectZip(Buffer.concat([Buffer.alloc(512, 0x20), shifted]), 'shifted.xlsx')).rejects.toEqual(refusedWith('unprocessable', /第 0 字节起有 512 字节不属于任何内部文件/));
  });

  it('a second archive behind a harmless one (two end records)', async () => {
    await expect(inspectZip(bombBehindWorkbook(64), 'two.xlsx')).rejects.toEqual(refusedWith('unprocessable', /第 0 字节起有 \d+ 字节不属于任何内部文件/));
  });

  it('a truncated archive', async () => {
    const archive = await excelJsWorkbook();
    await expect(inspectZip(archive.subarray(0, archive.length - 30), 'cut.xlsx')).rejects.toEqual(refusedWith('unprocessable', /找不到压缩包目录的结束记录（文件可能不完整）/));
  });

  it('a damaged part: its data does not inflate to what its CRC says', async () => {
    const archive = Buffer.from(await excelJsWorkbook());
    const parts = readZipDirectory(archive, 'x.xlsx');
    const sheet = parts.find((part) => part.name === 'xl/worksheets/sheet1.xml')!;
    archive[sheet.dataStart + 5] ^= 0xff;
    await expect(inspectZip(archive, 'flipped.xlsx')).rejects.toEqual(refusedWith('unprocessable', /“xl\/worksheets\/sheet1\.xml”/));
  });

  it('the same part twice, and a part path that leaves the archive', async () => {
    await expect(inspectZip(duplicateWorksheet(), 'twice.xlsx')).rejects.toEqual(refusedWith('unprocessable', /“xl\/worksheets\/sheet1\.xml”出现了不止一次/));
    await expect(inspectZip(pathTraversal(), 'evil.xlsx')).rejects.toEqual(refusedWith('payload_too_large', /非法的内部路径（\.\.\//));
  });

  it('the XML of the parts a reader parses, when asked: a cell of 200 MB within the ratio', async () => {
    const padded = paddedCellBomb(200);
    expect(padded.length * zipLimits.maxRatio).toBeGreaterThan(200 * 1024 * 1024);
    await expect(inspectZip(padded, 'padded.xlsx')).resolves.toHaveLength(6);
    await expect(inspectZip(padded, 'padded.xlsx', { parsedAsXml: (name) => name.endsWith('.xml') })).rejects.toEqual(
      refusedWith('payload_too_large', /“xl\/worksheets\/sheet1\.xml”有一段超过 16 MB 的文字/, /longer than 16 MB/),
    );
  });

  it('keeps the event loop turning while a bomb is inflated', async () => {
    const limits = { ...zipLimits, maxRatio: 100_000, maxPartBytes: 1024 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024 };
    const bomb = cellBomb(256);
    let longestPause = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestPause = Math.max(longestPause, now - last);
      last = now;
    }, 5);
    try {
      await inspectZip(bomb, 'slow.xlsx', { limits });
    } finally {
      clearInterval(ticker);
    }
    expect(longestPause).toBeLessThan(200);
  });
});
