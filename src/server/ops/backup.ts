import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.ts';
import { lockDataDir } from '../db/lock.ts';

/** A backup that cannot be taken or restored, with the reason in Chinese and English. */
export class BackupError extends Error {}

export type BackupResult = { engine: 'postgres' | 'pglite'; file: string; bytes: number };

const pgDumpMagic = Buffer.from('PGDMP');
const gzipMagic = Buffer.from([0x1f, 0x8b]);

/** `rollcall-backup-20261129-101500.dump` (PostgreSQL) or `….tar.gz` (embedded), in the current folder. */
export function defaultBackupName(config: Config, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `rollcall-backup-${stamp}.${config.databaseUrl ? 'dump' : 'tar.gz'}`;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(new BackupError(`无法运行 ${command}（请安装 PostgreSQL 客户端工具）/ Cannot run ${command} (install the PostgreSQL client tools): ${error.message}`)),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(`${command} 失败 / failed (exit ${code}):\n${stderr.trim()}`))));
  });
}

function startsWith(file: string, magic: Buffer): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    const read = fs.readSync(fd, head, 0, magic.length, 0);
    return read === magic.length && head.equals(magic);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a backup of the configured database to `file`: pg_dump's custom format for PostgreSQL (taken while
 * the servers run: pg_dump reads one consistent snapshot), or PGlite's own dump of the data folder for the
 * embedded database (the server must be stopped: only one process may open that folder). The file is
 * written beside its final name and renamed when complete, so a failed backup leaves no partial file.
 */
export async function backupDatabase(config: Config, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  const partial = `${target}.partial`;
  try {
    if (config.databaseUrl) {
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${config.databaseUrl}`]);
    } else {
      if (!fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
        throw new BackupError(`数据目录 ${config.dataDir} 中没有内嵌数据库 / There is no embedded database in ${config.dataDir}`);
      }
      const release = lockDataDir(config.dataDir);
      try {
        const client = await PGlite.create({ dataDir: config.dataDir });
        try {
          const dump = await client.dumpDataDir('gzip');
          fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
        } finally {
          await client.close();
        }
      } finally {
        release();
      }
    }
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { engine: config.databaseUrl ? 'postgres' : 'pglite', file: target, bytes: fs.statSync(target).size };
}

/** Reads the whole file through gunzip, checking it is an intact tar archive, before anything is replaced. */
async function verifyTarGz(file: string) {
  let head = Buffer.alloc(0);
  try {
    await pipeline(
      fs.createReadStream(file),
      createGunzip(),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          if (head.length < 512) head = Buffer.concat([head, chunk.subarray(0, 512 - head.length)]);
          done();
        },
      }),
    );
  } catch (error) {
    throw new BackupError(`备份文件已损坏，原数据未改动 / The backup file is damaged; the data were left as they were: ${(error instanceof Error ? error.message : String(error))}`);
  }
  if (head.length < 512 || head.subarray(257, 262).toString('latin1') !== 'ustar') {
    throw new BackupError(`备份文件不是内嵌数据库的归档，原数据未改动 / The file is not an archive of the embedded database; the data were left as they were`);
  }
}

/**
 * Restores `file` into the configured database, replacing what is there. PostgreSQL: pg_restore --clean in
 * one transaction (all or nothing). Embedded: the current data folder is kept aside as
 * `<folder>.before-restore-<time>` and a new one is loaded from the dump; if loading fails, the old folder is
 * put back. A file of the other engine's kind is refused before anything changes.
 */
export async function restoreDatabase(config: Config, file: string, now = new Date()): Promise<{ engine: 'postgres' | 'pglite'; keptAside?: string }> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new BackupError(`找不到备份文件 / No such backup file: ${source}`);
  if (config.databaseUrl) {
    if (!startsWith(source, pgDumpMagic)) {
      throw new BackupError(`${source} 不是 PostgreSQL 备份（pg_dump 自定义格式）/ is not a PostgreSQL backup (pg_dump custom format)`);
    }
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', `--dbname=${config.databaseUrl}`, source]);
    return { engine: 'postgres' };
  }
  if (!startsWith(source, gzipMagic)) {
    throw new BackupError(`${source} 不是内嵌数据库的备份（.tar.gz）/ is not a backup of the embedded database (.tar.gz)`);
  }
  await verifyTarGz(source);
  const dataDir = config.dataDir;
  const release = lockDataDir(dataDir);
  const keptAside = `${dataDir}.before-restore-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  const hadData = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  try {
    if (hadData) {
      fs.mkdirSync(keptAside);
      for (const entry of fs.readdirSync(dataDir)) {
        if (entry !== 'rollcall.lock') fs.renameSync(path.join(dataDir, entry), path.join(keptAside, entry));
      }
    }
    try {
      const client = await PGlite.create({ dataDir, loadDataDir: new Blob([fs.readFileSync(source)]) });
      await client.query('select 1');
      await client.close();
    } catch (error) {
      for (const entry of fs.readdirSync(dataDir)) if (entry !== 'rollcall.lock') fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
      if (hadData) {
        for (const entry of fs.readdirSync(keptAside)) fs.renameSync(path.join(keptAside, entry), path.join(dataDir, entry));
        fs.rmdirSync(keptAside);
      }
      throw new BackupError(`备份无法载入，原数据未改动 / The backup could not be loaded; the data were left as they were: ${(error instanceof Error ? error.message : String(error))}`);
    }
  } finally {
    release();
  }
  return { engine: 'pglite', ...(hadData ? { keptAside } : {}) };
}
