/**
 * The load benchmark end to end: seed (once), accounts, workbooks, the cluster, sign-in, the measured mix, and
 * the checks after it (versions against acknowledged saves, imports committed). Used by bench/load/load.bench.ts
 * and, in its short form, by src/server/ops/load.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres } from '../../src/server/db/client.ts';
import { migrateDatabase } from '../../src/server/db/migrate.ts';
import { benchDatabase } from '../bench-support.ts';
import { startCluster } from './cluster.ts';
import { committedImports, ensureSeeded, planLoad, recordVersions } from './fixtures.ts';
import { runMix, signIn, type Failure, type Route, type Sample } from './mix.ts';
import { buildUploads } from './workbooks.ts';

export type LoadOptions = {
  database: string;
  /** Drop and recreate the database first. */
  fresh: boolean;
  schools: number;
  staff: number;
  seed: number;
  workers: number;
  connections: number;
  seconds: number;
  /** Total requests/s to offer (autocannon's per-connection rate); unset: as fast as answers come. */
  rate?: number;
  /** Workbooks prepared for the uploads (each holds new people; more uploads than this reuse them). */
  uploadPool: number;
  /** Requests of the other kinds per upload, in 39s (1: uploads are 5 % of the mix; 5: 1 %). */
  uploadScale: number;
  logLevel: string;
  /** Write a V8 CPU profile of every server process into this folder. */
  profileDir?: string;
  log: (line: string) => void;
};

export type RouteFigures = { route: Route | 'all'; requests: number; p50: number; p95: number; p99: number; max: number };

export type LoadReport = {
  options: Omit<LoadOptions, 'log'>;
  /** What the database held when the run began (earlier runs' imports included). */
  holds: { schools: number; staff: number };
  seconds: number;
  requests: number;
  throughput: number;
  overall: RouteFigures;
  routes: RouteFigures[];
  errors: number;
  errorsByRoute: { route: Route; count: number; statuses: string; sample: string }[];
  imports: { committedDuringRun: number; newRecords: number; commitsAcknowledged: number; uploadsReused: number };
  workers: { worker: string; requests: number }[];
  sessions: { used: number; servedBySeveralWorkers: number; servedByAnotherWorker: number; loginWorkers: Record<string, number> };
  saves: { acknowledged: number; inFlightAtEnd: number; versionsAdvanced: number; recordsWrong: number; wrongExamples: string[]; consistent: boolean };
  memory: { peakProcess: number; peakTotal: number };
  target: { throughput: boolean; p99: boolean; errors: boolean; imports: boolean; met: boolean };
};

function percentile(sorted: number[], fraction: number) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function figures(route: Route | 'all', samples: Sample[]): RouteFigures {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return { route, requests: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 };
}

function errorsByRoute(failures: Failure[]) {
  const grouped = new Map<Route, Failure[]>();
  for (const failure of failures) grouped.set(failure.route, [...(grouped.get(failure.route) ?? []), failure]);
  return [...grouped].map(([route, list]) => ({
    route,
    count: list.length,
    statuses: [...new Set(list.map((failure) => String(failure.status)))].join(', '),
    sample: list[0].body,
  }));
}

