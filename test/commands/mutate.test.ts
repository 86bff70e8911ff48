// npm run mutate: StrykerJS for real over one small lesson in a copy of the workbook, then the same run read back.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_PRELOAD, ROOT, runnerEnv } from '../support.ts';

const LESSON = '01-bind-listen';
let copy = '';

/** `npm run mutate` as the copy's own scripts run it: their workbook is the copy, so nothing is written here. */
function mutate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...COMMAND_PRELOAD, 'scripts/mutate.ts', ...args], {
    cwd: copy,
    encoding: 'utf8',
    env: runnerEnv({ NO_COLOR: '1' }),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'workbook-mutate-'));
  for (const part of [
    'scripts',
    'package.json',
    'tsconfig.json',
    'README.md',
    `lessons/${LESSON}`,
    `solutions/${LESSON}`,
  ])
    cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
});
afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

describe('npm run mutate', () => {
  it('runs StrykerJS over the reference with the stage as the test, and writes the report and the score', () => {
    const scoresBefore = readFileSync(join(ROOT, 'docs/mutation-scores.md'), 'utf8');
    const run = mutate('1', '--force');
    expect(run.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${LESSON}: 100\\.0% \\(\\d+ of \\d+ detected, 1 set aside\\)$`, 'm'));
    const report = JSON.parse(readFileSync(join(copy, 'reports/mutation', `${LESSON}.json`), 'utf8')) as {
      schemaVersion: string;
      files: Record<string, { mutants: { status: string }[] }>;
    };
    expect(report.schemaVersion).toMatch(/^\d/);
    const mutants = report.files[`solutions/${LESSON}/server.ts`]?.mutants ?? [];
    expect(mutants.length).toBeGreaterThan(5);
    expect(mutants.filter((mutant) => mutant.status === 'Survived')).toHaveLength(1);
    expect(existsSync(join(copy, 'reports/mutation', `${LESSON}.html`))).toBe(true);
    expect(readFileSync(join(copy, 'docs/mutation-scores.md'), 'utf8')).toMatch(
      new RegExp(`^\\| ${LESSON} \\| 100\\.0% `, 'm'),
    );
    // The workbook's own table is the copy's business only.
    expect(readFileSync(join(ROOT, 'docs/mutation-scores.md'), 'utf8')).toBe(scoresBefore);
  }, 600_000);

  it('reads an unchanged lesson back, and shows a survivor once its reason to be set aside is gone', () => {
    rmSync(join(copy, `solutions/${LESSON}/equivalent-mutants.json`));
    const run = mutate('1');
    expect(run.stdout).toContain('(unchanged since its last run: not run again)');
    expect(run.stdout).toMatch(/^ {2}survived: server\.ts:\d+ \w+$/m);
    expect(run.stdout).toContain(`set it aside in solutions/${LESSON}/equivalent-mutants.json with its reason:`);
  }, 60_000);

  it('says in one line that a lesson does not exist, with exit code 2', () => {
    const run = mutate('99');
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^error: there is no lesson '99': the lessons are 1 to 1, for example npm run mutate -- 14$/,
      ),
    ]);
  });
});
