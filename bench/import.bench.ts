/**
 * bench/import: a 50,000-row k12 workbook through upload → preview → commit over HTTP on PostgreSQL, against
 * ExcelJS's bare streaming read of the same file (timed in a child process in the same run). Prints rows/s
 * end to end, the ratio to the bare read and peak RSS. Targets: ≥ 10,000 rows/s, ≤ 2.5× the bare read,
 * < 500 MB RSS. Run: npx tsx bench/import.bench.ts [rows]   (DATABASE_URL: the server; default localhost)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { benchDatabase, rssSampler } from './bench-support.ts';

const rows = Number(process.argv[2] ?? 50_000);
const readerOptions = { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore' } as const;

if (process.argv[2] === 'read') {
  // Child phase: ExcelJS's streaming reader alone over the file.
  const started = performance.now();
  let count = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(process.argv[3], readerOptions);
  for await (const sheet of reader) for await (const row of sheet) if (row.values) count += 1;
  console.log(JSON.stringify({ rows: count, seconds: (performance.now() - started) / 1000 }));
  process.exit(0);
}

const { buildApp } = await import('../src/server/app.ts');
const { loadConfig } = await import('../src/server/config.ts');
const { openPostgres } = await import('../src/server/db/client.ts');
const { migrateDatabase } = await import('../src/server/db/migrate.ts');
const { writeStaffWorkbook } = await import('../src/server/test/staff-workbook-file.ts');
const { insertSchools } = await import('../src/server/demo/schools.generator.ts');
const { createCampaignFromPlan } = await import('../src/server/campaign/campaign.service.ts');
const { makeAccount, testPassword } = await import('../src/server/test/factories.ts');

const folder = mkdtempSync(join(tmpdir(), 'rollcall-bench-import-'));
const file = join(folder, 'staff.xlsx');
await writeStaffWorkbook(file, rows);
const size = statSync(file).size;

const bare = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'read', file], { encoding: 'utf8' });
const bareRead = JSON.parse(bare.stdout.trim().split('\n').at(-1)!) as { rows: number; seconds: number };

const url = await benchDatabase('rollcall_bench_import', true);
const database = openPostgres(url);
await migrateDatabase(database);
await createCampaignFromPlan(database.db, new Date());
await insertSchools(database.db, [{ code: '2430102001', name: '芙蓉区实验小学', schoolType: 'k12', countyCode: '430102', expectedStaff: rows }]);
const operator = await makeAccount(database.db, { unitCode: '2430102001', role: 'operator' });
const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error' }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${address}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: operator.username, password: testPassword }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0];
const { csrfToken } = (await login.json()) as { csrfToken: string };
const headers = { cookie, 'x-csrf-token': csrfToken };

const memory = rssSampler();
const started = performance.now();
const form = new FormData();
form.append('file', new Blob([readFileSync(file)]), 'staff.xlsx');
const previewResponse = await fetch(`${address}/api/schools/2430102001/imports`, { method: 'POST', headers, body: form });
const preview = (await previewResponse.json()) as { id: number; counts: Record<string, number> };
const previewed = performance.now();
const commitResponse = await fetch(`${address}/api/imports/${preview.id}/commit`, { method: 'POST', headers });
const committed = (await commitResponse.json()) as Record<string, number>;
const finished = performance.now();
const peak = memory.stop();

const total = (finished - started) / 1000;
console.log(`bench/import — ${rows} rows, ${(size / 1024 / 1024).toFixed(1)} MB workbook, PostgreSQL`);
console.table([
  { phase: 'ExcelJS streaming read alone', seconds: bareRead.seconds.toFixed(2), 'rows/s': Math.round(bareRead.rows / bareRead.seconds) },
  { phase: 'upload → preview', seconds: ((previewed - started) / 1000).toFixed(2), 'rows/s': Math.round(rows / ((previewed - started) / 1000)) },
  { phase: 'commit', seconds: ((finished - previewed) / 1000).toFixed(2), 'rows/s': Math.round(rows / ((finished - previewed) / 1000)) },
  { phase: 'end to end', seconds: total.toFixed(2), 'rows/s': Math.round(rows / total) },
]);
console.log(`preview counts ${JSON.stringify(preview.counts)}; committed ${JSON.stringify(committed)}`);
console.log(`end to end / bare read: ${(total / bareRead.seconds).toFixed(2)}× (target ≤ 2.5×); peak RSS ${peak} MB (target < 500 MB)`);
await app.close();
await database.close();
rmSync(folder, { recursive: true, force: true });
