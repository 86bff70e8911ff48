// Integration: the real `npm run check -- --work` against a hostile class, one attack per learner, over loopback.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_CAP_MB } from '../../scripts/run/launch.ts';
import { ROOT, hasEnded, runCommand, startCommand, waitUntil } from '../support.ts';

const COURSE = join(ROOT, 'test/fixtures/class/course');
const ANN = join(ROOT, 'test/fixtures/class/learners/ann');
const ECHO = readFileSync(join(ANN, 'lessons/01-echo/server.ts'), 'utf8');
let scratch: string;

/** A probe's result printed on stderr, where no transcript expects it: the reason the scenario fails quotes it. */
const probesIn = (reason: string | null): Record<string, string> =>
  Object.fromEntries(
    (/`PROBE ([^`]*)`/.exec(reason ?? '')?.[1] ?? '').split(' ').map((pair) => pair.split('=') as [string, string]),
  );

/** Processes whose command line names `text`: a learner's program, and what graded it. */
function processesNaming(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A learner's copy: package.json and the given lesson files. */
function learner(name: string, files: Record<string, string>, dir = scratch): string {
  const home = join(dir, name);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'package.json'), '{ "type": "module", "private": true }\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(home, path, '..'), { recursive: true });
    writeFileSync(join(home, path), text);
  }
  return home;
}

const check = (args: string[]) => runCommand('scripts/check.ts', ['--root', COURSE, ...args]);

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'workbook-hostile-'));
  // Learners' own users must reach their folders.
  chmodSync(scratch, 0o755);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const isRootOnLinux = process.platform === 'linux' && process.getuid?.() === 0;

describe('a grader that bounds what it keeps', () => {
  it('a 200 MB flood fails its own scenario quickly, and the report says how much came and how it began', async () => {
    const flood = `import net from 'node:net';
const chunk = Buffer.alloc(1 << 20, 'x');
net.createServer((conn) => {
  let sent = 0;
  const more = () => { while (sent < 200 && conn.write(chunk)) sent++; if (sent < 200) { sent++; conn.once('drain', more); } };
  more();
  conn.on('error', () => {});
}).listen(12345, '127.0.0.1', () => console.log("Starting server on 'localhost' port 12345"));
`;
    const home = learner('flood', { 'lessons/01-echo/server.ts': flood });
    const started = Date.now();
    const run = await check(['--work', home, '--reporter', 'json']);
    const elapsed = Date.now() - started;
    const [echo] = JSON.parse(run.stdout).learners[0].lessons[0].scenarios;
    expect(echo.passed).toBe(false);
    expect(echo.reason).toMatch(
      /^Client A received more than the 65,\d{3} bytes its transcript can read, so the program was stopped: .* arrived; the first 64 bytes were "x{64}"\.$/,
    );
    expect(elapsed).toBeLessThan(20_000);
  });

  it('a forged `listening` message does not steer client A, and a flood of messages stops the program', async () => {
    // The runner's channel is fd 3: a program can write to it, but not with the preload's token.
    const forged = JSON.stringify({
      type: 'listening',
      protocol: 'tcp',
      requested: 12345,
      port: 1,
      address: '127.0.0.1',
      token: 'guess',
    });
    const spoof = `import { writeSync } from 'node:fs';\nwriteSync(3, ${JSON.stringify(`${forged}\n`)});\n${ECHO}`;
    // Bounded: 300 batches of 1000 messages, one batch per turn of the event loop, until the channel is closed.
    const chatter = `import { writeSync } from 'node:fs';
