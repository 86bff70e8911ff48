// The JSON report (its schema is in README.md, "Grading a class").
import { MEMORY_CAP_MB } from '../run/program.ts';
import { RESOURCE_LIMITS } from '../run/launch.ts';
import { learnerNotes, passedCount, stagesPassed, type ClassGrade } from '../grade/grades.ts';

/** Bump when a field of the JSON report changes meaning or goes away; new fields may be added within a version. */
export const JSON_VERSION = 1;

export function toJson(grades: ClassGrade): object {
  return {
    version: JSON_VERSION,
    // First, as every report's top says it: what confined the grading, and what it lacked.
    sandbox: grades.sandbox,
    bubblewrap: grades.confinement?.bubblewrap ?? false,
    confinement: grades.confinement?.headline ?? null,
    missing: grades.confinement?.missing ?? [],
    repeat: grades.repeat,
    memoryCapMb: MEMORY_CAP_MB,
    limits: RESOURCE_LIMITS,
    isolation: grades.isolation,
    durationMs: grades.durationMs,
    internalError: grades.internalError ?? null,
    lessons: grades.lessons.map((lesson) => ({ number: lesson.number, slug: lesson.slug })),
    learners: grades.learners.map((learner) => ({
      name: learner.name,
      dir: learner.dir,
      notGraded: learner.notGraded ?? null,
      stagesPassed: stagesPassed(learner),
      stagesTotal: grades.lessons.length,
      lessons: learner.lessons.map((grade) => ({
        slug: grade.lesson.slug,
        status: grade.status,
        passed: passedCount(grade),
        total: grade.total,
        durationMs: grade.durationMs,
        scenarios: grade.scenarios.map((s) => ({
          name: s.name,
          program: s.program,
          passed: s.passed,
          flaky: s.flaky,
          runs: s.runs,
          durationMs: s.durationMs,
          reason: s.reason,
          denied: s.denied,
        })),
      })),
      notes: learnerNotes(learner),
    })),
    totals: {
      learners: grades.learners.length,
      passingByLesson: Object.fromEntries(
        grades.lessons.map((lesson, i) => [
          lesson.slug,
          grades.learners.filter((l) => l.lessons[i].status === 'pass').length,
        ]),
      ),
    },
  };
}

/** Characters JSON may hold as they are but a terminal would act on (`cat grades.json`): written as escapes instead. */
const ACTIVE = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The JSON report as text: the same data, every control character escaped (JSON.stringify leaves C1 and DEL). */
export function toJsonText(grades: ClassGrade): string {
  return JSON.stringify(toJson(grades), null, 2).replace(
    ACTIVE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
