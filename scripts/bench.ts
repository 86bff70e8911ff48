// npm run bench: how long a learner waits, as ratios against floors measured in the same run (machines are noisy).
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { parseCommandLine, type CommandHelp } from './cli/args.ts';
import { listLessons, WORKBOOK_ROOT } from './course/lessons.ts';
import { runMain, WorkbookError } from './cli/errors.ts';
import { CORES } from './grade/pool.ts';
import { loadScenarios } from './grade/stage.ts';
import { median } from './load/stats.ts';

const HELP: CommandHelp = {
  usage: 'npm run bench [-- --runs N]',
  about: 'Times a stage and the full proof against floors measured in the same run, and writes BENCHMARKS.md.',
  flags: [['--runs N', 'interleaved runs of each measurement, 5 to 50 (default 5); the medians are recorded']],
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

async function main(): Promise<number> {
  const { values } = parseCommandLine(process.argv.slice(2), { runs: { type: 'string', default: '5' } }, HELP);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 5 || runs > 50)
    throw new WorkbookError('--runs takes a whole number from 5 to 50 (medians need at least 5)');

  const lessons = listLessons(WORKBOOK_ROOT);
  const scenarioCount = lessons.reduce((sum, lesson) => sum + loadScenarios(lesson).length, 0);
  // --solutions runs each lesson's scenarios for the solution, and for the starter and the previous solution until one fails.
  const samples = { floor: [] as number[], stage: [] as number[], spawn: [] as number[], check: [] as number[] };
  // Interleaved, so a burst of load elsewhere hits floor and subject alike.
  for (let run = 0; run < runs; run++) {
    process.stderr.write(`run ${run + 1} of ${runs}\n`);
    samples.floor.push((await timeMs(() => $`npm run floor`)) + (await timeMs(() => $`node -e 0`)));
    samples.stage.push(
      await timeMs(() => mustPass($`npm run lesson 4 -- --solution`.nothrow(), 'npm run lesson 4 -- --solution')),
    );
    samples.spawn.push(await timeMs(() => $`node -e 0`));
    samples.check.push(
      await timeMs(() => mustPass($`npm run check -- --solutions`.nothrow(), 'npm run check -- --solutions')),
    );
  }
  const floor = median(samples.floor);
  const stage = median(samples.stage);
  const spawn = median(samples.spawn);
  const check = median(samples.check);
  const checkFloor = scenarioCount * spawn;
  const checkTarget = checkFloor / CORES;
  const ms = (value: number): string => `${Math.round(value)} ms`;
  const report = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: medians of ${runs} interleaved runs, on ${CORES} cores
(${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. Times swing with the load on shared machines; the
ratios against floors measured in the same run are what to compare between runs.

| what | median | floor (same run) | ratio | target |
| --- | --- | --- | --- | --- |
| \`npm run lesson 4 -- --solution\` | ${ms(stage)} | ${ms(floor)}: \`npm run floor\` (\`node -e 0\`) plus one \`node -e 0\` | ${(stage / floor).toFixed(2)}x | 1.5x |
| \`npm run check -- --solutions\` | ${ms(check)} | ${ms(checkFloor)}: ${scenarioCount} scenarios x ${ms(spawn)} per bare \`node -e 0\` | ${(check / checkFloor).toFixed(2)}x | ${(checkTarget / checkFloor).toFixed(2)}x (floor / ${CORES} cores) |

Where it stands: a single stage takes ${(stage / floor).toFixed(2)}x its floor${stage / floor <= 1.5 ? ', within the 1.5x target' : ', above the 1.5x target'}; the full
check takes ${(check / checkTarget).toFixed(2)}x its target of ${ms(checkTarget)}.

What the time goes to: every scenario starts a fresh \`node --import tsx\` process (about 0.3 s here, against about
0.05 s for a bare \`node -e 0\`), and the runner itself starts through tsx. The full check also proves that starters
and previous solutions fail, and most of those failures are a step waiting out its 2 s timeout for output that never
comes.
`;
  writeFileSync(join(WORKBOOK_ROOT, 'BENCHMARKS.md'), report);
  console.log(report);
  return 0;
}

runMain(main);
