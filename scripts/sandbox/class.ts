// Grading a class of learners' copies: each learner's grading confined on its own, their grades and notes gathered.
import { join, sep } from 'node:path';
import type { Lesson } from '../course/lessons.ts';
import { mapPooled } from '../grade/pool.ts';
import { cheatNotes } from '../grade/cheats.ts';
import { hasLesson, learnerGrade, scenarioNames, type ScenarioDone, failedLesson } from '../grade/class.ts';
import { copyLearner } from '../grade/copy.ts';
import type { ClassGrade, Confinement, LessonGrade } from '../grade/grades.ts';
import { planIsolation, removeStaleCopies, type Isolation } from '../grade/isolation.ts';
import { extraFiles, refusedLessons, type Learner } from '../grade/learners.ts';
import { CONCURRENCY, type TimingOptions } from '../grade/stage.ts';
import { releaseLearnerIds, takeLearnerIds } from '../grade/uids.ts';
import { HAS_LIMITS } from '../run/launch.ts';
import { stageCourse, type StagedCourse } from './course.ts';
import { gradeInside, type Outcome } from './learner.ts';
import { gradingLimitMs } from './limits.ts';
import { planSandbox, type SandboxPlan } from './plan.ts';

export interface WorkOptions {
  repeat: number;
  /** Never two learners side by side (inside bubblewrap they are by default; without it, never). */
  oneAtATime: boolean;
  /** How long one learner's grading may take; none: worked out from the transcripts' own timeouts. */
  learnerTimeoutMs?: number;
  onScenario?: ScenarioDone;
}

/** What grading has and lacks: said at the top of every report. */
function confinement(plan: SandboxPlan, isolation: Isolation): Confinement {
  if (plan.kind === 'bubblewrap')
    return {
      bubblewrap: true,
      headline: `Each learner was graded in a sandbox of its own (bubblewrap ${plan.version}): its own network, processes and files, as a user of its own.`,
      missing: [],
    };
  const missing = [
    'a network of its own: a program could reach any server on this machine (so learners were graded one at a time)',
    'processes of its own, and a private temporary folder',
    "a view of the files limited by the system: only Node's permission model keeps a program to its own copy",
    'worker threads and child processes, which the permission model forbids: scenarios that need them fail',
  ];
  if (!isolation.perLearner) missing.push('a user of its own for each learner');
  if (!HAS_LIMITS) missing.push('limits on memory, files, processes and CPU (prlimit not found)');
  return {
    bubblewrap: false,
    headline: `Graded without an operating-system sandbox: ${plan.why}. Learners were graded one at a time, under Node's permission model.`,
    missing,
  };
}

/** How grading will be confined on this machine: decided once, before any learner is graded. */
export function planWork(): { plan: SandboxPlan; isolation: Isolation; confinement: Confinement } {
  let plan = planSandbox();
  const isolation = planIsolation(plan.kind === 'bubblewrap');
  // Inside a sandbox the programs must run as another user than the grader there, or they could forge its result.
  if (plan.kind === 'bubblewrap' && !isolation.perLearner) plan = { kind: 'none', why: isolation.words };
  return { plan, isolation, confinement: confinement(plan, isolation) };
}

