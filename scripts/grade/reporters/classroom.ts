// GitHub Classroom's autograding result.
import { appendFileSync } from 'node:fs';
import type { ClassGrade, LearnerGrade } from '../grades.ts';

/**
 * GitHub Classroom's autograding result (version 1), as education/autograding-grading-reporter reads it from a step's
 * `result` output, base64-encoded: one test per scenario, one point each.
 */
export function toClassroomResult(learner: LearnerGrade): object {
  const tests = learner.lessons.flatMap((grade) => {
    if (grade.status === 'missing') {
      return [
        {
          name: `${grade.lesson.slug}`,
          status: 'fail',
          score: 0,
          message: `lessons/${grade.lesson.slug}/ is missing`,
          test_code: `npm run lesson ${grade.lesson.number}`,
          filename: '',
          line_no: 0,
          execution_time: '0s',
        },
      ];
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

/** GitHub Classroom reads a step output named `result`: written to $GITHUB_OUTPUT on a runner, printed elsewhere. */
export function reportToClassroom(grades: ClassGrade): void {
  const [learner] = grades.learners;
  const result = toClassroomResult(learner) as {
    tests: { name: string; status: string; message: string }[];
    max_score: number;
  };
  for (const test of result.tests)
    console.log(`${test.status === 'pass' ? '✓' : '✗'} ${test.name}${test.message ? `: ${test.message}` : ''}`);
  const score = result.tests.filter((t) => t.status === 'pass').length;
  console.log(`\nPoints ${score}/${result.max_score}`);
  const line = `result=${Buffer.from(JSON.stringify(result)).toString('base64')}`;
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${line}\n`);
  else console.log(line);
}
