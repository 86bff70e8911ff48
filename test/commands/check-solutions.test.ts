// The workbook proves itself: every solution passes, every starter, previous solution and mutant fails (where it
// says), every alternative passes, every README is true.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMAND_PRELOAD } from '../support.ts';
import { WORKBOOK_ROOT } from '../../scripts/course/lessons.ts';

describe('npm run check -- --solutions', () => {
  it('holds for the whole workbook', () => {
    const run = spawnSync(process.execPath, [...COMMAND_PRELOAD, 'scripts/check.ts', '--solutions'], {
      cwd: WORKBOOK_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(run.stdout + run.stderr).toContain('The workbook holds');
    expect(run.stdout).toContain('every mutant fails where it says and every alternative passes');
    expect(run.status).toBe(0);
    // A hang guard, not a speed target: the proof runs every stage, mutant and alternative on a shared machine.
  }, 1_200_000);
});
