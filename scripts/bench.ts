// npm run bench: how long a learner waits, as ratios against floors measured in the same run (machines are noisy).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';
import { parseCommandLine, parseWholeNumber, type CommandHelp } from './kernel/args.ts';
import { listLessons, WORKBOOK_ROOT } from './course/lessons.ts';
import { runMain } from './kernel/errors.ts';
import { CORES } from './grade/pool.ts';
import { CONCURRENCY, DEFAULT_TIMING, loadScenarios } from './grade/stage.ts';
import { median } from './load/stats.ts';
import { NO_BWRAP, planSandbox } from './sandbox/plan.ts';
import {
  madeFolder,
  mustGrade,
  mustPass,
  removeMadeFolders,
  rerun,
  SANDBOX_ONLY,
  solvedClass,
  stopRunsOnInterrupt,
  timeEmptyProgram,
  timeMs,
  timeNodeStart,
  timePassing,
} from './bench/runs.ts';

const HELP: CommandHelp = {
  usage: 'npm run bench [-- --runs N]',
  about:
    "Times a stage, grading four learners (and inside bubblewrap against without it) and the full proof against floors measured in the same run, on this Node, and writes this Node's section of BENCHMARKS.md.",
  flags: [['--runs N', 'interleaved runs of each measurement, 3 to 50 (default 5); the medians are recorded']],
  example: 'npm run bench -- --runs 7',
};

$.cwd = WORKBOOK_ROOT;
$.quiet = true;
// No input: with a socket as its stdin, Debian's bash takes itself for a remote shell and runs ~/.bashrc on every command.
$.stdio = ['ignore', 'pipe', 'pipe'];
stopRunsOnInterrupt();

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
  // Sections written by hand (any `## ` heading but a Node line's) are kept as they are, after the Node lines.
  const sections = old
    .split(/^(?=## )/m)
    .filter((part) => part.startsWith('## ') && !part.startsWith(`## Node ${major}.`));
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
  const lessonFourScenarios = loadScenarios(lessons.find((lesson) => lesson.number === 4)!).length;
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
    boxedSerial: [] as number[],
    npm: [] as number[],
    modules: [] as number[],
    program: [] as number[],
    graded: [] as number[],
  };
  // The machine's one-minute load average as each run starts: how busy the machine was, said with the figures.
  const loads: number[] = [];
  const empty = madeFolder('workbook-bench-empty-');
  let proofRuns = 0;
  let negativeStages = 0;
  try {
    // Interleaved, so a burst of load elsewhere hits floor and subject alike.
    for (let run = 0; run < runs; run++) {
      process.stderr.write(`run ${run + 1} of ${runs}\n`);
      loads.push(loadavg()[0]);
      const npmFloor = await timeMs(() => $`npm run floor`);
      samples.npm.push(npmFloor);
      const nodeStart = await timeNodeStart();
      samples.spawn.push(nodeStart);
      samples.floor.push(npmFloor + nodeStart + silence);
      samples.modules.push(await timeMs(() => $`node --import ./scripts/cli/check-node.mjs scripts/lesson.ts --help`));
      samples.program.push(await timeEmptyProgram(empty, {}));
      samples.graded.push(await timeEmptyProgram(empty, { sandbox: true }));
      samples.stage.push(
        await timePassing(() =>
          mustPass($`npm run lesson 4 -- --solution`.nothrow(), 'npm run lesson 4 -- --solution'),
        ),
      );
      // Every grading writes its JSON report, so a failure can be named.
      const json = ['--reporter', 'json', '--output', report];
      samples.grade.push(
        await timePassing(() =>
          mustGrade(
            $`npm run check -- --work ${classFolder} ${json}`.nothrow(),
            report,
            'grading four solved learners',
          ),
        ),
      );
      // Inside bubblewrap (learners side by side) and without it (one at a time), the same lessons.
      samples.boxed.push(
        await timePassing(() =>
          mustGrade($`npm run check -- --work ${sameWork} ${json}`.nothrow(), report, 'grading inside bubblewrap'),
        ),
      );
      const without = $({ env: { ...process.env, [NO_BWRAP]: '1' } });
      samples.unboxed.push(
        await timePassing(() =>
          mustGrade(
            without`npm run check -- --work ${sameWork} ${json}`.nothrow(),
            report,
            'grading without bubblewrap',
          ),
        ),
      );
      // Both one learner at a time: what the sandbox itself costs a learner.
      samples.boxedSerial.push(
        await timePassing(() =>
          mustGrade(
            $`npm run check -- --work ${sameWork} ${json} --one-at-a-time`.nothrow(),
            report,
            'grading inside bubblewrap, one at a time',
          ),
        ),
      );
      let proofSaid = '';
      samples.proof.push(
        await timePassing(async () => {
          proofSaid = (await mustPass($`npm run check -- --solutions`.nothrow(), 'npm run check -- --solutions'))
            .stdout;
        }),
      );
      proofRuns = Number(/\((\d+) scenario runs/.exec(proofSaid)?.[1] ?? 0);
      negativeStages = (proofSaid.match(/ fails ✓/g) ?? []).length;
    }
  } finally {
    removeMadeFolders();
  }
  const { floor, stage, spawn, grade, proof, boxed, unboxed, boxedSerial, npm, modules, program, graded } =
    Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)])) as Record<
      keyof typeof samples,
      number
    >;
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
${CONCURRENCY} scenarios at a time, load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} as the runs started.

