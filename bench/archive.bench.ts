/**
 * bench/archive: what inspecting an upload's archive costs, and what two bombs cost the server.
 * (1) A 20,000-row k12 workbook laid out as the template is: the inspection `xlsxTables` runs before ExcelJS
 * (every part inflated and counted, the parsed XML followed) against ExcelJS's bare streaming read of the same
 * bytes, alternating, three rounds each; prints the medians and their ratio.
 * (2) The server on PostgreSQL over real HTTP: two bombs uploaded at once (a 256 MB cell behind 70 KB of junk,
 * and a 200 MB cell padded to keep within the ratio), with /api/health asked every 20 ms until both are
 * answered; prints their answers, peak RSS over the start, and health latency (median and worst).
 * Run: npx tsx bench/archive.bench.ts [rows]   (DATABASE_URL: the server; default localhost)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { benchDatabase, median } from './bench-support.ts';

const rows = Number(process.argv[2] ?? 20_000);
const readerOptions = { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore' } as const;

const { inspectWorkbook } = await import('../src/server/check/xlsx-reader.ts');
const { writeStaffWorkbook } = await import('../src/server/test/staff-workbook-file.ts');
const { cellBomb, paddedCellBomb, withTrailingJunk } = await import('../src/server/imports/hostile-files.fixture.ts');

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function timed(run: () => Promise<unknown>) {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function bareRead(archive: Buffer) {
  let count = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([archive]), readerOptions);
  for await (const sheet of reader) for await (const row of sheet) if (row.values) count += 1;
  return count;
}

// (1) inspection against the bare read
const folder = mkdtempSync(join(tmpdir(), 'rollcall-bench-archive-'));
const file = join(folder, 'staff.xlsx');
await writeStaffWorkbook(file, rows);
const workbook = readFileSync(file);
rmSync(folder, { recursive: true, force: true });
const parts = await inspectWorkbook(workbook, 'staff.xlsx');
const unpacked = parts.reduce((sum, part) => sum + part.size, 0);
const inspections: number[] = [];
const reads: number[] = [];
for (let round = 0; round < 3; round++) {
  inspections.push(await timed(() => inspectWorkbook(workbook, 'staff.xlsx')));
  reads.push(await timed(() => bareRead(workbook)));
}
const inspectMs = median(inspections);
const readMs = median(reads);
console.log(`workbook: ${rows} rows, ${megabytes(workbook.length)} MB, ${parts.length} parts unpacking to ${megabytes(unpacked)} MB`);
console.log(`inspection: ${inspectMs.toFixed(0)} ms (rounds ${inspections.map((ms) => ms.toFixed(0)).join(', ')})`);
console.log(`ExcelJS bare streaming read: ${readMs.toFixed(0)} ms (rounds ${reads.map((ms) => ms.toFixed(0)).join(', ')})`);
console.log(`ratio inspection / bare read: ${(inspectMs / readMs).toFixed(3)}`);

// (2) two bombs at once against the server
const { buildApp } = await import('../src/server/app.ts');
const { loadConfig } = await import('../src/server/config.ts');
const { openPostgres } = await import('../src/server/db/client.ts');
const { migrateDatabase } = await import('../src/server/db/migrate.ts');
const { insertSchools } = await import('../src/server/demo/schools.generator.ts');
const { createCampaignFromPlan } = await import('../src/server/campaign/campaign.service.ts');
const { makeAccount, testPassword } = await import('../src/server/test/factories.ts');

const url = await benchDatabase('rollcall_bench_archive', true);
const database = openPostgres(url);
await migrateDatabase(database);
await createCampaignFromPlan(database.db, new Date());
await insertSchools(database.db, [{ code: '2430102001', name: '芙蓉区实验小学', schoolType: 'k12', countyCode: '430102', expectedStaff: 100 }]);
const operator = await makeAccount(database.db, { unitCode: '2430102001', role: 'operator' });
const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error' }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${address}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: operator.username, password: testPassword }),
});
const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };

const bombs = [
  { name: 'junk.xlsx', content: withTrailingJunk(cellBomb(256)) },
  { name: 'padded.xlsx', content: paddedCellBomb(200) },
];
const upload = async (bomb: { name: string; content: Buffer }) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bomb.content)]), bomb.name);
  const started = performance.now();
  const response = await fetch(`${address}/api/schools/2430102001/imports`, { method: 'POST', headers, body: form });
  const body = (await response.json()) as { error?: { messages: { zh: string } } };
  return { name: bomb.name, size: bomb.content.length, status: response.status, ms: performance.now() - started, message: body.error?.messages.zh ?? '' };
};

// settle, then measure from here
for (let warm = 0; warm < 3; warm++) await fetch(`${address}/api/health`);
(globalThis as { gc?: () => void }).gc?.();
const startRss = process.memoryUsage().rss;
let peakRss = startRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
let pending = bombs.length;
const answers = Promise.all(bombs.map((bomb) => upload(bomb).finally(() => (pending -= 1))));
const latencies: number[] = [];
while (pending > 0) {
  const asked = performance.now();
  await fetch(`${address}/api/health`);
  latencies.push(performance.now() - asked);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const results = await answers;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
for (const result of results) {
  console.log(`bomb ${result.name} (${megabytes(result.size)} MB): ${result.status} in ${result.ms.toFixed(0)} ms — ${result.message.slice(0, 90)}…`);
}
console.log(`two bombs at once: RSS ${megabytes(startRss)} MB at start, peak ${megabytes(peakRss)} MB (+${megabytes(peakRss - startRss)} MB)`);
console.log(`/api/health during them: ${latencies.length} answers, median ${median(latencies).toFixed(1)} ms, worst ${Math.max(...latencies).toFixed(1)} ms`);

await app.close();
await database.close();
