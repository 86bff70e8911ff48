// npm run check -- --solutions: the workbook proves itself, stage by stage, before a learner relies on it.
import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { EXIT } from '../kernel/errors.ts';
import { lessonProblems } from '../course/files.ts';
import type { Lesson } from '../course/lessons.ts';
import type { Palette } from '../kernel/colours.ts';
import { formatScenario } from '../terminal/report.ts';
import { fixedRow, seconds } from '../kernel/text.ts';
import {
  CONCURRENCY,
  DEFAULT_TIMING,
  loadScenarios,
  programsOf,
  RETRY_SLOWDOWN,
  runStages,
  waitRanOut,
  type StageRequest,
  type StageResult,
} from '../grade/stage.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';
import {
  findVariants,
  judgeVariant,
  lastNamedScenario,
  removeVariantFolder,
  variantFolder,
  type Variant,
} from './variants.ts';

type Role = 'solution' | 'starter' | 'previous' | 'mutant' | 'alternative';
type Request = StageRequest & { role: Role; variant?: Variant };

/**
 * A verdict the machine's load may have made: a program that must pass, or a mutant that must fail at its line, failed
 * elsewhere because a wait ran out. Such a scenario is run once more with longer waits, and that run is the verdict.
 */
export function retryWhenSlow(variant?: Variant): (file: string, result: ScenarioResult) => boolean {
  return (file, result) => {
    if (!waitRanOut(result)) return false;
    if (variant?.kind !== 'mutant') return true;
    const line = result.failure?.step?.line ?? 'end';
    return !variant.fails.some((at) => at.transcript === basename(file) && at.line === line);
  };
}

export async function proveWorkbook(
  root: string,
  lessons: Lesson[],
  timing: typeof DEFAULT_TIMING,
  colours: Palette,
  only?: Lesson[],
): Promise<number> {
  const started = Date.now();
  // The lessons proved: all, or those asked for; the others still serve as a lesson's previous solution.
  const proved = only ?? lessons;
  const problems = proved.flatMap((lesson) => lessonProblems(lesson, root));
  const variants: Variant[] = [];
  const requests: Request[] = proved.flatMap((lesson) => {
    const index = lessons.indexOf(lesson);
    const own = { lesson, courseRoot: root, cwd: root };
    const stage: Request[] = [
      { ...own, role: 'solution', programDir: lesson.solutionDir, retry: retryWhenSlow() },
      { ...own, role: 'starter', programDir: lesson.dir, failFast: true },
    ];
    // The nearest earlier solution that has every program this stage runs: a new program (a client) has none.
    const programs = programsOf(loadScenarios(lesson));
    const previous = lessons
      .slice(0, index)
      .reverse()
      .find((earlier) => programs.every((name) => existsSync(join(earlier.solutionDir, name))));
    if (previous) stage.push({ ...own, role: 'previous', programDir: previous.solutionDir, failFast: true });
    const scenarios = loadScenarios(lesson);
    for (const variant of findVariants(lesson, scenarios, root)) {
      variants.push(variant);
      if (variant.problems.length > 0) continue;
      const programDir = variantFolder(variant, root);
      const mutant = variant.kind === 'mutant';
      // A mutant needs no scenario after the one it names: a failure there would be the wrong one anyway.
      const upTo = mutant ? lastNamedScenario(variant, scenarios) + 1 : undefined;
      stage.push({
        ...own,
        role: variant.kind,
        variant,
        programDir,
        failFast: mutant,
        upTo,
        retry: retryWhenSlow(variant),
      });
    }
    return stage;
  });
  // Each lesson's row as soon as all of its stages are in, in lesson order, in columns fixed before any is known.
  const header = ['lesson', 'solution', 'starter', 'previous', 'caught', 'passing', 'time'];
  const widths = [Math.max(...proved.map((lesson) => lesson.slug.length)), 8, 8, 8, 8, 8, 7];
  console.log(fixedRow(header, widths));
  console.log(
    fixedRow(
      widths.map((width) => '-'.repeat(width)),
      widths,
    ),
  );
  const expected = new Map(proved.map((lesson) => [lesson, requests.filter((r) => r.lesson === lesson).length]));
  const done = new Map<Lesson, (StageResult & Request)[]>(proved.map((lesson) => [lesson, []]));
  const variantProblems = new Map<Variant, string | undefined>();
  // In the order the variants were found: a broken header is reported where its variant stands.
  for (const variant of variants) variantProblems.set(variant, variant.problems.join('; ') || undefined);
  let printed = 0;
  const onStage = (stage: StageResult): void => {
    const result = stage as StageResult & Request;
    done.get(result.lesson)!.push(result);
    if (result.variant) variantProblems.set(result.variant, judgeVariant(result.variant, result.scenarios, root));
    for (; printed < proved.length; printed++) {
      const lesson = proved[printed];
      if (done.get(lesson)!.length < expected.get(lesson)!) break;
      console.log(fixedRow(lessonRow(lesson, done.get(lesson)!, variants, variantProblems, colours), widths));
    }
  };
  let results: (StageResult & Request)[];
  try {
    results = (await runStages(requests, timing, { onStage })) as (StageResult & Request)[];
  } finally {
    for (const request of requests) if (request.variant) removeVariantFolder(request.programDir);
  }
  console.log(colours.dim('caught: mutants whose first failure is where they say; passing: alternatives that pass.'));
  problems.push(...[...variantProblems.values()].filter((problem): problem is string => problem !== undefined));

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
  const retried = results.reduce((sum, r) => sum + r.scenarios.filter((scenario) => scenario.retried).length, 0);
  if (retried > 0)
    console.log(
      colours.dim(
        `${retried} scenario${retried === 1 ? ' was' : 's were'} run again with ${RETRY_SLOWDOWN} times the time per step: a wait had run out where it must not, which a busy machine alone can cause.`,
      ),
    );
  console.log('');
  if (problems.length > 0) {
    for (const problem of problems) console.log(`${colours.red('✗')} ${problem}`);
    console.log(
      `\n${problems.length} problems found (${scenarioRuns} scenario runs, ${seconds(Date.now() - started)}). Fix them, then run npm run check -- --solutions again.`,
    );
    return EXIT.fail;
  }
  console.log(
    colours.green(only ? `${provedNames(only)}: ` : 'The workbook holds: ') +
      `every solution passes its stage, every starter and every previous solution fails it, every mutant fails where it says and every alternative passes (${variants.length}), every starter has a TODO, every lesson hints, every README block matches its file (${scenarioRuns} scenario runs, ${seconds(Date.now() - started)}, ${CONCURRENCY} at a time).`,
  );
  return EXIT.pass;
}

