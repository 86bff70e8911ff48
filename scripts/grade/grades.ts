// What `npm run check` prints when it grades: a class table, JSON, JUnit XML, or GitHub Classroom's autograding result.
import type { Lesson } from '../course/lessons.ts';
import { MEMORY_CAP_MB } from '../run/program.ts';
import { compileError, explainFailure, table, wrap, type Palette } from '../terminal/report.ts';
import type { ScenarioResult } from '../run/scenario.ts';

/** Bump when a field of the JSON report changes meaning or goes away; new fields may be added within a version. */
export const JSON_VERSION = 1;

export interface ScenarioGrade {
  name: string;
  program: string;
  passed: boolean;
  /** Every run's verdict, in order: more than one with --repeat. */
  runs: boolean[];
  /** Not the same verdict every time. */
  flaky: boolean;
  durationMs: number;
  /** One sentence about why it failed (its first failing run), or null. */
  reason: string | null;
  /** What the permission model stopped, if that is why it failed. */
  denied: Denied | null;
  /** The expected transcript and what happened, for the first failing run. */
  expected: string;
  actual: string;
}

export interface LessonGrade {
  lesson: Lesson;
  status: 'pass' | 'fail' | 'missing';
  scenarios: ScenarioGrade[];
  total: number;
  durationMs: number;
}

export interface LearnerGrade {
  name: string;
  dir: string;
  lessons: LessonGrade[];
  notes: string[];
}

export interface ClassGrade {
  lessons: Lesson[];
  learners: LearnerGrade[];
  repeat: number;
  sandbox: boolean;
  durationMs: number;
}

export type Denied = 'write' | 'process' | 'worker' | 'other';

const DENIED_SENTENCES: Record<Denied, string> = {
  write: 'The program tried to write a file, which grading does not allow',
  process: 'The program tried to start another process, which grading does not allow',
  worker: 'The program tried to start a worker thread, which grading does not allow',
  other: 'The program used something grading does not allow',
};

/** Which permission the model denied, read from the program's stderr (Node prints the stack of ERR_ACCESS_DENIED). */
export function deniedBy(stderr: string[] | undefined): Denied | null {
  const text = (stderr ?? []).join('\n');
  if (!/ERR_ACCESS_DENIED|Access to this API has been restricted/.test(text)) return null;
  if (/FileSystemWrite|node:fs|fs\/promises|writeFile|appendFile|mkdir|createWriteStream/.test(text)) return 'write';
  if (/ChildProcess|child_process|spawn|execSync|execFile|fork/.test(text)) return 'process';
  if (/WorkerThreads|node:internal\/worker/.test(text)) return 'worker';
  return 'other';
}

/** The heap ran out: V8 says so on stderr before it aborts. */
function outOfMemory(stderr: string[] | undefined): boolean {
  return (stderr ?? []).some((line) => /heap out of memory|Reached heap limit/.test(line));
}

/** One sentence: why the scenario failed. */
export function reasonFor(result: ScenarioResult, cwd: string): { reason: string; denied: Denied | null } {
  const failure = result.failure!;
  const denied = deniedBy(failure.stderr);
  if (denied) return { reason: `${DENIED_SENTENCES[denied]} (ERR_ACCESS_DENIED).`, denied };
  if (outOfMemory(failure.stderr)) return { reason: `The program used more than its ${MEMORY_CAP_MB} MB of memory, so it was stopped.`, denied: null };
  if (compileError(failure.stderr, cwd)) return { reason: explainFailure(failure, cwd).split('\n')[0], denied: null };
  return { reason: explainFailure(failure, cwd, true).split('\n')[0], denied: null };
}

/** Several runs of one scenario as one grade: it passes only if every run passed. */
export function gradeScenario(runs: ScenarioResult[], cwd: string): ScenarioGrade {
  const verdicts = runs.map((run) => run.passed);
  const failing = runs.find((run) => !run.passed);
  const why = failing ? reasonFor(failing, cwd) : null;
  const shown = failing ?? runs[0];
  return {
    name: runs[0].name,
    program: runs[0].program,
    passed: verdicts.every(Boolean),
    runs: verdicts,
    flaky: verdicts.some(Boolean) && verdicts.some((v) => !v),
    durationMs: Math.max(...runs.map((run) => run.durationMs)),
    reason: why?.reason ?? null,
    denied: why?.denied ?? null,
    expected: shown.expected,
    actual: shown.actual,
  };
}

const passedCount = (grade: LessonGrade): number => grade.scenarios.filter((s) => s.passed).length;
export const stagesPassed = (learner: LearnerGrade): number => learner.lessons.filter((l) => l.status === 'pass').length;
const short = (lesson: Lesson): string => String(lesson.number).padStart(2, '0');

