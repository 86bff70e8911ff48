// Integration: the real `npm run check -- --work` grading a fixture class (passing, failing, missing and hostile work)
// in each reporter's format, and --repeat catching a flaky server. Learners are copied to a temp folder first.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSandbox } from '../../scripts/sandbox/plan.ts';
import { ROOT, runCommand, type Finished } from '../support.ts';

const CLASS = join(ROOT, 'test/fixtures/class');
/** Whether grading here runs in bubblewrap: a refused write reads EACCES there, and processes may start. */
const boxed = planSandbox().kind === 'bubblewrap';
const COURSE = join(CLASS, 'course');
let scratch: string;
let learners: string;
const check = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> =>
  runCommand('scripts/check.ts', ['--root', COURSE, ...args], env);

/** A small well-formedness parser: the tags nest, attributes are quoted, entities are known. Returns the elements. */
function parseXml(text: string): { name: string; attrs: Record<string, string>; text: string; children: unknown[] }[] {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/^<!--(?:(?!--)[\s\S])*-->\s*/, '');
  const elements: { name: string; attrs: Record<string, string>; text: string; children: unknown[] }[] = [];
  const stack: typeof elements = [];
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  const decode = (s: string): string => {
    expect(s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
    return s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  };
  while ((match = token.exec(body))) {
    at = token.lastIndex;
    const [, closing, name, attrText, selfClosing, chars] = match;
    if (chars !== undefined) {
      if (stack.length > 0) stack[stack.length - 1].text += decode(chars);
      else expect(chars.trim()).toBe('');
      continue;
    }
    if (closing) {
      expect(stack.pop()?.name).toBe(name);
      continue;
    }
    const attrs = Object.fromEntries(
      [...attrText.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, key, value]) => [key, decode(value)]),
    );
    const element = { name, attrs, text: '', children: [] as unknown[] };
    elements.push(element);
    stack[stack.length - 1]?.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  expect(at).toBe(body.length);
  expect(stack).toEqual([]);
  return elements;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'workbook-class-'));
  learners = join(scratch, 'learners');
  cpSync(join(CLASS, 'learners'), learners, { recursive: true });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('npm run check -- --work CLASS', () => {
  let table: Finished;
  let json: Finished;
  let junit: Finished;
  beforeAll(async () => {
    // One at a time: each run keeps every core busy by itself.
    table = await check(['--work', learners]);
    json = await check(['--work', learners, '--reporter', 'json']);
    junit = await check([
      '--work',
      join(learners, 'ann'),
      join(learners, 'bob'),
      join(learners, 'cat'),
      join(learners, 'dan'),
      '--reporter',
      'junit',
    ]);
  });

  it('prints one row per learner, a short column per lesson, totals, and notes, within 80 columns and without colour', () => {
    expect(table.stderr).toBe('');
    expect(table.code).toBe(1);
    const lines = table.stdout.split('\n');
    // First a line per learner as each one's scenarios finish, then the table.
    const heading = lines.findIndex((line) => /^learner +01 +02 +stages$/.test(line));
    expect(
      lines.slice(0, heading).filter((line) => /^[✓✗] (ann|bob|cat|dan): \d+ of \d+ scenario runs pass/.test(line)),
    ).toHaveLength(4);
    expect(lines.slice(0, heading)).toContainEqual(expect.stringMatching(/^✓ ann: 2 of 2 scenario runs pass/));
    expect(table.stdout).toMatch(/^ann +1\/1 +1\/1 +2\/2$/m);
    expect(table.stdout).toMatch(/^bob +0\/1 +- +0\/2$/m);
    expect(table.stdout).toMatch(/^cat +0\/1 +0\/1 +0\/2$/m);
    expect(table.stdout).toMatch(/^dan +0\/1 +0\/1 +0\/2$/m);
    expect(table.stdout).toMatch(/^passing +1 +1$/m);
    expect(table.stdout).toContain('extra files in lessons/01-echo/: notes.txt');
    expect(table.stdout).toContain('lesson folders the workbook does not have: lessons/07-extra/');
    expect(table.stdout).toContain('missing lesson 02');
    const flat = table.stdout.replace(/\n +/g, ' ');
    // Refused by the system inside bubblewrap (the copy is not the program's to write), by Node's model without it.
    expect(flat).toMatch(
      /01-echo echo: The program tried to write a file, which grading does not allow \((?:EACCES|ERR_ACCESS_DENIED)\)\./,
    );
    // Without bubblewrap a process may not start at all; inside it, the shell it started may not write either.
    if (!boxed)
      expect(flat).toContain(
        '02-shout shout: The program tried to start another process, which grading allows only in a sandbox (bubblewrap) (ERR_ACCESS_DENIED).',
      );
    expect(table.stdout.replace(/\n/g, ' ')).toMatch(
      boxed
        ? /1 of 4 learners pass every stage \(.*\)\. Each learner was graded in a sandbox of its own \(bubblewrap .*\): .* 256 MB of heap per program;/
        : /1 of 4 learners pass every stage \(.*\)\. Learners' programs ran under Node's permission model\. 256 MB of heap per program;/,
    );
    if (!boxed) expect(table.stdout.split('\n')[0]).toMatch(/^! Graded without an operating-system sandbox: /);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(table.stdout).not.toContain('\u001b[');
    // Denied means denied: nothing was written, nothing was started.
    expect(existsSync(join(learners, 'cat/lessons/01-echo/stolen.txt'))).toBe(false);
    expect(existsSync(join(learners, 'cat/spawned.txt'))).toBe(false);
  });

  it('--reporter json matches the documented shape', () => {
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report)).toEqual([
      'version',
      'sandbox',
      'bubblewrap',
      'confinement',
      'missing',
      'repeat',
      'memoryCapMb',
      'limits',
      'isolation',
      'durationMs',
      'internalError',
      'lessons',
      'learners',
      'totals',
    ]);
    expect(report).toMatchObject({
      version: 1,
      repeat: 1,
      sandbox: true,
      bubblewrap: boxed,
      missing: boxed ? [] : expect.arrayContaining([expect.stringMatching(/^a network of its own/)]),
      internalError: null,
      memoryCapMb: 256,
      lessons: [
        { number: 1, slug: '01-echo' },
        { number: 2, slug: '02-shout' },
      ],
    });
    expect(report.learners.map((l: { name: string }) => l.name)).toEqual(['ann', 'bob', 'cat', 'dan']);
    const [ann, bob, cat, dan] = report.learners;
    expect(Object.keys(ann)).toEqual(['name', 'dir', 'notGraded', 'stagesPassed', 'stagesTotal', 'lessons', 'notes']);
    // ann's work is the fixture course's reference solution, and the notes say so.
    expect(ann).toMatchObject({
      stagesPassed: 2,
      stagesTotal: 2,
      notes: [
        'lessons/01-echo/server.ts is the reference solution, apart from whitespace and comments',
        'lessons/02-shout/server.ts is the reference solution, apart from whitespace and comments',
      ],
    });
    expect(Object.keys(ann.lessons[0])).toEqual(['slug', 'status', 'passed', 'total', 'durationMs', 'scenarios']);
    expect(Object.keys(ann.lessons[0].scenarios[0])).toEqual([
      'name',
      'program',
      'passed',
      'flaky',
      'runs',
      'durationMs',
      'reason',
      'denied',
    ]);
    expect(ann.lessons[0].scenarios[0]).toMatchObject({
      name: 'echo',
      program: 'server.ts',
      passed: true,
      flaky: false,
      runs: [true],
      reason: null,
      denied: null,
    });
    expect(bob.lessons.map((l: { status: string }) => l.status)).toEqual(['fail', 'missing']);
    expect(bob.lessons[1]).toMatchObject({ passed: 0, total: 1, scenarios: [] });
    expect(bob.lessons[0].scenarios[0].reason).toMatch(
      /^Line 8, `A: recv "Hello\\n"`: Waited \d+\.\d s for 6 bytes at client A, but nothing arrived\.$/,
    );
    expect(cat.lessons[0].scenarios[0]).toMatchObject({ passed: false, denied: 'write' });
    expect(cat.lessons[1].scenarios[0]).toMatchObject({ passed: false, denied: boxed ? null : 'process' });
    expect(dan.lessons[0].scenarios[0].reason).toBe(
      'The program used more than its 256 MB of memory, so it was stopped.',
    );
    expect(dan.lessons[1].scenarios[0].reason).toMatch(/printed more than 262144 bytes on stdout, so it was stopped/);
    expect(report.totals).toEqual({ learners: 4, passingByLesson: { '01-echo': 1, '02-shout': 1 } });
  });

  it('--reporter junit is well-formed XML with a suite per learner and lesson and the reasons as failure messages', () => {
    expect(junit.code).toBe(1);
    // Without bubblewrap, a comment first says so.
    expect(junit.stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n(?:<!-- Graded without [^\n]* -->\n)?<testsuites /,
    );
    const elements = parseXml(junit.stdout.trim());
    const suites = elements.filter((e) => e.name === 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'ann/01-echo',
      'ann/02-shout',
      'bob/01-echo',
      'bob/02-shout',
      'cat/01-echo',
      'cat/02-shout',
      'dan/01-echo',
      'dan/02-shout',
    ]);
    const failures = new Map(
      suites.map((suite) => {
        const cases = suite.children as { name: string; children: { name: string; attrs: Record<string, string> }[] }[];
        expect(cases.every((c) => c.name === 'testcase')).toBe(true);
        return [
          suite.attrs.name,
          cases.flatMap((c) => c.children.filter((f) => f.name === 'failure').map((f) => f.attrs.message)),
        ];
      }),
    );
    expect(failures.get('ann/01-echo')).toEqual([]);
    expect(failures.get('ann/02-shout')).toEqual([]);
    expect(failures.get('bob/01-echo')![0]).toMatch(/^Line 8, `A: recv "Hello\\n"`: Waited/);
    expect(failures.get('bob/02-shout')).toEqual(["The learner's copy has no lessons/02-shout/ folder."]);
    expect(failures.get('cat/01-echo')).toEqual([
      `The program tried to write a file, which grading does not allow (${boxed ? 'EACCES' : 'ERR_ACCESS_DENIED'}).`,
    ]);
    expect(failures.get('cat/02-shout')![0]).toMatch(
      boxed ? /exited with code 1/ : /start another process, which grading allows only in a sandbox/,
    );
    expect(failures.get('dan/01-echo')).toEqual([
      'The program used more than its 256 MB of memory, so it was stopped.',
    ]);
    const root = elements[0];
    expect(root).toMatchObject({ name: 'testsuites', attrs: { tests: '8', failures: '6' } });
  });

  it('--reporter github writes the autograding result GitHub Classroom reads to $GITHUB_OUTPUT', async () => {
    const output = join(scratch, 'github-output');
    writeFileSync(output, '');
    const run = await check(['--work', join(learners, 'cat'), '--reporter', 'github'], { GITHUB_OUTPUT: output });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ 01-echo echo: The program tried to write a file, which grading does not allow \((?:EACCES|ERR_ACCESS_DENIED)\)\./,
    );
    expect(run.stdout).toContain('Points 0/2');
    const line = readFileSync(output, 'utf8').trim();
    expect(line).toMatch(/^result=[A-Za-z0-9+/=]+$/);
    const result = JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf8'));
    expect(result).toMatchObject({ version: 1, status: 'fail', max_score: 2 });
    expect(result.tests).toHaveLength(2);
    expect(result.tests[0]).toMatchObject({
      name: '01-echo echo',
      status: 'fail',
      score: 0,
      test_code: 'npm run lesson 1',
    });
    expect(result.tests[1].message).toMatch(boxed ? /exited with code 1/ : /start another process/);
  });

  it('refuses --reporter github for several learners, and an unknown reporter, with exit 2', async () => {
    const several = await check(['--work', learners, '--reporter', 'github']);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/--reporter github grades one learner/);
    const unknown = await check(['--work', learners, '--reporter', 'tap']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--reporter takes table, json, junit, github, got 'tap'/);
  });
});

