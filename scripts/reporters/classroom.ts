// GitHub Classroom's autograding result.
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClassGrade, LearnerGrade } from '../grade/grades.ts';
import { seconds } from '../kernel/text.ts';

/**
 * The most bytes of the base64 `result`: the reporter action gets it in an environment variable, and Linux refuses
 * one over 128 KiB ("Argument list too long"), so messages are shortened until the result fits in 64 KiB.
 */
export const MAX_RESULT_BYTES = 64 * 1024;

interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail';
  score: number;
  message: string;
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: string;
}

function testsOf(learner: LearnerGrade): ClassroomTest[] {
  return learner.lessons.flatMap((grade) => {
    const test_code = `npm run lesson ${grade.lesson.number}`;
    // A missing lesson fails each of its scenarios: one point each, as the console counts them.
    if (grade.status === 'missing')
      return grade.names.map((name) => ({
        name: `${grade.lesson.slug} ${name}`,
        status: 'fail' as const,
        score: 0,
        message: `lessons/${grade.lesson.slug}/ is missing`,
        test_code,
        filename: '',
        line_no: 0,
        execution_time: '0s',
      }));
    return grade.scenarios.map((s) => ({
      name: `${grade.lesson.slug} ${s.name}`,
      status: s.passed ? ('pass' as const) : ('fail' as const),
      score: s.passed ? 1 : 0,
      message: s.reason ?? '',
      test_code,
      filename: `lessons/${grade.lesson.slug}/${s.program}`,
      line_no: 0,
      // Classroom's own form of a duration, `1.5s`: the report's, without the space.
      execution_time: seconds(s.durationMs).replace(' ', ''),
    }));
  });
}

const encode = (result: object): string => Buffer.from(JSON.stringify(result)).toString('base64');

/**
 * GitHub Classroom's autograding result (version 1), as education/autograding-grading-reporter reads it from a step's
 * `result` output, base64-encoded: one test per scenario, one point each, within MAX_RESULT_BYTES.
 */
export function toClassroomResult(learner: LearnerGrade): object {
  const tests = testsOf(learner);
  const maxScore = tests.length;
  const status = tests.every((t) => t.status === 'pass') ? 'pass' : 'fail';
  for (const length of [Infinity, 200, 80, 0]) {
    const shortened = tests.map((t) => ({
      ...t,
      message: t.message.length > length ? `${t.message.slice(0, length)}…` : t.message,
    }));
    const result = { version: 1, status, max_score: maxScore, tests: shortened };
    if (encode(result).length <= MAX_RESULT_BYTES || length === 0) return result;
  }
  throw new Error('unreachable: the last length always returns');
}

/** GitHub Classroom reads a step output named `result`: written to $GITHUB_OUTPUT on a runner, printed elsewhere. */
export function reportToClassroom(grades: ClassGrade, output?: string): void {
  const [learner] = grades.learners;
  const result = toClassroomResult(learner) as { tests: ClassroomTest[]; max_score: number };
  const confinement = grades.confinement;
  if (confinement && !confinement.bubblewrap)
    console.log(
      `! ${confinement.headline}\n${confinement.missing.map((missing) => `  - missing: ${missing}`).join('\n')}\n`,
    );
  // Each failing test's one-line reason, so the job's log says why without decoding the result.
  for (const test of result.tests)
    console.log(`${test.status === 'pass' ? '✓' : '✗'} ${test.name}${test.message ? `: ${test.message}` : ''}`);
  const score = result.tests.filter((t) => t.status === 'pass').length;
  console.log(`\nPoints ${score}/${result.max_score}`);
  if (output !== undefined) writeFileSync(resolve(output), `${JSON.stringify(result, null, 2)}\n`);
  const line = `result=${encode(result)}`;
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${line}\n`);
  else if (output === undefined) console.log(line);
}
