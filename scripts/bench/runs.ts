// The bench's runs: commands timed only when they pass, stopped with the bench, leaving no folder behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $, kill } from 'zx';
import { writeSolvedCopy } from '../course/files.ts';
import { WORKBOOK_ROOT } from '../course/lessons.ts';
import { WorkbookError } from '../kernel/errors.ts';
import { median } from '../load/stats.ts';
import { onInterrupt } from '../run/interrupt.ts';
import { launchTypeScript, type LaunchOptions } from '../run/launch.ts';

/** The commands being timed right now: a bench that is stopped stops them, and all they started, with it. */
const timing = new Set<ChildProcess>();

/** Folders the bench made: removed when it ends, however it ends. */
const made: string[] = [];
export function madeFolder(prefix: string): string {
  made.push(mkdtempSync(join(tmpdir(), prefix)));
  return made.at(-1)!;
}

export function removeMadeFolders(): void {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** Ctrl-C, SIGTERM or SIGHUP: the commands being timed stop, with all they started, and the folders go. */
export function stopRunsOnInterrupt(): void {
  $.spawn = ((...args: Parameters<typeof spawn>) => {
    const child = spawn(...args);
    timing.add(child);
    child.once('exit', () => timing.delete(child));
    return child;
  }) as typeof spawn;
  onInterrupt(() =>
    Promise.allSettled([...timing].map((child) => kill(child.pid!))).finally(() => {
      removeMadeFolders();
      process.exit(130);
    }),
  );
}

export async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Node's own start, under every program: the median of five, as one sample can land on a moment of load. */
export async function timeNodeStart(): Promise<number> {
  const samples: number[] = [];
  for (let sample = 0; sample < 5; sample++) samples.push(await timeMs(() => $`node -e 0`));
  return median(samples);
}

/** Why runs failed and were timed again: a busy machine can fail a check once; the section says so. */
export const rerun: string[] = [];
/** A second failure of the same run ends the bench: that is no longer the machine's bad moment. */
export async function timePassing(run: () => Promise<unknown>): Promise<number> {
  try {
    return await timeMs(run);
  } catch (error) {
    if (!(error instanceof WorkbookError)) throw error;
    rerun.push(error.message.replace(/; the benchmark only times passing runs$/, ''));
    process.stderr.write(`${error.message}: timing it again\n`);
    return timeMs(run);
  }
}

/** A command that must exit 0; its result, for what it printed. A failure names what the command marked with ✗. */
export async function mustPass<T extends { exitCode: number | null; stdout: string }>(
  command: Promise<T>,
  what: string,
): Promise<T> {
  const result = await command;
  if (result.exitCode === 0) return result;
  const marked = result.stdout
    .split('\n')
    .filter((line) => line.includes('✗'))
    .slice(0, 3)
    .map((line) => line.trim());
  const why = [`exit ${result.exitCode}`, ...marked].join('; ');
  throw new WorkbookError(`${what} failed (${why}); the benchmark only times passing runs`);
}

/**
 * A class of four learners who solved every lesson: copies of the reference solutions as their lessons. Without
 * `needsSandbox`, the lessons that need one (lesson 20 starts threads and processes) are left out, so a run inside
 * bubblewrap and one without it do the same work.
 */
export function solvedClass(needsSandbox = true): string {
  const folder = madeFolder('workbook-bench-class-');
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
export const SANDBOX_ONLY = ['20-processes-and-threads'];

interface Scenario {
  name: string;
  passed: boolean;
  reason: string | null;
}

/** Grading that must pass every lesson each learner has (the others are missing on purpose): its JSON report read. */
export async function mustGrade(command: Promise<unknown>, report: string, what: string): Promise<void> {
  await command;
  const grades = JSON.parse(readFileSync(report, 'utf8')) as {
    learners: { name: string; lessons: { slug: string; status: string; scenarios: Scenario[] }[] }[];
  };
  const failed = grades.learners.flatMap((learner) =>
    learner.lessons
      .filter((lesson) => lesson.status === 'fail')
      .flatMap((lesson) =>
        lesson.scenarios
          .filter((scenario) => !scenario.passed)
          .map((scenario) => `${learner.name} ${lesson.slug} ${scenario.name}: ${scenario.reason}`),
      ),
  );
  if (failed.length > 0)
    throw new WorkbookError(`${what} failed (${failed.join('; ')}); the benchmark only times passing runs`);
}

/** A program that does nothing, started as the runner starts one (wrappers, heap cap, preload): until it exits. */
export async function timeEmptyProgram(folder: string, options: LaunchOptions): Promise<number> {
  const file = join(folder, 'empty.ts');
  writeFileSync(file, 'export {};\n');
  // Graded as a learner's program is: with a compile cache of its own, warm after the first run.
  const compileCache = options.sandbox ? join(folder, 'compile-cache') : undefined;
  const launch = launchTypeScript(file, { ...options, readable: [folder], compileCache });
  return timeMs(
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(launch.command, launch.args, { stdio: 'ignore', env: { ...process.env, ...launch.env } });
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new WorkbookError(`an empty program exited with code ${code}`)),
        );
      }),
  );
}
