// Integration: `npm run lesson N -- --watch` on a copy of the fixture course, noticing saves and stopping runs.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pollingWanted } from '../../scripts/course/watch.ts';
import { COURSE, hasEnded, killIfOurs, startLesson, tryConnect, waitUntil, within } from '../support.ts';

const temporary: string[] = [];
const started: number[] = [];

function copyCourse(): string {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-watch-'));
  cpSync(COURSE, dir, { recursive: true, filter: (source) => !source.includes('.workbook') });
  temporary.push(dir);
  return dir;
}

afterAll(() => {
  for (const pid of started) killIfOurs(pid);
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The {"pid", "port"} the slow fixture server writes once it listens. */
function readPidFile(file: string): { pid: number; port: number } | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as { pid: number; port: number };
}

describe('npm run lesson N -- --watch', () => {
  it('checks again when the program is saved, and says when the stage passes', async () => {
    const root = copyCourse();
    const run = startLesson(['1', '--watch', '--root', root]);
    try {
      await waitUntil(
        'the first verdict',
        () =>
          /1 of 2 scenarios failed/.test(run.output.stdout) && /Watching .*\nKeys: .*Ctrl-C/.test(run.output.stdout),
      );
      writeFileSync(join(root, 'lessons/01-echo/server.ts'), readFileSync(join(root, 'solutions/01-echo/server.ts')));
      await waitUntil('the pass after the save', () => run.output.stdout.includes('Lesson 1 passes'));
      await waitUntil('the offer of the next lesson', () =>
        run.output.stdout.includes('Next: npm run lesson 2 -- --watch'),
      );
      // The second run's verdict is printed, and it keeps watching afterwards.
      await waitUntil(
        'watching again',
        () => run.output.stdout.lastIndexOf('Watching') > run.output.stdout.indexOf('Lesson 1 passes'),
      );
      run.child.kill('SIGINT');
      const finished = await within('the watch to end after Ctrl-C', run.finished);
      expect(finished.code).toBe(0);
      expect(finished.stdout).toContain('Stopped watching.');
      expect(finished.stderr).toBe('');
      // Not a terminal: nothing is cleared, and there is no colour.
      expect(finished.stdout).not.toContain('\u001b');
    } finally {
      if (run.child.pid) killIfOurs(run.child.pid);
    }
  });

  it('moves on with keys: h a hint, l the list, n the next lesson after a pass, q to quit, each shown on screen', async () => {
    const root = copyCourse();
    const run = startLesson(['1', '--watch', '--root', root], {}, 60_000, true);
    const typed = (key: string): void => void run.child.stdin!.write(key);
    try {
      await waitUntil('the keys', () => run.output.stdout.includes('Keys: h a hint, n lesson 2, l the list, q quit'));
      typed('h');
      await waitUntil('the hint', () => run.output.stdout.includes('hint 1 of 1, for echo'));
      expect(run.output.stdout).toContain('For echo: Write the chunk back with `conn.write(data)`.');
      typed('l');
      await waitUntil('the list', () => /0 of 8 lessons pass[\s\S]*01-echo +\S+ +fails/.test(run.output.stdout));
      writeFileSync(join(root, 'lessons/01-echo/server.ts'), readFileSync(join(root, 'solutions/01-echo/server.ts')));
      await waitUntil('the offer', () => run.output.stdout.includes('Press n to go on to lesson 2'));
      typed('n');
      await waitUntil('lesson 2', () => run.output.stdout.includes('Lesson 2: '));
      await waitUntil('its keys', () => run.output.stdout.includes('Keys: h a hint, n lesson 3,'));
      typed('q');
      const finished = await within('the watch to end after q', run.finished);
      expect(finished.code).toBe(0);
      expect(finished.stdout).toMatch(/Stopped watching\.\n$/);
      expect(finished.stderr).toBe('');
    } finally {
      if (run.child.pid) killIfOurs(run.child.pid);
    }
  });

  it('ends the run under way when a file is saved (polling), and leaves no server behind', async () => {
    const root = copyCourse();
    const pidFile = join(root, 'server-pid.json');
    const run = startLesson(['8', '--watch', '--poll', '--root', root], { FIXTURE_PID_FILE: pidFile });
    try {
      const first = await waitUntil("the first run's server", () => readPidFile(pidFile));
      started.push(first.pid);
      rmSync(pidFile);
      // The scenario waits 60 s in silence: only the save can end this run early.
      const starter = join(root, 'lessons/08-ignores-sigterm-slow/server.ts');
      writeFileSync(starter, `${readFileSync(starter, 'utf8')}// saved again\n`);
      await waitUntil('the first server to be stopped', () => hasEnded(first.pid));
      const second = await waitUntil("the second run's server", () => readPidFile(pidFile));
      started.push(second.pid);
      expect(second.pid).not.toBe(first.pid);
      // The new run may start fast enough (type stripping) to be given the port the first one freed.
      if (second.port !== first.port) expect(await tryConnect(first.port)).toBe('ECONNREFUSED');
      expect(run.output.stdout).toContain('changed: this check is stopped, and a new one starts.');
      // The stopped run printed no verdict of its own.
      expect(run.output.stdout).not.toMatch(/scenarios failed|passes \(/);
      run.child.kill('SIGINT');
      const finished = await within('the watch to end after Ctrl-C', run.finished);
      expect(finished.code).toBe(0);
      expect(hasEnded(second.pid)).toBe(true);
      expect(await tryConnect(second.port)).toBe('ECONNREFUSED');
    } finally {
      if (run.child.pid) killIfOurs(run.child.pid);
    }
  });

  it('polls when --poll is given or WORKBOOK_POLL is set', () => {
    expect(pollingWanted(true, {})).toBe(true);
    expect(pollingWanted(false, {})).toBe(false);
    expect(pollingWanted(false, { WORKBOOK_POLL: '1' })).toBe(true);
    expect(pollingWanted(false, { WORKBOOK_POLL: '0' })).toBe(false);
  });
});
