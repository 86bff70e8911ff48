// npm run bench times only passing runs: a run that fails once is timed again and the reason kept; a second failure,
// or an error that is not a failed check, ends the bench. A failed grading names its learner, lesson and scenario.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mustGrade, mustPass, rerun, timePassing } from '../../scripts/bench/runs.ts';
import { WorkbookError } from '../../scripts/kernel/errors.ts';

const failed = (what: string) => new WorkbookError(`${what}; the benchmark only times passing runs`);

describe('mustPass', () => {
  it('names what a failed command marked with ✗, three lines at most, with its exit code', async () => {
    const stdout = [
      'lesson 4 ✓',
      '✗ 05-close: mutant a failed at b.txt:3, not at b.txt:5',
      'fine',
      '✗ two',
      '✗ three',
      '✗ four',
    ];
    await expect(mustPass(Promise.resolve({ exitCode: 1, stdout: stdout.join('\n') }), 'the proof')).rejects.toThrow(
      'the proof failed (exit 1; ✗ 05-close: mutant a failed at b.txt:3, not at b.txt:5; ✗ two; ✗ three); the benchmark only times passing runs',
    );
    const passed = { exitCode: 0, stdout: '✗ in a passing run' };
    expect(await mustPass(Promise.resolve(passed), 'the proof')).toBe(passed);
  });
});

describe('timePassing', () => {
  it('times a run that failed once again, and keeps why it failed', async () => {
    let calls = 0;
    await timePassing(async () => {
      calls++;
      if (calls === 1) throw failed('grading failed (exit 1)');
    });
    expect({ calls, reason: rerun.at(-1) }).toEqual({ calls: 2, reason: 'grading failed (exit 1)' });
  });

  it('ends the bench when the same run fails again', async () => {
    let calls = 0;
    const run = timePassing(async () => {
      calls++;
      throw failed(`the proof failed, try ${calls}`);
    });
    await expect(run).rejects.toThrow('the proof failed, try 2');
    expect(calls).toBe(2);
  });

  it('does not run again after an error that is not a failed check', async () => {
    let calls = 0;
    const run = timePassing(async () => {
      calls++;
      throw new TypeError('a bug in the bench');
    });
    await expect(run).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });
});

describe('mustGrade', () => {
  const folder = mkdtempSync(join(tmpdir(), 'workbook-bench-test-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const report = join(folder, 'grades.json');
  const scenario = (name: string, passed: boolean, reason: string | null = null) => ({ name, passed, reason });
  const grades = (status: string, scenarios: ReturnType<typeof scenario>[]) => ({
    learners: [
      { name: 'ann', lessons: [{ slug: '04-receive-loop', status: 'pass', scenarios: [scenario('echo', true)] }] },
      { name: 'bob', lessons: [{ slug: '16-backpressure', status, scenarios }] },
    ],
  });

  it('names the learner, lesson, scenario and reason of every failure', async () => {
    writeFileSync(
      report,
      JSON.stringify(grades('fail', [scenario('flood', true), scenario('idle', false, 'a wait ran out at line 9')])),
    );
    await expect(mustGrade(Promise.resolve(), report, 'grading inside bubblewrap')).rejects.toThrow(
      'grading inside bubblewrap failed (bob 16-backpressure idle: a wait ran out at line 9); the benchmark only times passing runs',
    );
  });

  it('passes a grading whose every lesson passed, whatever lessons are missing', async () => {
    writeFileSync(report, JSON.stringify(grades('missing', [])));
    await expect(mustGrade(Promise.resolve(), report, 'grading')).resolves.toBeUndefined();
  });
});
