// npm run check -- --solutions: the workbook proves itself, stage by stage, before a learner relies on it.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXIT } from '../cli/errors.ts';
import { lessonProblems } from '../course/files.ts';
import type { Lesson } from '../course/lessons.ts';
import type { Palette } from '../terminal/colours.ts';
import { formatScenario } from '../terminal/report.ts';
import { seconds, table } from '../terminal/text.ts';
import {
  CONCURRENCY,
  DEFAULT_TIMING,
  loadScenarios,
  programsOf,
  runStages,
  type StageRequest,
  type StageResult,
} from './stage.ts';

type Role = 'solution' | 'starter' | 'previous';

export async function proveWorkbook(
  root: string,
  lessons: Lesson[],
  timing: typeof DEFAULT_TIMING,
  colours: Palette,
): Promise<number> {
  const started = Date.now();
  const problems = lessons.flatMap((lesson) => lessonProblems(lesson, root));
  const requests: (StageRequest & { role: Role })[] = lessons.flatMap((lesson, index) => {
    const own = { lesson, courseRoot: root, cwd: root };
    const stage: (StageRequest & { role: Role })[] = [
      { ...own, role: 'solution', programDir: lesson.solutionDir },
      { ...own, role: 'starter', programDir: lesson.dir, failFast: true },
    ];
    // The nearest earlier solution that has every program this stage runs: a new program (a client) has none.
    const programs = programsOf(loadScenarios(lesson));
    const previous = lessons
      .slice(0, index)
      .reverse()
      .find((earlier) => programs.every((name) => existsSync(join(earlier.solutionDir, name))));
    if (previous) stage.push({ ...own, role: 'previous', programDir: previous.solutionDir, failFast: true });
    return stage;
  });
  const results = (await runStages(requests, timing)) as (StageResult & { role: Role })[];
  const find = (lesson: Lesson, role: Role) => results.find((r) => r.lesson === lesson && r.role === role);
  const verdict = (result: StageResult | undefined, shouldPass: boolean): string => {
    if (!result) return 'n/a';
    const ok = result.passed === shouldPass;
    const label = shouldPass
      ? `${result.scenarios.filter((s) => s.passed).length}/${result.total}`
      : result.passed
        ? 'passes'
        : 'fails';
    return `${label} ${ok ? colours.green('✓') : colours.red('✗')}`;
  };
  const rows = lessons.map((lesson) => [
    lesson.slug,
    verdict(find(lesson, 'solution'), true),
    verdict(find(lesson, 'starter'), false),
    verdict(find(lesson, 'previous'), false),
    seconds(find(lesson, 'solution')!.durationMs),
  ]);
  console.log(table(['lesson', 'solution', 'starter', 'previous', 'time'], rows));

  for (const result of results) {
    const where = result.programs.map((name) => relative(root, join(result.programDir, name))).join(', ');
    if (result.role === 'solution' && !result.passed) {
      problems.push(`${where} fails its own stage ${result.lesson.number}:`);
      for (const scenario of result.scenarios.filter((s) => !s.passed))
        problems.push(formatScenario(scenario, colours, root));
    } else if (result.role === 'starter' && result.passed) {
      problems.push(`${where} passes its own stage: a starter must leave the lesson's work undone`);
    } else if (result.role === 'previous' && result.passed) {
      problems.push(
        `${where} passes stage ${result.lesson.number}: the stage must require something the previous lesson did not`,
      );
    }
  }
  const scenarioRuns = results.reduce((sum, r) => sum + r.scenarios.length, 0);
  console.log('');
  if (problems.length > 0) {
    for (const problem of problems) console.log(`${colours.red('✗')} ${problem}`);
    console.log(
      `\n${problems.length} problems found (${scenarioRuns} scenario runs, ${seconds(Date.now() - started)}). Fix them, then run npm run check -- --solutions again.`,
    );
    return EXIT.fail;
  }
  console.log(
    colours.green('The workbook holds: ') +
      `every solution passes its stage, every starter and every previous solution fails it, every starter has a TODO, every lesson hints, every README block matches its file (${scenarioRuns} scenario runs, ${seconds(Date.now() - started)}, ${CONCURRENCY} at a time).`,
  );
  return EXIT.pass;
}
