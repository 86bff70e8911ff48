// npm run bench: how long a learner waits, as ratios against floors measured in the same run (machines are noisy).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { $ } from 'zx';
import { parseCommandLine, parseWholeNumber, type CommandHelp } from './kernel/args.ts';
import { writeSolvedCopy } from './course/files.ts';
import { listLessons, WORKBOOK_ROOT } from './course/lessons.ts';
import { runMain, WorkbookError } from './kernel/errors.ts';
import { CORES } from './grade/pool.ts';
import { CONCURRENCY, DEFAULT_TIMING, loadScenarios } from './grade/stage.ts';
import { median } from './load/stats.ts';
import { NO_BWRAP, planSandbox } from './sandbox/plan.ts';

const HELP: CommandHelp = {
  usage: 'npm run bench [-- --runs N]',
  about:
    "Times a stage, grading four learners (and inside bubblewrap against without it) and the full proof against floors measured in the same run, on this Node, and writes this Node's section of BENCHMARKS.md.",
  flags: [['--runs N', 'interleaved runs of each measurement, 3 to 50 (default 5); the medians are recorded']],
  example: 'npm run bench -- --runs 7',
};

$.cwd = WORKBOOK_ROOT;
$.quiet = true;

async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function mustPass(command: Promise<{ exitCode: number | null }>, what: string): Promise<void> {
  const result = await command;
  if (result.exitCode !== 0)
    throw new WorkbookError(`${what} failed (exit ${result.exitCode}); the benchmark only times passing runs`);
}

/**
 * A class of four learners who solved every lesson: copies of the reference solutions as their lessons. Without
 * `needsSandbox`, the lessons that need one (lesson 20 starts threads and processes) are left out, so a run inside
 * bubblewrap and one without it do the same work.
 */
function solvedClass(needsSandbox = true): string {
  const folder = mkdtempSync(join(tmpdir(), 'workbook-bench-class-'));
  // Learners' own users must reach their folders when the grader is root.
  chmodSync(folder, 0o755);
  for (const name of ['ann', 'bob', 'cat', 'dan']) {
    writeSolvedCopy(WORKBOOK_ROOT, join(folder, name));
    if (!needsSandbox)
      for (const slug of SANDBOX_ONLY) rmSync(join(folder, name, 'lessons', slug), { recursive: true });
  }
  return folder;
}

/** Lessons whose programs start threads or processes: graded only inside bubblewrap. */
const SANDBOX_ONLY = ['20-processes-and-threads'];

/** Grading that must pass every lesson each learner has (the others are missing on purpose): its JSON report read. */
async function mustGrade(command: Promise<unknown>, report: string, what: string): Promise<void> {
  await command;
  const grades = JSON.parse(readFileSync(report, 'utf8')) as { learners: { lessons: { status: string }[] }[] };
  if (grades.learners.some((learner) => learner.lessons.some((lesson) => lesson.status === 'fail')))
    throw new WorkbookError(`${what} failed a lesson; the benchmark only times passing runs`);
}

/** The longest `silent` wait in a lesson's transcripts: a stage cannot finish sooner. */
function longestSilence(number: number): number {
  const lesson = listLessons(WORKBOOK_ROOT).find((candidate) => candidate.number === number)!;
  const waits = loadScenarios(lesson).flatMap((scenario) =>
    scenario.steps.flatMap((step) => (step.kind === 'client' && step.action.verb === 'silent' ? [step.action.ms] : [])),
  );
  return Math.max(0, ...waits);
}

