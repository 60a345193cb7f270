import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerCells, k12Columns, personCells, validPerson } from './staff-rows.fixture.ts';
import { xlsxBuffer } from './test-fixtures.ts';

const root = join(import.meta.dirname, '../../..');
let folder: string;

function rollcall(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/rollcall.js'), ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const check = (file: string, ...extra: string[]) => rollcall('check', join(folder, file), '--school-type', 'k12', '--today', '2013-09-01', ...extra);

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rollcall-check-'));
  const idColumn = k12Columns.indexOf('idNumber') + 1;
  const valid = [[...headerCells(), '工作证号码'], ...[0, 1, 2, 3].map((index) => [...personCells(validPerson(index)), `G-${index}`])];
  await writeFile(join(folder, 'valid.xlsx'), await xlsxBuffer([{ name: 'a', rows: [['标题'], ...valid], textColumns: [idColumn] }]));
  const broken = { ...validPerson(1), sex: '男' }; // a female ID
  await writeFile(join(folder, 'errors.xlsx'), await xlsxBuffer([{ name: 'a', rows: [['标题'], headerCells(), personCells(broken)] }]));
  await writeFile(join(folder, 'old.xls'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]));
  await writeFile(join(folder, 'corrupt.xlsx'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 7)]));
  await writeFile(join(folder, 'notes.csv'), 'a note\nanother\n');
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// Each case starts the command in a new Node process (tsx compiles it on start): seconds on an idle machine,
// much more on a busy one, so the cases get minutes rather than the default 30 s.
describe('rollcall check', { timeout: 180_000 }, () => {
  it('exits 0 on a file without errors, warnings allowed, with a report by row and a summary', async () => {
    const { code, stdout } = await check('valid.xlsx');
    expect(code).toBe(0);
    expect(stdout).toContain('第2行 / Row 2');
    expect(stdout).toContain('警告 warning');
    expect(stdout).toMatch(/共 4 行数据：错误 0 个，警告 1 个 \/ 4 rows: 0 errors, 1 warning/);
  });

  it('exits 1 when a row has an error, and --json prints exactly one JSON object', async () => {
    const { code, stdout } = await check('errors.xlsx', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(report).toMatchObject({ file: 'errors.xlsx', schoolType: 'k12', rows: 1 });
    const sexColumn = String.fromCharCode(65 + k12Columns.indexOf('sex'));
    expect(report.issues).toEqual([
      expect.objectContaining({ row: 3, column: sexColumn, field: 'sex', code: 'sex_mismatch', severity: 'error', message: expect.stringMatching(/^第3行 性别：/) }),
    ]);
  });

  it('exits 2 with a message on a legacy .xls, a corrupt file, a file without header, a missing file', async () => {
    const [old, corrupt, notes, absent] = await Promise.all([check('old.xls'), check('corrupt.xlsx', '--json'), check('notes.csv'), check('absent.xlsx')]);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('是旧版 .xls 格式。请在 Excel 中“另存为” Excel 工作簿（.xlsx）');
    expect(old.stdout).toBe('');
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/无法读取.*\n.*Cannot read/);
    expect(JSON.parse(corrupt.stdout)).toMatchObject({ error: { code: 'unprocessable' } });
    expect(notes.code).toBe(2);
    expect(notes.stderr).toMatch(/没有找到表头行.*姓名/);
    expect(absent.code).toBe(2);
  });

  it('exits 2 on a wrong school type', async () => {
    const { code, stderr } = await rollcall('check', join(folder, 'valid.xlsx'), '--school-type', 'college');
    expect(code).toBe(2);
    expect(stderr).toContain('--school-type');
  });
});
