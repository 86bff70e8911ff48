// Cleanup: whatever a program does, once the runner is done with it (or is itself interrupted), nothing is left.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LineStream, startProgram, stopAllPrograms, type Program } from '../../scripts/run/program.ts';
import { runScenario } from '../../scripts/scenario/scenario.ts';
import { parseTranscript } from '../../scripts/transcript/parse.ts';
import {
  COURSE,
  ROOT,
  hasEnded,
  killIfOurs,
  probeProcess,
  startLesson,
  tryConnect,
  waitUntil,
  within,
} from '../support.ts';

const STUBBORN = join(COURSE, 'lessons/07-ignores-sigterm/server.ts');
const STUBBORN_TRANSCRIPT = join(COURSE, 'lessons/07-ignores-sigterm/transcripts/echo.txt');
const SOLUTION = join(COURSE, 'solutions/01-echo/server.ts');
const FLOOD = join(COURSE, 'lessons/06-flood/server.ts');
const SPAWNS_CHILD = join(ROOT, 'test/fixtures/programs/spawns-child.ts');
const SAYS_CACHE = join(ROOT, 'test/fixtures/programs/says-compile-cache.ts');

let scratch: string;
let files = 0;
/** Pids a test started: killed after it, so a failing test leaves nothing behind either. */
const started = new Set<number>();
const programs: Program[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'workbook-program-'));
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(
    programs
      .splice(0)
      .filter((program) => !program.exit)
      .map((program) => program.stop(0)),
  );
  for (const pid of started) killIfOurs(pid);
  started.clear();
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh path for a fixture server to report its pid (and port) in, passed through the environment. */
function pidFile(): string {
  return join(scratch, `pid-${++files}.json`);
}

async function readPids<T extends { pid: number }>(file: string): Promise<T> {
  const facts = await waitUntil(
    `the fixture to write ${file}`,
    () => existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as T),
  );
  for (const value of Object.values(facts))
    if (typeof value === 'number' && value !== (facts as { port?: number }).port) started.add(value);
  return facts;
}

function start(file: string, outputCap = 1 << 20): Program {
  const program = startProgram({ file, args: [], cwd: COURSE, outputCap });
  programs.push(program);
  if (program.pid) started.add(program.pid);
  return program;
}

describe('LineStream', () => {
  it('splits chunks into lines, keeps a partial line until it ends, and counts bytes', () => {
    const stream = new LineStream();
    stream.push('one\ntw');
    expect(stream.lines).toEqual(['one']);
    stream.push('o\r\nthree');
    expect(stream.lines).toEqual(['one', 'two\r']);
    expect(stream.bytes).toBe(Buffer.byteLength('one\ntwo\r\nthree'));
    stream.flush();
    expect(stream.lines).toEqual(['one', 'two\r', 'three']);
    stream.next = 1;
    expect(stream.unread()).toEqual(['two\r', 'three']);
  });

  it('counts bytes, not characters', () => {
    const stream = new LineStream();
    stream.push('é🙂\n');
    expect(stream.bytes).toBe(7);
    expect(stream.lines).toEqual(['é🙂']);
  });
});