/** This Node's section of BENCHMARKS.md replaces the one of the same major version; other Node lines stay. */
function writeSection(section: string): string {
  const file = join(WORKBOOK_ROOT, 'BENCHMARKS.md');
  const major = process.versions.node.split('.')[0];
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const sections = old
    .split(/^(?=## Node )/m)
    .filter((part) => part.startsWith('## Node ') && !part.startsWith(`## Node ${major}.`));
  const intro = `# Benchmarks

Written by \`npm run bench\`, one section per Node line (run it with each Node first on PATH). Times swing with the
load on shared machines; the ratios against floors measured in the same run are what to compare between runs.
Each lesson's mutation score, written by \`npm run mutate\`, is in [docs/mutation-scores.md](docs/mutation-scores.md).

`;
  const all = [...sections.map((part) => part.trimEnd()), section.trimEnd()].sort();
  writeFileSync(file, `${intro}${all.join('\n\n')}\n`);
  return file;
}

async function main(): Promise<number> {
  const { values } = parseCommandLine(process.argv.slice(2), { runs: { type: 'string', default: '5' } }, HELP);
  const runs = parseWholeNumber(values.runs, { flag: '--runs', min: 3, max: 50, why: 'medians need at least 3' });
  const lessons = listLessons(WORKBOOK_ROOT);
  const scenarioCount = lessons.reduce((sum, lesson) => sum + loadScenarios(lesson).length, 0);
  const silence = longestSilence(4);
  const classFolder = solvedClass();
  const sameWork = solvedClass(false);
  const report = join(sameWork, 'grades.json');
  const sandbox = planSandbox();
  const samples = {
    floor: [] as number[],
    stage: [] as number[],
    spawn: [] as number[],
    grade: [] as number[],
    proof: [] as number[],
    boxed: [] as number[],
    unboxed: [] as number[],
  };
  let proofRuns = 0;
  let negativeStages = 0;
  try {
    // Interleaved, so a burst of load elsewhere hits floor and subject alike.
    for (let run = 0; run < runs; run++) {
      process.stderr.write(`run ${run + 1} of ${runs}\n`);
      samples.floor.push((await timeMs(() => $`npm run floor`)) + (await timeMs(() => $`node -e 0`)) + silence);
      samples.stage.push(
        await timeMs(() => mustPass($`npm run lesson 4 -- --solution`.nothrow(), 'npm run lesson 4 -- --solution')),
      );
      samples.spawn.push(await timeMs(() => $`node -e 0`));
      samples.grade.push(
        await timeMs(() =>
          mustPass($`npm run check -- --work ${classFolder}`.nothrow(), 'grading four solved learners'),
        ),
      );
      // Inside bubblewrap (learners side by side) and without it (one at a time), the same lessons.
      const json = ['--reporter', 'json', '--output', report];
      samples.boxed.push(
        await timeMs(() =>
          mustGrade($`npm run check -- --work ${sameWork} ${json}`.nothrow(), report, 'grading inside bubblewrap'),
        ),
      );
      const without = $({ env: { ...process.env, [NO_BWRAP]: '1' } });
      samples.unboxed.push(
        await timeMs(() =>
          mustGrade(
            without`npm run check -- --work ${sameWork} ${json}`.nothrow(),
            report,
            'grading without bubblewrap',
          ),
        ),
      );
      const started = performance.now();
      const proof = await $`npm run check -- --solutions`.nothrow();
      samples.proof.push(performance.now() - started);
      if (proof.exitCode !== 0)
        throw new WorkbookError('npm run check -- --solutions failed; the benchmark only times passing runs');
      proofRuns = Number(/\((\d+) scenario runs/.exec(proof.stdout)?.[1] ?? 0);
      negativeStages = (proof.stdout.match(/ fails ✓/g) ?? []).length;
    }
  } finally {
    rmSync(classFolder, { recursive: true, force: true });
    rmSync(sameWork, { recursive: true, force: true });
  }
  const [floor, stage, spawn, grade, proof, boxed, unboxed] = [
    samples.floor,
    samples.stage,
    samples.spawn,
    samples.grade,
    samples.proof,
    samples.boxed,
    samples.unboxed,
  ].map(median);
  const gradeFloor = (4 * scenarioCount * spawn) / CORES;
  // Each negative proof waits out at least one step timeout for output that never comes, CONCURRENCY at a time.
  const waits = (negativeStages * DEFAULT_TIMING.stepTimeoutMs) / CONCURRENCY;
  const proofFloor = (proofRuns * spawn) / CORES + waits;
  const ms = (value: number): string => `${Math.round(value)} ms`;
  const ratio = (value: number, of: number): string => `${(value / of).toFixed(2)}x`;
  const verdict = (value: number, of: number, target: number): string =>
    value / of <= target ? `within its ${target}x target` : `${ratio(value, of)}, above its ${target}x target`;
  const section = `## Node ${process.versions.node}

Medians of ${runs} interleaved runs on ${new Date().toISOString().slice(0, 10)}, ${CORES} cores (${cpus()[0]?.model ?? 'unknown CPU'}),
${CONCURRENCY} scenarios at a time.

| what | median | floor (same run) | ratio | target |
| --- | --- | --- | --- | --- |
| \`npm run lesson 4 -- --solution\` | ${ms(stage)} | ${ms(floor)}: \`npm run floor\` + one \`node -e 0\` + the longest \`silent\` (${silence} ms) | ${ratio(stage, floor)} | 1.5x |
| grading 4 learners with every lesson solved | ${ms(grade)} | ${ms(gradeFloor)}: ${4 * scenarioCount} scenario runs x ${ms(spawn)} (\`node -e 0\`) / ${CORES} cores | ${ratio(grade, gradeFloor)} | 2x |
| grading 4 learners inside bubblewrap, every lesson but ${SANDBOX_ONLY.join(', ')} | ${ms(boxed)} | ${ms(unboxed)}: the same without bubblewrap (\`${NO_BWRAP}=1\`) | ${ratio(boxed, unboxed)} | 1.1x |
| \`npm run check -- --solutions\` | ${ms(proof)} | ${ms(proofFloor)}: ${proofRuns} scenario runs x ${ms(spawn)} / ${CORES} cores + ${negativeStages} negative stages x ${DEFAULT_TIMING.stepTimeoutMs} ms / ${CONCURRENCY} | ${ratio(proof, proofFloor)} | 2x |

Where it stands: a stage is ${verdict(stage, floor, 1.5)}; grading is ${verdict(grade, gradeFloor, 2)}; grading inside bubblewrap is ${verdict(boxed, unboxed, 1.1)} of grading without it; the proof is ${verdict(proof, proofFloor, 2)}.
${sandbox.kind === 'bubblewrap' ? `Grading ran in bubblewrap ${sandbox.version}.` : `There was no sandbox to compare: ${sandbox.why}; both rows graded without one.`}
`;
  const file = writeSection(section);
  console.log(readFileSync(file, 'utf8'));
  return 0;
}

runMain(main);
