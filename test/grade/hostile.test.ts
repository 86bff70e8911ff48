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
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_CAP_MB } from '../../scripts/run/launch.ts';
import { ROOT, hasEnded, runCommand, startCommand, waitUntil } from '../support.ts';

const COURSE = join(ROOT, 'test/fixtures/class/course');
const ANN = join(ROOT, 'test/fixtures/class/learners/ann');
const ECHO = readFileSync(join(ANN, 'lessons/01-echo/server.ts'), 'utf8');
let scratch: string;
let socketPath: string;
let collector: net.Server;
const reports: Record<string, unknown>[] = [];

// Sends one JSON line to the test's collector (a Unix socket: loopback TCP would be steered by the preload).
const TELL = `import netForTell from 'node:net';
const tell = (o: object) => new Promise((done) => { const c = netForTell.connect(process.env.HOSTILE_COLLECTOR as string, () => c.end(JSON.stringify(o) + '\\n')); c.on('close', done); c.on('error', done); });
const askOnce = (role: string) => new Promise<any>((done) => { const c = netForTell.connect(process.env.HOSTILE_COLLECTOR as string); let d = ''; c.on('data', (x) => (d += x)); c.on('end', () => done(d ? JSON.parse(d) : '')); c.on('error', () => done('')); c.write('ask ' + role + '\\n'); });
// Bounded: 60 tries, 50 ms apart.
const ask = async (role: string) => { for (let i = 0; i < 60; i++) { const r = await askOnce(role); if (r) return r; await new Promise((w) => setTimeout(w, 50)); } return undefined; };
`;

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

const check = (args: string[]) =>
  runCommand('scripts/check.ts', ['--root', COURSE, ...args], { HOSTILE_COLLECTOR: socketPath });

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'workbook-hostile-'));
  // Learners' own users must reach the collector's socket.
  chmodSync(scratch, 0o755);
  socketPath = join(scratch, 'collector.sock');
  collector = net.createServer((conn) => {
    let text = '';
    conn.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      // `ask ROLE`: the report that role sent, or nothing yet.
      const asked = /^ask (\w+)\n$/.exec(text);
      if (asked) conn.end(JSON.stringify(reports.find((r) => r.role === asked[1]) ?? ''));
    });
    conn.on('end', () => {
      if (text.startsWith('ask ') || !text.trim()) return;
      reports.push(JSON.parse(text));
    });
  });
  await new Promise<void>((resolve) => collector.listen(socketPath, resolve));
  chmodSync(socketPath, 0o777);
});

afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

const isRootOnLinux = process.platform === 'linux' && process.getuid?.() === 0;

describe('a hostile class', () => {
  it.runIf(isRootOnLinux)('a learner can signal neither a classmate nor the grader', async () => {
    // The victim stays before listen until the killer has tried, so both run at once.
    const victim = `${TELL}await tell({ role: 'victim', pid: process.pid });\nawait ask('killer');\n${ECHO}`;
    const killer = `${TELL}
const attempt = (pid: number, signal: string | number) => { try { process.kill(pid, signal); return 'sent'; } catch (e) { return (e as NodeJS.ErrnoException).code; } };
const victim = await ask('victim');
await tell({ role: 'killer', victim: victim ? attempt(victim.pid, 'SIGKILL') : 'not found', grader: attempt(process.ppid, 0) });
${ECHO}`;
    const dir = mkdtempSync(join(scratch, 'class-'));
    chmodSync(dir, 0o755);
    learner('ann', { 'lessons/01-echo/server.ts': victim }, dir);
    learner('mallory', { 'lessons/01-echo/server.ts': killer }, dir);
    const run = await check(['--work', dir, '--reporter', 'json']);
    const report = JSON.parse(run.stdout);
    expect(reports.find((r) => r.role === 'killer')).toMatchObject({ victim: 'EPERM', grader: 'EPERM' });
    expect(report.learners[0].lessons[0]).toMatchObject({ slug: '01-echo', status: 'pass' });
    expect(report.isolation).toMatch(/ran as a user of their own \(uid 62000 and up\)/);
  });
});

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
    const spoof = `process.send?.({ type: 'listening', protocol: 'tcp', requested: 12345, port: 1, address: '127.0.0.1' });\n${ECHO}`;
    // Bounded: 300 batches of 1000 messages, one batch per turn of the event loop.
    const chatter = `let batches = 0;
const chat = () => { for (let i = 0; i < 1000 && process.connected; i++) process.send?.({ type: 'steered', requested: 1, port: 2 }); if (++batches < 300 && process.connected) setImmediate(chat); };
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
      expect(reason).toMatch(/sent [\d,]+ messages on the runner's channel that were not its preload's/);
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
    const reader = `${TELL}import { readFileSync } from 'node:fs';
