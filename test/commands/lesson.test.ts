// Integration: the real `npm run lesson` command (node scripts/lesson.ts) against the fixture courses.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COURSE,
  MALFORMED,
  ROOT,
  holdPort,
  runCommand,
  runLesson,
  snapshotTree,
  startCommand,
  startLesson,
  tryConnect,
  waitUntil,
  type Finished,
} from '../support.ts';
import { processesUnder } from '../web/support.ts';

const ESC = '\u001b[';
const ECHO = 'lessons/01-echo/transcripts/echo.txt';
const BUSY = 'lessons/01-echo/transcripts/busy.txt';

let committed: Record<string, string>;
const temporary: string[] = [];

/** A throwaway copy of the fixture course, for tests that let the runner write. */
function copyCourse(): string {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-cli-'));
  cpSync(COURSE, dir, { recursive: true });
  temporary.push(dir);
  return dir;
}

beforeAll(() => {
  committed = snapshotTree(COURSE);
});

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  // No test may change the committed fixture, whatever it asked the runner to do.
  expect(snapshotTree(COURSE)).toEqual(committed);
});

describe('npm run lesson', () => {
  // The start timeout is a fixed 10 s, so this run starts first and its server idles in the background while the
  // other tests run one at a time (timing-sensitive runs on a small machine stay reliable that way).
  let neverListens: Promise<Finished>;
  beforeAll(() => {
    neverListens = runLesson(['4', '--root', COURSE]);
  });

  it('passes a known-good solution: a ✓ per scenario, exit 0, and the next command', async () => {
    const run = await runLesson(['1', '--solution', '--root', COURSE]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Lesson 1: Echo /);
    expect(run.stdout).toMatch(/✓ busy \(/);
    expect(run.stdout).toMatch(/✓ echo \(/);
    expect(run.stdout).not.toContain('✗');
    expect(run.stdout).toMatch(/Lesson 1 passes \(2 scenarios/);
    expect(run.stdout).toContain('Next: npm run lesson 2 -- --solution');
    // Not a terminal, and no FORCE_COLOR: plain text.
    expect(run.stdout).not.toContain(ESC);
  });

  it('still passes while port 12345 is really busy', async () => {
    const blocker = await holdPort(12345);
    try {
      // Held by us or by someone else: either way, the server cannot have 12345 itself.
      expect(await tryConnect(12345)).toBe('connected');
      const run = await runLesson(['1', '--solution', '--root', COURSE]);
      expect(run.stdout).toMatch(/✓ echo \(/);
      expect(run.stdout).toMatch(/Lesson 1 passes/);
      expect(run.code).toBe(0);
    } finally {
      await blocker.release();
    }
  });

  it('fails a server that never echoes: a diff, one sentence naming the line, and a pointer to the hints', async () => {
    const run = await runLesson(['1', '--root', COURSE]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✓ busy \(/);
    expect(run.stdout).toMatch(/✗ echo \(/);
    // The diff: what ran is shared, the step that failed and those after it are only expected.
    expect(run.stdout).toMatch(/^ {6}Received: <Buffer 48 65 6c 6c 6f 0a>$/m);
    expect(run.stdout).toMatch(/^ {4}- A: recv "Hello\\n"$/m);
    expect(run.stdout).toMatch(/^ {4}- \^C$/m);
    // One sentence, on one line, naming the transcript line and what was awaited.
    const reason = run.stdout.split('\n').find((line) => line.includes('Line 8,'));
    expect(reason?.trim()).toMatch(
      /^Line 8, `A: recv "Hello\\n"`: Waited \d+\.\d s for 6 bytes at client A, but nothing arrived\.$/,
    );
    // One line points to the hints; none is printed, so the last ones (the answers) stay hidden.
    expect(run.stdout).toMatch(/^Stuck\? npm run hint 1 shows a hint for echo \(0 of 1 seen\)\.$/m);
    expect(run.stdout).not.toContain('Write the chunk back with `conn.write(data)`.');
    expect(run.stdout).toMatch(
      /1 of 2 scenarios failed\. Edit test\/fixtures\/course\/lessons\/01-echo\/server\.ts, then run npm run lesson 1 again\./,
    );
    expect(run.stdout).not.toContain(ESC);
  });

  it("shows a compile error as file:line:col and the compiler's words, without a stack trace", async () => {
    const run = await runLesson(['2', '--root', COURSE]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /The program does not compile: test\/fixtures\/course\/lessons\/02-does-not-compile\/server\.ts:4:7: 'const' declarations must be initialized$/m,
    );
    expect(run.stdout).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toContain('node_modules');
    expect(run.stdout).not.toContain('ERR_INVALID_TYPESCRIPT_SYNTAX');
  });

  it('shows a crash with its exit code and what it printed on stderr', async () => {
    const run = await runLesson(['3', '--root', COURSE]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ echo/);
    expect(run.stdout).toMatch(
      /Line 5, `Received new connection from \{A\.addr\}:\{A\.port\}`: .*but it exited with code 1 first\./,
    );
    expect(run.stdout).toContain('Error: crashed on purpose');
  });

  it('stops a server that spins forever at the step timeout, saying what it waited for', async () => {
    const run = await runLesson(['5', '--root', COURSE]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /Line 7, `Received: <Buffer 48 65 6c 6c 6f 0a>`: Waited \d+\.\d s for the program to print `Received: <Buffer 48 65 6c 6c 6f 0a>` on stdout, but it printed nothing more\./,
    );
  });

  it('caps a server that floods stdout: it is stopped and the report stays short', async () => {
    const run = await runLesson(['6', '--root', COURSE]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /Line 4, `A: connect`: .*it printed more than 262144 bytes on stdout, so it was stopped/,
    );
    // The server prints about 1.2 MB; none of that flood is passed on.
    expect(run.stdout.length).toBeLessThan(16 * 1024);
    expect(run.stdout).not.toContain('flood flood');
  });

  it("refuses an unknown option in one line of its own, not parseArgs's with its unbalanced quote", async () => {
    const run = await runLesson(['--frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'error: unknown option --frobnicate: npm run lesson -- --help lists the ones there are',
    );
    expect(run.stderr).toMatch(/^usage: npm run lesson /m);
  });

  it('ends quietly when its reader goes away (`| head`): no EPIPE stack, and no program left running', async () => {
    const root = copyCourse();
    const lesson = startLesson(['1', '--root', root]);
    lesson.child.stdout!.once('data', () => lesson.child.stdout!.destroy());
    const progress = startCommand('scripts/progress.ts', ['--root', root]);
    progress.child.stdout!.destroy();
    const hint = startCommand('scripts/hint.ts', ['1', '--root', root]);
    hint.child.stdout!.destroy();
    for (const finished of await Promise.all([lesson.finished, progress.finished, hint.finished])) {
      expect(finished.stderr).toBe('');
      expect(finished.signal).toBeNull();
    }
    expect(processesUnder(root)).toEqual([]);
  });

  it('lists the lessons and exits 2 for an unknown lesson number', async () => {
    const run = await runLesson(['99', '--root', COURSE]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: there is no lesson '99'/);
    for (const slug of ['01-echo', '02-does-not-compile', '06-flood', '08-ignores-sigterm-slow']) {
      expect(run.stderr).toMatch(new RegExp(`^ +${Number(slug.slice(0, 2))} +${slug}$`, 'm'));
    }
  });

  it('suggests the same command for an unknown lesson: npm run hint 99 points to npm run hint, not npm run lesson', async () => {
    const run = await runCommand('scripts/hint.ts', ['99', '--root', COURSE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Run one with: npm run hint 1$/m);
    expect(run.stderr).not.toContain('npm run lesson');
  });

  it('exits 2 when given two lesson numbers', async () => {
    const run = await runLesson(['1', '2', '--root', COURSE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: name one lesson at a time, for example: npm run lesson 1\n');
  });

  it('rejects a timeout that is not a number of milliseconds with exit 2', async () => {
    const run = await runLesson(['1', '--root', COURSE, '--timeout', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--timeout takes milliseconds/);
  });

  it('names file:line of a malformed transcript and exits 2 before running anything', async () => {
    const run = await runLesson(['1', '--root', MALFORMED]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^error: \S*test\/fixtures\/malformed\/lessons\/01-bad\/transcripts\/bad\.txt:4: unknown client action 'jump'/,
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses --update without --solution (exit 2) and writes nothing', async () => {
    const root = copyCourse();
    const before = snapshotTree(root);
    const run = await runLesson(['1', '--update', '--root', root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--update .*add --solution/);
    expect(run.stdout).toBe('');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('--update --solution rewrites a changed transcript from what the solution does, and leaves the others', async () => {
    const root = copyCourse();
    const original = readFileSync(join(root, ECHO), 'utf8');
    const busy = readFileSync(join(root, BUSY), 'utf8');
    const changed = original.replace('Received: <Buffer 48 65 6c 6c 6f 0a>', 'Received: <Buffer 00>');
    expect(changed).not.toBe(original);
    writeFileSync(join(root, ECHO), changed);

    const run = await runLesson(['1', '--solution', '--update', '--root', root]);
    expect(run.stdout).toContain(`updated: ${join(root, ECHO)}`);
    expect(run.stdout).not.toContain('busy.txt');
    expect(run.code).toBe(0);
    expect(readFileSync(join(root, ECHO), 'utf8')).toBe(original);
    expect(readFileSync(join(root, BUSY), 'utf8')).toBe(busy);

    const again = await runLesson(['1', '--solution', '--root', root]);
    expect(again.code).toBe(0);
  });

  it('--update --solution does not rewrite a transcript whose run stopped early', async () => {
    const root = copyCourse();
    const original = readFileSync(join(root, ECHO), 'utf8');
    const changed = original.replace('A: recv "Hello\\n"', 'A: recv "Hello, world\\n"');
    expect(changed).not.toBe(original);
    writeFileSync(join(root, ECHO), changed);

    const run = await runLesson(['1', '--solution', '--update', '--root', root]);
    expect(run.stdout).toMatch(
      /Line 8, `A: recv "Hello, world\\n"`: Waited \d+\.\d s for 13 bytes at client A, but only 6 arrived: "Hello\\n"\./,
    );
    expect(run.stdout).toContain(`not updated: ${join(root, ECHO)}`);
    expect(run.code).toBe(1);
    expect(readFileSync(join(root, ECHO), 'utf8')).toBe(changed);
  });

  it('stops a server that never listens at the start timeout, saying what it waited for', async () => {
    const run = await neverListens;
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /Line 4, `A: connect`: Waited \d+\.\d s for the program to listen on a port, but it never did/,
    );
  });
});

describe("a learner's mistake in lesson 04: the cause and the file to edit, in one screen", () => {
  /** A copy of lesson 04 whose server is the reference with one mistake made in it. */
  function mistaken(change: (solution: string) => string): string {
    const root = mkdtempSync(join(tmpdir(), 'workbook-mistake-'));
    temporary.push(root);
    cpSync(join(ROOT, 'lessons/04-receive-loop'), join(root, 'lessons/04-receive-loop'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    const solution = readFileSync(join(ROOT, 'solutions/04-receive-loop/server.ts'), 'utf8');
    writeFileSync(join(root, 'lessons/04-receive-loop/server.ts'), change(solution));
    return root;
  }

  it("`conn.wirte(chunk)`: TypeScript's suggestion first, the crash's own words, one failure in full, the file", async () => {
    const root = mistaken((solution) => solution.replace('conn.write(data)', 'conn.wirte(data)'));
    const run = await runLesson(['4', '--root', root]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(45);
    const file = relative(ROOT, join(root, 'lessons/04-receive-loop/server.ts'));
    expect(lines).toContain('TypeScript finds 1 error in your files:');
    expect(lines).toContain(
      `  ${file}:18:12: Property 'wirte' does not exist on type 'Socket'. Did you mean 'write'? (TS2551)`,
    );
    expect(run.stdout).toContain('✗ client-finishes, the first scenario that fails:');
    expect(run.stdout).toContain(
      'The program exited with code 1 after printing: `Server error: conn.wirte is not a function`.',
    );
    expect(run.stdout.split('The program exited with code 1')).toHaveLength(2);
    expect(run.stdout).toContain('Also failing: echo, not-text, nul-byte, sends-can-arrive-together, serial-clients');
    expect(run.stdout).toContain('Stuck? npm run hint 4 shows a hint for client-finishes (0 of 8 seen).');
    // The starter's busy-port passes: the mistake is in the echo, not in the start-up.
    const scenarios = readdirSync(join(root, 'lessons/04-receive-loop/transcripts')).length;
    expect(lines.at(-1)).toBe(
      `${scenarios - 1} of ${scenarios} scenarios failed. Edit ${file}, then run npm run lesson 4 again.`,
    );
  });

  it('an uncaught crash is quoted by the line that says what went wrong, with where it was', async () => {
    const root = mistaken((solution) =>
      solution
        .replace('conn.write(data)', 'conn.wirte(data)')
        .replace(/try \{\n  await startServer\(\);[\s\S]*$/, 'await startServer();\n'),
    );
    // Without its try, busy-port crashes first, on EADDRINUSE: this test is about the crash in the echo.
    rmSync(join(root, 'lessons/04-receive-loop/transcripts/busy-port.txt'));
    const run = await runLesson(['4', '--root', root]);
    expect(run.code).toBe(1);
    const file = relative(ROOT, join(root, 'lessons/04-receive-loop/server.ts'));
    expect(run.stdout).toContain(
      `The program exited with code 1 after printing: \`TypeError: conn.wirte is not a function\` (at ${file}:18:12).`,
    );
    expect(run.stdout).not.toContain('node:internal');
  });
});

describe('npm run lesson, as results happen', () => {
  it("prints each scenario's line as it finishes, before the slower ones are done", async () => {
    const root = copyCourse();
    // A scenario that takes a while: the one before it must be on screen while it runs.
    const slow = join(root, 'lessons/01-echo/transcripts/zz-slow.txt');
    writeFileSync(slow, readFileSync(join(root, ECHO), 'utf8').replace('A: close', 'A: silent 3000ms\nA: close'));
    const run = startLesson(['1', '--solution', '--root', root]);
    const seen = await waitUntil(
      'the first scenarios to be reported',
      () => /✓ echo/.test(run.output.stdout) && run.output.stdout,
    );
    expect(run.child.exitCode).toBeNull();
    expect(seen).not.toMatch(/zz-slow/);
    const finished = await run.finished;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/✓ busy[^\n]*\n {2}✓ echo[^\n]*\n {2}✓ zz-slow/);
  });
});