describe('npm run check -- --repeat', () => {
  it('reports a scenario that does not give the same result every time', async () => {
    // The flaky server asks this counter whether to echo: even and odd turns alternate, so 4 runs are 2 and 2. A
    // learner's graded program reaches nothing outside its sandbox and gets no such variable, so this is eve's own
    // lessons, checked in place (npm run check --root): the course's transcripts with her program in lesson 01.
    const socketPath = join(scratch, 'counter.sock');
    let turns = 0;
    const counter = net.createServer((conn) => conn.end(turns++ % 2 === 0 ? 'even' : 'odd'));
    await new Promise<void>((resolve) => counter.listen(socketPath, resolve));
    try {
      const eve = join(scratch, 'eve');
      cpSync(join(COURSE, 'lessons'), join(eve, 'lessons'), { recursive: true });
      cpSync(join(CLASS, 'flaky/eve/lessons'), join(eve, 'lessons'), { recursive: true });
      const run = await runCommand('scripts/check.ts', ['--root', eve, '--repeat', '4', '--reporter', 'json'], {
        WORKBOOK_FLAKY_COUNTER: socketPath,
      });
      expect(turns).toBe(4);
      const report = JSON.parse(run.stdout);
      expect(report.repeat).toBe(4);
      const echo = report.learners[0].lessons[0].scenarios[0];
      expect(echo).toMatchObject({ name: 'echo', passed: false, flaky: true });
      expect(echo.runs.filter(Boolean)).toHaveLength(2);
      expect(report.learners[0].notes).toContain(
        `01-echo echo: flaky, ${echo.runs.map((r: boolean) => (r ? 'pass' : 'fail')).join(' ')}`,
      );
      const table = await runCommand('scripts/check.ts', ['--root', eve, '--repeat', '2'], {
        WORKBOOK_FLAKY_COUNTER: socketPath,
      });
      expect(table.stdout).toMatch(/! 01-echo echo: flaky, (pass fail|fail pass)/);
    } finally {
      await new Promise((resolve) => counter.close(resolve));
    }
  });

  it("finds a learner's flaky scenario when grading, each run in the learner's own sandbox", async () => {
    // A coin toss per run: 16 runs that all agree would take odds of 1 in 32,768.
    const tosser = join(scratch, 'tosser');
    cpSync(join(CLASS, 'flaky/eve'), tosser, { recursive: true });
    const program = join(tosser, 'lessons/01-echo/server.ts');
    writeFileSync(
      program,
      readFileSync(program, 'utf8').replace(
        /^const turn = await[\s\S]*?\n}\);\n/m,
        "const turn = Math.random() < 0.5 ? 'even' : 'odd';\n",
      ),
    );
    const report = JSON.parse((await check(['--work', tosser, '--repeat', '16', '--reporter', 'json'])).stdout);
    const echo = report.learners[0].lessons[0].scenarios[0];
    expect(echo).toMatchObject({ name: 'echo', passed: false, flaky: true });
    expect(echo.runs).toHaveLength(16);
    expect(report.learners[0].notes).toContain(
      `01-echo echo: flaky, ${echo.runs.map((r: boolean) => (r ? 'pass' : 'fail')).join(' ')}`,
    );
  });

  it('rejects a repeat count that is not a whole number from 1 to 100', async () => {
    const run = await check(['--work', learners, '--repeat', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--repeat takes a number of runs from 1 to 100, got '0'/);
  });
});
