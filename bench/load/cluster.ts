/**
 * Runs Rollcall as the operator would (`node bin/rollcall.js start --workers N`) on a free port, its output in a
 * log file, and samples the resident memory of the primary and its workers.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory (MB) of a process and its children, by pid. */
function residentMemory(primary: number): Map<number, number> {
  const memory = new Map<number, number>();
  try {
    const output = execFileSync('ps', ['-o', 'pid=,ppid=,rss=', '-e'], { encoding: 'utf8' });
    for (const line of output.trim().split('\n')) {
      const [pid, ppid, rss] = line.trim().split(/\s+/).map(Number);
      if (pid === primary || ppid === primary) memory.set(pid, rss / 1024);
    }
  } catch {
    // ps missing: the figures say 0
  }
  return memory;
}

export type RunningCluster = {
  address: string;
  logFile: string;
  /** Peak RSS (MB) since start or the last reset: the largest single process, and the largest sum over the primary and its workers. */
  memory(): { peakProcess: number; peakTotal: number };
  /** Starts the peaks again (the primary's web build at start is not the load's). */
  resetMemory(): void;
  stop(): Promise<number | null>;
};

/** Starts the cluster against `databaseUrl` and resolves once every worker listens. */
export async function startCluster(
  databaseUrl: string,
  workers: number,
  options: { logLevel: string; folder: string; profileDir?: string },
): Promise<RunningCluster> {
  const port = await freePort();
  const logFile = path.join(options.folder, 'server.log');
  const log = fs.openSync(logFile, 'w');
  // --cpu-prof is inherited by the cluster's workers; each process writes its profile when it stops.
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, 'bin/rollcall.js', 'start', '--workers', String(workers)], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ROLLCALL_LOG_LEVEL: options.logLevel },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));

  const started = Date.now();
  while (!fs.readFileSync(logFile, 'utf8').includes('is running')) {
    if (ended) throw new Error(`the server stopped while starting:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    if (Date.now() - started > 180_000) throw new Error(`the server did not start within 180 s:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const address = `http://127.0.0.1:${port}`;
  const health = await fetch(`${address}/api/health`);
  if (!health.ok) throw new Error(`/api/health answered ${health.status}`);

  let peakProcess = 0;
  let peakTotal = 0;
  const sample = () => {
    const memory = residentMemory(child.pid!);
    peakProcess = Math.max(peakProcess, ...memory.values());
    peakTotal = Math.max(peakTotal, [...memory.values()].reduce((sum, value) => sum + value, 0));
  };
  sample();
  const sampler = setInterval(sample, 500);

  return {
    address,
    logFile,
    memory: () => ({ peakProcess: Math.round(peakProcess), peakTotal: Math.round(peakTotal) }),
    resetMemory: () => {
      peakProcess = 0;
      peakTotal = 0;
      sample();
    },
    stop: async () => {
      clearInterval(sampler);
      if (!ended) child.kill('SIGTERM');
      return exited;
    },
  };
}
