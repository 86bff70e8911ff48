// JUnit XML, for CI systems that show test results.
import type { ClassGrade } from '../grade/grades.ts';
import { escapeMarkup } from '../kernel/text.ts';

// XML 1.0 cannot hold these at all, escaped or not: most controls, U+FFFE, U+FFFF and lone surrogates.
const xml = (text: string): string =>
  escapeMarkup(text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '?'));
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
      // A missing lesson fails each of its scenarios, so every report counts the same tests.
      if (grade.status === 'missing') {
        const message = `The learner's copy has no lessons/${grade.lesson.slug}/ folder.`;
        for (const scenario of grade.names)
          cases.push(
            `    <testcase classname="${xml(name)}" name="${xml(scenario)}" time="0"><failure message="${xml(message)}" type="missing"/></testcase>`,
          );
      }
      for (const s of grade.scenarios) {
        const open = `    <testcase classname="${xml(name)}" name="${xml(s.name)}" time="${secs(s.durationMs)}"`;
        if (s.passed) {
          cases.push(`${open}/>`);
          continue;
        }
        const type = learner.notGraded ? 'not-graded' : s.flaky ? 'flaky' : s.denied ? 'denied' : 'mismatch';
        const body = `expected (the transcript):\n${s.expected}\n\nactual (what happened):\n${s.actual}`;
        cases.push(
          `${open}><failure message="${xml(s.reason ?? 'failed')}" type="${type}">${xml(body)}</failure></testcase>`,
        );
      }
      const failed = grade.status === 'missing' ? grade.names.length : grade.scenarios.filter((s) => !s.passed).length;
      tests += cases.length;
      failures += failed;
      suites.push(
        `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0" time="${secs(grade.durationMs)}">\n${cases.join('\n')}\n  </testsuite>`,
      );
    }
  }
  const confinement = grades.confinement;
  // Without a sandbox, the report says so first; a comment holds no `--`.
  const top =
    confinement && !confinement.bubblewrap
      ? [
          `<!-- ${xml([confinement.headline, 'Missing:', ...confinement.missing].join(' ')).replace(/-(?=-)/g, '- ')} -->`,
        ]
      : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    ...top,
    `<testsuites name="workbook" tests="${tests}" failures="${failures}" time="${secs(grades.durationMs)}">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}
