// The workbook proves itself: every solution passes, every starter, previous solution and mutant fails (where it
// says), every alternative passes, every README is true.
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCommand, startCommand } from '../support.ts';

/** A hang guard, not a speed target: the proof runs every stage, mutant and alternative on a shared machine. */
const TIMEOUT_MS = 1_200_000;

describe('npm run check -- --solutions', () => {
  it(
    'holds for the whole workbook',
    async () => {
      // Spawned, not run synchronously: a synchronous run would hold vitest's timer, so its timeout could never fire.
      const run = startCommand('scripts/check.ts', ['--solutions'], { NO_COLOR: '1' }, TIMEOUT_MS + 60_000);
      // When the timeout fires first, the proof is stopped as Ctrl-C stops it: its programs go too (SIGKILL comes later).
      onTestFinished(() => {
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
      });
      const finished = await run.finished;
      expect(finished.stdout + finished.stderr).toContain('The workbook holds');
      expect(finished.stdout).toContain('every mutant fails where it says and every alternative passes');
      expect(finished.code).toBe(0);
    },
    TIMEOUT_MS,
  );

  it('with --lesson, proves those lessons only, each beside the solution before it', async () => {
    const finished = await runCommand('scripts/check.ts', ['--solutions', '--lesson', '1', '--lesson', '2'], {
      NO_COLOR: '1',
    });
    const rows = finished.stdout.split('\n').filter((line) => /^\d\d-/.test(line));
    expect(rows.map((row) => row.split(' ')[0])).toEqual(['01-bind-listen', '02-accept-loop']);
    // Lesson 2's previous solution is lesson 1's: it must still fail there.
    expect(rows[1]).toMatch(/^02-accept-loop +\S+ ✓ +fails ✓ +fails ✓/);
    expect(finished.stdout).toContain('Lessons 1, 2 hold: every solution passes its stage');
    expect(finished.code).toBe(0);
  }, 120_000);

  it.each([
    [['--solutions', '--lesson', '99'], "error: there is no lesson '99'. The lessons are:"],
    [['--lesson', '3'], 'error: --lesson N picks the lessons --solutions proves: add --solutions'],
  ])('%j is refused in one line, with exit 2', async (args, message) => {
    const finished = await runCommand('scripts/check.ts', args);
    expect(finished.stderr.split('\n')[0]).toBe(message);
    expect(finished.stderr).not.toContain('    at ');
    expect(finished.code).toBe(2);
  });
});