/** Notes per learner: missing lessons, extra files, denied access, flaky scenarios. */
export function learnerNotes(learner: LearnerGrade): string[] {
  const notes = [...learner.notes];
  const missing = learner.lessons.filter((l) => l.status === 'missing').map((l) => short(l.lesson));
  if (missing.length > 0) notes.push(`missing lesson${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
  for (const grade of learner.lessons) {
    for (const scenario of grade.scenarios) {
      if (scenario.denied) notes.push(`${grade.lesson.slug} ${scenario.name}: ${scenario.reason}`);
      if (scenario.flaky) notes.push(`${grade.lesson.slug} ${scenario.name}: flaky, ${scenario.runs.map((r) => (r ? 'pass' : 'fail')).join(' ')}`);
    }
  }
  return notes;
}

/** One row per learner, one short column per lesson, totals on both edges; notes under it. */
export function formatClassTable(grades: ClassGrade, colours: Palette): string {
  const cell = (grade: LessonGrade): string => {
    if (grade.status === 'missing') return '-';
    const text = `${passedCount(grade)}/${grade.total}`;
    const flaky = grade.scenarios.some((s) => s.flaky) ? '~' : '';
    return (grade.status === 'pass' ? colours.green(text) : colours.red(text)) + flaky;
  };
  const rows = grades.learners.map((learner) => [learner.name, ...learner.lessons.map(cell), `${stagesPassed(learner)}/${grades.lessons.length}`]);
  const passing = grades.lessons.map((_, index) => String(grades.learners.filter((l) => l.lessons[index].status === 'pass').length));
  rows.push(['passing', ...passing, '']);
  const out = [table(['learner', ...grades.lessons.map(short), 'stages'], rows)];
  out.push('');
  out.push('Cells: scenarios passed/total; - a missing lesson; ~ a flaky scenario.');
  out.push('stages: stages a learner passes; passing: learners whose stage passes.');
  const noted = grades.learners.map((learner) => [learner.name, learnerNotes(learner)] as const).filter(([, notes]) => notes.length > 0);
  if (noted.length > 0) {
    out.push('');
    for (const [name, notes] of noted) {
      out.push(colours.yellow(`${name}:`));
      for (const note of notes) out.push(wrap(`- ${note}`, 80, '  ', '    '));
    }
  }
  return out.join('\n');
}

/** The JSON report (schema in README.md, "Grading a class"). */
export function toJson(grades: ClassGrade): object {
  return {
    version: JSON_VERSION,
    repeat: grades.repeat,
    sandbox: grades.sandbox,
    memoryCapMb: MEMORY_CAP_MB,
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
      passingByLesson: Object.fromEntries(grades.lessons.map((lesson, i) => [lesson.slug, grades.learners.filter((l) => l.lessons[i].status === 'pass').length])),
    },
  };
}

const xml = (text: string): string =>
  text
    // XML 1.0 cannot hold most control characters at all, escaped or not.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const secs = (ms: number): string => (ms / 1000).toFixed(3);

/** JUnit XML: one testsuite per learner and lesson, one testcase per scenario; a missing lesson is one failing case. */
export function toJunit(grades: ClassGrade): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const learner of grades.learners) {
    for (const grade of learner.lessons) {
      const name = `${learner.name}/${grade.lesson.slug}`;
      const cases: string[] = [];
      if (grade.status === 'missing') {
        const message = `The learner's copy has no lessons/${grade.lesson.slug}/ folder.`;
        cases.push(`    <testcase classname="${xml(name)}" name="lesson" time="0"><failure message="${xml(message)}" type="missing"/></testcase>`);
      }
      for (const s of grade.scenarios) {
        const open = `    <testcase classname="${xml(name)}" name="${xml(s.name)}" time="${secs(s.durationMs)}"`;
        if (s.passed) {
          cases.push(`${open}/>`);
          continue;
        }
        const type = s.flaky ? 'flaky' : s.denied ? 'denied' : 'mismatch';
        const body = `expected (the transcript):\n${s.expected}\n\nactual (what happened):\n${s.actual}`;
        cases.push(`${open}><failure message="${xml(s.reason ?? 'failed')}" type="${type}">${xml(body)}</failure></testcase>`);
      }
      const failed = grade.status === 'missing' ? 1 : grade.scenarios.filter((s) => !s.passed).length;
      tests += cases.length;
      failures += failed;
      suites.push(
        `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0" time="${secs(grade.durationMs)}">\n${cases.join('\n')}\n  </testsuite>`,
      );
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="workbook" tests="${tests}" failures="${failures}" time="${secs(grades.durationMs)}">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}

/**
 * GitHub Classroom's autograding result (version 1), as education/autograding-grading-reporter reads it from a step's
 * `result` output, base64-encoded: one test per scenario, one point each.
 */
export function toClassroomResult(learner: LearnerGrade): object {
  const tests = learner.lessons.flatMap((grade) => {
    if (grade.status === 'missing') {
      return [{ name: `${grade.lesson.slug}`, status: 'fail', score: 0, message: `lessons/${grade.lesson.slug}/ is missing`, test_code: `npm run lesson ${grade.lesson.number}`, filename: '', line_no: 0, execution_time: '0s' }];
    }
    return grade.scenarios.map((s) => ({
      name: `${grade.lesson.slug} ${s.name}`,
      status: s.passed ? 'pass' : 'fail',
      score: s.passed ? 1 : 0,
      message: s.reason ?? '',
      test_code: `npm run lesson ${grade.lesson.number}`,
      filename: `lessons/${grade.lesson.slug}/${s.program}`,
      line_no: 0,
      execution_time: `${(s.durationMs / 1000).toFixed(1)}s`,
    }));
  });
  // A missing lesson is one failing entry, but it is worth all of its scenarios' points.
  const maxScore = learner.lessons.reduce((sum, grade) => sum + grade.total, 0);
  return { version: 1, status: tests.every((t) => t.status === 'pass') ? 'pass' : 'fail', max_score: maxScore, tests };
}
