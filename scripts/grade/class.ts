// Grading learners' lessons: every scenario through one pool, then a grade per lesson and per learner.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import type { Sandbox } from '../run/program.ts';
import { cheatNotes } from './cheats.ts';
import { gradeScenario, type ClassGrade, type LearnerGrade, type LessonGrade, type ScenarioGrade } from './grades.ts';
import { extraFiles, refusedLessons, type Learner } from './learners.ts';
import {
  loadScenarios,
  retryGradedWhenSlow,
  runStages,
  type StageRequest,
  type StageResult,
  type TimingOptions,
} from './stage.ts';

/** Told as each scenario run finishes: results as they happen. */
export type ScenarioDone = (learner: Learner, lesson: Lesson, passed: boolean) => void;

export interface LessonsJob {
  /** The lessons to grade, each present in the copy. */
  lessons: Lesson[];
  /** The folder holding `lessons/`: the learner's copy, or the workbook's own. */
  dir: string;
  root: string;
  repeat: number;
  /** Who the programs run as and what confines them; none: your own lessons, run as they are. */
  sandbox?: Sandbox;
  concurrency?: number;
  onScenario?: (lesson: Lesson, passed: boolean) => void;
}

/** Every scenario of the given lessons, K times each, through one pool; one grade per lesson, in order. */
export async function gradeLessons(job: LessonsJob, timing: TimingOptions): Promise<LessonGrade[]> {
  const requests: StageRequest[] = job.lessons.flatMap((lesson) =>
    Array.from({ length: job.repeat }, () => ({
      lesson,
      programDir: join(job.dir, 'lessons', lesson.slug),
      courseRoot: job.root,
      cwd: job.dir,
      sandbox: job.sandbox,
      // --repeat asks to see each run's own verdict, flaky ones included: none is run again to hide it.
      retry: job.repeat === 1 ? retryGradedWhenSlow() : undefined,
    })),
  );
  const results = await runStages(requests, timing, {
    concurrency: job.concurrency,
    onScenario: (request, result) => job.onScenario?.(request.lesson, result.passed),
  });
  return job.lessons.map((lesson) => lessonGrade(lesson, results));
}

/** The names of a lesson's scenarios, from its transcripts' file names. */
export const scenarioNames = (lesson: Lesson): string[] =>
  loadScenarios(lesson).map((scenario) => scenario.file.replace(/^.*[\\/]/, '').replace(/\.txt$/, ''));

function lessonGrade(lesson: Lesson, results: StageResult[]): LessonGrade {
  const names = scenarioNames(lesson);
  const runs = results.filter((r) => r.lesson === lesson);
  const scenarios = runs[0].scenarios.map((_, index) =>
    gradeScenario(
      runs.map((run) => run.scenarios[index]),
      runs[0].cwd,
    ),
  );
  const passed = scenarios.length === names.length && scenarios.every((s) => s.passed);
  return {
    lesson,
    status: passed ? 'pass' : 'fail',
    scenarios,
    total: names.length,
    names,
    durationMs: Math.max(...runs.map((run) => run.durationMs)),
  };
}

/** A lesson that was not run: every scenario fails with one reason (refused, or its learner not graded). */
export function failedLesson(lesson: Lesson, reason: string): LessonGrade {
  const names = scenarioNames(lesson);
  const scenarios = names.map((name): ScenarioGrade => ({
    name,
    program: 'server.ts',
    passed: false,
    runs: [false],
    flaky: false,
    durationMs: 0,
    reason,
    denied: null,
    expected: '',
    actual: '',
  }));
  return { lesson, status: 'fail', scenarios, total: names.length, names, durationMs: 0 };
}

const missingLesson = (lesson: Lesson): LessonGrade => {
  const names = scenarioNames(lesson);
  return { lesson, status: 'missing', scenarios: [], total: names.length, names, durationMs: 0 };
};

/** Whether a learner has the lesson at all. */
export const hasLesson = (learner: Learner, lesson: Lesson): boolean =>
  existsSync(join(learner.dir, 'lessons', lesson.slug));

/** A learner's grade: the graded lessons as given, refused ones failed, absent ones missing, with the notes given. */
export function learnerGrade(
  learner: Learner,
  lessons: Lesson[],
  graded: Map<Lesson, LessonGrade>,
  refused: Map<string, string>,
  notes: string[],
): LearnerGrade {
  return {
    name: learner.name,
    dir: learner.dir,
    notes,
    lessons: lessons.map((lesson) => {
      const refusal = refused.get(lesson.slug);
      if (refusal) return failedLesson(lesson, refusal);
      return graded.get(lesson) ?? missingLesson(lesson);
    }),
  };
}

/** Your own lessons (npm run check without --work): run as they are, in this process. */
export async function gradeOwnWork(
  learner: Learner,
  lessons: Lesson[],
  root: string,
  timing: TimingOptions,
  options: { repeat: number; onScenario?: ScenarioDone },
): Promise<ClassGrade> {
  const started = Date.now();
  const refused = refusedLessons(learner, lessons);
  const present = lessons.filter((lesson) => hasLesson(learner, lesson) && !refused.has(lesson.slug));
  const grades = await gradeLessons(
    {
      lessons: present,
      dir: learner.dir,
      root,
      repeat: options.repeat,
      onScenario: (lesson, passed) => options.onScenario?.(learner, lesson, passed),
    },
    timing,
  );
  const graded = new Map(present.map((lesson, index) => [lesson, grades[index]]));
  const notes = [
    ...extraFiles(learner, lessons),
    ...refused.values(),
    ...cheatNotes([learner], lessons, root).get(learner.dir)!,
  ];
  return {
    lessons,
    learners: [learnerGrade(learner, lessons, graded, refused, notes)],
    repeat: options.repeat,
    sandbox: false,
    isolation: '',
    durationMs: Date.now() - started,
  };
}
