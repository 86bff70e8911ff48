// A graded class built in memory, for the report writers' unit tests: one learner passes, one fails, one is flaky.
import type { ClassGrade, LearnerGrade, LessonGrade, ScenarioGrade } from '../../scripts/grade/grades.ts';
import type { Lesson } from '../../scripts/course/lessons.ts';

export const ECHO: Lesson = {
  number: 1,
  slug: '01-echo',
  dir: '/w/lessons/01-echo',
  solutionDir: '/w/solutions/01-echo',
};
export const SHOUT: Lesson = {
  number: 2,
  slug: '02-shout',
  dir: '/w/lessons/02-shout',
  solutionDir: '/w/solutions/02-shout',
};

export function scenario(name: string, overrides: Partial<ScenarioGrade> = {}): ScenarioGrade {
  const passed = overrides.passed ?? true;
  return {
    name,
    program: 'server.ts',
    passed,
    runs: [passed],
    flaky: false,
    durationMs: 500,
    reason: null,
    denied: null,
    expected: '$ server\nA: connect',
    actual: '$ server\nA: connect',
    ...overrides,
  };
}

export function lessonGrade(
  lesson: Lesson,
  scenarios: ScenarioGrade[],
  names = scenarios.map((s) => s.name),
): LessonGrade {
  const status = scenarios.length === 0 ? 'missing' : scenarios.every((s) => s.passed) ? 'pass' : 'fail';
  return { lesson, status, scenarios, total: names.length, names, durationMs: scenarios.length === 0 ? 0 : 1200 };
}

export const ann: LearnerGrade = {
  name: 'ann',
  dir: '/class/ann',
  notes: [],
  lessons: [lessonGrade(ECHO, [scenario('echo'), scenario('close')]), lessonGrade(SHOUT, [scenario('shout')])],
};

export const WAITED = 'Line 4, `A: recv "Hi\\n"`: Waited 2.0 s for 3 bytes at client A, but nothing arrived.';

export const bob: LearnerGrade = {
  name: 'bob',
  dir: '/class/bob',
  notes: ['extra files in lessons/01-echo/: notes.txt'],
  lessons: [
    lessonGrade(ECHO, [
      scenario('echo', {
        passed: false,
        runs: [false],
        reason: WAITED,
        actual: '$ server\nA: connect\nA: recv "HI\\n"',
      }),
      scenario('close'),
    ]),
    lessonGrade(SHOUT, [], ['shout']),
  ],
};

export const DENIED = 'The program tried to write a file, which grading does not allow (ERR_ACCESS_DENIED).';
/** Characters XML cannot hold, and ones it must escape. */
export const AWKWARD = 'Expected `<b> & "q"`, but it printed \u0001 and \uFFFF.';

export const cat: LearnerGrade = {
  name: 'cat',
  dir: '/class/cat',
  notes: [],
  lessons: [
    lessonGrade(ECHO, [
      scenario('echo', { passed: false, runs: [true, false], flaky: true, reason: WAITED }),
      scenario('close', { passed: false, runs: [false, false], reason: DENIED, denied: 'write' }),
    ]),
    lessonGrade(SHOUT, [scenario('shout', { passed: false, runs: [false], reason: AWKWARD })]),
  ],
};

export function classGrade(learners: LearnerGrade[] = [ann, bob, cat], sandbox = false): ClassGrade {
  return {
    lessons: [ECHO, SHOUT],
    learners,
    repeat: 2,
    sandbox,
    isolation: sandbox ? 'Each learner ran as a user of their own.' : '',
    durationMs: 5400,
  };
}
