// Integration: `npm run read N` renders a lesson's README for the terminal, plain when colour is off, within 80 columns.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE, ROOT, runCommand } from '../support.ts';

const ESC = '\u001b';
const temporary: string[] = [];

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The fixture course with a README that has every kind of block: long prose, code, a list, a wide table. */
function courseWithReadme(): string {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-read-'));
  cpSync(COURSE, dir, { recursive: true, filter: (source) => !source.includes('.workbook') });
  cpSync(join(ROOT, 'test/fixtures/read/README.md'), join(dir, 'lessons/01-echo/README.md'));
  temporary.push(dir);
  return dir;
}

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => line.length));

describe('npm run read N', () => {
  it('renders headings, code and the transcript without colour codes when NO_COLOR is set, within 80 columns', async () => {
    const root = courseWithReadme();
    const run = await runCommand('scripts/read.ts', ['1', '--root', root], { NO_COLOR: '1' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).not.toContain(ESC);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toMatch(/^# 01: Echo$/m);
    expect(text).toMatch(/^## The loop$/m);
    // Code keeps its backticks without colour, and blocks are labelled and indented.
    expect(text).toContain('Use a `for await` loop over the socket:');
    expect(text).toContain('-- ts: solutions/01-echo/server.ts');
    expect(text).toMatch(/^ {4}for await \(const data of conn\) \{$/m);
    expect(text).toMatch(/^ {4}↪ /m);
    expect(text).toContain('-- transcript: lessons/01-echo/transcripts/echo.txt');
    expect(text).toMatch(/^ {4}\$ server$/m);
    expect(text).toMatch(/^ {4}A: recv "Hello\\n"$/m);
    // Prose and list items are wrapped, a list item's continuation under its text.
    expect(text).toMatch(/^Echo every byte back to the client that sent it\./m);
    expect(text).toMatch(/^ {2}\* One write can become several chunks\./m);
    expect(text).toMatch(/^ {4}\S/m);
    // A table too wide for 80 columns becomes one block per row.
    expect(text).toMatch(/^ {2}flag: `-p PORT`$/m);
  });

  it('renders a real lesson plainly when the output is not a terminal', async () => {
    const run = await runCommand('scripts/read.ts', ['4']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(ESC);
    expect(widest(run.stdout)).toBeLessThanOrEqual(80);
    expect(run.stdout).toMatch(/^# 04: The receive loop$/m);
    expect(run.stdout).toMatch(/-- transcript: lessons\/04-receive-loop\/transcripts\/echo\.txt/);
  });
});
