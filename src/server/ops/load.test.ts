import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../../bench/load/run.ts';

const baseUrl = process.env.DATABASE_URL;

// The short form of bench/load: `rollcall start --workers 2` on its own database under the deadline-day mix for
// ten seconds. Correctness only — the figures are the benchmark's to print, never asserted here. The embedded
// database is one process, so there is nothing to run on it.
describe.skipIf(!baseUrl)('load: the mix on several workers sharing PostgreSQL (skipped on the embedded database: one process)', () => {
  it('answers every request, commits imports, shares sessions across workers and counts every save once', async () => {
    const name = `${new URL(baseUrl!).pathname.slice(1) || 'postgres'}_load`;
    try {
      const report = await runLoad({
        database: name,
        fresh: true,
        schools: 200,
        staff: 20_000,
        seed: 42,
        workers: 2,
        connections: 16,
        seconds: 10,
        uploadPool: 60,
        uploadScale: 1,
        logLevel: 'warn',
        log: () => {},
      });
      expect(report.errorsByRoute).toEqual([]);
      expect(report.requests).toBeGreaterThan(100);
      // Imports went through upload → preview → commit during the run and wrote their new records.
      expect(report.imports.committedDuringRun).toBeGreaterThan(0);
      expect(report.imports.newRecords).toBeGreaterThan(0);
      // Both workers served, and sessions signed in on one worker were accepted by the other.
      expect(report.workers.map((worker) => worker.worker)).toHaveLength(2);
      expect(report.workers.every((worker) => worker.requests > 0)).toBe(true);
      expect(report.sessions.servedByAnotherWorker).toBeGreaterThan(0);
      // Each record's version advanced by its acknowledged saves (plus at most the one cut off at the end): no
      // save was lost or applied twice, and none was refused as stale.
      expect(report.saves.acknowledged).toBeGreaterThan(0);
      expect(report.saves.recordsWrong).toBe(0);
      expect(report.saves.versionsAdvanced - report.saves.acknowledged).toBeGreaterThanOrEqual(0);
      expect(report.saves.versionsAdvanced - report.saves.acknowledged).toBeLessThanOrEqual(report.saves.inFlightAtEnd);
    } finally {
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 150_000);
});