const line = Buffer.from('{"type":"steered","requested":1,"port":2}\\n'.repeat(1000));
let batches = 0;
const chat = () => { try { writeSync(3, line); } catch (error) { if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return; } if (++batches < 300) setImmediate(chat); };
chat();
${ECHO}`;
    const dir = mkdtempSync(join(scratch, 'ipc-'));
    learner('spoof', { 'lessons/01-echo/server.ts': spoof }, dir);
    learner('chatter', { 'lessons/01-echo/server.ts': chatter }, dir);
    const report = JSON.parse((await check(['--work', dir, '--reporter', 'json'])).stdout);
    const [chatty, spoofer] = report.learners;
    expect(spoofer.lessons[0].status).toBe('pass');
    // The runner only counts what it ignores: the chatter is graded on its work, or stopped for the flood.
    const { reason } = chatty.lessons[0].scenarios[0];
    if (reason !== null)
      expect(reason).toMatch(
        /sent [\d,]+ messages on the runner's channel that were not its preload's, or more than it may/,
      );
  });
});

describe("only the learner's own files count", () => {
  it('a lesson file or folder that is a symlink out of the copy is refused, with a note and a failed stage', async () => {
    const home = learner('linker', {});
    mkdirSync(join(home, 'lessons'));
    symlinkSync(join(COURSE, 'solutions/01-echo'), join(home, 'lessons/01-echo'));
    mkdirSync(join(home, 'lessons/02-shout'));
    symlinkSync(join(COURSE, 'solutions/02-shout/server.ts'), join(home, 'lessons/02-shout/server.ts'));
    const report = JSON.parse((await check(['--work', home, '--reporter', 'json'])).stdout);
    const [linker] = report.learners;
    expect(linker.stagesPassed).toBe(0);
    expect(linker.lessons.map((l: { status: string }) => l.status)).toEqual(['fail', 'fail']);
    expect(linker.notes).toContain(
      `lessons/01-echo leads outside the learner's copy (to ${join(COURSE, 'solutions/01-echo')}), so lesson 1 was not graded.`,
    );
    expect(linker.notes.join('\n')).toMatch(/lessons\/02-shout\/server.ts leads outside the learner's copy/);
  });

  it('importing the solution, reading transcripts, copying the solution or a classmate: each gets a note', async () => {
    const solution = join(COURSE, 'solutions/01-echo/server.ts');
    // The code of the permission model's refusal is shortened: a stderr that names it reads as a denial.
    const reader = `import { readFileSync } from 'node:fs';
const attempt = (path: string) => { try { readFileSync(path); return 'read'; } catch (e) { return String((e as NodeJS.ErrnoException).code).replace('ERR_ACCESS_DENIED', 'DENIED'); } };
console.error('PROBE transcript=' + attempt(${JSON.stringify(join(COURSE, 'lessons/01-echo/transcripts/echo.txt'))}) + ' solution=' + attempt(${JSON.stringify(solution)}));
${ECHO}`;
    const twin = `// Mine.\nconst mine = 1;\n${readFileSync(join(ANN, 'lessons/02-shout/server.ts'), 'utf8')}`;
    const copied = `/* my own work */\n${readFileSync(solution, 'utf8').replace(/\n/g, '\n\n')}`;
    const dir = mkdtempSync(join(scratch, 'cheats-'));
    learner('importer', { 'lessons/01-echo/server.ts': `import ${JSON.stringify(solution)};\n` }, dir);
    learner('reader', { 'lessons/01-echo/server.ts': reader, 'lessons/02-shout/server.ts': twin }, dir);
    learner('copier', { 'lessons/01-echo/server.ts': copied, 'lessons/02-shout/server.ts': twin }, dir);
    const report = JSON.parse((await check(['--work', dir, '--reporter', 'json'])).stdout);
    const notes = Object.fromEntries(report.learners.map((l: { name: string; notes: string[] }) => [l.name, l.notes]));
    expect(notes.importer).toContain(`lessons/01-echo/server.ts imports from outside its lesson folder: ${solution}`);
    expect(report.learners.find((l: { name: string }) => l.name === 'importer').lessons[0].status).toBe('fail');
    // Denied by Node's permission model, or not there at all inside bubblewrap.
    const read = probesIn(
      report.learners.find((l: { name: string }) => l.name === 'reader').lessons[0].scenarios[0].reason,
    );
    expect(read.transcript).toMatch(/^(?:DENIED|ENOENT)$/);
    expect(read.solution).toMatch(/^(?:DENIED|ENOENT)$/);
    expect(notes.copier).toContain(
      'lessons/01-echo/server.ts is the reference solution, apart from whitespace and comments',
    );
    expect(notes.copier).toContain(
      "lessons/02-shout/server.ts is the same as reader's, apart from whitespace and comments",
    );
    expect(notes.reader).toContain(
      "lessons/02-shout/server.ts is the same as copier's, apart from whitespace and comments",
    );
  });
});

