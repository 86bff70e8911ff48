// Shared by the integration tests: running the real command, polling with a deadline, and checking what is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const COURSE = join(ROOT, 'test/fixtures/course');
export const MALFORMED = join(ROOT, 'test/fixtures/malformed');

/** How npm starts every command (package.json): the Node version check, then `node scripts/NAME.ts`. */
export const COMMAND_PRELOAD = ['--import', './scripts/cli/check-node.mjs'];

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The runner's environment: no inherited colour settings, plus whatever the test adds. */
export function runnerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return env;
}

export interface Running {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  finished: Promise<Finished>;
}

/** Starts `node scripts/lesson.ts ARGS` in the workbook folder, as `npm run lesson` does. */
export function startLesson(args: string[], env: NodeJS.ProcessEnv = {}, hangGuardMs = 60_000, keys = false): Running {
  return startCommand('scripts/lesson.ts', args, env, hangGuardMs, keys);
}

/** Runs one of the workbook's commands (`scripts/NAME.ts`) as npm would, without npm's own start-up. */
export function startCommand(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  hangGuardMs = 60_000,
  /** Give the command a stdin to type keys into (`child.stdin.write('q')`); otherwise it reads nothing. */
  keys = false,
  /** The workbook folder to run it in: this one, or a copy of it. */
  cwd = ROOT,
): Running {
  const child = spawn(process.execPath, [...COMMAND_PRELOAD, script, ...args], {
    cwd,
    env: runnerEnv(env),
    stdio: [keys ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  // A hang guard only: a runner that never ends is killed so the test fails instead of hanging.
  const guard = setTimeout(() => child.kill('SIGKILL'), hangGuardMs);
  const finished = new Promise<Finished>((resolvePromise) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolvePromise({ code, signal, ...output });
    });
  });
  return { child, output, finished };
}

export function runLesson(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return startLesson(args, env).finished;
}

export function runCommand(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return startCommand(script, args, env).finished;
}

/** Re-checks `probe` every few milliseconds until it returns a value; throws after the deadline. */
export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

/** The promise's value, or an error naming what did not happen once the deadline passes (a hang guard, not a speed limit). */
export async function within<T>(what: string, promise: Promise<T>, timeoutMs = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error code `process.kill(pid, 0)` gives: ESRCH once the process no longer exists, undefined while it does. */
export function probeProcess(pid: number): string | undefined {
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/** Whether a process has ended: gone from the table, or a zombie (ended, waiting only for a parent to reap it). */
export function hasEnded(pid: number): boolean {
  if (probeProcess(pid) === 'ESRCH') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return probeProcess(pid) === 'ESRCH';
  }
}

/**
 * Cleanup after a failed test: SIGKILL a process this suite started, if it still runs. The command line is checked
 * first, so a pid the system has since reused for an unrelated process is never touched.
 */
export function killIfOurs(pid: number): void {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // Gone (or no /proc): nothing to do.
  }
  if (!/test\/fixtures|workbook-fixture|scripts\/lesson\.ts/.test(commandLine)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Ended in the meantime.
  }
}

/** Tries to connect to a loopback port: 'connected', or the error code (ECONNREFUSED when nothing listens). */
export function tryConnect(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolvePromise) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolvePromise('timeout');
    }, 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolvePromise(error.code ?? error.message);
    });
  });
}

/** Every file under a folder with its contents, to prove a test left the committed fixture alone. */
export function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      // A learner's progress is state, not part of the course.
      if (name === '.workbook') continue;
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** Holds a loopback port for the length of a test, if it is free; resolves to a closer either way. */
export async function holdPort(
  port: number,
  host = '127.0.0.1',
): Promise<{ held: boolean; port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  const held = await new Promise<boolean>((resolvePromise) => {
    server.once('error', () => resolvePromise(false));
    server.listen(port, host, () => resolvePromise(true));
  });
  return {
    held,
    port: held ? (server.address() as net.AddressInfo).port : port,
    release: () => new Promise((done) => (held ? server.close(() => done()) : done())),
  };
}