/** Grades learners' copies as someone else's code: each in a sandbox where bubblewrap can make one, never in here. */
export async function gradeWork(
  learners: Learner[],
  lessons: Lesson[],
  root: string,
  timing: TimingOptions,
  options: WorkOptions,
): Promise<ClassGrade> {
  const started = Date.now();
  const { plan, isolation, confinement: confined } = planWork();
  const bwrap = plan.kind === 'bubblewrap';
  removeStaleCopies();
  const refused = new Map(learners.map((learner) => [learner, refusedLessons(learner, lessons)]));
  const toGrade = new Map(
    learners.map((learner) => [
      learner,
      lessons.filter((lesson) => hasLesson(learner, lesson) && !refused.get(learner)!.has(lesson.slug)),
    ]),
  );
  const atOnce = bwrap && !options.oneAtATime ? Math.min(learners.length, Math.max(1, Math.floor(CONCURRENCY / 2))) : 1;
  const concurrency = Math.max(1, Math.floor(CONCURRENCY / atOnce));
  let ids: number[] = [];
  let staged: StagedCourse | undefined;
  const copyNotes = new Map<Learner, string[]>();
  let internalError: string | undefined;
  const outcomes = new Map<Learner, Outcome>();
  try {
    ids = isolation.perLearner ? takeLearnerIds(learners.length) : [];
    staged = bwrap ? stageCourse(root, lessons) : undefined;
    await mapPooled([...learners.entries()], atOnce, async ([index, learner]) => {
      const own = toGrade.get(learner)!;
      const user = isolation.perLearner ? { uid: ids[index], gid: ids[index] } : undefined;
      const leaving = [...refused.get(learner)!.keys()].map((slug) => join(learner.dir, 'lessons', slug));
      let copy;
      try {
        copy = copyLearner(learner.dir, {
          owner: bwrap ? undefined : user,
          refused: (path) => leaving.some((folder) => path === folder || path.startsWith(`${folder}${sep}`)),
        });
        copyNotes.set(learner, copy.notes);
        if (own.length === 0) return;
        const asked = {
          lessons: new Map(own.map((lesson) => [lesson.slug, scenarioNames(lesson)])),
          repeat: options.repeat,
        };
        const limitMs = options.learnerTimeoutMs ?? gradingLimitMs(own, options.repeat, timing, concurrency);
        const run = {
          lessons: own,
          asked,
          root,
          copy: copy.dir,
          course: staged,
          user,
          concurrency,
          timing: {
            stepTimeoutMs: timing.stepTimeoutMs,
            startTimeoutMs: timing.startTimeoutMs,
            outputCap: timing.outputCap,
          },
          limitMs,
          onScenario: (lesson: Lesson, passed: boolean) => options.onScenario?.(learner, lesson, passed),
        };
        outcomes.set(learner, await gradeInside(run, plan));
      } catch (error) {
        outcomes.set(learner, {
          notGraded: `the grader failed while grading it: ${(error as Error).message}`,
          internal: true,
        });
      } finally {
        copy?.cleanUp();
      }
    });
  } catch (error) {
    // The grader's own failure before or between learners: the report still comes, everyone left not graded.
    internalError = `the grader failed: ${(error as Error).message}`;
  } finally {
    staged?.cleanUp();
    releaseLearnerIds(ids);
  }
  let cheats = new Map<string, string[]>();
  try {
    cheats = cheatNotes(learners, lessons, root);
  } catch (error) {
    internalError ??= `comparing the learners' files failed: ${(error as Error).message}`;
  }
  const graded = learners.map((learner) => {
    const own = toGrade.get(learner)!;
    const outcome: Outcome | undefined =
      outcomes.get(learner) ??
      (own.length > 0 && internalError ? { notGraded: internalError, internal: true } : undefined);
    let grades = new Map<Lesson, LessonGrade>();
    let notGraded: string | undefined;
    if (outcome && 'grades' in outcome) grades = new Map(own.map((lesson, i) => [lesson, outcome.grades[i]]));
    else if (outcome) {
      notGraded = outcome.notGraded;
      if (outcome.internal) internalError ??= `${learner.name}: ${outcome.notGraded}`;
      grades = new Map(own.map((lesson) => [lesson, failedLesson(lesson, `Not graded: ${outcome.notGraded}.`)]));
    }
    const notes = [
      ...(notGraded ? [`not graded: ${notGraded}`] : []),
      ...safely(() => extraFiles(learner, lessons)),
      ...(copyNotes.get(learner) ?? []),
      ...refused.get(learner)!.values(),
      ...(cheats.get(learner.dir) ?? []),
    ];
    return { ...learnerGrade(learner, lessons, grades, refused.get(learner)!, notes), notGraded };
  });
  return {
    lessons,
    learners: graded,
    repeat: options.repeat,
    sandbox: true,
    isolation: isolation.words,
    confinement: confined,
    learnersAtOnce: atOnce,
    internalError,
    durationMs: Date.now() - started,
  };
}

/** A note that could not be worked out is left out, never a crash: the grades matter more. */
function safely(notes: () => string[]): string[] {
  try {
    return notes();
  } catch {
    return [];
  }
}