| what | median | floor (same run) | ratio | target |
| --- | --- | --- | --- | --- |
| \`npm run lesson 4 -- --solution\` | ${ms(stage)} | ${ms(floor)}: \`npm run floor\` + one \`node -e 0\` + the longest \`silent\` (${silence} ms) | ${ratio(stage, floor)} | 1.5x |
| grading 4 learners with every lesson solved | ${ms(grade)} | ${ms(gradeFloor)}: ${4 * scenarioCount} scenario runs x ${ms(spawn)} (\`node -e 0\`) / ${CORES} cores | ${ratio(grade, gradeFloor)} | 2x |
| grading 4 learners inside bubblewrap, every lesson but ${SANDBOX_ONLY.join(', ')} | ${ms(boxed)} | ${ms(unboxed)}: the same without bubblewrap (\`${NO_BWRAP}=1\`) | ${ratio(boxed, unboxed)} | 1.1x |
| the same inside bubblewrap, one learner at a time (\`--one-at-a-time\`) | ${ms(boxedSerial)} | ${ms(unboxed)}: the same without bubblewrap, which grades one at a time | ${ratio(boxedSerial, unboxed)} | 1.1x |
| \`npm run check -- --solutions\` | ${ms(proof)} | ${ms(proofFloor)}: ${proofRuns} scenario runs x ${ms(spawn)} / ${CORES} cores + ${negativeStages} negative stages x ${DEFAULT_TIMING.stepTimeoutMs} ms / ${CONCURRENCY} | ${ratio(proof, proofFloor)} | 2x |

Where the stage's time goes (medians of the same runs; the parts before its scenarios run one after another, the
scenarios side by side):

| part | ms | measured as |
| --- | --- | --- |
| npm's own start | ${ms(npm - spawn)} | \`npm run floor\` less \`node -e 0\` |
| Node's start | ${ms(spawn)} | \`node -e 0\`, the median of five each run |
| loading the runner's modules | ${ms(modules - spawn)} | \`npm run lesson -- --help\` as node runs it, less \`node -e 0\` |
| a scenario's program, started as the runner starts it, beyond Node's own start | ${ms(program - spawn)} | an empty \`.ts\` program under the wrappers, the heap cap and the preload, less \`node -e 0\` |
| the same when grading, under the permission model | ${ms(graded - spawn)} | as above, with the permission flags |
| the transcripts' own waits | ${silence} ms | the longest \`silent\` step of lesson 4 |
| the rest: ports, ${lessonFourScenarios} programs at once on ${CORES} cores, the steps, tear-down | ${ms(stage - npm - (modules - spawn) - program - silence)} | the stage, less the parts above |

Where it stands: a stage is ${verdict(stage, floor, 1.5)}; grading is ${verdict(grade, gradeFloor, 2)}; grading inside bubblewrap is ${verdict(boxed, unboxed, 1.1)} of grading without it, and one learner at a time ${verdict(boxedSerial, unboxed, 1.1)}; the proof is ${verdict(proof, proofFloor, 2)}.
${sandbox.kind === 'bubblewrap' ? `Grading ran in bubblewrap ${sandbox.version}.` : `There was no sandbox to compare: ${sandbox.why}; both rows graded without one.`}
${rerun.length === 0 ? 'Every run passed the first time.' : `${rerun.length} run(s) failed once and were timed again: ${rerun.join('; ')}.`}
`;
  const file = writeSection(section);
  console.log(readFileSync(file, 'utf8'));
  return 0;
}

runMain(main);