describe('programs die with their runner', () => {
  it.runIf(process.platform === 'linux')(
    'after kill -9 of the runner, its programs are gone within a second',
    async () => {
      const waiter = `console.log("Starting server on 'localhost' port 12345");\nsetInterval(() => {}, 1000);\n`;
      const name = `orphan-${process.pid}-${Date.now()}`;
      const home = learner(name, { 'lessons/01-echo/server.ts': waiter });
      const runner = startCommand('scripts/check.ts', ['--root', COURSE, '--work', home]);
      // The program, and whatever graded it (a sandbox, a grader of its own), hold the learner's name in their commands.
      const program = await waitUntil('the program to start', () =>
        processesNaming(name).some((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.ts'))
          ? processesNaming(name)
          : undefined,
      );
      runner.child.kill('SIGKILL');
      await runner.finished;
      await waitUntil('the programs and graders to be gone', () => program.every(hasEnded), 1000);
      // Its copy stays behind until the next run removes it.
      const copies = () =>
        readdirSync(tmpdir()).filter((name) => name.startsWith(`workbook-learner-${runner.child.pid}-`));
      expect(copies()).toHaveLength(isRootOnLinux ? 1 : 0);
      await check(['--work', ANN]);
      expect(copies()).toEqual([]);
    },
  );
});

describe('limits per program', () => {
  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/prlimit'))(
    'bounds open sockets and writable memory',
    async () => {
      // Its probe is its first line, where the transcript expects another: the reason quotes it. Holding its memory it
      // could do little else.
      const hog = `import dgram from 'node:dgram';
const sockets: dgram.Socket[] = [];
let open = 0;
// Bounded: at most 4000 sockets, 500 ms to bind them, and 6000 MB.
for (let i = 0; i < 4000; i++) { try { const s = dgram.createSocket('udp4').on('error', () => {}).on('listening', () => open++); s.bind(0, '127.0.0.1'); sockets.push(s); } catch { break; } }
await new Promise((r) => setTimeout(r, 500));
for (const s of sockets) try { s.close(); } catch {}
const buffers: Buffer[] = [];
try { for (let i = 0; i < 60; i++) buffers.push(Buffer.allocUnsafeSlow(100 << 20)); } catch {}
console.log('PROBE open=' + open + ' megabytes=' + buffers.length * 100);
${ECHO}`;
      const home = learner('hog', { 'lessons/01-echo/server.ts': hog });
      const run = await check(['--work', home, '--reporter', 'json']);
      const probe = probesIn(JSON.parse(run.stdout).learners[0].lessons[0].scenarios[0].reason);
      expect(Number(probe.open)).toBeGreaterThan(0);
      expect(Number(probe.open)).toBeLessThan(256);
      expect(Number(probe.megabytes)).toBeLessThan(DATA_CAP_MB);
    },
  );

  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/prlimit'))(
    'leaves room for WebAssembly, which reserves far more than it uses (fetch parses HTTP with it)',
    async () => {
      const wasm = `// Gigabytes of address space reserved, a page used: what fetch's parser does on every request.\nconst memory = new WebAssembly.Memory({ initial: 1 });\nvoid memory;\n${ECHO}`;
      const home = learner('wasm', { 'lessons/01-echo/server.ts': wasm });
      const run = await check(['--work', home, '--reporter', 'json']);
      const grade = JSON.parse(run.stdout);
      expect(grade.learners[0].lessons[0].status).toBe('pass');
    },
  );
});

describe('reports that cannot be broken', () => {
  it('U+FFFE, U+FFFF, lone surrogates and a 200,000-character line leave JUnit well-formed, lines capped, Classroom small', async () => {
    const noisy = `console.log('\\uFFFE \\uFFFF \\uD800 end');\nconsole.log('y'.repeat(200_000));\n`;
    const home = learner('noisy', { 'lessons/01-echo/server.ts': noisy });
    const junitFile = join(scratch, 'grades.xml');
    const junit = await check(['--work', home, '--reporter', 'junit', '--output', junitFile]);
    expect(junit.stdout).not.toContain('<?xml');
    const xml = readFileSync(junitFile, 'utf8');
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n(?:<!-- Graded without [^\n]* -->\n)?<testsuites /,
    );
    expect(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml)).toBe(false);
    for (const line of xml.split('\n')) expect(line.length).toBeLessThan(2000);
    expect(xml).toMatch(/y{300}…\(199700 more\)/);
    // A missing lesson is one failing test per scenario, so the log's points and Classroom's agree.
    expect(xml).toMatch(/<testcase classname="noisy\/02-shout" name="shout" time="0"><failure/);
    const resultFile = join(scratch, 'result.json');
    const github = await check(['--work', home, '--reporter', 'github', '--output', resultFile]);
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    expect(result.tests.map((t: { name: string }) => t.name)).toEqual(['01-echo echo', '02-shout shout']);
    expect(result.max_score).toBe(2);
    expect(github.stdout).toContain('Points 0/2');
    expect(github.stdout).toMatch(/✗ 01-echo echo: .+/);
    expect(github.stdout).toContain('✗ 02-shout shout: lessons/02-shout/ is missing');
    expect(JSON.stringify(result).length).toBeLessThan(64 * 1024);
  });

  it('--output FILE holds the JSON report alone', async () => {
    const file = join(scratch, 'grades.json');
    const run = await check(['--work', ANN, '--reporter', 'json', '--output', file]);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).learners[0].stagesPassed).toBe(2);
  });
});

describe('bad input', () => {
  it('--timeout above 2^31-1 ms is a one-line error and exit 2', async () => {
    const run = await check(['--work', ANN, '--timeout', '2147483648']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')[0]).toMatch(
      /--timeout takes milliseconds from 100 to 2147483647, got '2147483648'/,
    );
  });
});