const attempt = (path: string) => { try { readFileSync(path); return 'read'; } catch (e) { return (e as NodeJS.ErrnoException).code; } };
await tell({ role: 'reader', transcript: attempt(${JSON.stringify(join(COURSE, 'lessons/01-echo/transcripts/echo.txt'))}), solution: attempt(${JSON.stringify(solution)}) });
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
    expect(reports.find((r) => r.role === 'reader')).toMatchObject({
      transcript: 'ERR_ACCESS_DENIED',
      solution: 'ERR_ACCESS_DENIED',
    });
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
  it('after kill -9 of the runner, its programs are gone within a second', async () => {
    const waiter = `${TELL}await tell({ role: 'orphan', pid: process.pid });\nsetInterval(() => {}, 1000);\n`;
    const home = learner('orphan', { 'lessons/01-echo/server.ts': waiter });
    const runner = startCommand('scripts/check.ts', ['--root', COURSE, '--work', home], {
      HOSTILE_COLLECTOR: socketPath,
    });
    const { pid } = (await waitUntil('the program to report its pid', () =>
      reports.find((r) => r.role === 'orphan'),
    )) as { pid: number };
    runner.child.kill('SIGKILL');
    await runner.finished;
    await waitUntil('the orphan to be gone', () => hasEnded(pid), 1000);
    // Its copy stays behind until the next run removes it.
    const copies = () =>
      readdirSync(tmpdir()).filter((name) => name.startsWith(`workbook-learner-${runner.child.pid}-`));
    expect(copies()).toHaveLength(isRootOnLinux ? 1 : 0);
    await check(['--work', ANN]);
    expect(copies()).toEqual([]);
  });
});

describe('limits per program', () => {
  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/prlimit'))(
    'bounds open sockets and writable memory',
    async () => {
      const hog = `${TELL}import dgram from 'node:dgram';
const sockets: dgram.Socket[] = [];
let open = 0;
// Bounded: at most 4000 sockets, 500 ms to bind them, and 6000 MB.
for (let i = 0; i < 4000; i++) { try { const s = dgram.createSocket('udp4').on('error', () => {}).on('listening', () => open++); s.bind(0, '127.0.0.1'); sockets.push(s); } catch { break; } }
await new Promise((r) => setTimeout(r, 500));
for (const s of sockets) try { s.close(); } catch {}
const buffers: Buffer[] = [];
try { for (let i = 0; i < 60; i++) buffers.push(Buffer.allocUnsafeSlow(100 << 20)); } catch {}
buffers.length && (await tell({ role: 'hog', open, megabytes: buffers.length * 100 }));
${ECHO}`;
      const home = learner('hog', { 'lessons/01-echo/server.ts': hog });
      await check(['--work', home, '--reporter', 'json']);
      const report = reports.find((r) => r.role === 'hog') as { open: number; megabytes: number };
      expect(report.open).toBeLessThan(256);
      expect(report.megabytes).toBeLessThan(DATA_CAP_MB);
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
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
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
