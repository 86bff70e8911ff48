// npm run check: every stage at once. --solutions proves the workbook itself; --work DIR grades a learner's copy or a class.
import { appendFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseCommandLine, parseTimeout, stopProgramsOnInterrupt } from './cli/args.ts';
import { listLessons, WORKBOOK_ROOT, type Lesson } from './course/lessons.ts';
import { EXIT, runMain, WorkbookError } from './cli/errors.ts';
import { CORES } from './grade/pool.ts';
import { MEMORY_CAP_MB } from './run/program.ts';
import { formatScenario, palette, table, wrap, type Palette } from './terminal/report.ts';
import {
  formatClassTable,
  gradeScenario,
  learnerNotes,
  stagesPassed,
  toClassroomResult,
  toJson,
  toJunit,
  type ClassGrade,
  type LearnerGrade,
  type LessonGrade,
} from './grade/grades.ts';
import { DEFAULT_TIMING, loadScenarios, programsOf, runStages, type StageRequest, type StageResult, type TimingOptions } from './grade/stage.ts';
import { lessonProblems } from './course/files.ts';

const USAGE = 'npm run check [-- --solutions | --work DIR [DIR ...]] [--reporter table|json|junit|github] [--repeat K] [--timeout MS]';
const REPORTERS = ['table', 'json', 'junit', 'github'] as const;
type Reporter = (typeof REPORTERS)[number];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      solutions: { type: 'boolean', default: false },
      work: { type: 'string', multiple: true },
      reporter: { type: 'string', default: 'table' },
      repeat: { type: 'string' },
      timeout: { type: 'string' },
      root: { type: 'string' },
    },
    USAGE,
  );
  // `--work A B C`: the folders after the first are positionals.
  if (positionals.length > 0 && !values.work) throw new WorkbookError(`unexpected argument '${positionals[0]}'\nusage: ${USAGE}`);
  if (values.solutions && values.work) throw new WorkbookError('--solutions checks the reference, --work checks a learner: choose one');
  const reporter = values.reporter as Reporter;
  if (!REPORTERS.includes(reporter)) throw new WorkbookError(`--reporter takes ${REPORTERS.join(', ')}, got '${values.reporter}'`);
  const repeat = parseRepeat(values.repeat);
  if (values.solutions && (reporter !== 'table' || repeat !== 1)) throw new WorkbookError('--solutions prints its own table: --reporter and --repeat are for grading');
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const lessons = listLessons(root);
  const timing = { ...DEFAULT_TIMING, stepTimeoutMs: parseTimeout(values.timeout, DEFAULT_TIMING.stepTimeoutMs) };
  stopProgramsOnInterrupt();
  const colours = palette();
  if (values.solutions) return proveWorkbook(root, lessons, timing, colours);
  const learners = values.work ? findLearners([...values.work, ...positionals]) : [{ name: basename(root), dir: root }];
  if (reporter === 'github' && learners.length > 1) throw new WorkbookError('--reporter github grades one learner (their repository): give one --work DIR, or none');
  // Someone else's code on this machine: under Node's permission model when grading, not for your own lessons.
  const sandbox = values.work !== undefined;
  const grades = await gradeClass(learners, lessons, root, { ...timing, sandbox }, repeat);
  const code = learners.every((learner) => gradedAll(learner, grades)) ? EXIT.pass : EXIT.fail;
  if (reporter === 'json') console.log(JSON.stringify(toJson(grades), null, 2));
  else if (reporter === 'junit') console.log(toJunit(grades));
  else if (reporter === 'github') reportToClassroom(grades);
  else if (learners.length === 1 && !values.work?.some((dir) => isClassFolder(resolve(dir)))) printLearner(grades, colours);
  else {
    console.log(formatClassTable(grades, colours));
    const passing = grades.learners.filter((learner) => gradedAll(learner, grades)).length;
    console.log(`\n${passing} of ${learners.length} learners pass every stage (${seconds(grades.durationMs)}, ${CORES} at a time).${sandboxNote(sandbox)}`);
  }
  return code;
}

function parseRepeat(text: string | undefined): number {
  if (text === undefined) return 1;
  const k = Number(text);
  if (!/^\d+$/.test(text) || k < 1 || k > 100) throw new WorkbookError(`--repeat takes a number of runs from 1 to 100, got '${text}'`);
  return k;
}

const sandboxNote = (sandbox: boolean): string => (sandbox ? `\nLearners' programs ran under Node's permission model, ${MEMORY_CAP_MB} MB of heap each.` : '');
const gradedAll = (learner: Learner, grades: ClassGrade): boolean => stagesPassed(grades.learners.find((g) => g.dir === learner.dir)!) === grades.lessons.length;

interface Learner {
  name: string;
  dir: string;
}

const hasLessons = (dir: string): boolean => existsSync(join(dir, 'lessons'));
const subfolders = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => join(dir, entry.name))
    .sort();

/** A folder with no lessons/ of its own, but subfolders that have one: one folder per learner. */
function isClassFolder(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && !hasLessons(dir) && subfolders(dir).some(hasLessons);
}

