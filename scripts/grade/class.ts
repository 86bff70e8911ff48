// Grading many learners at once: every scenario of every learner through one pool, then a grade per learner.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { gradeScenario, type ClassGrade, type LearnerGrade, type LessonGrade } from './grades.ts';
import { extraFiles, type Learner } from './learners.ts';
import { loadScenarios, runStages, type StageHooks, type StageResult, type TimingOptions } from './stage.ts';

/** Every scenario of every learner, K times each, through one pool: every core stays busy until the last. */
export async function gradeClass(
  learners: Learner[],
  lessons: Lesson[],
  root: string,
  timing: TimingOptions,
  repeat: number,
  hooks: StageHooks = {},
): Promise<ClassGrade> {
  const started = Date.now();
  const requests = learners.flatMap((learner) =>
    lessons
      .filter((lesson) => existsSync(join(learner.dir, 'lessons', lesson.slug)))
      .flatMap((lesson) =>
        Array.from({ length: repeat }, () => ({
          learner,
          lesson,
          programDir: join(learner.dir, 'lessons', lesson.slug),
          courseRoot: root,
          cwd: learner.dir,
        })),
      ),
  );
  const results = (await runStages(requests, timing, hooks)) as (StageResult & { learner: Learner })[];
  const graded = learners.map((learner): LearnerGrade => ({
    name: learner.name,
    dir: learner.dir,
    notes: extraFiles(learner, lessons),
    lessons: lessons.map((lesson): LessonGrade => {
      const runs = results.filter((r) => r.learner === learner && r.lesson === lesson);
      const total = runs[0]?.total ?? loadScenarios(lesson).length;
      if (runs.length === 0) return { lesson, status: 'missing', scenarios: [], total, durationMs: 0 };
      const scenarios = runs[0].scenarios.map((_, index) =>
        gradeScenario(
          runs.map((run) => run.scenarios[index]),
          learner.dir,
        ),
      );
      const passed = scenarios.length === total && scenarios.every((s) => s.passed);
      return {
        lesson,
        status: passed ? 'pass' : 'fail',
        scenarios,
        total,
        durationMs: Math.max(...runs.map((run) => run.durationMs)),
      };
    }),
  }));
  return { lessons, learners: graded, repeat, sandbox: timing.sandbox === true, durationMs: Date.now() - started };
}
