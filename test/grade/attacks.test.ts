// Integration: issue 20's attacks, each a learner graded beside an honest one by the real `npm run check -- --work`,
// inside bubblewrap and without it (WORKBOOK_NO_BWRAP=1): a complete report, a non-zero exit, the honest learner's
// full score, no secret read, nothing written outside, nothing left running.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSolvedCopy } from '../../scripts/course/files.ts';
import { planSandbox } from '../../scripts/sandbox/plan.ts';
import { ROOT, startCommand, type Finished } from '../support.ts';

const COURSE = join(ROOT, 'test/fixtures/attacks/course');
const TAG = randomBytes(4).toString('hex');
/** In the grader's environment, and in a file outside every learner's folder: no program may read either. */
const SECRET = `env-secret-${TAG}`;
const FILE_SECRET = `file-secret-${TAG}`;
const onLinuxAsRoot = process.platform === 'linux' && process.getuid?.() === 0;
const hasBwrap = planSandbox().kind === 'bubblewrap';
let scratch: string;
let secretFile: string;

/**
 * What every attacker uses: a list of probes, each the value it got or the error's code, printed on stderr. The
 * permission model's code is shortened to DENIED: a stderr that names it reads as a denial, not as the probes.
 */
const PROBE = `const probes: string[] = [];
const tryIt = (name: string, run: () => unknown): void => {
  try {
    const value = run();
    probes.push(name + '=' + (value === undefined ? 'ok' : String(value)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'threw';
    probes.push(name + '=' + (code === 'ERR_ACCESS_DENIED' ? 'DENIED' : code));
  }
};
`;
/** The honest half: the echo server the fixture's transcript expects, after its first line. */
const SERVE = `import netToServe from 'node:net';
const server = netToServe.createServer((conn) => {
  console.log(\`Received new connection from \${conn.remoteAddress}:\${conn.remotePort}\`);
  conn.on('data', (data) => { console.log('Received:', data); conn.write(data); });
  conn.on('end', () => conn.end());
});
server.listen(12345, '127.0.0.1');
`;
/** An attack between the first line and the listen (the runner waits up to 10 s for it), then its probes, then echo. */
const attack = (imports: string, body: string): string =>
  `${imports}\n${PROBE}console.log("Starting server on 'localhost' port 12345");\n${body}\nconsole.error('PROBE ' + probes.join(' '));\n${SERVE}`;

/** A learner's folder with the given files (text, or a function that makes the entry itself). */
function learner(dir: string, name: string, files: Record<string, string | ((path: string) => void)>): string {
  const home = join(dir, name);
  mkdirSync(join(home, 'lessons'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, path, '..'), { recursive: true });
    if (typeof content === 'string') writeFileSync(join(home, path), content);
    else content(join(home, path));
  }
  return home;
}

