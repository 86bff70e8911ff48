// A class's grades: per scenario (over --repeat runs), per lesson and per learner, with the notes an instructor reads.
import { twoDigits, type Lesson } from '../course/lessons.ts';
import { MEMORY_CAP_MB } from '../run/program.ts';
import { visible } from '../kernel/text.ts';
import { failureSentence } from '../scenario/explain.ts';
import type { ScenarioResult } from '../scenario/scenario.ts';

export interface ScenarioGrade {
  name: string;
  program: string;
  passed: boolean;
  /** Every run's verdict, in order: more than one with --repeat. */
  runs: boolean[];
  /** Not the same verdict every time. */
  flaky: boolean;
  durationMs: number;
  /** One sentence about why it failed (its first failing run), or null. */
  reason: string | null;
  /** What the permission model stopped, if that is why it failed. */
  denied: Denied | null;
  /** The expected transcript and what happened, for the first failing run. */
  expected: string;
  actual: string;
}

export interface LessonGrade {
  lesson: Lesson;
  status: 'pass' | 'fail' | 'missing';
  scenarios: ScenarioGrade[];
  total: number;
  /** Every scenario's name, run or not: a missing lesson is one failing test per scenario. */
  names: string[];
  durationMs: number;
}

export interface LearnerGrade {
  name: string;
  dir: string;
  lessons: LessonGrade[];
  notes: string[];
  /** Why this learner's grading gave no result (it crashed, hung past its limit, or sent something malformed). */
  notGraded?: string;
}

/** What confined the learners' grading: bubblewrap, or only the runner's own defences, and what that leaves out. */
export interface Confinement {
  /** Each learner graded in a sandbox of bubblewrap's. */
  bubblewrap: boolean;
  /** One sentence for the top of every report. */
  headline: string;
  /** What a sandbox would add and this run did not have: empty inside bubblewrap. */
  missing: string[];
}

export interface ClassGrade {
  lessons: Lesson[];
  learners: LearnerGrade[];
  repeat: number;
  /** Graded as someone else's code (--work): confined, limited, as a user of its own where possible. */
  sandbox: boolean;
  /** One sentence: what kept learners apart (empty when not grading). */
  isolation: string;
  /** Set when grading as someone else's code. */
  confinement?: Confinement;
  /** Learners graded side by side at most. */
  learnersAtOnce?: number;
  /** The grader itself failed somewhere (a bug to report): the run ends with exit code 3, after its reports. */
  internalError?: string;
  durationMs: number;
}

/** The most characters of one line a report quotes, and the most lines of one transcript. */
export const MAX_LINE = 300;
export const MAX_LINES = 400;

/**
 * One line as a report quotes it: its control characters written out (`\x1b`), so it cannot move or recolour the
 * instructor's terminal, then at most MAX_LINE characters and how many more there were.
 */
export function capLine(text: string): string {
  const line = visible(text);
  if (line.length <= MAX_LINE) return line;
  // Never cut a surrogate pair in two.
  const cut = /[\uD800-\uDBFF]/.test(line[MAX_LINE - 1]) ? MAX_LINE - 1 : MAX_LINE;
  return `${line.slice(0, cut)}…(${line.length - cut} more)`;
}

/** A quoted block: every line capped, and at most MAX_LINES of them. */
export function capText(text: string): string {
  const lines = text.split('\n');
  const shown = lines.slice(0, MAX_LINES).map(capLine);
  if (lines.length > MAX_LINES) shown.push(`…(${lines.length - MAX_LINES} more lines)`);
  return shown.join('\n');
}

export type Denied = 'write' | 'process' | 'worker' | 'other';

const DENIED_SENTENCES: Record<Denied, string> = {
  write: 'The program tried to write a file, which grading does not allow',
  process: 'The program tried to start another process, which grading allows only in a sandbox (bubblewrap)',
  worker: 'The program tried to start a worker thread, which grading allows only in a sandbox (bubblewrap)',
  other: 'The program used something grading does not allow',
};

