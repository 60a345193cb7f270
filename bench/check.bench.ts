/**
 * bench/check: the file checker against ExcelJS's bare streaming read, on one 100,000-row valid k12 workbook.
 * Writes the workbook with ExcelJS's streaming writer (title row, the template's header from the standard,
 * every k12 column filled the many valid ways schools type them, unique valid ID numbers), then times in
 * fresh child processes, alternating, two rounds each: (1) ExcelJS's streaming reader alone, iterating every
 * row and touching its values; (2) checkFile on the same file. Prints rows/s, the ratio checker/bare read
 * and peak RSS (sampled every 50 ms) per phase. Targets: ratio ≤ 1.5, peak RSS < 300 MB.
 * Run: npx tsx bench/check.bench.ts [rows]   (or `write FILE [rows]` to keep a workbook, `read|check FILE` for one phase)
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { FieldKey, RawCell } from '../src/standard/index.ts';

// Each phase imports only what it runs, so the bare read's process holds ExcelJS alone.
const fixtures = async () => ({
  ...(await import('../src/server/check/staff-rows.fixture.ts')),
  ...(await import('../src/server/check/test-fixtures.ts')),
});

type PhaseResult = { rows: number; seconds: number; cpuSeconds: number; peakRss: number; cells?: number; errors?: number; warnings?: number };

const readerOptions = { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore' } as const;
const pad = (n: number) => String(n).padStart(2, '0');
const birthDays = 365 * 30; // births spread over 1955-1984

/** Person `index`: the fixture's messy-but-valid cells, with a unique birth date + sequence so IDs never repeat. */
function benchPerson({ validPerson, residentId, personCells }: Awaited<ReturnType<typeof fixtures>>, index: number): RawCell[] {
  const person: Partial<Record<FieldKey, RawCell>> = validPerson(index);
  const born = new Date(Date.UTC(1955, 0, 1) + (index % birthDays) * 86_400_000);
  const [year, month, day] = [born.getUTCFullYear(), born.getUTCMonth() + 1, born.getUTCDate()];
  const female = index % 2 === 1;
  const sequence = 2 * Math.floor(index / birthDays) + (female ? 0 : 1);
  person.idNumber = residentId('430102', `${year}${pad(month)}${pad(day)}`, sequence);
  person.birthDate = index % 3 === 0 ? born : index % 3 === 1 ? `${year}-${pad(month)}-${pad(day)}` : `${year}年${month}月${day}日`;
  person.workStart = `${year + 22}${pad(month)}`;
  person.schoolJoin = `${year + 23}-09`;
  return personCells(person);
}

async function writeWorkbook(path: string, rows: number) {
  const helpers = await fixtures();
  const { headerCells, k12Columns } = helpers;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const worksheet = workbook.addWorksheet('教职工基础信息');
  worksheet.getColumn(k12Columns.indexOf('idNumber') + 1).numFmt = '@';
  worksheet.addRow(['湖南省教职工基础信息采集表（中小学）']).commit();
  worksheet.addRow(headerCells()).commit();
  for (let index = 0; index < rows; index++) worksheet.addRow(benchPerson(helpers, index)).commit();
  worksheet.commit();
  await workbook.commit();
}

async function measure(run: () => Promise<Omit<PhaseResult, 'seconds' | 'cpuSeconds' | 'peakRss'>>): Promise<PhaseResult> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await run();
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { ...result, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss: Math.max(peakRss, process.memoryUsage().rss) };
}

async function bareRead(path: string) {
  let rows = 0;
  let cells = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), readerOptions);
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = row.values as ExcelJS.CellValue[];
      for (let column = 1; column < values.length; column++) if (values[column] !== undefined) cells++;
      rows++;
    }
  }
  return { rows, cells };
}

/** The checker's phase, loaded before the clock starts (module loading is not reading). */
async function loadChecker() {
  const { checkFile } = await import('../src/server/check/check-file.service.ts');
  return async (path: string) => {
    const result = await checkFile({ path }, 'k12', { today: new Date('2013-09-01T00:00:00+08:00') });
    return { rows: result.rows, errors: result.errors, warnings: result.warnings };
  };
}

function runPhase(phase: 'read' | 'check', path: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), phase, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(output) as PhaseResult) : reject(new Error(`${phase} exited ${code}`))));
  });
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (result: PhaseResult) => `${Math.round(result.rows / result.seconds).toLocaleString('en')} rows/s`;

const [phase, phasePath] = process.argv.slice(2);
if (phase === 'write') {
  await writeWorkbook(phasePath, Number(process.argv[4] ?? 100_000)); // keep a workbook for manual runs
} else if (phase === 'read' || phase === 'check') {
  const run = phase === 'read' ? bareRead : await loadChecker();
  const result = await measure(() => run(phasePath));
  process.stdout.write(JSON.stringify(result));
} else {
  const rows = Number(phase ?? 100_000);
  const folder = await mkdtemp(join(tmpdir(), 'rollcall-check-bench-'));
  const path = join(folder, `k12-${rows}.xlsx`);
  try {
    let started = performance.now();
    await writeWorkbook(path, rows);
    console.log(`wrote ${rows.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s (${megabytes((await stat(path)).size)})`);
    const runs: Record<'read' | 'check', PhaseResult[]> = { read: [], check: [] };
    for (let round = 1; round <= 2; round++) {
      for (const name of ['read', 'check'] as const) {
        started = performance.now();
        const result = await runPhase(name, path);
        runs[name].push(result);
        const extra = result.errors === undefined ? '' : `, ${result.errors} errors, ${result.warnings} warnings`;
        console.log(`round ${round} ${name.padEnd(5)} ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s)  ${rate(result)}  peak RSS ${megabytes(result.peakRss)}  (${result.rows} rows${extra})`);
      }
    }
    const best = (results: PhaseResult[]) => results.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const read = best(runs.read);
    const check = best(runs.check);
    const peak = (results: PhaseResult[]) => Math.max(...results.map((result) => result.peakRss));
    console.log(`bare ExcelJS read: ${rate(read)} (best ${read.seconds.toFixed(2)} s), peak RSS ${megabytes(peak(runs.read))}`);
    console.log(`checker:           ${rate(check)} (best ${check.seconds.toFixed(2)} s), peak RSS ${megabytes(peak(runs.check))}`);
    console.log(`ratio checker / bare read: ${(check.seconds / read.seconds).toFixed(2)} (target ≤ 1.5; RSS target < 300 MB)`);
    const cpu = (results: PhaseResult[]) => Math.min(...results.map((result) => result.cpuSeconds));
    console.log(`CPU time ratio (best of each): ${(cpu(runs.check) / cpu(runs.read)).toFixed(2)}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
