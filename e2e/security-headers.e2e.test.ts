import { describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

/** Counts the Content-Security-Policy violations a page reports from now on. */
async function watchViolations(page: TestBrowser['page']) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

describe('the pages under the Content-Security-Policy', () => {
  it('shows the sign-in page, a unit\'s progress charts, the confirmation page and the API docs without a violation', async () => {
    browser = await launchBrowser(server.baseUrl);
    const { page, problems } = browser;
    const violations = await watchViolations(page);

    await page.goto('/login');
    await signIn(page, 'admin');
    await page.goto('/units/430000/progress');
    await page.getByTestId('progress-trend').locator('canvas').waitFor();
    expect(await violations()).toEqual([]);
    await screenshot(page, 'csp-01-progress');

    await page.goto('/confirm#c=K7QM-3HXP');
    await expect(page.locator('#confirm-code').inputValue()).resolves.toBe('K7QM-3HXP');
    expect(await violations()).toEqual([]);

    await page.goto('/api/docs');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    expect(await violations()).toEqual([]);
    await screenshot(page, 'csp-02-api-docs');
    expect(problems).toEqual([]);
  });

  it('cannot be framed by another page', async () => {
    const { page } = await browser!.newSession();
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors|Refused to (display|frame)/i.test(message.text())) refusals.push(message.text());
    });
    await page.setContent(`<iframe id="framed" src="${server.baseUrl}/login" width="800" height="600"></iframe>`);
    await page.waitForTimeout(1500);
    const framed = page.frames().find((frame) => frame !== page.mainFrame());
    const shown = framed ? await framed.locator('#root *').count().catch(() => 0) : 0;
    expect(shown).toBe(0);
    expect(refusals.length).toBeGreaterThan(0);
  });
});
