import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsxTables } from '../check/xlsx-reader.ts';
import { imports, staff } from '../db/schema.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import {
  bombBehindWorkbook,
  cellBomb,
  chartOnly,
  duplicateWorksheet,
  emptyStyledRows,
  encryptedWorkbook,
  entityExpansion,
  formulaWorkbook,
  hugeCell,
  legacyXls,
  lyingCellBomb,
  lyingDescriptorBomb,
  lyingZipBomb,
  manySharedStrings,
  paddedCellBomb,
  pathTraversal,
  withTrailingJunk,
  zipBomb,
} from './hostile-files.fixture.ts';

let t: TestApp;
let operator: TestClient;
const school = '2430102001';

/**
 * Memory of this process while a hostile upload is read: RSS sampled every 20 ms may grow by at most
 * `rssGrowthLimit` over what the process held when the upload began, and never pass `rssLimit` (the test
 * runner, the application and an in-process PGlite database included).
 */
const rssGrowthLimit = 400 * 1024 * 1024;
const rssLimit = 1536 * 1024 * 1024;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  operator = await t.login((await makeAccount(db, { unitCode: school, role: 'operator' })).username);
});
afterAll(async () => {
  await t.close();
  console.info('RSS per upload, MB at start → peak:', JSON.stringify(Object.fromEntries([...peaks].map(([name, rss]) => [name, `${megabytes(rss.start)} → ${megabytes(rss.peak)}`]))));
});
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const peaks = new Map<string, { start: number; peak: number }>();
const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function liveStaff() {
  return (await t.database.db.select({ id: staff.id }).from(staff).where(and(eq(staff.schoolCode, school), isNull(staff.deletedAt)))).length;
}

async function unfinishedImports() {
  return (await t.database.db.select({ id: imports.id }).from(imports).where(and(eq(imports.schoolCode, school), ne(imports.status, 'failed')))).length;
}

/** Uploads a file while sampling RSS every 20 ms and asking /api/health once the upload is under way. */
async function hostileUpload(name: string, content: Buffer) {
  const body = multipart({ name, content });
  collectGarbage(); // what building the file left behind is not counted as the upload's
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  let uploadDone = false;
  try {
    const upload = operator.request('POST', `/api/schools/${school}/imports`, body.payload, { headers: body.headers }).finally(() => {
      uploadDone = true;
    });
    const health = await t.anonymous().get('/api/health');
    const healthBeforeUpload = !uploadDone;
    const response = await upload;
    peak = Math.max(peak, process.memoryUsage().rss);
    peaks.set(name, { start, peak });
    return { response, peak, growth: peak - start, health, healthBeforeUpload };
  } finally {
    clearInterval(sampler);
  }
}

