// In Chromium (playwright-core), on a copy of the real course: axe-core finds no serious or critical violation on the
// home page and on every lesson page, before and after a check; the first failure is open and the others one line
// each; a pass shows the diff and the mistakes the stage catches; the home page and a lesson fit a 390-pixel phone.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLessons } from '../../scripts/course/lessons.ts';
import { ROOT, within } from '../support.ts';
import { processesUnder, startWeb, type Web } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
// axe-core's own script, as it injects itself into a page.
const AXE = axe.source;
const lessons = listLessons(ROOT);

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now, one line each. */
async function violations(page: Page, where: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const found = (await page.evaluate(() => (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run())) as {
    violations: Violation[];
  };
  return found.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} (${violation.help}) at ${violation.nodes[0]?.target.join(' ')}`);
}

describe.runIf(existsSync(CHROMIUM))('the real course in a browser, checked by axe-core', () => {
  let browser: Browser;
  let web: Web;
  let root: string;

  beforeAll(async () => {
    // The course as a learner has it: the starters, the references, the README with its table of lessons.
    root = mkdtempSync(join(tmpdir(), 'workbook-axe-'));
    for (const part of ['lessons', 'solutions', 'README.md', 'package.json'])
      cpSync(join(ROOT, part), join(root, part), { recursive: true });
    // Steps wait half a second, not two: every starter fails, and the test waits for each verdict.
    web = await startWeb(root, ['--timeout', '500'], {}, 15 * 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (web && web.child.exitCode === null) {
      web.child.kill('SIGINT');
      await within('npm run web to end', web.finished);
    }
    expect(processesUnder(root)).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });

  async function open(path: string, width = 1400): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${web.url}${path}`);
    return page;
  }

  /** Checks the lesson from its page and waits for the verdict. */
  async function check(page: Page): Promise<void> {
    await page.locator('#check-button').click();
    await page.locator('#stage-result .stage').waitFor({ timeout: 120_000 });
  }

  it('finds nothing serious on the home page', async () => {
    const page = await open('');
    expect(await violations(page, 'home')).toEqual([]);
    await page.close();
  });

  it('finds nothing serious on any lesson page, before a check and after it', async () => {
    const found: string[] = [];
    // Two pages at a time: each check starts programs, and the machine has two cores.
    const queue = [...lessons];
    const worker = async (): Promise<void> => {
      for (let lesson = queue.shift(); lesson; lesson = queue.shift()) {
        const page = await open(`lessons/${lesson.slug}`);
        found.push(...(await violations(page, `${lesson.slug} before`)));
        await check(page);
        await page.locator('#results li.scenario:not(.running)').first().waitFor();
        found.push(...(await violations(page, `${lesson.slug} after`)));
        await page.close();
      }
    };
    await Promise.all([worker(), worker()]);
    expect(found).toEqual([]);
    const home = await open('');
    expect(await violations(home, 'home after the checks')).toEqual([]);
    await home.close();
    // A guard against a hang only: 22 checks of failing starters, two at a time.
  }, 900_000);

  it('opens the first failure and keeps the others to a line, with TypeScript and Edit above them', async () => {
    const page = await open('lessons/4');
    await check(page);
    const cards = page.locator('#results li.scenario.fail details.failure');
    // The starter already passes busy-port (lesson 1's start-up error): every other scenario fails.
    const scenarios = readdirSync(join(root, 'lessons/04-receive-loop/transcripts')).length;
    expect(await cards.count()).toBe(scenarios - 1);
    const opened = await cards.evaluateAll((all) => all.map((details) => (details as HTMLDetailsElement).open));
    expect(opened).toEqual([true, ...Array(scenarios - 2).fill(false)]);
    expect(await page.locator('#stage-result').innerText()).toContain(
      `${scenarios - 1} of ${scenarios} scenarios failed. Edit lessons/04-receive-loop/server.ts and save`,
    );
    expect(await page.locator('#hint-for').innerText()).toContain('The next hint is for client-finishes');
    await page.close();
  });

  it('after a pass, shows the diff against the reference and the mistakes this stage catches, all accessible', async () => {
    const reference = readFileSync(join(root, 'solutions/04-receive-loop/server.ts'), 'utf8');
    writeFileSync(
      join(root, 'lessons/04-receive-loop/server.ts'),
      reference.replace('conn.write(data);', 'conn.write(data); // back it goes'),
    );
    const page = await open('lessons/04-receive-loop');
    await check(page);
    await page.locator('.stage.pass').waitFor();
    // Yours is the − side, the reference the + side.
    expect(await page.locator('.compare pre.diff .del').innerText()).toContain('// back it goes');
    const patches = readdirSync(join(root, 'solutions/04-receive-loop/mutants')).filter((name) =>
      name.endsWith('.diff'),
    );
    expect(await page.locator('.mistakes li').count()).toBe(patches.length);
    await page.locator('.mistakes summary').first().click();
    expect(await violations(page, 'lesson 4 after a pass')).toEqual([]);
    // Put the starter back, as npm run reset does: the page no longer says the lesson passes.
    writeFileSync(
      join(root, 'lessons/04-receive-loop/server.ts'),
      readFileSync(join(ROOT, 'lessons/04-receive-loop/server.ts')),
    );
    await page.locator('#stop-button').click();
    await page.reload();
    expect(await page.locator('#lesson-status').innerText()).toContain('changed since its check');
    await page.close();
  });

  it('fits a 390-pixel phone: the home page and a lesson page scroll only down', async () => {
    for (const path of ['', 'lessons/04-receive-loop']) {
      const page = await open(path, 390);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path || 'home').toBeLessThanOrEqual(0);
      await page.close();
    }
  });
});
