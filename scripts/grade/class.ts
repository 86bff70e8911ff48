// Grading many learners at once: every scenario of every learner through one pool, then a grade per learner.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { cheatNotes } from './cheats.ts';
import { gradeScenario, type ClassGrade, type LearnerGrade, type LessonGrade, type ScenarioGrade } from './grades.ts';
import { planIsolation, prepareLearner, type Prepared } from './isolation.ts';
import { extraFiles, refusedLessons, type Learner } from './learners.ts';
import {
  loadScenarios,
  runStages,
  type StageHooks,
  type StageRequest,
  type StageResult,
  type TimingOptions,
} from './stage.ts';

export interface ClassOptions {
  repeat: number;
  /** Grade learners one after another: where they cannot run as users of their own, none runs beside another. */
  oneAtATime?: boolean;
  /** Told as each scenario finishes (results as they happen). */
  hooks?: StageHooks;
}

type LearnerRequest = StageRequest & { learner: Learner };

/** Every scenario of every learner, K times each, through one pool: every core stays busy until the last. */
export async function gradeClass(
  learners: Learner[],
  lessons: Lesson[],
  root: string,
  timing: TimingOptions,
  options: ClassOptions,
): Promise<ClassGrade> {
  const started = Date.now();
  const isolation = planIsolation(options.oneAtATime === true);
  const refused = new Map(learners.map((learner) => [learner, refusedLessons(learner, lessons)]));
  const prepared = new Map<Learner, Prepared>();
  const requestsOf = (learner: Learner, index: number): LearnerRequest[] => {
    const own = timing.sandbox ? prepareLearner(learner, index, isolation) : undefined;
    if (own) prepared.set(learner, own);
    const dir = own?.dir ?? learner.dir;
    return lessons
      .filter(
        (lesson) => existsSync(join(learner.dir, 'lessons', lesson.slug)) && !refused.get(learner)!.has(lesson.slug),
      )
      .flatMap((lesson) =>
        Array.from({ length: options.repeat }, () => ({
          learner,
          lesson,
          programDir: join(dir, 'lessons', lesson.slug),
          courseRoot: root,
          cwd: dir,
          sandbox: own?.sandbox,
        })),
      );
  };
  const results: (StageResult & { learner: Learner })[] = [];
  try {
    if (options.oneAtATime) {
      for (const [index, learner] of learners.entries())
        results.push(...((await runStages(requestsOf(learner, index), timing, options.hooks)) as typeof results));
    } else {
      results.push(...((await runStages(learners.flatMap(requestsOf), timing, options.hooks)) as typeof results));
    }
  } finally {
    for (const own of prepared.values()) own.cleanUp();
  }
  const cheats = cheatNotes(learners, lessons, root);
  const graded = learners.map((learner): LearnerGrade => {
    const refusals = refused.get(learner)!;
    return {
      name: learner.name,
      dir: learner.dir,
      notes: [...extraFiles(learner, lessons), ...refusals.values(), ...cheats.get(learner.dir)!],
      lessons: lessons.map((lesson) => lessonGrade(learner, lesson, results, refusals.get(lesson.slug))),
    };
  });
  return {
    lessons,
    learners: graded,
    repeat: options.repeat,
    sandbox: timing.sandbox === true,
    isolation: timing.sandbox ? isolation.words : '',
    durationMs: Date.now() - started,
  };
}

function lessonGrade(
  learner: Learner,
  lesson: Lesson,
  results: (StageResult & { learner: Learner })[],
  refusal: string | undefined,
): LessonGrade {
  const names = loadScenarios(lesson).map((scenario) => scenario.file.replace(/^.*[\\/]/, '').replace(/\.txt$/, ''));
  const total = names.length;
  if (refusal) {
    const scenarios = names.map((name): ScenarioGrade => refusedScenario(name, refusal));
    return { lesson, status: 'fail', scenarios, total, names, durationMs: 0 };
  }
  const runs = results.filter((r) => r.learner === learner && r.lesson === lesson);
  if (runs.length === 0) return { lesson, status: 'missing', scenarios: [], total, names, durationMs: 0 };
  const scenarios = runs[0].scenarios.map((_, index) =>
    gradeScenario(
      runs.map((run) => run.scenarios[index]),
      runs[0].cwd,
    ),
  );
  const passed = scenarios.length === total && scenarios.every((s) => s.passed);
  return {
    lesson,
    status: passed ? 'pass' : 'fail',
    scenarios,
    total,
    names,
    durationMs: Math.max(...runs.map((run) => run.durationMs)),
  };
}

const refusedScenario = (name: string, reason: string): ScenarioGrade => ({
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
});
