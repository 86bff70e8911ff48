// In a real browser (Debian's Chromium, driven by playwright-core): the home page, a lesson, a failing check with its
// highlighted step, a fix saved on disk that passes without touching the page, keyboard use and 200% zoom, and
// nothing left running afterwards. Outside CI, a machine without Chromium skips these and says why.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tryConnect, within } from '../support.ts';
import { copyCourse, processesUnder, removeCopies, startWeb, type Web } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
// Chromium must not reach for the network: the machine may have none, and the pages must need none.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = join(ROOT, 'test/screenshots');
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const skipReason = `skipped: ${CHROMIUM} is not installed (apt-get install -y chromium to run the browser tests)`;

if (!available && !inCi) console.warn(`test/web/browser.test.ts: ${skipReason}`);

if (!available) {
  describe('the browser tests without a browser', () => {
    if (inCi) {
      it('need Chromium in CI', () => {
        throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);
      });
    } else it.skip(skipReason, () => {});
  });
}

describe.runIf(available)('the workbook in a browser', () => {
  let context: BrowserContext;
  let profile: string;
  let web: Web;
  let root: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    root = copyCourse('workbook-browser-');
    web = await startWeb(root);
    profile = mkdtempSync(join(tmpdir(), 'workbook-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 900 },
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    if (web && web.child.exitCode === null) web.child.kill('SIGKILL');
    removeCopies();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Everything must come from the workbook's own server.
    page.on('request', (request) => expect(request.url().startsWith(web.url)).toBe(true));
    await page.goto(`${web.url}${path}`);
    return page;
  }

  it('lists the lessons and opens one', async () => {
    const page = await open('');
    await expect(page.title()).resolves.toBe('Socket server workbook');
    expect(await page.locator('table.lessons tbody tr').count()).toBe(8);
    expect(await page.locator('tr', { hasText: 'Echo' }).innerText()).toMatch(/not checked/);
    await page.getByRole('link', { name: 'lesson 1, Echo' }).click();
    await page.waitForURL(/\/lessons\/01-echo$/);
    expect(await page.locator('h1').innerText()).toBe('Echo');
    expect(await page.locator('figure.scenario-expected svg[role="img"]').count()).toBe(2);
    await page.close();
  });

  it('shows a failing check with its step highlighted, then passes when the fix is saved, by keyboard alone', async () => {
    const page = await open('lessons/01-echo');
    // Keyboard only: Tab to the Check button (it has an accessible name) and press Enter.
    const check = page.getByRole('button', { name: 'Check my work' });
    await expect(check.count()).resolves.toBe(1);
    for (
      let presses = 0;
      presses < 30 && !(await check.evaluate((button) => button === document.activeElement));
      presses++
    )
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const failed = page.locator('li.scenario.fail[data-scenario="echo"]');
    await failed.waitFor({ timeout: 30_000 });
    await expect(failed.locator('svg g[data-status="missing"]').count()).resolves.toBe(1);
    expect(await failed.locator('svg g[data-status="missing"] text').innerHTML()).toContain(
      'never happened: "Hello\\n"',
    );
    expect(await failed.locator('.reason').innerText()).toContain(
      'Waited 2.0 s for 6 bytes at client A, but nothing arrived.',
    );
    await page.locator('.stage.fail').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'failing-check.png'), fullPage: true });

    // Fix the file on disk, as an editor would: the page checks again by itself.
    writeFileSync(join(root, 'lessons/01-echo/server.ts'), readFileSync(join(root, 'solutions/01-echo/server.ts')));
    await page.locator('.stage.pass').waitFor({ timeout: 30_000 });
    expect(await page.locator('li.scenario.pass').count()).toBe(2);
    expect(await page.locator('#lesson-status').innerText()).toContain('passes');
    expect(await page.locator('.compare').innerText()).toContain('Yours is the same as the reference.');
    await page.screenshot({ path: join(SCREENSHOTS, 'passing-check.png'), fullPage: true });

    // A hint, by keyboard: the button names which hint comes next.
    const hint = page.getByRole('button', { name: 'Show hint 1 of 1' });
    await hint.focus();
    await page.keyboard.press('Enter');
    await page.locator('#hint-list li').waitFor();
    expect(await page.locator('#hint-list').innerText()).toContain('conn.write(data)');
    await expect(page.getByRole('button', { name: 'All 1 hints shown' }).isDisabled()).resolves.toBe(true);
    await page.close();
  });

  it('is usable at 200% zoom: one column, and no page-wide horizontal scrolling', async () => {
    const page = await context.newPage();
    // 200% zoom of a 1280-pixel window is a 640-pixel layout at twice the pixel density.
    await page.setViewportSize({ width: 640, height: 450 });
    await page.goto(`${web.url}lessons/01-echo`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const [panel, readme] = await Promise.all([
      page.locator('.panel').boundingBox(),
      page.locator('.readme').boundingBox(),
    ]);
    expect(Math.abs(panel!.x - readme!.x)).toBeLessThan(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'zoom-200.png') });
    await page.close();
  });

  it('leaves nothing running after Ctrl-C: no program, no port', async () => {
    expect(pageErrors).toEqual([]);
    web.child.kill('SIGINT');
    const finished = await within('npm run web to end after Ctrl-C', web.finished);
    expect(finished.code).toBe(0);
    expect(finished.stderr).toBe('');
    expect(await tryConnect(web.port)).toBe('ECONNREFUSED');
    expect(processesUnder(root)).toEqual([]);
  });
});