/** The attackers, one per kind the issue lists, and the honest learner they are graded beside. */
function makeClass(dir: string): Record<string, string> {
  const ann = join(dir, `ann-${TAG}`);
  writeSolvedCopy(COURSE, ann);
  const mate = join(ann, 'lessons/01-echo/server.ts');
  const transcript = join(COURSE, 'lessons/01-echo/transcripts/echo.txt');
  const solution = join(COURSE, 'solutions/01-echo/server.ts');
  const names: Record<string, string> = { ann: `ann-${TAG}` };
  const add = (kind: string, files: Record<string, string | ((path: string) => void)>): void => {
    names[kind] = `${kind}-${TAG}`;
    learner(dir, names[kind], files);
  };
  // Ends the run: junk on the runner's channel, then a line with no end (hundreds of megabytes).
  add('flooder', {
    'lessons/01-echo/server.ts': attack(
      "import { writeSync } from 'node:fs';",
      `let written = 0;
const junk = Buffer.from('{"type":"listening","protocol":"tcp","requested":1,"port":2,"address":"x"}\\n'.repeat(100));
const endless = Buffer.alloc(1 << 20, 120);
const until = Date.now() + 8000;
for (let i = 0; i < 300 + 200 && Date.now() < until; ) {
  try { writeSync(3, i < 200 ? junk : endless); written += i < 200 ? junk.length : endless.length; i++; }
  catch (error) { if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') { tryIt('end', () => { throw error; }); break; } }
}
probes.push('mb=' + Math.round(written / 1e6));`,
    ),
  });
  // Ends the run: a byte to the busy-port blocker, past the steering (a port read twice) and from a child.
  add('poker', {
    'lessons/02-busy/server.ts': `import net from 'node:net';
import { spawn } from 'node:child_process';
console.log("Starting server on 'localhost' port 12345");
const ports = Object.values(JSON.parse(process.env.WORKBOOK_PORTS ?? '{}')) as number[];
for (const port of ports) {
  let reads = 0;
  const twoFaced = { host: '127.0.0.1', get port() { return reads++ === 0 ? 1 : port; }, set port(_value) {} };
  const socket = net.connect(twoFaced as unknown as net.NetConnectOpts, () => socket.write('x'));
  socket.on('error', () => {});
  try {
    const child = spawn(process.execPath, ['-e', \`const s = require('net').connect(\${port}, '127.0.0.1', () => s.write('x')); s.on('error', () => {}); setTimeout(() => {}, 20000);\`], { stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {}
}
await new Promise((wait) => setTimeout(wait, 500));
const server = net.createServer();
server.on('error', (error) => { console.error(\`Could not start the server: \${error.message}\`); process.exitCode = 1; });
server.listen(12345, '127.0.0.1');
`,
  });
  // Crashes the run: a folder named like a program, a link to nothing, a pipe, a lesson that is a file.
  add('oddity', {
    'lessons/01-echo/server.ts': readFileSync(mate, 'utf8'),
    'lessons/01-echo/helpers.ts': (path) => mkdirSync(path),
    'lessons/01-echo/x.ts': (path) => symlinkSync('nowhere.ts', path),
    'lessons/01-echo/pipe.ts': (path) => void spawnSync('mkfifo', [path]),
    'lessons/02-busy': 'a file where a lesson folder should be\n',
  });
  // Reads what it must not: the secrets, a classmate, the course, the grader's environment, through links too.
  add('reader', {
    sol: (path) => symlinkSync(join(COURSE, 'solutions'), path),
    'lessons/04-later': (path) => symlinkSync(join(COURSE, 'solutions/04-later'), path),
    'lessons/01-echo/server.ts': attack(
      "import { readFileSync, readdirSync } from 'node:fs';",
      `const read = (path: string) => { const text = readFileSync(path, 'utf8'); return text.includes('${TAG}') ? 'SECRET' : 'READ'; };
tryIt('env', () => (Object.values(process.env).some((value) => value?.includes('${TAG}')) ? 'SECRET' : 'clean'));
tryIt('file', () => read(${JSON.stringify(secretFile)}));
tryIt('mate', () => read(${JSON.stringify(mate)}));
tryIt('class', () => readdirSync(${JSON.stringify(dir)}).length);
tryIt('tx', () => read(${JSON.stringify(transcript)}));
tryIt('sol', () => read(${JSON.stringify(solution)}));
tryIt('link', () => read('sol/01-echo/server.ts'));
tryIt('penv', () => read('/proc/' + process.ppid + '/environ'));
tryIt('init', () => read('/proc/1/environ'));
tryIt('copies', () => readdirSync('${tmpdir()}').filter((name) => name.startsWith('workbook-learner-')).map((name) => readdirSync('${tmpdir()}/' + name)).length);`,
    ),
  });
  // Rewrites a later lesson before it is graded: a [writable] folder that is a link to it.
  add('rewriter', {
    'lessons/03-files/server.ts': `import { writeFileSync } from 'node:fs';
writeFileSync('lessons/03-files/out/server.ts', ${JSON.stringify(readFileSync(mate, 'utf8'))});
${readFileSync(join(COURSE, 'solutions/03-files/server.ts'), 'utf8')}`,
    'lessons/03-files/out': (path) => symlinkSync('../04-later', path),
    'lessons/04-later/server.ts': '// Not done yet.\n',
  });
  // Reaches a classmate: their servers found in /proc/net/tcp, and connected to past the steering.
  add('prowler', {
    'lessons/01-echo/server.ts': attack(
      "import { readFileSync } from 'node:fs';\nimport net from 'node:net';\nimport { spawn } from 'node:child_process';",
      `const tried = new Set<number>();
let seen = 0;
for (let round = 0; round < 30; round++) {
  let table = '';
  try { table = readFileSync('/proc/net/tcp', 'utf8') + readFileSync('/proc/net/tcp6', 'utf8'); } catch (error) { if (round === 0) tryIt('tcp', () => { throw error; }); }
  for (const [, port] of table.matchAll(/^\\s*\\d+: [0-9A-F]+:([0-9A-F]{4}) [0-9A-F]+:0000 0A /gm)) {
    const number = parseInt(port, 16);
    if (tried.has(number)) continue;
    tried.add(number);
    seen++;
    let reads = 0;
    const twoFaced = { host: '127.0.0.1', get port() { return reads++ === 0 ? 1 : number; }, set port(_value) {} };
    const socket = net.connect(twoFaced as unknown as net.NetConnectOpts, () => socket.write('BOO\\n'));
    socket.on('error', () => {});
    try { spawn(process.execPath, ['-e', \`const s = require('net').connect(\${number}, '127.0.0.1', () => s.write('BOO\\\\n')); s.on('error', () => {}); setTimeout(() => {}, 5000);\`], { stdio: 'ignore' }).on('error', () => {}); } catch {}
  }
  await new Promise((wait) => setTimeout(wait, 150));
}
probes.push('seen=' + seen);`,
    ),
  });
  // Ends a classmate or the grader: a signal to every program of a classmate it can find, and to its own grader.
  add('killer', {
    'lessons/01-echo/server.ts': attack(
      "import { readdirSync, readFileSync } from 'node:fs';",
      `let found = 0;
let killed = 0;
for (let round = 0; round < 30; round++) {
  let pids: string[] = [];
  try { pids = readdirSync('/proc').filter((name) => /^\\d+$/.test(name)); } catch (error) { if (round === 0) tryIt('proc', () => { throw error; }); }
  for (const pid of pids) {
    let line = '';
    try { line = readFileSync('/proc/' + pid + '/cmdline', 'utf8'); } catch {}
    if (!line.includes('ann-${TAG}')) continue;
    found++;
    try { process.kill(Number(pid), 'SIGKILL'); killed++; } catch {}
  }
  await new Promise((wait) => setTimeout(wait, 150));
}
probes.push('found=' + found, 'killed=' + killed);
tryIt('grader', () => process.kill(process.ppid, 'SIGKILL'));
tryIt('init', () => process.kill(1, 0));`,
    ),
  });
  // Starves the run: a 40 MB file beside a program, the temporary folder filled, a file past the size limit.
  add('starver', {
    'lessons/01-echo/server.ts': readFileSync(mate, 'utf8'),
    'lessons/01-echo/big.ts': (path) => writeFileSync(path, Buffer.alloc(40 << 20, '/*')),
    'lessons/03-files/server.ts': `import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
${PROBE}console.log("Starting server on 'localhost' port 12345");
process.on('SIGXFSZ', () => {});
const log = process.argv[process.argv.indexOf('--log') + 1];
const folder = log.replace(/\\/[^/]*$/, '');
tryIt('big', () => writeFileSync(folder + '/big', Buffer.alloc(32 << 20)));
let files = 0;
const piece = Buffer.alloc(8 << 20);
tryIt('fill', () => { for (; files < 18; files++) writeFileSync(folder + '/fill-' + files, piece); });
probes.push('files=' + files);
// Room again for the log (Node's permission model may refuse the removal: the runner removes the folder anyway).
for (const name of ['big', ...Array.from({ length: 18 }, (_, n) => 'fill-' + n)]) try { rmSync(folder + '/' + name, { force: true }); } catch {}
console.error('PROBE ' + probes.join(' '));
const server = net.createServer((conn) => {
  conn.on('data', (data) => { appendFileSync(log, data); conn.write(data); });
  conn.on('end', () => conn.end());
});
server.listen(12345, '127.0.0.1');
process.on('SIGINT', () => server.close(() => process.exit(0)));
`,
  });
  // Rewrites the instructor's terminal: escapes in a folder's name, a file's name and the program's output.
  names.escaper = `esc-${TAG}-\u001b[2J\u001b[31m`;
  learner(dir, names.escaper, {
    'lessons/01-echo/server.ts': `console.log('\\u001b]0;owned\\u0007\\u001b[2J\\u001b[HALL PASS\\r');\n`,
    'lessons/01-echo/\u001b[1;32mnotes.txt': 'hidden\n',
  });
  return names;
}