describe('Program', () => {
  it('ends a program that ignores SIGTERM with SIGKILL: its pid is gone and its port refuses connections', async () => {
    const file = pidFile();
    vi.stubEnv('FIXTURE_PID_FILE', file);
    const program = start(STUBBORN);
    const { pid, port } = await readPids<{ pid: number; port: number }>(file);
    expect(pid).toBe(program.pid);
    expect(await tryConnect(port)).toBe('connected');
    // The preload told the runner where it listens.
    expect(program.listening).toEqual([{ protocol: 'tcp', requested: 12345, port, address: '127.0.0.1' }]);

    const status = await within('stop() to end the program', program.stop());
    expect(status).toEqual({ code: null, signal: 'SIGKILL' });
    expect(program.exit).toEqual(status);
    expect(probeProcess(pid)).toBe('ESRCH');
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('ends the whole process group: a child the program started is ended too', async () => {
    const file = pidFile();
    vi.stubEnv('FIXTURE_PID_FILE', file);
    const program = start(SPAWNS_CHILD);
    const { pid, child } = await readPids<{ pid: number; child: number }>(file);
    expect(probeProcess(child)).toBeUndefined();

    await program.stop();
    expect(probeProcess(pid)).toBe('ESRCH');
    // The child is not ours to reap: once killed it may linger as a zombie until init collects it.
    await waitUntil(`the program's child ${child} to end`, () => hasEnded(child), 5000);
  });

  it('stops a program once it prints more than the output cap, and drops the rest', async () => {
    const cap = 64 * 1024;
    const program = start(FLOOD, cap);
    const status = await within('the flooding program to be stopped', program.exited);
    expect(program.overflow).toBe('stdout');
    expect(program.stopping).toBe(true);
    expect(status).toEqual({ code: null, signal: 'SIGTERM' });
    expect(program.stdout.bytes).toBeGreaterThan(cap);
    // At most one pipe read past the cap is kept; the program prints about 1.2 MB in all.
    expect(program.stdout.bytes).toBeLessThan(cap + 128 * 1024);
    expect(program.stdout.lines[0]).toBe("Starting server on 'localhost' port 12345");
  });

  it('interrupt() delivers SIGINT, as Ctrl-C does', async () => {
    const program = start(SOLUTION);
    await waitUntil('the solution to listen', () => program.listening.length > 0);
    program.interrupt();
    expect(await within('the program to end on SIGINT', program.exited)).toEqual({ code: null, signal: 'SIGINT' });
    expect(program.stopping).toBe(false);
  });

  it("Windows' route for Ctrl-C, a message over IPC, reaches the program's SIGINT handler or ends it", async () => {
    const withHandler = startProgram({
      file: join(ROOT, 'solutions/09-errors/server.ts'),
      args: [],
      cwd: ROOT,
      outputCap: 1 << 20,
      interrupt: 'ipc',
    });
    programs.push(withHandler);
    await waitUntil('lesson 9 to listen', () => withHandler.listening.length > 0);
    withHandler.interrupt();
    expect(await within('lesson 9 to say goodbye and exit', withHandler.exited)).toEqual({ code: 0, signal: null });
    expect(withHandler.stdout.lines.at(-1)).toBe('Goodbye: closing the listener and 0 open connection(s)');

    const without = startProgram({ file: SOLUTION, args: [], cwd: COURSE, outputCap: 1 << 20, interrupt: 'ipc' });
    programs.push(without);
    await waitUntil('the solution to listen', () => without.listening.length > 0);
    without.interrupt();
    expect(await within('the program to end on the message', without.exited)).toEqual({ code: 130, signal: null });
  });

  it("gives a graded program under the permission model the learner's compile cache, and it is written", async () => {
    const cache = join(scratch, 'compile-cache');
    mkdirSync(cache);
    // Node skips a cache it may not write, so the folder must be among the program's permissions, and only it.
    const program = startProgram({
      file: SAYS_CACHE,
      args: [],
      cwd: scratch,
      outputCap: 1 << 16,
      sandbox: { readable: [dirname(SAYS_CACHE)], compileCache: cache },
    });
    programs.push(program);
    expect(await within('the program to say where its cache is', program.exited)).toEqual({ code: 0, signal: null });
    expect(program.stdout.lines[0]).toContain(cache);
    expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(1);
  });

  it('stopAllPrograms ends every program still running', async () => {
    const first = pidFile();
    const second = pidFile();
    vi.stubEnv('FIXTURE_PID_FILE', first);
    start(STUBBORN);
    vi.stubEnv('FIXTURE_PID_FILE', second);
    start(STUBBORN);
    const a = await readPids<{ pid: number; port: number }>(first);
    const b = await readPids<{ pid: number; port: number }>(second);

    await stopAllPrograms();
    expect(probeProcess(a.pid)).toBe('ESRCH');
    expect(probeProcess(b.pid)).toBe('ESRCH');
    expect(await tryConnect(a.port)).toBe('ECONNREFUSED');
    expect(await tryConnect(b.port)).toBe('ECONNREFUSED');
  });
});

describe('cleanup after runScenario', () => {
  const options = {
    programDir: dirname(STUBBORN),
    courseRoot: COURSE,
    cwd: COURSE,
    stepTimeoutMs: 2000,
    startTimeoutMs: 10_000,
    outputCap: 256 * 1024,
  };

  it('a passing scenario leaves no server behind, even one that ignores SIGTERM', async () => {
    const file = pidFile();
    vi.stubEnv('FIXTURE_PID_FILE', file);
    const text = readFileSync(STUBBORN_TRANSCRIPT, 'utf8');
    const result = await runScenario(STUBBORN_TRANSCRIPT, text, parseTranscript(text, STUBBORN_TRANSCRIPT), options);
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
    const { pid, port } = await readPids<{ pid: number; port: number }>(file);
    expect(probeProcess(pid)).toBe('ESRCH');
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('a failing scenario leaves no server behind either', async () => {
    const file = pidFile();
    vi.stubEnv('FIXTURE_PID_FILE', file);
    const text = ['$ server', 'Listening', 'A: connect', 'A: send "ping\\n"', 'A: recv "pong\\n"', 'A: close'].join(
      '\n',
    );
    const result = await runScenario('inline.txt', text, parseTranscript(text, 'inline.txt'), {
      ...options,
      stepTimeoutMs: 1000,
    });
    expect(result.passed).toBe(false);
    expect(result.failure?.step?.line).toBe(5);
    expect(result.failure?.message).toMatch(
      /^Expected client A to receive "pong\\n", but it got `A: recv "ping\\n"`\.$/,
    );
    const { pid, port } = await readPids<{ pid: number; port: number }>(file);
    expect(probeProcess(pid)).toBe('ESRCH');
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });
});

describe('an interrupted runner', () => {
  it('ends the server it started when it gets SIGINT in the middle of a run, even one that ignores SIGTERM', async () => {
    const file = pidFile();
    // Lesson 8 waits 60 s on `A: silent 60000ms`: the runner is surely mid-run when it is interrupted.
    const runner = startLesson(['8', '--root', COURSE], { FIXTURE_PID_FILE: file });
    if (runner.child.pid) started.add(runner.child.pid);
    const { pid, port } = await readPids<{ pid: number; port: number }>(file);
    expect(probeProcess(pid)).toBeUndefined();
    expect(runner.child.exitCode).toBeNull();

    runner.child.kill('SIGINT');
    const finished = await within('the runner to exit after SIGINT', runner.finished);
    expect(finished).toMatchObject({ code: 130, signal: null });
    expect(probeProcess(pid)).toBe('ESRCH');
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('a second Ctrl-C during the grace period still leaves no server behind', async () => {
    const file = pidFile();
    const runner = startLesson(['8', '--root', COURSE], { FIXTURE_PID_FILE: file });
    if (runner.child.pid) started.add(runner.child.pid);
    const { pid, port } = await readPids<{ pid: number; port: number }>(file);
    expect(probeProcess(pid)).toBeUndefined();

    // The server ignores SIGTERM, so the first Ctrl-C waits out the grace period; the second must not abandon it.
    runner.child.kill('SIGINT');
    await readPids(`${file}.sigterm`);
    runner.child.kill('SIGINT');
    const finished = await within('the runner to exit after two SIGINTs', runner.finished);
    expect(finished).toMatchObject({ code: 130, signal: null });
    // SIGKILL was sent before the runner exited; the kernel may take a moment to finish the process off.
    await waitUntil('the server to be gone after SIGKILL', () => hasEnded(pid));
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });
});
