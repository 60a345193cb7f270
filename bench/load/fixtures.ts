/**
 * The load benchmark's data: a seeded province (made once with `rollcall seed`), the accounts the mix signs in
 * as (one shared Argon2 hash), and which schools, counties and records each connection works on.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/server/db/client.ts';
import { resultRows } from '../../src/server/db/client.ts';
import { accounts } from '../../src/server/db/schema.ts';
import { hashPassword } from '../../src/server/accounts/password.ts';
import type { Role } from '../../src/contract/roles.ts';

export const loadPassword = 'load1234';
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export type SeedSize = { schools: number; staff: number; seed: number };

/**
 * Seeds the province with `rollcall seed` unless the database already holds at least this many schools and staff;
 * answers what it holds (earlier runs' imports stay: `--fresh` starts again).
 */
export async function ensureSeeded(db: Database, url: string, size: SeedSize, log: (line: string) => void): Promise<{ schools: number; staff: number }> {
  const [counts] = resultRows<{ schools: number; staff: number }>(
    await db.execute(sql`select (select count(*) from units where kind = 'school')::int as schools, (select count(*) from staff)::int as staff`),
  );
  if (counts.schools >= size.schools && counts.staff >= size.staff) {
    log(`已有数据 / already seeded: ${counts.schools} schools, ${counts.staff} staff`);
    // Planner statistics as autovacuum would keep them (a server may run with it off, as this machine's does).
    await db.execute(sql`analyze`);
    return counts;
  }
  if (counts.schools > 0) throw new Error(`the database holds ${counts.schools} schools and ${counts.staff} staff, fewer than asked: use --fresh`);
  log(`正在生成 / seeding ${size.schools} schools and ${size.staff} staff (seed ${size.seed}) …`);
  const started = performance.now();
  const seeded = spawnSync(
    process.execPath,
    ['bin/rollcall.js', 'seed', '--schools', String(size.schools), '--staff', String(size.staff), '--seed', String(size.seed)],
    { cwd: projectRoot, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (seeded.status !== 0) throw new Error(`rollcall seed failed (exit ${seeded.status})`);
  await db.execute(sql`analyze`);
  log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { schools: size.schools, staff: size.staff };
}

export type Target = { username: string; unitCode: string };
/** One connection's own world: its schools (operators), the counties above them and the records it saves. */
export type ConnectionPlan = {
  schools: (Target & { countyCode: string; prefectureCode: string })[];
  counties: Target[];
  prefectures: Target[];
  /** Records only this connection saves, with their version before the run. */
  records: { id: number; schoolUsername: string; version: number }[];
  /** A school of this connection that receives its uploads (never another connection's). */
  uploadSchool: Target;
  /** Packages awaiting review in this connection's counties (another school of each): the county reads them. */
  packages: { id: number; county: Target }[];
};

export type LoadPlan = { connections: ConnectionPlan[]; province: Target; usernames: string[] };

const usernameOf = (role: 'operator' | 'admin', unitCode: string) => `load-${role}-${unitCode}`;

/**
 * Chooses `schoolsPerConnection` k12 schools with records for every connection (disjoint), their counties and
 * prefectures, and `recordsPerSchool` live records of each school to save; creates the accounts that are missing.
 */
export async function planLoad(db: Database, connections: number, options: { schoolsPerConnection: number; recordsPerSchool: number }): Promise<LoadPlan> {
  const wanted = connections * options.schoolsPerConnection;
  // Spread over the province: every n-th k12 school with at least recordsPerSchool live records.
  const schools = resultRows<{ code: string; county: string; prefecture: string }>(
    await db.execute(sql`
      with eligible as (
        select s.code, s.parent_code as county, split_part(s.path, '.', 2) as prefecture,
               row_number() over (order by s.code) as n, count(*) over () as total
        from units s join progress_school_counts p on p.school_code = s.code
        where s.kind = 'school' and s.school_type = 'k12' and p.entered >= ${options.recordsPerSchool}
          and s.parent_code in (select code from units where kind = 'county'))
      select code, county, prefecture from eligible
      where n % greatest(1, total / ${wanted}) = 0 order by code limit ${wanted}`),
  );
  if (schools.length < wanted) throw new Error(`only ${schools.length} k12 schools with ${options.recordsPerSchool} records; need ${wanted}`);
  const [province] = resultRows<{ code: string }>(await db.execute(sql`select code from units where kind = 'province' limit 1`));

  const wantedAccounts = new Map<string, { unitCode: string; role: Role }>();
  for (const school of schools) {
    wantedAccounts.set(usernameOf('operator', school.code), { unitCode: school.code, role: 'operator' });
    wantedAccounts.set(usernameOf('admin', school.county), { unitCode: school.county, role: 'admin' });
    wantedAccounts.set(usernameOf('admin', school.prefecture), { unitCode: school.prefecture, role: 'admin' });
  }
  wantedAccounts.set(usernameOf('admin', province.code), { unitCode: province.code, role: 'admin' });
  const existing = new Set(
    resultRows<{ username: string }>(await db.execute(sql`select username from accounts where username like 'load-%'`)).map((row) => row.username),
  );
  const missing = [...wantedAccounts].filter(([username]) => !existing.has(username));
  if (missing.length > 0) {
    const passwordHash = await hashPassword(loadPassword); // one Argon2 hash shared by every load account
    for (let start = 0; start < missing.length; start += 500) {
      await db
        .insert(accounts)
        .values(missing.slice(start, start + 500).map(([username, account]) => ({ username, displayName: `压测${username}`, passwordHash, ...account })))
        .onConflictDoNothing();
    }
  }

  const records = resultRows<{ id: number; school: string; version: number }>(
    await db.execute(sql`
      select id, school_code as school, version from (
        select id, school_code, version, row_number() over (partition by school_code order by id) as n
        from staff where deleted_at is null and school_code in (${sql.join(schools.map((school) => sql`${school.code}`), sql`, `)})
      ) ranked where n <= ${options.recordsPerSchool} order by id`),
  );
  const recordsBySchool = new Map<string, typeof records>();
  for (const record of records) recordsBySchool.set(record.school, [...(recordsBySchool.get(record.school) ?? []), record]);

  // Every county of the plan has a package awaiting its review, from one of its k12 schools that no
  // connection saves to or uploads to (a submitted school is locked).
  const counties = [...new Set(schools.map((school) => school.county))];
  const planned = new Set(schools.map((school) => school.code));
  const [campaign] = resultRows<{ id: number }>(await db.execute(sql`select id from campaigns order by id desc limit 1`));
  const [signer] = resultRows<{ id: number }>(await db.execute(sql`select id from accounts where username = ${usernameOf('admin', province.code)}`));
  const packageOf = new Map<string, number>();
  for (const county of counties) {
    const [existing] = resultRows<{ id: number }>(
      await db.execute(sql`select id from packages where receiver_code = ${county} and status = 'submitted' and campaign_id = ${campaign.id} order by id limit 1`),
    );
    if (existing) {
      packageOf.set(county, existing.id);
      continue;
    }
    const candidates = resultRows<{ code: string; entered: number }>(
      await db.execute(sql`
        select s.code, p.entered from units s join progress_school_counts p on p.school_code = s.code
        where s.parent_code = ${county} and s.kind = 'school' and s.school_type = 'k12' and p.entered > 0
          and not exists (select 1 from packages k where k.unit_code = s.code)
        order by s.code`),
    );
    const school = candidates.find((candidate) => !planned.has(candidate.code));
    if (!school) continue;
    const [created] = resultRows<{ id: number }>(
      await db.execute(sql`
        insert into packages (campaign_id, unit_code, receiver_code, version_no, status, record_count, expected_count, content_hash, signed_by, signed_at, submitted_by)
        values (${campaign.id}, ${school.code}, ${county}, 1, 'submitted', ${school.entered}, ${school.entered}, ${'0'.repeat(64)}, ${signer.id}, now(), ${signer.id})
        returning id`),
    );
    await db.execute(sql`
      insert into package_items (package_id, staff_id, content_hash)
      select ${created.id}, id, md5(id::text) || md5(name) from staff where school_code = ${school.code} and deleted_at is null`);
    packageOf.set(county, created.id);
  }

  const plans: ConnectionPlan[] = [];
  for (let index = 0; index < connections; index += 1) {
    const own = schools.slice(index * options.schoolsPerConnection, (index + 1) * options.schoolsPerConnection);
    const targets = own.map((school) => ({ username: usernameOf('operator', school.code), unitCode: school.code, countyCode: school.county, prefectureCode: school.prefecture }));
    const unique = (codes: string[]) => [...new Set(codes)].map((code) => ({ username: usernameOf('admin', code), unitCode: code }));
    plans.push({
      schools: targets,
      counties: unique(own.map((school) => school.county)),
      prefectures: unique(own.map((school) => school.prefecture)),
      // The first school takes the uploads; the others' records are saved, so an import never meets a save.
      uploadSchool: targets[0],
      packages: unique(own.map((school) => school.county)).flatMap((county) => (packageOf.has(county.unitCode) ? [{ id: packageOf.get(county.unitCode)!, county }] : [])),
      records: targets.slice(options.schoolsPerConnection > 1 ? 1 : 0).flatMap((target) =>
        (recordsBySchool.get(target.unitCode) ?? []).map((record) => ({ id: record.id, schoolUsername: target.username, version: record.version })),
      ),
    });
  }
  return { connections: plans, province: { username: usernameOf('admin', province.code), unitCode: province.code }, usernames: [...wantedAccounts.keys()] };
}

/** The current versions of records (to compare with the saves the run acknowledged). */
export async function recordVersions(db: Database, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = resultRows<{ id: number; version: number }>(
    await db.execute(sql`select id, version from staff where id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`),
  );
  return new Map(rows.map((row) => [row.id, row.version]));
}

/** Imports committed since `since`, with the new records they wrote (as the commit counted them). */
export async function committedImports(db: Database, since: Date) {
  const [row] = resultRows<{ imports: number; created: number }>(
    await db.execute(sql`
      select count(*)::int as imports, coalesce(sum((committed_counts->>'new')::int), 0)::int as created from imports
      where status = 'committed' and committed_at >= ${since.toISOString()}::timestamptz`),
  );
  return row;
}