/** Every entry under a folder, links and pipes as they are (never followed, never read): what a run may not change. */
function tree(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const entry = lstatSync(full);
      if (entry.isSymbolicLink()) found[full] = `link ${readlinkSync(full)}`;
      else if (entry.isDirectory()) walk(full);
      else if (entry.isFile())
        found[full] = `${entry.size} ${createHash('sha256').update(readFileSync(full)).digest('hex')} ${entry.mode}`;
      else found[full] = `special ${entry.mode}`;
    }
  };
  walk(dir);
  return found;
}

/** Processes on the machine whose command line holds this run's tag: anything a learner left running. */
function leftRunning(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(TAG);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Grades the class as npm would, with the secret in the grader's own environment. */
async function grade(dir: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<Finished & { pid: number }> {
  const run = startCommand(
    'scripts/check.ts',
    ['--root', COURSE, '--work', dir, '--reporter', 'json', ...args],
    { ...env, WORKBOOK_TEST_SECRET: SECRET },
    280_000,
  );
  return { ...(await run.finished), pid: run.child.pid! };
}

type Report = {
  bubblewrap: boolean;
  confinement: string;
  missing: string[];
  learners: {
    name: string;
    notGraded: string | null;
    stagesPassed: number;
    notes: string[];
    lessons: { slug: string; status: string; scenarios: { name: string; passed: boolean; reason: string | null }[] }[];
  }[];
};

/** The probes an attacker printed, from the reason its scenario failed with. */
function probes(report: Report, name: string, slug = '01-echo'): Record<string, string> {
  const reason = report.learners.find((l) => l.name === name)!.lessons.find((l) => l.slug === slug)!.scenarios[0]
    .reason;
  const line = /`PROBE ([^`]*)`/.exec(reason ?? '')?.[1];
  expect(line, `${name}'s probes in: ${reason}`).toBeDefined();
  return Object.fromEntries(line!.split(' ').map((pair) => pair.split('=')));
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'workbook-attacks-'));
  // Learners' own users must reach the class, as they must in any class graded as root.
  chmodSync(scratch, 0o755);
  secretFile = join(scratch, 'secret.txt');
  // Readable by everyone: only the sandbox, or the permission model, stands between a program and it.
  writeFileSync(secretFile, `${FILE_SECRET}\n`, { mode: 0o644 });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MODES = [
  { mode: 'inside bubblewrap', env: {}, runs: hasBwrap },
  { mode: 'without bubblewrap', env: { WORKBOOK_NO_BWRAP: '1' }, runs: true },
];

