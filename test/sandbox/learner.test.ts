// Integration: one learner's grading started as the grader outside starts it, when what comes back is not a result.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listLessons } from '../../scripts/course/lessons.ts';
import { DEFAULT_TIMING } from '../../scripts/grade/stage.ts';
import { gradeInside, type LearnerRun } from '../../scripts/sandbox/learner.ts';
import { gradingLimitMs } from '../../scripts/sandbox/limits.ts';
import { ROOT } from '../support.ts';

const COURSE = join(ROOT, 'test/fixtures/attacks/course');
const scratch = mkdtempSync(join(tmpdir(), 'workbook-inside-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const [echo] = listLessons(COURSE);
const none = { kind: 'none', why: 'a test' } as const;

function run(overrides: Partial<LearnerRun>): LearnerRun {
  const copy = join(scratch, 'ann');
  mkdirSync(join(copy, 'lessons'), { recursive: true });
  return {
    lessons: [echo],
    asked: { lessons: new Map([[echo.slug, ['echo']]]), repeat: 1 },
    root: COURSE,
    copy,
    concurrency: 1,
    timing: { stepTimeoutMs: 2000, startTimeoutMs: 10000, outputCap: 1 << 16 },
    limitMs: 60_000,
    onScenario: () => {},
    ...overrides,
  };
}

describe('gradeInside', () => {
  it('lists the learner as not graded when the result is not what was asked for, and believes none of it', async () => {
    // Asked for a lesson the course inside does not have: the result comes back without it.
    const ghost = { ...echo, slug: '09-ghost' };
    const outcome = await gradeInside(
      run({ lessons: [ghost], asked: { lessons: new Map([['09-ghost', ['echo']]]), repeat: 1 } }),
      none,
    );
    expect(outcome).toEqual({
      notGraded:
        'its grading sent something the grader does not send (the result does not hold every lesson asked for), so none of it was believed',
      internal: false,
    });
  });

  it("says the grader itself failed (an internal error, exit code 3) when it throws, with the error's first line", async () => {
    const outcome = await gradeInside(run({ root: join(scratch, 'no-such-course') }), none);
    expect(outcome).toMatchObject({ internal: true });
    expect('notGraded' in outcome && outcome.notGraded).toMatch(
      /^the grader failed while grading it: Error: no lessons\/ folder in .*no-such-course \(at listLessons \(.*lessons\.ts:\d+:\d+\)\)$/,
    );
  });

  it('grades a learner, reporting each scenario as it finishes', async () => {
    const heard: boolean[] = [];
    const outcome = await gradeInside(run({ onScenario: (_lesson, passed) => heard.push(passed) }), none);
    // No lessons/01-echo/server.ts in the copy: the scenario fails, and says so.
    expect(heard).toEqual([false]);
    expect(outcome).toMatchObject({ grades: [{ status: 'fail', scenarios: [{ name: 'echo', passed: false }] }] });
  });
});

describe('gradingLimitMs', () => {
  it('allows every step its whole timeout, spread over the scenarios run at once, and more for a slower Node', () => {
    const lessons = listLessons(COURSE);
    const one = gradingLimitMs(lessons, 1, DEFAULT_TIMING, 1);
    expect(gradingLimitMs(lessons, 2, DEFAULT_TIMING, 1)).toBeGreaterThan(one);
    expect(gradingLimitMs(lessons, 1, DEFAULT_TIMING, 4)).toBeLessThan(one);
    // Five scenarios of 6 to 11 steps: at least 2 s a step, 20 s to start and 5 s to stop each, and a minute's slack.
    expect(one).toBeGreaterThan(5 * (20_000 + 5_000) + 60_000);
  });
});