/** The code a refusal shows on stderr: Node's permission model's, or the system's (a read-only copy in bubblewrap). */
function refusal(text: string): string | undefined {
  if (/ERR_ACCESS_DENIED|Access to this API has been restricted/.test(text)) return 'ERR_ACCESS_DENIED';
  return /\b(EACCES|EPERM|EROFS)\b/.exec(text)?.[1];
}

/** Which permission the model denied, read from the program's stderr (Node prints the stack of ERR_ACCESS_DENIED). */
export function deniedBy(stderr: string[] | undefined): Denied | null {
  const text = (stderr ?? []).join('\n');
  const code = refusal(text);
  if (!code) return null;
  // The system refuses more than writes (a port below 1024, a signal): only a refused write is grading's rule.
  if (code !== 'ERR_ACCESS_DENIED')
    return /writeFile|appendFile|mkdir|createWriteStream|copyFile|rename|unlink|rmSync|rmdir|symlink/.test(text)
      ? 'write'
      : null;
  if (/FileSystemWrite|node:fs|fs\/promises|writeFile|appendFile|mkdir|createWriteStream/.test(text)) return 'write';
  if (/ChildProcess|child_process|spawn|execSync|execFile|fork/.test(text)) return 'process';
  if (/WorkerThreads|node:internal\/worker/.test(text)) return 'worker';
  return 'other';
}

/** The heap ran out: V8 says so on stderr before it aborts. */
function outOfMemory(stderr: string[] | undefined): boolean {
  return (stderr ?? []).some((line) => /heap out of memory|Reached heap limit/.test(line));
}

/** One sentence: why the scenario failed. */
export function reasonFor(result: ScenarioResult, cwd: string): { reason: string; denied: Denied | null } {
  const failure = result.failure!;
  const denied = deniedBy(failure.stderr);
  if (denied) return { reason: `${DENIED_SENTENCES[denied]} (${refusal(failure.stderr!.join('\n'))}).`, denied };
  if (outOfMemory(failure.stderr))
    return { reason: `The program used more than its ${MEMORY_CAP_MB} MB of memory, so it was stopped.`, denied: null };
  return { reason: failureSentence(failure, cwd), denied: null };
}

/** Several runs of one scenario as one grade: it passes only if every run passed. */
export function gradeScenario(runs: ScenarioResult[], cwd: string): ScenarioGrade {
  const verdicts = runs.map((run) => run.passed);
  const failing = runs.find((run) => !run.passed);
  const why = failing ? reasonFor(failing, cwd) : null;
  const shown = failing ?? runs[0];
  return {
    name: runs[0].name,
    program: runs[0].program,
    passed: verdicts.every(Boolean),
    runs: verdicts,
    flaky: verdicts.some(Boolean) && verdicts.some((v) => !v),
    durationMs: Math.max(...runs.map((run) => run.durationMs)),
    reason: why ? capLine(why.reason) : null,
    denied: why?.denied ?? null,
    expected: capText(shown.expected),
    actual: capText(shown.actual),
  };
}

export const passedCount = (grade: LessonGrade): number => grade.scenarios.filter((s) => s.passed).length;
export const stagesPassed = (learner: LearnerGrade): number =>
  learner.lessons.filter((l) => l.status === 'pass').length;
export const short = (lesson: Lesson): string => twoDigits(lesson.number);

/** Notes per learner: missing lessons, extra files, denied access, flaky scenarios. */
export function learnerNotes(learner: LearnerGrade): string[] {
  const notes = [...learner.notes];
  const missing = learner.lessons.filter((l) => l.status === 'missing').map((l) => short(l.lesson));
  if (missing.length > 0) notes.push(`missing lesson${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
  for (const grade of learner.lessons) {
    for (const scenario of grade.scenarios) {
      if (scenario.denied) notes.push(`${grade.lesson.slug} ${scenario.name}: ${scenario.reason}`);
      if (scenario.flaky)
        notes.push(
          `${grade.lesson.slug} ${scenario.name}: flaky, ${scenario.runs.map((r) => (r ? 'pass' : 'fail')).join(' ')}`,
        );
    }
  }
  return notes.map(capLine);
}