/** Runs the benchmark and returns its figures (printing progress through `options.log`). */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { log } = options;
  const url = await benchDatabase(options.database, options.fresh);
  const database = openPostgres(url, { max: 4 });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-load-'));
  try {
    await migrateDatabase(database);
    const holds = await ensureSeeded(database.db, url, { schools: options.schools, staff: options.staff, seed: options.seed }, log);
    const plan = await planLoad(database.db, options.connections, { schoolsPerConnection: 4, recordsPerSchool: 10 });
    log(`计划 / plan: ${options.connections} connections, ${plan.connections.length * 4} schools, ${plan.usernames.length} accounts`);

    let started = performance.now();
    const uploadPool = await buildUploads(options.uploadPool, 200, Date.now() % 1_000_000_000);
    log(`工作簿 / ${uploadPool.length} workbooks of 200 rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    started = performance.now();
    const cluster = await startCluster(url, options.workers, { logLevel: options.logLevel, folder, profileDir: options.profileDir });
    log(`服务 / ${options.workers} workers listening at ${cluster.address} in ${((performance.now() - started) / 1000).toFixed(1)} s (log: ${cluster.logFile})`);
    try {
      started = performance.now();
      const sessions = await signIn(cluster.address, plan.usernames);
      log(`登录 / ${sessions.size} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`);

      const since = new Date();
      cluster.resetMemory();
      log(`压测 / driving the mix for ${options.seconds} s${options.rate ? ` at ${options.rate} requests/s` : ''} …`);
      const mix = await runMix(cluster.address, plan, sessions, uploadPool, { seconds: options.seconds, rate: options.rate, scale: options.uploadScale });
      await new Promise((resolve) => setTimeout(resolve, 1000)); // requests cut off at the end finish on the server

      const records = plan.connections.flatMap((connection) => connection.records);
      const after = await recordVersions(database.db, records.map((record) => record.id));
      let advanced = 0;
      let recordsWrong = 0;
      const wrongExamples: string[] = [];
      for (const record of records) {
        const delta = (after.get(record.id) ?? record.version) - record.version;
        advanced += delta;
        const acknowledged = mix.savesAcknowledged.get(record.id) ?? 0;
        if (delta < acknowledged || delta > acknowledged + (mix.savesInFlight.get(record.id) ?? 0)) {
          recordsWrong += 1;
          if (wrongExamples.length < 5) wrongExamples.push(`#${record.id} version ${record.version} → ${after.get(record.id)} after ${acknowledged} saves answered`);
        }
      }
      const sum = (map: Map<number, number>) => [...map.values()].reduce((total, value) => total + value, 0);
      const imports = await committedImports(database.db, since);

      const workerCounts = new Map<string, number>();
      for (const sample of mix.samples) if (sample.worker) workerCounts.set(sample.worker, (workerCounts.get(sample.worker) ?? 0) + 1);
      const loginWorkers: Record<string, number> = {};
      for (const session of sessions.values()) loginWorkers[session.worker ?? '?'] = (loginWorkers[session.worker ?? '?'] ?? 0) + 1;

      const routes = [...new Set(mix.samples.map((sample) => sample.route))].sort();
      const overall = figures('all', mix.samples);
      const throughput = mix.samples.length / mix.seconds;
      const errors = mix.failures.length;
      const target = {
        throughput: throughput >= 300,
        p99: overall.p99 < 500,
        errors: errors === 0,
        imports: imports.imports > 0,
        met: false,
      };
      target.met = target.throughput && target.p99 && target.errors && target.imports;
      const { log: _log, ...shownOptions } = options;
      return {
        options: shownOptions,
        holds,
        seconds: mix.seconds,
        requests: mix.samples.length,
        throughput,
        overall,
        routes: routes.map((route) => figures(route, mix.samples.filter((sample) => sample.route === route))),
        errors,
        errorsByRoute: errorsByRoute(mix.failures),
        imports: { committedDuringRun: imports.imports, newRecords: imports.created, commitsAcknowledged: mix.commitsAcknowledged, uploadsReused: mix.uploadsReused },
        workers: [...workerCounts].sort().map(([worker, requests]) => ({ worker, requests })),
        sessions: {
          used: mix.sessionWorkers.size,
          servedBySeveralWorkers: [...mix.sessionWorkers.values()].filter((workers) => workers.size > 1).length,
          // Signed in on one worker, then accepted by another: the session lives in the database, not in a process.
          servedByAnotherWorker: [...mix.sessionWorkers].filter(([username, workers]) => [...workers].some((worker) => worker !== sessions.get(username)?.worker)).length,
          loginWorkers,
        },
        saves: {
          acknowledged: sum(mix.savesAcknowledged),
          inFlightAtEnd: sum(mix.savesInFlight),
          versionsAdvanced: advanced,
          recordsWrong,
          wrongExamples,
          consistent: recordsWrong === 0,
        },
        memory: cluster.memory(),
        target,
      };
    } finally {
      const code = await cluster.stop();
      if (code !== 0) log(`服务退出码 / the server exited with ${code}`);
    }
  } finally {
    await database.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** The report as printed by the benchmark. */
export function formatReport(report: LoadReport): string {
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
  const lines = [
    `bench/load — ${report.holds.schools} schools, ${report.holds.staff} staff records (seeded ${report.options.staff}); ${report.options.workers} workers; ` +
      `${report.options.connections} connections for ${report.options.seconds} s${report.options.rate ? ` at ${report.options.rate} requests/s offered` : ' (as fast as answered)'}; log level ${report.options.logLevel}; uploads ${(100 / (39 * report.options.uploadScale + 2)).toFixed(1)} % + commits ${(100 / (39 * report.options.uploadScale + 2)).toFixed(1)} % of the mix`,
    `requests ${report.requests} in ${report.seconds.toFixed(1)} s: ${report.throughput.toFixed(0)} requests/s; ` +
      `latency p50 ${ms(report.overall.p50)}, p95 ${ms(report.overall.p95)}, p99 ${ms(report.overall.p99)}, max ${ms(report.overall.max)}; errors ${report.errors}`,
    '',
    'route                 requests   share     p50     p95     p99     max',
    ...report.routes.map(
      (route) =>
        `${route.route.padEnd(20)} ${String(route.requests).padStart(9)} ${`${((100 * route.requests) / Math.max(1, report.requests)).toFixed(1)}%`.padStart(7)}` +
        ` ${ms(route.p50).padStart(7)} ${ms(route.p95).padStart(7)} ${ms(route.p99).padStart(7)} ${ms(route.max).padStart(7)}`,
    ),
    '',
    ...(report.errorsByRoute.length === 0
      ? ['errors by route: none']
      : ['errors by route:', ...report.errorsByRoute.map((error) => `  ${error.route}: ${error.count} (${error.statuses}) e.g. ${error.sample}`)]),
    `imports committed during the run: ${report.imports.committedDuringRun} (${report.imports.newRecords} new records; ${report.imports.commitsAcknowledged} commits answered${report.imports.uploadsReused ? `; ${report.imports.uploadsReused} uploads reused a workbook` : ''})`,
    `saves: ${report.saves.acknowledged} answered 200, ${report.saves.inFlightAtEnd} cut off at the end; versions advanced by ${report.saves.versionsAdvanced}; records out of step: ${report.saves.recordsWrong}${report.saves.wrongExamples.length ? ` (${report.saves.wrongExamples.join('; ')})` : ''}`,
    `workers that served: ${report.workers.map((worker) => `#${worker.worker} ${worker.requests}`).join(', ')}; ` +
      `sessions used ${report.sessions.used}: served by more than one worker ${report.sessions.servedBySeveralWorkers}, ` +
      `by a worker other than the one that signed them in ${report.sessions.servedByAnotherWorker}; ` +
      `logins made on workers ${Object.entries(report.sessions.loginWorkers).map(([worker, count]) => `#${worker} ${count}`).join(', ')}`,
    `peak RSS during the run: largest process ${report.memory.peakProcess} MB, primary + workers together ${report.memory.peakTotal} MB`,
    `target (≥ 300 requests/s, p99 < 500 ms, 0 errors, imports committing): ${report.target.met ? 'MET' : 'NOT MET'} — ` +
      `throughput ${yes(report.target.throughput)}, p99 ${yes(report.target.p99)}, errors ${yes(report.target.errors)}, imports ${yes(report.target.imports)}`,
  ];
  return lines.join('\n');
}
