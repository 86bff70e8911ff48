// One learner's grading, started by the grader outside: a grader of its own in bubblewrap (or a child process), watched.
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lesson } from '../course/lessons.ts';
import { WORKBOOK_ROOT } from '../course/lessons.ts';
import type { LessonGrade } from '../grade/grades.ts';
import { allowedEnvironment } from '../run/environment.ts';
import { CappedLines } from '../run/messages.ts';
import { sandboxArguments, INSIDE } from './bwrap.ts';
import { CHANNEL_CAPS, hear, Malformed, type Asked } from './channel.ts';
import type { Job } from './inside.ts';
import type { SandboxPlan } from './plan.ts';
import type { StagedCourse } from './course.ts';

const INNER = fileURLToPath(new URL('./inside.ts', import.meta.url));
/** After its result, the grader inside has this long to exit before it is ended. */
const EXIT_GRACE_MS = 5000;
/** What is kept of its stderr, to say why it ended without a result. */
const STDERR_KEPT = 4096;

export interface LearnerRun {
  lessons: Lesson[];
  asked: Asked;
  root: string;
  /** The learner's copy, made outside. */
  copy: string;
  /** The staged course, for a sandbox. */
  course?: StagedCourse;
  user?: { uid: number; gid: number };
  concurrency: number;
  timing: Job['timing'];
  /** How long the whole grading may take before it is stopped. */
  limitMs: number;
  onScenario: (lesson: Lesson, passed: boolean) => void;
}

export type Outcome = { grades: LessonGrade[] } | { notGraded: string; internal: boolean };

/** Every running grader inside, so an interrupted run ends them all. */
const running = new Set<number>();

export function killAllGraders(): void {
  for (const pid of running) killTree(pid);
}

/** Ends a grader inside and what it started: its process group, or on Windows its process tree. */
function killTree(pid: number): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** The command that starts the grader inside: bwrap around it, or node alone. */
function command(run: LearnerRun, plan: SandboxPlan): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const inBwrap = plan.kind === 'bubblewrap';
  const job: Job = {
    root: inBwrap ? INSIDE.course : run.root,
    source: inBwrap ? INSIDE.source : run.copy,
    workIn: inBwrap ? join(INSIDE.tmp, 'work', basename(run.copy)) : undefined,
    lessons: run.lessons.map((lesson) => lesson.slug),
    repeat: run.asked.repeat,
    concurrency: run.concurrency,
    timing: run.timing,
    user: run.user,
    confinedByOs: inBwrap,
  };
  const node = [process.execPath, INNER, JSON.stringify(job)];
  if (!inBwrap) return { file: node[0], args: node.slice(1), env: allowedEnvironment() };
  const layout = {
    node: dirname(process.execPath),
    runner: ['scripts', 'node_modules', 'package.json'].map((name) => join(WORKBOOK_ROOT, name)),
    course: run.course!.dir,
    source: run.copy,
    nsswitch: run.course!.nsswitch,
  };
  return { file: plan.bwrap, args: [...sandboxArguments(layout), '--', ...node], env: {} };
}

/** Grades one learner and never throws: whatever happens inside, the outcome says so. */
export function gradeInside(run: LearnerRun, plan: SandboxPlan): Promise<Outcome> {
  return new Promise((resolve) => {
    const { file, args, env } = command(run, plan);
    // Its stdin stays open and silent: when this process ends, however it ends, the grader inside sees it close.
    const child = spawn(file, args, {
      cwd: tmpdir(),
      env,
      detached: true,
      windowsHide: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin!.on('error', () => {});
    let outcome: Outcome | undefined;
    let stderr = '';
    const settle = (value: Outcome): void => {
      outcome ??= value;
    };
    const stop = (value: Outcome): void => {
      settle(value);
      if (child.pid !== undefined) killTree(child.pid);
    };
    if (child.pid !== undefined) running.add(child.pid);
    const limit = setTimeout(
      () =>
        stop({
          notGraded: `its grading did not finish within ${Math.round(run.limitMs / 1000)} s, so it was stopped`,
          internal: false,
        }),
      run.limitMs,
    );
    const lines = new CappedLines(
      CHANNEL_CAPS,
      (line) => {
        if (outcome) return;
        try {
          const heard = hear(line, run.asked, run.lessons);
          if (heard.event === 'scenario') run.onScenario(heard.lesson, heard.passed);
          else if (heard.event === 'error') {
            // The error and where it was thrown: enough to report it.
            const [first, ...stack] = heard.message.split('\n');
            const at = stack.find((line) => /^\s+at /.test(line))?.trim();
            stop({ notGraded: `the grader failed while grading it: ${first}${at ? ` (${at})` : ''}`, internal: true });
          } else {
            settle({ grades: heard.grades });
            // The result is in: the grader inside has a moment to finish, then it is ended whatever it does.
            setTimeout(() => child.pid !== undefined && killTree(child.pid), EXIT_GRACE_MS).unref();
          }
        } catch (error) {
          if (error instanceof Malformed)
            stop({
              notGraded: `its grading sent something the grader does not send (${error.message}), so none of it was believed`,
              internal: false,
            });
          else
            stop({
              notGraded: `the grader failed while reading its result: ${(error as Error).message}`,
              internal: true,
            });
        }
      },
      () =>
        stop({
          notGraded: `its grading sent more than ${CHANNEL_CAPS.total >> 20} MB, so it was stopped`,
          internal: false,
        }),
    );
    child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < STDERR_KEPT) stderr += text.slice(0, STDERR_KEPT - stderr.length);
    });
    child.on('error', (error) => {
      settle({ notGraded: `its grading could not start: ${error.message}`, internal: true });
      // A process that never started never exits: nothing more will come.
      if (child.pid === undefined) {
        clearTimeout(limit);
        resolve(outcome!);
      }
    });
    // 'exit', not 'close': a process left behind could hold the pipes. What is still in them is read for a moment.
    child.on('exit', (code, signalName) => {
      clearTimeout(limit);
      if (child.pid !== undefined) running.delete(child.pid);
      const finish = (): void => {
        child.stdin!.destroy();
        child.stdout!.destroy();
        child.stderr!.destroy();
        const how = signalName ? `ended by ${signalName}` : `exit code ${code}`;
        const said = stderr
          .trim()
          .split('\n')
          .find((line) => line.trim() !== '');
        settle({
          notGraded: `its grading ended (${how}) without a result${said ? `: ${said.slice(0, 200)}` : ''}`,
          internal: false,
        });
        resolve(outcome!);
      };
      if (child.stdout!.readableEnded) return finish();
      const timer = setTimeout(finish, 1000);
      child.stdout!.once('end', () => {
        clearTimeout(timer);
        finish();
      });
    });
  });
}