const refusals: Array<[string, string, () => Buffer, number, RegExp, RegExp]> = [
  ['a zip bomb (1 GB of XML in about 1 MB)', 'bomb.xlsx', () => zipBomb(1024), 413, /解压后约 1024 MB.*压缩炸弹/, /unpack to about 1024 MB.*zip bomb/],
  ['a zip bomb whose directory lies about its sizes', 'liar.xlsx', () => lyingZipBomb(64), 422, /已损坏/, /damaged/],
  ['XML entity expansion (billion laughs)', 'laughs.xlsx', entityExpansion, 422, /XML 实体定义/, /entity definitions/],
  ['a shared-strings table of 1,200,000 entries', 'strings.xlsx', () => manySharedStrings(1_200_000), 413, /共享字符串表有 1200000 项以上/, /1200000 or more shared strings/],
  ['a million empty styled rows', 'styled.xlsx', () => emptyStyledRows(1_000_000), 413, /超过 10000 个空行/, /more than 10000 empty rows/],
  ['a workbook whose only sheet is a chart', 'chart.xlsx', chartOnly, 422, /只有图表页/, /only a chart sheet/],
  ['an encrypted workbook', 'secret.xlsx', encryptedWorkbook, 415, /^(?!.*\.xls\b).*设置了密码（已加密）/, /^(?!.*legacy).*password-protected/],
  ['a legacy .xls renamed .xlsx', 'old.xlsx', legacyXls, 415, /^(?!.*密码).*旧版 \.xls/, /^(?!.*password).*legacy \.xls/],
  ['part names with ../', 'escape.xlsx', pathTraversal, 413, /非法的内部路径（\.\.\//, /illegal part path \(\.\.\//],
  ['a cell bomb with 70 KB of junk after the archive', 'junk.xlsx', () => withTrailingJunk(cellBomb(256)), 422, /已损坏或被改动过（压缩包在第 \d+ 字节处结束，其后还有 71680 字节多余数据/, /71680 more bytes follow it/],
  ['a cell bomb behind a harmless workbook (two end records)', 'behind.xlsx', () => bombBehindWorkbook(256), 422, /第 0 字节起有 \d+ 字节不属于任何内部文件/, /belong to no part/],
  ['a cell bomb whose local headers lie about its sizes', 'local-liar.xlsx', () => lyingCellBomb(256, 'local'), 422, /“xl\/worksheets\/sheet1\.xml”的本地文件头.*不一致/, /local header of part "xl\/worksheets\/sheet1\.xml"/],
  ['a cell bomb whose central directory lies about its sizes', 'central-liar.xlsx', () => lyingCellBomb(256, 'central'), 422, /“xl\/worksheets\/sheet1\.xml”的本地文件头.*不一致/, /states other sizes/],
  ['a cell bomb whose headers agree on a lie', 'agreed-liar.xlsx', () => lyingCellBomb(256), 422, /声明解压后为 100 字节，实际解压超过此数/, /declares 100 bytes unpacked but unpacks to more/],
  ['a cell bomb whose data descriptors lie', 'descriptor-liar.xlsx', () => lyingDescriptorBomb(256), 422, /声明解压后为 100 字节，实际解压超过此数/, /declares 100 bytes unpacked/],
  ['a cell bomb of 200 MB within the ratio an archive may unpack to', 'padded.xlsx', () => paddedCellBomb(200), 413, /有一段超过 16 MB 的文字/, /run of text longer than 16 MB/],
  ['a worksheet twice in one archive', 'twice.xlsx', duplicateWorksheet, 422, /“xl\/worksheets\/sheet1\.xml”出现了不止一次/, /appears more than once/],
];

describe('hostile files are refused with a message that says why, and change nothing', () => {
  it.each(refusals)('%s', async (_, name, build, status, zh, en) => {
    const content = build();
    const staffBefore = await liveStaff();
    const importsBefore = await unfinishedImports();
    const { response, peak, growth, health } = await hostileUpload(name, content);
    expect(response.statusCode, response.body).toBe(status);
    const { zh: messageZh, en: messageEn } = response.json().error.messages as { zh: string; en: string };
    expect(messageZh).toMatch(zh);
    expect(messageEn).toMatch(en);
    expect(messageZh).toContain(name);
    expect(messageEn).toContain(name);
    expect(health.statusCode).toBe(200);
    expect(growth).toBeLessThan(rssGrowthLimit);
    expect(peak).toBeLessThan(rssLimit);
    expect(await liveStaff()).toBe(staffBefore);
    expect(await unfinishedImports()).toBe(importsBefore);
  });

  it('ten megabytes in one cell: the row is invalid (too long), nothing is staged for it, nothing is written', async () => {
    const staffBefore = await liveStaff();
    const { response, peak, growth, health } = await hostileUpload('huge-cell.xlsx', hugeCell());
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const preview = response.json();
    expect(preview.counts).toMatchObject({ new: 0, invalid: 1 });
    const tooLong = preview.issues.find((issue: { field: string; code: string }) => issue.field === 'name' && issue.code === 'too_long');
    expect(tooLong.message).toContain(String(10 * 1024 * 1024));
    expect(JSON.stringify(preview).length).toBeLessThan(100_000);
    const rows = (await operator.get(`/api/imports/${preview.id}/rows`)).json().items as Array<{ values?: unknown }>;
    expect(JSON.stringify(rows).length).toBeLessThan(100_000);
    expect(health.statusCode).toBe(200);
    expect(growth).toBeLessThan(rssGrowthLimit);
    expect(peak).toBeLessThan(rssLimit);
    expect(await liveStaff()).toBe(staffBefore);
  });

  it('answers the health check while a bomb that lies about its sizes is being unpacked', async () => {
    const { response, health, healthBeforeUpload } = await hostileUpload('liar-again.xlsx', lyingZipBomb(64));
    expect(response.statusCode).toBe(422);
    expect(health.statusCode).toBe(200);
    expect(healthBeforeUpload).toBe(true);
  });
});

describe('two bombs at once', () => {
  it('are both refused while RSS grows by less than 400 MB and /api/health answers within a second throughout', async () => {
    const bombs = [
      { name: 'junk-at-once.xlsx', content: withTrailingJunk(cellBomb(256)) },
      { name: 'padded-at-once.xlsx', content: paddedCellBomb(200) },
    ].map((file) => multipart(file));
    collectGarbage();
    const start = process.memoryUsage().rss;
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let inFlight = 2;
    const healthChecks: Array<{ status: number; milliseconds: number; during: boolean }> = [];
    try {
      const uploads = bombs.map((body) =>
        operator.request('POST', `/api/schools/${school}/imports`, body.payload, { headers: body.headers }).finally(() => (inFlight -= 1)),
      );
      while (inFlight > 0) {
        const asked = performance.now();
        const during = inFlight === 2;
        const health = await t.anonymous().get('/api/health');
        healthChecks.push({ status: health.statusCode, milliseconds: performance.now() - asked, during });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const responses = await Promise.all(uploads);
      peak = Math.max(peak, process.memoryUsage().rss);
      peaks.set('two bombs at once', { start, peak });
      expect(responses.map((response) => response.statusCode)).toEqual([422, 413]);
      expect(responses.map((response) => response.json().error.messages.zh)).toEqual([expect.stringContaining('junk-at-once.xlsx'), expect.stringContaining('padded-at-once.xlsx')]);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - start).toBeLessThan(rssGrowthLimit);
    expect(healthChecks.some((check) => check.during)).toBe(true);
    expect(healthChecks.every((check) => check.status === 200)).toBe(true);
    expect(Math.max(...healthChecks.map((check) => check.milliseconds))).toBeLessThan(1000);
  });
});

describe('a cut-off upload', () => {
  it('is answered 400 with a message that says the upload was cut off, and changes nothing', async () => {
    const body = multipart({ name: 'cut.xlsx', content: await formulaWorkbook([validStaffValues(1)]) });
    const staffBefore = await liveStaff();
    const importsBefore = await unfinishedImports();
    for (const keep of [body.payload.length - 300, 200]) {
      const response = await operator.request('POST', `/api/schools/${school}/imports`, body.payload.subarray(0, keep), { headers: body.headers });
      expect(response.statusCode, response.body).toBe(400);
      const error = response.json().error as { code: string; messages: { zh: string; en: string } };
      expect(error.code).toBe('bad_request');
      expect(error.messages.zh).toMatch(/上传的数据不完整/);
      expect(error.messages.en).toMatch(/upload was cut off/);
    }
    expect(await liveStaff()).toBe(staffBefore);
    expect(await unfinishedImports()).toBe(importsBefore);
  });
});

describe('the shared-strings limit', () => {
  it('counts the strings as they are cached when the table does not declare how many it holds', async () => {
    const read = async () => {
      for await (const table of xlsxTables(Readable.from([manySharedStrings(30_000, { declareCount: false })]), 'counted.xlsx', 10_000)) {
        for await (const batch of table.batches) void batch;
      }
    };
    await expect(read()).rejects.toMatchObject({ code: 'payload_too_large', messages: { zh: expect.stringMatching(/counted\.xlsx.*共享字符串表有 \d+ 项以上，超过上限 10000/) } });
  });
});

describe('formulas are handled as text', () => {
  it('a HYPERLINK formula gives its cached text and formula-like text stays text, never evaluated', async () => {
    const people = [validStaffValues(1), validStaffValues(2)];
    const { response } = await hostileUpload('formulas.xlsx', await formulaWorkbook(people));
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json();
    const rows = (await operator.get(`/api/imports/${preview.id}/rows`)).json().items as Array<{ row: number; action: string; values?: Record<string, unknown> | null }>;
    const first = rows.find((row) => row.row === 2)!;
    expect(first.action).toBe('new');
    expect(JSON.stringify(first.values)).toContain(people[0].name);
    expect(JSON.stringify(first.values)).not.toContain('HYPERLINK');
    const second = rows.find((row) => row.row === 3)!;
    expect(second.action).toBe('invalid');
    const issues = (await operator.get(`/api/imports/${preview.id}/issues`)).json().items as Array<{ row: number; field: string | null }>;
    expect(issues.some((issue) => issue.row === 3 && issue.field === 'name')).toBe(true);
  });
});
