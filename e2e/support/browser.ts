import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshotDir = path.join(projectRoot, 'artifacts/screenshots');

export type TestPage = { page: Page; problems: string[] };
export type TestBrowser = TestPage & { context: BrowserContext; browser: Browser; newSession: () => Promise<TestPage>; close: () => Promise<void> };

/** A page whose errors and console warnings are collected, so a test can assert a clean console. */
async function openPage(context: BrowserContext): Promise<TestPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A 404 or 401 the app asked for (not-found pages, the session probe) is logged by Chromium as a resource error.
    if (message.type() === 'error' && /Failed to load resource/.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  return { page, problems };
}

/**
 * Debian's Chromium through playwright-core (never a downloaded browser), headless. `newSession` opens
 * another context (its own cookies and storage) for a second user.
 */
export async function launchBrowser(baseUrl: string): Promise<TestBrowser> {
  // launch() gives every browser a fresh temporary profile (--user-data-dir) and deletes it on close;
  // passing --user-data-dir ourselves is refused by Playwright.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const newContext = () => browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const context = await newContext();
  const first = await openPage(context);
  return {
    ...first,
    browser,
    context,
    newSession: async () => openPage(await newContext()),
    close: () => browser.close(),
  };
}

/** Waits until no spinner or skeleton shows and the fade-outs have finished, so screenshots are steady. */
export async function settle(page: Page) {
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'));
  await page.waitForTimeout(400);
}

/** Saves a full-page screenshot to artifacts/screenshots/<name>.png (kept out of git). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await settle(page);
  // A full-page capture of a scrolled window draws the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Saves the visible window to docs/<name>.png, the picture the README shows. */
export async function docsScreenshot(page: Page, name: string): Promise<string> {
  await settle(page);
  const file = path.join(projectRoot, 'docs', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

/** Signs in through the login form and waits for the signed-in shell. */
export async function signIn(page: Page, username: string, password = 'demo1234') {
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  await page.getByTestId('user-menu').waitFor();
}

/**
 * Opens an antd Select, optionally types to search, and clicks the option in that select's own dropdown (the
 * one its combobox controls), then waits for the dropdown to close. A dropdown of another select still fading
 * out can be visible at the same moment, so "the visible dropdown" is not enough.
 */
export async function chooseOption(page: Page, select: Locator, option: { title: string } | { text: RegExp }, typed?: string) {
  await select.click();
  if (typed) await page.keyboard.type(typed);
  await page.locator('.ant-select-dropdown:visible').first().waitFor();
  // A Select's listbox carries the id its combobox names; a TreeSelect's tree does not, and then the newest
  // visible dropdown is the one just opened.
  const listId = await select.locator('[role=combobox]').first().getAttribute('aria-controls');
  const owned = page.locator('.ant-select-dropdown').filter({ has: page.locator(`[id="${listId}"]`) });
  const dropdown = listId && (await owned.count()) > 0 ? owned : page.locator('.ant-select-dropdown:visible').last();
  const choice = 'title' in option ? dropdown.getByTitle(option.title, { exact: true }) : dropdown.locator('.ant-select-item-option').filter({ hasText: option.text });
  await choice.click();
  await dropdown.waitFor({ state: 'hidden' });
}
