/**
 * bench/chain: the approved chain of a province of 1,000,000 staff on PostgreSQL (`rollcall_bench`; seed it
 * with bench/export.bench.ts first). Builds, once, an approved package for every school (each record frozen
 * with its content and hash), county, prefecture and the province's final package, as submitPackage would;
 * then measures, in one run:
 *  - the national export of the approved content over HTTP, against today's export of the live rows
 *    (GET /api/units/430000/export) as the reference, with the ratio and the peak RSS of each;
 *  - marking the chain above a school stale (mark_chain_stale, as a school added or a reopen does) and a record
 *    saved at an approved school (the staff trigger marks the chain), each in a transaction rolled back so the
 *    chain stays approved; median and p95 of 50.
 * Targets: marking < 100 ms; the national export no slower than the live export and < 400 MB.
 * Run: npx tsx bench/chain.bench.ts
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openPostgres, resultRows } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { packageChildren, packageItems, packages, staff, units } from '../src/server/db/schema.ts';
import { currentCampaign } from '../src/server/campaign/campaign.service.ts';
import { areaPackageHash, frozenContent, schoolPackageHash } from '../src/server/packages/package.service.ts';
import { markChainStale } from '../src/server/packages/packages.repository.ts';
import { makeAccount, testPassword } from '../src/server/test/factories.ts';
import { benchDatabase, median, rssSampler } from './bench-support.ts';

const url = await benchDatabase('rollcall_bench', false);
const database = openPostgres(url);
const db = database.db;
await migrateDatabase(database);
const campaign = await currentCampaign(db);
const [{ total }] = await db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(staff).where(isNull(staff.deletedAt));
if (!campaign || total < 900_000) throw new Error('seed rollcall_bench first: npx tsx bench/export.bench.ts');
const signer = await makeAccount(db, { unitCode: '430000', username: `bench-chain-${Date.now()}` });

type Built = { id: number; code: string; contentHash: string; recordCount: number; expectedCount: number };

/** The province's final package, built once: schools first (their records frozen), then each level above. */
async function buildChain() {
  const [existing] = await db.select().from(packages).where(and(eq(packages.unitCode, '430000'), isNull(packages.staleAt), eq(packages.status, 'approved'))).limit(1);
  if (existing) return existing.id;
  const started = Date.now();
  await db.execute(sql`delete from package_children`);
  await db.execute(sql`delete from package_items`);
  await db.execute(sql`delete from packages`);
  await db.execute(sql`update staff set status = 'approved', confirmed_via = case when id % 6 = 0 then 'paper' else 'phone' end where deleted_at is null and status <> 'approved'`);
  const now = new Date();
  const base = { campaignId: campaign!.id, versionNo: 1, status: 'approved' as const, signedBy: signer.id, signedAt: now, submittedBy: signer.id, decidedBy: signer.id, decidedAt: now, approvedAt: now };
  const all = await db.select({ code: units.code, kind: units.kind, parentCode: units.parentCode, expectedStaff: units.expectedStaff }).from(units).where(isNull(units.closedOn)).orderBy(asc(units.code));
  const built = new Map<string, Built>();
  const schools = all.filter((unit) => unit.kind === 'school');
  for (let start = 0; start < schools.length; start += 200) {
    const slice = schools.slice(start, start + 200);
    const rows = await db.select().from(staff).where(and(inArray(staff.schoolCode, slice.map((s) => s.code)), isNull(staff.deletedAt))).orderBy(asc(staff.schoolCode), asc(staff.id));
    const bySchool = new Map<string, typeof rows>();
    for (const row of rows) (bySchool.get(row.schoolCode) ?? bySchool.set(row.schoolCode, []).get(row.schoolCode)!).push(row);
    for (const school of slice) {
      const records = bySchool.get(school.code) ?? [];
      const items = records.map((row) => ({ staffId: row.id, ...frozenContent(row), confirmedVia: row.confirmedVia }));
      const [pkg] = await db
        .insert(packages)
        .values({ ...base, unitCode: school.code, receiverCode: school.parentCode, recordCount: items.length, expectedCount: school.expectedStaff ?? 0, contentHash: schoolPackageHash(items), phoneConfirmed: items.filter((i) => i.confirmedVia === 'phone').length, paperConfirmed: items.filter((i) => i.confirmedVia === 'paper').length })
        .returning();
      for (let at = 0; at < items.length; at += 2000) await db.insert(packageItems).values(items.slice(at, at + 2000).map((item) => ({ packageId: pkg.id, ...item })));
      built.set(school.code, { id: pkg.id, code: school.code, contentHash: pkg.contentHash, recordCount: pkg.recordCount, expectedCount: pkg.expectedCount });
    }
    process.stdout.write(`\rfreezing school packages ${Math.min(start + 200, schools.length)}/${schools.length}`);
  }
  for (const kind of ['county', 'prefecture', 'province']) {
    for (const area of all.filter((unit) => unit.kind === kind)) {
      const children = all.filter((unit) => unit.parentCode === area.code && built.has(unit.code)).map((unit) => built.get(unit.code)!);
      const [pkg] = await db
        .insert(packages)
        .values({ ...base, unitCode: area.code, receiverCode: area.parentCode, recordCount: children.reduce((n, c) => n + c.recordCount, 0), expectedCount: children.reduce((n, c) => n + c.expectedCount, 0), contentHash: areaPackageHash(children) })
        .returning();
      if (children.length > 0) await db.insert(packageChildren).values(children.map((child) => ({ packageId: pkg.id, childPackageId: child.id })));
      built.set(area.code, { id: pkg.id, code: area.code, contentHash: pkg.contentHash, recordCount: pkg.recordCount, expectedCount: pkg.expectedCount });
    }
  }
  await db.execute(sql`analyze`);
  console.log(`\nbuilt the approved chain (${built.size} packages) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return built.get('430000')!.id;
}

const finalId = await buildChain();
const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error' }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${address}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: signer.username, password: testPassword }) });
const cookie = login.headers.get('set-cookie')!.split(';')[0];

async function download(path: string) {
  const memory = rssSampler();
  const started = performance.now();
  const response = await fetch(`${address}${path}`, { headers: { cookie } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  let bytes = 0;
  const reader = response.body!.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.length;
  return { seconds: (performance.now() - started) / 1000, mb: bytes / 1024 / 1024, peak: memory.stop() };
}

const [finalPackage] = await db.select().from(packages).where(eq(packages.id, finalId));
console.log(`bench/chain — ${total} live records, final package ${finalId} with ${finalPackage.recordCount} records, PostgreSQL`);
const live = await download('/api/units/430000/export');
console.log(`reference: export of the live rows: ${live.seconds.toFixed(1)} s, ${Math.round(total / live.seconds)} rows/s, ${live.mb.toFixed(0)} MB, peak RSS ${live.peak} MB`);
const national = await download('/api/units/430000/national-export');
const [audit] = resultRows<{ after: { records: number; contentHash: string; matchesFinalPackage: boolean } }>(
  await db.execute(sql`select after from audit_events where action = 'staff.national_export' order by id desc limit 1`),
);
const rate = finalPackage.recordCount / national.seconds;
console.log(
  `national export of the approved content: ${national.seconds.toFixed(1)} s, ${Math.round(rate)} rows/s (${(rate / (total / live.seconds)).toFixed(2)}× the live export; target ≥ 1), ` +
    `${national.mb.toFixed(0)} MB, peak RSS ${national.peak} MB (target < 400 MB; ${(national.peak / live.peak).toFixed(2)}× the live export's)`,
);
console.log(`  audit: ${audit.after.records} rows written, content hash ${audit.after.matchesFinalPackage ? 'equals' : 'DIFFERS FROM'} the final package's`);

/** Median and p95 of 50 runs of `step`, each in a transaction rolled back (the chain stays approved). */
async function timeRolledBack(step: (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    await db
      .transaction(async (tx) => {
        const started = performance.now();
        await step(tx);
        samples.push(performance.now() - started);
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(samples), p95: sorted[Math.floor(sorted.length * 0.95)] };
}

const [school] = await db.select({ code: units.code }).from(units).where(and(eq(units.kind, 'school'), sql`${units.parentCode} like '43%' and length(${units.parentCode}) = 6`)).orderBy(units.code).limit(1);
const [record] = await db.select({ id: staff.id }).from(staff).where(and(eq(staff.schoolCode, school.code), isNull(staff.deletedAt))).limit(1);
let marked = 0;
const mark = await timeRolledBack(async (tx) => (marked = (await markChainStale(tx, campaign!.id, school.code, '基准测试：新增学校', { includeSelf: true })).length));
console.log(`marking the chain above school ${school.code} stale (${marked} packages): median ${mark.median.toFixed(1)} ms, p95 ${mark.p95.toFixed(1)} ms (target < 100 ms)`);
const save = await timeRolledBack((tx) => tx.update(staff).set({ remark: `基准 ${Date.now()}`, version: sql`${staff.version} + 1` }).where(eq(staff.id, record.id)));
console.log(`a record saved at an approved school (the trigger marks its chain): median ${save.median.toFixed(1)} ms, p95 ${save.p95.toFixed(1)} ms (target < 100 ms)`);
await app.close();
await database.close();
