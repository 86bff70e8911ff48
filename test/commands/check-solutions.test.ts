// The workbook proves itself: every solution passes, every starter, previous solution and mutant fails (where it
// says), every alternative passes, every README is true.
import { describe, expect, it, onTestFinished } from 'vitest';
import { startCommand } from '../support.ts';

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
});