describe.each(MODES)('a hostile class, $mode', ({ mode, env, runs }) => {
  it.runIf(runs)(
    'leaves a complete report, a non-zero exit, the honest learner full marks, no secret read, nothing behind',
    async () => {
      const dir = join(scratch, mode.replace(/ /g, '-'));
      mkdirSync(dir);
      const names = makeClass(dir);
      const before = tree(dir);
      const course = tree(COURSE);
      const run = await grade(dir, env);
      expect(run.signal).toBeNull();
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as Report;
      const byName = (kind: string) => report.learners.find((l) => l.name === names[kind].replace(/\u001b/g, '\\x1b'))!;
      // Complete: every learner, every lesson, everyone graded.
      expect(report.learners.map((l) => l.name).sort()).toEqual(
        Object.values(names)
          .map((name) => name.replace(/\u001b/g, '\\x1b'))
          .sort(),
      );
      for (const learner of report.learners) {
        expect(learner.lessons.map((l) => l.slug)).toEqual(['01-echo', '02-busy', '03-files', '04-later']);
        expect(learner.notGraded).toBeNull();
      }
      expect(report.bubblewrap).toBe(mode === 'inside bubblewrap');
      if (!report.bubblewrap) expect(report.missing.length).toBeGreaterThan(0);
      expect(byName('ann').stagesPassed).toBe(4);
      // The channel flood is stopped for what it sent; the blocker's byte changes nothing.
      expect(byName('flooder').lessons[0].scenarios[0].reason).toMatch(/on the runner's channel .* so it was stopped/);
      expect(byName('poker').lessons[1].status).toBe('pass');
      // Odd files are notes, not a crash; the honest program beside them passes.
      const oddity = byName('oddity');
      expect(oddity.lessons[0].status).toBe('pass');
      expect(oddity.notes.join('\n')).toMatch(/lessons\/01-echo\/pipe\.ts is not a regular file or folder/);
      expect(oddity.notes.join('\n')).toMatch(/lessons\/01-echo\/x\.ts is a link to nothing/);
      // Nothing secret, nothing of a classmate's or the course's: each read fails, whatever the way.
      const read = probes(report, names.reader);
      expect(read.env).toBe('clean');
      for (const key of ['file', 'mate', 'class', 'tx', 'sol', 'link', 'penv', 'init'])
        expect(read[key], `reader's ${key}`).toMatch(/^(?:E[A-Z]+|DENIED)$/);
      // The temporary folder holds no classmate's copy: inside bubblewrap it is the sandbox's own.
      expect(read.copies).toMatch(/^(?:0|E[A-Z]+|DENIED)$/);
      expect(byName('reader').notes.join('\n')).toMatch(/lessons\/04-later leads outside the learner's copy/);
      expect(byName('reader').notes.join('\n')).toMatch(
        /^sol leads outside the learner's folder .*only lessons\/ is graded/m,
      );
      expect(run.stdout + run.stderr).not.toContain(SECRET);
      expect(run.stdout + run.stderr).not.toContain(FILE_SECRET);
      // A [writable] link is refused, and the later lesson is graded as the learner left it.
      const rewriter = byName('rewriter');
      expect(rewriter.lessons[2].scenarios.find((s) => s.name === 'out')!.reason).toMatch(
        /lessons\/03-files\/out is a link \(to .*04-later\), not a folder/,
      );
      expect(rewriter.lessons[3].status).toBe('fail');
      // The prowler saw no classmate's server; the killer reached no classmate and not its grader.
      const prowled = probes(report, names.prowler);
      if (report.bubblewrap) expect(Number(prowled.seen)).toBeLessThanOrEqual(1);
      else expect(prowled.tcp).toBe('DENIED');
      const killed = probes(report, names.killer);
      expect(killed.killed ?? '0').toBe('0');
      expect(killed.grader).toBe('EPERM');
      // The 40 MB file is a note; a file past the cap and a full temporary folder stop at their limits.
      const starver = byName('starver');
      expect(starver.lessons[0].status).toBe('pass');
      expect(starver.notes.join('\n')).toMatch(/lessons\/01-echo\/big\.ts is larger than 1 MB/);
      const starved = probes(report, names.starver, '03-files');
      if (onLinuxAsRoot) expect(starved.big).toBe('EFBIG');
      if (report.bubblewrap) expect(starved.fill).toBe('ENOSPC');
      // Escapes are shown, not obeyed.
      expect(byName('escaper').notes.join('\n')).toContain('\\x1b[1;32mnotes.txt');
      expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      // Nothing written outside: the learners' folders and the course as they were; nothing left running.
      expect(tree(dir)).toEqual(before);
      expect(tree(COURSE)).toEqual(course);
      expect(readdirSync(tmpdir()).filter((name) => name.includes(`-${run.pid}-`))).toEqual([]);
      expect(leftRunning()).toEqual([]);
    },
    300_000,
  );

  it.runIf(runs)(
    'lists a learner whose grading hangs past its limit as not graded, and grades the others',
    async () => {
      const dir = join(scratch, `slow-${mode.replace(/ /g, '-')}`);
      mkdirSync(dir);
      writeSolvedCopy(COURSE, join(dir, `ann-${TAG}`));
      // It says it starts, then never listens: each scenario waits out the start timeout.
      const stall = `console.log("Starting server on 'localhost' port 12345");\nsetInterval(() => {}, 1000);\n`;
      learner(dir, `slowpoke-${TAG}`, {
        'lessons/01-echo/server.ts': stall,
        'lessons/03-files/server.ts': stall,
        'lessons/04-later/server.ts': stall,
      });
      // Four runs of each scenario: the slowpoke needs 20 runs of 10 s (half a minute at least, eight at a time), the
      // honest learner a few seconds.
      const run = await grade(dir, env, ['--learner-timeout', '20', '--repeat', '4']);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as Report;
      const [ann, slowpoke] = report.learners;
      expect(ann).toMatchObject({ notGraded: null, stagesPassed: 4 });
      expect(slowpoke.notGraded).toBe('its grading did not finish within 20 s, so it was stopped');
      expect(slowpoke.notes[0]).toBe('not graded: its grading did not finish within 20 s, so it was stopped');
      expect(slowpoke.lessons.map((l) => l.status)).toEqual(['fail', 'missing', 'fail', 'fail']);
      expect(leftRunning()).toEqual([]);
    },
  );
});
