/**
 * bench/load: Rollcall as several processes (`rollcall start --workers N`) on one PostgreSQL, under a deadline-day
 * mix driven by autocannon on loopback — school operators listing and saving records, 200-row uploads committed,
 * county reviews and progress pages (see mix.ts for the weights). Prints throughput, p50/p95/p99 overall and by
 * route, errors by route with a sample answer, imports committed, the workers that served, peak RSS, and whether
 * the target is met: ≥ 300 requests/s with p99 < 500 ms, no error, imports committing. Never an assertion.
 *
 * The full form seeds `rollcall_load` once with 20,000 schools and 1,000,000 staff (about 90–160 s):
 *   npm run bench:load
 *   npm run bench:load -- --short                 200 schools, 20,000 staff, 10 s (database rollcall_load_short)
 *   npm run bench:load -- --workers 2 --connections 32 --seconds 60 --rate 300 --log-level info
 *   npm run bench:load -- --profile /tmp/prof    a V8 CPU profile of every server process
 *   npm run bench:load -- --upload-scale 1        uploads 5 % of the mix, not 1 % (see mix.ts)
 * DATABASE_URL names the server to create the database on (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { parseArgs } from 'node:util';
import { formatReport, runLoad } from './run.ts';

const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    database: { type: 'string' },
    schools: { type: 'string' },
    staff: { type: 'string' },
    workers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    seconds: { type: 'string' },
    rate: { type: 'string' },
    'upload-pool': { type: 'string' },
    'upload-scale': { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    profile: { type: 'string' },
  },
});

const short = values.short;
const seconds = Number(values.seconds ?? (short ? 10 : 60));
const report = await runLoad({
  database: values.database ?? (short ? 'rollcall_load_short' : 'rollcall_load'),
  fresh: values.fresh,
  schools: Number(values.schools ?? (short ? 200 : 20_000)),
  staff: Number(values.staff ?? (short ? 20_000 : 1_000_000)),
  seed: 42,
  workers: Number(values.workers),
  connections: Number(values.connections),
  seconds,
  rate: values.rate ? Number(values.rate) : undefined,
  uploadPool: Number(values['upload-pool'] ?? Math.ceil(seconds * 10)),
  uploadScale: Number(values['upload-scale'] ?? (short ? 1 : 5)),
  logLevel: values['log-level'],
  profileDir: values.profile,
  log: (line) => console.log(line),
});
console.log(`\n${formatReport(report)}`);