function provedNames(only: Lesson[]): string {
  const numbers = only.map((lesson) => lesson.number).join(', ');
  return only.length === 1 ? `Lesson ${numbers} holds` : `Lessons ${numbers} hold`;
}

/** One lesson's row of the proof's table: each role's verdict, the mutants caught and the alternatives passing. */
function lessonRow(
  lesson: Lesson,
  results: (StageResult & Request)[],
  variants: Variant[],
  variantProblems: Map<Variant, string | undefined>,
  colours: Palette,
): string[] {
  const find = (role: Role) => results.find((r) => r.role === role);
  const verdict = (result: StageResult | undefined, shouldPass: boolean): string => {
    if (!result) return 'n/a';
    const ok = result.passed === shouldPass;
    const passed = `${result.scenarios.filter((s) => s.passed).length}/${result.total}`;
    const label = shouldPass ? passed : result.passed ? 'passes' : 'fails';
    return `${label} ${ok ? colours.green('✓') : colours.red('✗')}`;
  };
  const tally = (kind: Variant['kind']): string => {
    const own = variants.filter((variant) => variant.lesson === lesson && variant.kind === kind);
    if (own.length === 0) return '-';
    const good = own.filter((variant) => variant.problems.length === 0 && variantProblems.get(variant) === undefined);
    return `${good.length}/${own.length} ${good.length === own.length ? colours.green('✓') : colours.red('✗')}`;
  };
  return [
    lesson.slug,
    verdict(find('solution'), true),
    verdict(find('starter'), false),
    verdict(find('previous'), false),
    tally('mutant'),
    tally('alternative'),
    seconds(find('solution')!.durationMs),
  ];
}
