// The JSON report (its schema is in README.md, "Grading a class").
import { MEMORY_CAP_MB } from '../run/program.ts';
import { RESOURCE_LIMITS } from '../run/launch.ts';
import { learnerNotes, passedCount, stagesPassed, type ClassGrade } from '../grade/grades.ts';

/** Bump when a field of the JSON report changes meaning or goes away; new fields may be added within a version. */
export const JSON_VERSION = 1;

export function toJson(grades: ClassGrade): object {
  return {
    version: JSON_VERSION,
    repeat: grades.repeat,
    sandbox: grades.sandbox,
    memoryCapMb: MEMORY_CAP_MB,
    limits: RESOURCE_LIMITS,
    isolation: grades.isolation,
    durationMs: grades.durationMs,
    lessons: grades.lessons.map((lesson) => ({ number: lesson.number, slug: lesson.slug })),
    learners: grades.learners.map((learner) => ({
      name: learner.name,
      dir: learner.dir,
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
