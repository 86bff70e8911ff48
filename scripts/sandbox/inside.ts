// The grader for one learner, started by the grader outside (in bubblewrap, or as a plain child): it writes JSON lines.
import { chmodSync, chownSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listLessons } from '../course/lessons.ts';
import { gradeLessons } from '../grade/class.ts';
import { stopProgramsOnInterrupt } from '../run/interrupt.ts';
import { killAllProgramsNow } from '../run/program.ts';
import { eventLine, type InsideEvent } from './channel.ts';

/** What the grader outside asks for, as the one argument. */
export interface Job {
  /** The course to read transcripts from: the staged one inside a sandbox, the workbook itself outside. */
  root: string;
  /** The learner's copy, made by the grader outside. */
  source: string;
  /** Inside a sandbox: where to copy it, in the private /tmp, so the programs' files count against its size. */
  workIn?: string;
  lessons: string[];
  repeat: number;
  concurrency: number;
  timing: { stepTimeoutMs: number; startTimeoutMs: number; outputCap: number };
  /** The learner's own user, as root: the programs run as it, never as the grader. */
  user?: { uid: number; gid: number };
  /** Inside bubblewrap: the sandbox confines the programs; Node's permission model is not added. */
  confinedByOs: boolean;
}

/**
 * Node's compile cache for this learner's programs, theirs to write: in bubblewrap's private /tmp, else in the scratch
 * folder around their copy, which the grader outside removes.
 */
function learnersCompileCache(job: Job): string {
  const folder = join(job.workIn ? tmpdir() : dirname(job.source), 'compile-cache');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (job.user) chownSync(folder, job.user.uid, job.user.gid);
  return folder;
}

/** The channel: this process's stdout, which no program it starts shares (each gets pipes of its own). */
const send = (event: InsideEvent): void => void process.stdout.write(eventLine(event));

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as Job;
  let dir = job.source;
  if (job.workIn) {
    // Read-only for the learner's programs (root's, 0755): they may write only where a transcript lets them.
    cpSync(job.source, job.workIn, { recursive: true, verbatimSymlinks: true });
    chmodSync(job.workIn, 0o755);
    dir = job.workIn;
  }
  const compileCache = learnersCompileCache(job);
  const wanted = new Set(job.lessons);
  const lessons = listLessons(job.root).filter((lesson) => wanted.has(lesson.slug));
  const grades = await gradeLessons(
    {
      lessons,
      dir,
      root: job.root,
      repeat: job.repeat,
      concurrency: job.concurrency,
      sandbox: { ...job.user, readable: [dir], confinedByOs: job.confinedByOs, compileCache },
      onScenario: (lesson, passed) => send({ event: 'scenario', lesson: lesson.slug, passed }),
    },
    { ...job.timing, sandbox: true },
  );
  send({
    event: 'result',
    lessons: grades.map((grade) => ({
      slug: grade.lesson.slug,
      durationMs: grade.durationMs,
      scenarios: grade.scenarios,
    })),
  });
}

stopProgramsOnInterrupt();
// The grader outside holds this process's stdin open and never writes: its end means that grader is gone (killed,
// its terminal closed), and this one goes too, with every program it started.
process.stdin.on('end', () => {
  killAllProgramsNow();
  process.exit(130);
});
process.stdin.resume();
main().then(
  // Once the result is written out (a pipe may take it in pieces), nothing is left to do.
  () => process.stdout.write('', () => process.exit(0)),
  (error: unknown) => {
    send({ event: 'error', message: `${(error as Error)?.stack ?? error}`.slice(0, 2000) });
    process.stdout.write('', () => process.exit(3));
  },
);
