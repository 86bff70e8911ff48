// npm run bench: how long a learner waits, as ratios against floors measured in the same run (machines are noisy).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const HELP: CommandHelp = {
  usage: 'npm run bench [-- --runs N]',
  about:
    "Times a stage, grading four learners and the full proof against floors measured in the same run, on this Node, and writes this Node's section of BENCHMARKS.md.",
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

/** A class of four learners who solved every lesson: copies of the reference solutions as their lessons. */
function solvedClass(): string {
  const folder = mkdtempSync(join(tmpdir(), 'workbook-bench-class-'));
  for (const name of ['ann', 'bob', 'cat', 'dan']) {
    writeSolvedCopy(WORKBOOK_ROOT, join(folder, name));
  }
  return folder;
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
  const samples = {
    floor: [] as number[],
    stage: [] as number[],
    spawn: [] as number[],
    grade: [] as number[],
    proof: [] as number[],
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
  }
  const [floor, stage, spawn, grade, proof] = [
    samples.floor,
    samples.stage,
    samples.spawn,
    samples.grade,
    samples.proof,
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
| \`npm run check -- --solutions\` | ${ms(proof)} | ${ms(proofFloor)}: ${proofRuns} scenario runs x ${ms(spawn)} / ${CORES} cores + ${negativeStages} negative stages x ${DEFAULT_TIMING.stepTimeoutMs} ms / ${CONCURRENCY} | ${ratio(proof, proofFloor)} | 2x |

Where it stands: a stage is ${verdict(stage, floor, 1.5)}; grading is ${verdict(grade, gradeFloor, 2)}; the proof is ${verdict(proof, proofFloor, 2)}.
`;
  const file = writeSection(section);
  console.log(readFileSync(file, 'utf8'));
  return 0;
}

runMain(main);
