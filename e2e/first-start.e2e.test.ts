import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, settle, signIn as signInOnPage, type TestBrowser } from './support/browser';

/**
 * 首次部署: the README's production walk on an embedded folder of its own — `start --no-demo` on an empty
 * database says to run `init`; `init` refuses without a password, refuses a weak one, creates `admin` once;
 * then the province admin signs in through the page. It lives with the browser tests, whose run has built the
 * web app that `start` serves.
 */
const root = join(import.meta.dirname, '..');
let browser: TestBrowser | undefined;
const password = 'Xiang-Jiang7Flows';
let folder: string;

/**
 * The environment of a child: the embedded database in the test's folder (never the caller's database), none
 * of the caller's Rollcall settings, and no test runner's NODE_ENV (a Vite build `start` runs would ship
 * React's development bundle into dist/web).
 */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _database, NODE_ENV: _nodeEnv, ROLLCALL_DEMO: _demo, ROLLCALL_INIT_PASSWORD: _password, ...env } = process.env;
  return { ...env, ROLLCALL_DATA_DIR: folder, ROLLCALL_LOG_LEVEL: 'warn', ...extra };
}

/** `rollcall init` in a child process, its stdin not a terminal; answers its exit code and output. */
function init(extra: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/rollcall.js'), 'init'], { cwd: root, env: environment(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

type Server = { child: ChildProcess; baseUrl: string; output: () => string; waitFor: (text: string) => Promise<void> };
let running: Server | undefined;

/** `rollcall start --no-demo` on a port of its choosing; resolves once it says where it listens. */
function start(): Promise<Server> {
  const child = spawn(process.execPath, [join(root, 'bin/rollcall.js'), 'start', '--no-demo'], {
    cwd: root,
    env: environment({ PORT: '0', HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const listeners = new Set<() => void>();
  const keep = (chunk: Buffer) => {
    log += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  /** Resolves once the output holds `text`; rejects when the process ends first. */
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!log.includes(text)) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      child.once('close', (code) => reject(new Error(`start exited with ${code} before printing ${text}:\n${log}`)));
      check();
    });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    waitFor('数据库 / Database:').then(() => {
      const port = /is running: http:\/\/localhost:(\d+)/.exec(log)?.[1];
      if (!port) return reject(new Error(`no address in:\n${log}`));
      running = { child, baseUrl: `http://127.0.0.1:${port}`, output: () => log, waitFor };
      resolve(running);
    }, reject);
  });
}

async function stop() {
  const server = running;
  running = undefined;
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

function signIn(server: Server, username: string, secret: string) {
  return fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: secret }),
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rollcall-init-'));
});

afterEach(stop);

afterAll(async () => {
  await browser?.close();
  await stop();
  await rm(folder, { recursive: true, force: true });
});

// Each case starts new Node processes (tsx compiles on start): seconds on an idle machine, much more on a busy
// one, so the cases get minutes. They run in order on one data folder.
describe('rollcall init', { timeout: 180_000 }, () => {
  it('refuses without ROLLCALL_INIT_PASSWORD when not on a terminal, before touching the database', async () => {
    const { code, stderr } = await init();
    expect(code).toBe(1);
    expect(stderr).toContain('没有密码：请在终端中运行 `npx rollcall init` 输入密码，或设置 ROLLCALL_INIT_PASSWORD');
    expect(await readdir(folder)).toEqual([]);
  });

  it('start --no-demo on a new database loads no demo and says to run init', async () => {
    const server = await start();
    await server.waitFor('尚无账号：运行 `npx rollcall init` 创建省级管理员 / No accounts yet');
    expect(server.output()).not.toContain('演示账号');
    expect(server.output()).not.toContain('正在载入演示数据');
    expect((await signIn(server, 'admin', 'demo1234')).status).toBe(401);
  });

  it('refuses a weak password by the password rule, creating nothing', async () => {
    const { code, stderr } = await init({ ROLLCALL_INIT_PASSWORD: 'password123' });
    expect(code).toBe(1);
    expect(stderr).toContain('密码不符合要求：不能使用常见密码');
  });

  it('creates admin once, never printing the password, and refuses a second time', async () => {
    const first = await init({ ROLLCALL_INIT_PASSWORD: password });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('已创建省级管理员 / Created the province admin: admin');
    expect(first.stdout).toContain('npx rollcall start --no-demo');
    expect(first.stdout + first.stderr).not.toContain(password);

    const second = await init({ ROLLCALL_INIT_PASSWORD: 'Another-Strong9Password' });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('数据库中已有账号，不能再初始化');
  });

  it('then start --no-demo lets admin sign in as the province admin, with no demo account', async () => {
    const server = await start();
    expect((await signIn(server, 'admin', 'Another-Strong9Password')).status).toBe(401);
    const response = await signIn(server, 'admin', password);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { username: 'admin', role: 'admin', unit: { code: '430000' } } });
    expect((await signIn(server, '430100', 'demo1234')).status).toBe(401);
    expect(server.output()).not.toContain('尚无账号');
    expect(server.output()).not.toContain('演示账号');

    browser = await launchBrowser(server.baseUrl);
    const { page, problems } = browser;
    await page.goto('/login');
    await signInOnPage(page, 'admin', password);
    await page.getByTestId('main-menu').waitFor();
    await settle(page);
    await screenshot(page, 'first-start-01-province-admin');

    // No campaign yet: the home page leads to the plan page, where the province makes next year's and starts it.
    await page.getByTestId('create-campaign-link').click();
    const card = page.getByTestId('campaigns-card');
    await card.waitFor();
    const year = new Date().getFullYear() + 1;
    await card.locator('.ant-input-number input').fill(String(year));
    await card.locator('.ant-picker input').click();
    await card.locator('.ant-picker input').fill(`${year}-03-01`);
    await card.locator('.ant-picker input').press('Enter');
    await card.getByTestId('campaign-create').click();
    const startButton = card.locator('[data-testid^="campaign-start-"]');
    await startButton.waitFor();
    await expect(card.getByTestId('campaigns-table').textContent()).resolves.toContain(String(year));
    await screenshot(page, 'first-start-02-draft-campaign');
    await startButton.click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await card.locator('[data-testid^="campaign-status-"]').filter({ hasText: '进行中' }).waitFor();
    await page.getByTestId('main-menu').getByText('首页').click();
    await page.getByTestId('campaign-card').waitFor();
    await settle(page);
    await screenshot(page, 'first-start-03-campaign-running');
    expect(problems).toEqual([]);
  });
});
