// Integration: `npm run try N` driven through piped input against a copy of the fixture course's echo server.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COMMAND_PRELOAD,
  COURSE,
  ROOT,
  hasEnded,
  holdPort,
  killIfOurs,
  runnerEnv,
  tryConnect,
  waitUntil,
  within,
  type Finished,
} from '../support.ts';

const temporary: string[] = [];
const started: number[] = [];

afterAll(() => {
  for (const pid of started) killIfOurs(pid);
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture course whose echo solution listens on `port` (0: any free one) and writes its pid to a file. */
function courseWithEcho(port: number): { root: string; pidFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'workbook-try-'));
  cpSync(COURSE, root, { recursive: true, filter: (source) => !source.includes('.workbook') });
  temporary.push(root);
  const pidFile = join(root, 'server.pid');
  const server = join(root, 'solutions/01-echo/server.ts');
  const source = readFileSync(server, 'utf8').replace(
    "server.listen(12345, '127.0.0.1');",
    `server.listen(${port}, '127.0.0.1', () => writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)));`,
  );
  writeFileSync(server, `import { writeFileSync } from 'node:fs';\n${source}`);
  return { root, pidFile };
}

/** `npm run try ARGS` with its standard input piped, as a learner's terminal would feed it. */
function startTry(args: string[]) {
  const child = spawn(process.execPath, [...COMMAND_PRELOAD, 'scripts/try.ts', ...args], {
    cwd: ROOT,
    env: runnerEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const finished = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, ...output });
    }),
  );
  if (child.pid) started.push(child.pid);
  return { child, output, finished };
}

const connectedPort = (stdout: string): number | undefined => {
  const match = /connected to 127\.0\.0\.1:(\d+)/.exec(stdout);
  return match ? Number(match[1]) : undefined;
};

describe('npm run try N', () => {
  it('sends typed lines to the server, prints the replies, and ends both when input ends and the server closes', async () => {
    const { root, pidFile } = courseWithEcho(0);
    const run = startTry(['1', '--solution', '--root', root]);
    const port = await waitUntil('the client to connect', () => connectedPort(run.output.stdout));
    const pid = Number(await waitUntil('the server pid', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8')));
    started.push(pid);
    run.child.stdin.write('Hello\n');
    await waitUntil('the echo', () => run.output.stdout.includes('< Hello\n'));
    expect(run.output.stdout).toContain('> Hello\n');
    await waitUntil("the server's own output", () =>
      run.output.stdout.includes('server| Received: <Buffer 48 65 6c 6c 6f 0a>'),
    );
    expect(run.output.stdout).toContain("server| Starting server on 'localhost' port 12345");
    // Ctrl-D: half-close; the fixture closes its side in answer, and both ends are gone.
    run.child.stdin.end();
    const finished = await within('try to end after the input ended', run.finished);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('input ended (sent FIN)');
    expect(finished.stdout).toContain('the server closed the connection');
    expect(finished.stdout).not.toContain('\u001b');
    expect(hasEnded(pid)).toBe(true);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('ends the server too on Ctrl-C', async () => {
    const { root, pidFile } = courseWithEcho(0);
    const run = startTry(['1', '--solution', '--root', root]);
    const port = await waitUntil('the client to connect', () => connectedPort(run.output.stdout));
    const pid = Number(await waitUntil('the server pid', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8')));
    started.push(pid);
    run.child.kill('SIGINT');
    const finished = await within('try to end after Ctrl-C', run.finished);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('stopped (Ctrl-C)');
    expect(hasEnded(pid)).toBe(true);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('says plainly when the port is really busy', async () => {
    const blocker = await holdPort(0);
    try {
      const { root } = courseWithEcho(blocker.port);
      const run = startTry(['1', '--solution', '--root', root]);
      run.child.stdin.end();
      const finished = await within('try to end on a busy port', run.finished);
      expect(finished.code).toBe(1);
      expect(finished.stdout).toContain(
        `error: port ${blocker.port} is busy: another program is already listening on it`,
      );
      expect(finished.stdout).toContain(`npm run try 1 again`);
    } finally {
      await blocker.release();
    }
  });

  it("refuses, in one line, a lesson whose programs no client talks to: lesson 0's scripts", async () => {
    const run = startTry(['0']);
    run.child.stdin.end();
    const finished = await within('try 0 to refuse', run.finished);
    expect(finished.code).toBe(2);
    expect(finished.stdout).toBe('');
    expect(finished.stderr).toMatch(
      /^error: lesson 0 has no server to try: no client of its transcripts connects to its programs: run one by hand with node lessons\/00-typescript\/\S+\.ts\n$/,
    );
  });
});
