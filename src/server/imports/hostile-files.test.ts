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
  chartOnly,
  emptyStyledRows,
  encryptedWorkbook,
  entityExpansion,
  formulaWorkbook,
  hugeCell,
  legacyXls,
  lyingZipBomb,
  manySharedStrings,
  pathTraversal,
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