function findLearners(dirs: string[]): Learner[] {
  const found = dirs.flatMap((given) => {
    const dir = resolve(given);
    if (hasLessons(dir)) return [dir];
    if (isClassFolder(dir)) return subfolders(dir).filter(hasLessons);
    throw new WorkbookError(`${dir} has no lessons/ folder, and no subfolder that has one: --work takes a learner's copy of the workbook, or a folder of them`);
  });
  const names = found.map((dir) => basename(dir));
  // Two learners called `ann` in different classes keep their parent folder in their name.
  return found.map((dir, i) => ({ dir, name: names.filter((n) => n === names[i]).length > 1 ? `${basename(dirname(dir))}/${names[i]}` : names[i] }));
}

/** Files under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** What a learner's lessons/ holds that the workbook's does not: reported, never run. */
function extraFiles(learner: Learner, lessons: Lesson[]): string[] {
  const notes: string[] = [];
  const known = new Set(lessons.map((lesson) => lesson.slug));
  const folders = readdirSync(join(learner.dir, 'lessons'), { withFileTypes: true }).filter((e) => e.isDirectory() && !known.has(e.name));
  if (folders.length > 0) notes.push(`lesson folders the workbook does not have: ${folders.map((e) => `lessons/${e.name}/`).join(', ')}`);
  for (const lesson of lessons) {
    const ours = new Set(filesUnder(lesson.dir));
    const extra = filesUnder(join(learner.dir, 'lessons', lesson.slug)).filter((file) => !ours.has(file));
    if (extra.length > 0) notes.push(`extra files in lessons/${lesson.slug}/: ${extra.sort().join(', ')}`);
  }
  return notes;
}

/** Every scenario of every learner, K times each, through one pool: every core stays busy until the last. */
async function gradeClass(learners: Learner[], lessons: Lesson[], root: string, timing: TimingOptions, repeat: number): Promise<ClassGrade> {
  const started = Date.now();
  const requests = learners.flatMap((learner) =>
    lessons
      .filter((lesson) => existsSync(join(learner.dir, 'lessons', lesson.slug)))
      .flatMap((lesson) => Array.from({ length: repeat }, () => ({ learner, lesson, programDir: join(learner.dir, 'lessons', lesson.slug), courseRoot: root, cwd: learner.dir }))),
  );
  const results = (await runStages(requests, timing)) as (StageResult & { learner: Learner })[];
  const graded = learners.map((learner): LearnerGrade => ({
    name: learner.name,
    dir: learner.dir,
    notes: extraFiles(learner, lessons),
    lessons: lessons.map((lesson): LessonGrade => {
      const runs = results.filter((r) => r.learner === learner && r.lesson === lesson);
      const total = runs[0]?.total ?? loadScenarios(lesson).length;
      if (runs.length === 0) return { lesson, status: 'missing', scenarios: [], total, durationMs: 0 };
      const scenarios = runs[0].scenarios.map((_, index) => gradeScenario(runs.map((run) => run.scenarios[index]), learner.dir));
      const passed = scenarios.length === total && scenarios.every((s) => s.passed);
      return { lesson, status: passed ? 'pass' : 'fail', scenarios, total, durationMs: Math.max(...runs.map((run) => run.durationMs)) };
    }),
  }));
  return { lessons, learners: graded, repeat, sandbox: timing.sandbox === true, durationMs: Date.now() - started };
}

/** One learner: the per-lesson table, then the notes. */
function printLearner(grades: ClassGrade, colours: Palette): void {
  const [learner] = grades.learners;
  const rows = learner.lessons.map((grade) => {
    if (grade.status === 'missing') return [grade.lesson.slug, 'missing', '', ''];
    const passed = grade.scenarios.filter((s) => s.passed).length;
    return [grade.lesson.slug, `${passed}/${grade.total}`, grade.status === 'pass' ? colours.green('pass') : colours.red('fail'), seconds(grade.durationMs)];
  });
  console.log(table(['lesson', 'scenarios', 'stage', 'time'], rows));
  const notes = learnerNotes(learner).filter((note) => !note.startsWith('missing lesson'));
  if (notes.length > 0) console.log(['', ...notes.map((note) => `${colours.yellow('!')} ${wrap(note, 78, '', '  ')}`)].join('\n'));
  const passedStages = stagesPassed(learner);
  console.log(
    `\n${passedStages} of ${grades.lessons.length} stages pass (${seconds(grades.durationMs)}, ${CORES} at a time). Run npm run lesson N for the details of one.${sandboxNote(grades.sandbox)}`,
  );
}

/** GitHub Classroom reads a step output named `result`: written to $GITHUB_OUTPUT on a runner, printed elsewhere. */
function reportToClassroom(grades: ClassGrade): void {
  const [learner] = grades.learners;
  const result = toClassroomResult(learner) as { tests: { name: string; status: string; message: string }[]; max_score: number };
  for (const test of result.tests) console.log(`${test.status === 'pass' ? '✓' : '✗'} ${test.name}${test.message ? `: ${test.message}` : ''}`);
  const score = result.tests.filter((t) => t.status === 'pass').length;
  console.log(`\nPoints ${score}/${result.max_score}`);
  const line = `result=${Buffer.from(JSON.stringify(result)).toString('base64')}`;
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${line}\n`);
  else console.log(line);
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
