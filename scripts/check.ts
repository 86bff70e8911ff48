// npm run check: every stage at once. --solutions proves the workbook itself; --work DIR checks a learner's copy.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseCommandLine, parseTimeout, stopProgramsOnInterrupt } from './runner/cli.ts';
import { listLessons, WORKBOOK_ROOT, type Lesson } from './runner/course.ts';
import { EXIT, runMain, WorkbookError } from './runner/errors.ts';
import { CORES } from './runner/pool.ts';
import { formatScenario, palette, table, type Palette } from './runner/report.ts';
import { DEFAULT_TIMING, loadScenarios, programsOf, runStages, type StageRequest, type StageResult } from './runner/stage.ts';
import { lessonProblems } from './runner/workbook.ts';

const USAGE = 'npm run check [-- --solutions | --work DIR] [--timeout MS]';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      solutions: { type: 'boolean', default: false },
      work: { type: 'string' },
      timeout: { type: 'string' },
      root: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new WorkbookError(`unexpected argument '${positionals[0]}'\nusage: ${USAGE}`);
  if (values.solutions && values.work) throw new WorkbookError('--solutions checks the reference, --work checks a learner: choose one');
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const lessons = listLessons(root);
  const timing = { ...DEFAULT_TIMING, stepTimeoutMs: parseTimeout(values.timeout, DEFAULT_TIMING.stepTimeoutMs) };
  stopProgramsOnInterrupt();
  const colours = palette();
  if (values.solutions) return proveWorkbook(root, lessons, timing, colours);
  const work = values.work === undefined ? root : resolve(values.work);
  if (!existsSync(join(work, 'lessons'))) throw new WorkbookError(`${work} has no lessons/ folder: --work takes a learner's copy of the workbook`);
  return checkWork(work, lessons, timing, colours);
}

async function checkWork(work: string, lessons: Lesson[], timing: typeof DEFAULT_TIMING, colours: Palette): Promise<number> {
  const present = lessons.filter((lesson) => existsSync(join(work, 'lessons', lesson.slug)));
  const requests: StageRequest[] = present.map((lesson) => ({ lesson, programDir: join(work, 'lessons', lesson.slug), courseRoot: WORKBOOK_ROOT, cwd: work }));
  const started = Date.now();
  const results = await runStages(requests, timing);
  const rows = lessons.map((lesson) => {
    const result = results.find((r) => r.lesson === lesson);
    if (!result) return [lesson.slug, 'missing', '', ''];
    const passed = result.scenarios.filter((s) => s.passed).length;
    return [lesson.slug, `${passed}/${result.total}`, result.passed ? colours.green('pass') : colours.red('fail'), seconds(result.durationMs)];
  });
  console.log(table(['lesson', 'scenarios', 'stage', 'time'], rows));
  const passedStages = results.filter((r) => r.passed).length;
  console.log(`\n${passedStages} of ${lessons.length} stages pass (${seconds(Date.now() - started)}, ${CORES} at a time). Run npm run lesson N for the details of one.`);
  return passedStages === lessons.length ? EXIT.pass : EXIT.fail;
}

type Role = 'solution' | 'starter' | 'previous';

async function proveWorkbook(root: string, lessons: Lesson[], timing: typeof DEFAULT_TIMING, colours: Palette): Promise<number> {
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
    const label = shouldPass ? `${result.scenarios.filter((s) => s.passed).length}/${result.total}` : result.passed ? 'passes' : 'fails';
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
      for (const scenario of result.scenarios.filter((s) => !s.passed)) problems.push(formatScenario(scenario, colours, root));
    } else if (result.role === 'starter' && result.passed) {
      problems.push(`${where} passes its own stage: a starter must leave the lesson's work undone`);
    } else if (result.role === 'previous' && result.passed) {
      problems.push(`${where} passes stage ${result.lesson.number}: the stage must require something the previous lesson did not`);
    }
  }
  const scenarioRuns = results.reduce((sum, r) => sum + r.scenarios.length, 0);
  console.log('');
  if (problems.length > 0) {
    for (const problem of problems) console.log(`${colours.red('✗')} ${problem}`);
    console.log(`\n${problems.length} problems found (${scenarioRuns} scenario runs, ${seconds(Date.now() - started)}). Fix them, then run npm run check -- --solutions again.`);
    return EXIT.fail;
  }
  console.log(
    colours.green('The workbook holds: ') +
      `every solution passes its stage, every starter and every previous solution fails it, every starter has a TODO, every lesson hints, every README block matches its file (${scenarioRuns} scenario runs, ${seconds(Date.now() - started)}, ${CORES} at a time).`,
  );
  return EXIT.pass;
}

runMain(main);
