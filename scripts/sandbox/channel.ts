// What the grader inside a sandbox tells the grader outside, a JSON line at a time, and how the outside checks it.
import type { Lesson } from '../course/lessons.ts';
import { visible } from '../kernel/text.ts';
import { MAX_LINE, MAX_LINES, type Denied, type LessonGrade, type ScenarioGrade } from '../grade/grades.ts';

/** A lesson as the inside sends it: its scenarios' grades, over every run. */
export interface SentLesson {
  slug: string;
  durationMs: number;
  scenarios: ScenarioGrade[];
}

export type InsideEvent =
  | { event: 'scenario'; lesson: string; passed: boolean }
  | { event: 'result'; lessons: SentLesson[] }
  | { event: 'error'; message: string };

/** The most the outside reads: a result line (every scenario's transcript and what happened), and all lines. */
export const CHANNEL_CAPS = { line: 32 << 20, total: 48 << 20 };

/** What the outside asked for: each lesson's scenario names, in order, and the runs of each. */
export interface Asked {
  lessons: Map<string, string[]>;
  repeat: number;
}

const DENIED: (Denied | null)[] = ['write', 'process', 'worker', 'other', null];
/** Room for the `…(N more)` a capped line ends with. */
const LONGEST_LINE = MAX_LINE + 32;

/** One event as a line. A result too long for the channel gives up its transcripts, then what happened, until it fits. */
export function eventLine(event: InsideEvent): string {
  const line = JSON.stringify(event);
  if (event.event !== 'result' || Buffer.byteLength(line) < CHANNEL_CAPS.line) return `${line}\n`;
  const shorter = event.lessons.map((lesson) => ({
    ...lesson,
    scenarios: lesson.scenarios.map((scenario) => ({
      ...scenario,
      expected: '',
      actual: capLines(scenario.actual, 40),
    })),
  }));
  return `${JSON.stringify({ event: 'result', lessons: shorter })}\n`;
}

const capLines = (text: string, most: number): string => text.split('\n').slice(0, most).join('\n');

/** Why a value is not what the inside sends, or nothing when it is. */
class Malformed extends Error {}
const fail = (what: string): never => {
  throw new Malformed(what);
};

const isText = (value: unknown, most: number): value is string => typeof value === 'string' && value.length <= most;
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1e9;

function keysOnly(value: unknown, keys: string[], what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${what} is not an object`);
  const extra = Object.keys(value as object).filter((key) => !keys.includes(key));
  if (extra.length > 0) fail(`${what} has fields it should not (${extra.slice(0, 3).join(', ')})`);
  return value as Record<string, unknown>;
}

/** A block of lines (the transcript, what happened): within the caps, and only visible characters on each line. */
function checkBlock(value: unknown, what: string): string {
  if (!isText(value, (MAX_LINES + 1) * (LONGEST_LINE + 1))) fail(`${what} is not text of a report's size`);
  const lines = (value as string).split('\n');
  if (lines.length > MAX_LINES + 1 || lines.some((line) => line.length > LONGEST_LINE)) fail(`${what} is too long`);
  return lines.map(visible).join('\n');
}

function checkScenario(value: unknown, name: string, repeat: number, what: string): ScenarioGrade {
  const keys = ['name', 'program', 'passed', 'runs', 'flaky', 'durationMs', 'reason', 'denied', 'expected', 'actual'];
  const s = keysOnly(value, keys, what);
  if (s.name !== name) fail(`${what} is not the scenario ${name}`);
  if (!isText(s.program, 100) || !/^[\w.-]+\.ts$/.test(s.program as string)) fail(`${what} names no program`);
  const runs = s.runs;
  if (!Array.isArray(runs) || runs.length !== repeat || !runs.every((run) => typeof run === 'boolean'))
    fail(`${what} does not have ${repeat} runs`);
  const verdicts = runs as boolean[];
  if (s.passed !== verdicts.every(Boolean)) fail(`${what} passes otherwise than its runs`);
  if (s.flaky !== (verdicts.some(Boolean) && !verdicts.every(Boolean)))
    fail(`${what} is flaky otherwise than its runs`);
  if (!isTime(s.durationMs)) fail(`${what} has no duration`);
  if (!(s.reason === null ? s.passed : !s.passed && isText(s.reason, LONGEST_LINE)))
    fail(`${what} has a reason that does not fit its verdict`);
  if (!DENIED.includes(s.denied as Denied | null)) fail(`${what} says something unknown was denied`);
  return {
    name,
    program: s.program as string,
    passed: s.passed as boolean,
    runs: verdicts,
    flaky: s.flaky as boolean,
    durationMs: s.durationMs as number,
    reason: s.reason === null ? null : visible(s.reason as string),
    denied: s.denied as Denied | null,
    expected: checkBlock(s.expected, `${what}'s transcript`),
    actual: checkBlock(s.actual, `${what}'s record`),
  };
}

/** The result, lesson by lesson, checked against what was asked: exactly those lessons, each scenario once, in order. */
function checkResult(value: Record<string, unknown>, asked: Asked, lessons: Lesson[]): LessonGrade[] {
  const sent = value.lessons;
  if (!Array.isArray(sent) || sent.length !== asked.lessons.size)
    fail('the result does not hold every lesson asked for');
  return (sent as unknown[]).map((item, index) => {
    const lesson = keysOnly(item, ['slug', 'durationMs', 'scenarios'], `lesson ${index + 1}`);
    const names = asked.lessons.get(lesson.slug as string);
    const known = lessons.find((candidate) => candidate.slug === lesson.slug);
    if (!names || !known || lessons.indexOf(known) !== index) fail(`lesson ${index + 1} is not the one asked for`);
    if (!isTime(lesson.durationMs)) fail(`${known!.slug} has no duration`);
    const scenarios = lesson.scenarios;
    if (!Array.isArray(scenarios) || scenarios.length !== names!.length) fail(`${known!.slug} lacks scenarios`);
    const grades = (scenarios as unknown[]).map((scenario, at) =>
      checkScenario(scenario, names![at], asked.repeat, `${known!.slug} ${names![at]}`),
    );
    return {
      lesson: known!,
      status: grades.every((grade) => grade.passed) ? 'pass' : 'fail',
      scenarios: grades,
      total: names!.length,
      names: names!,
      durationMs: lesson.durationMs as number,
    };
  });
}

export type Heard =
  | { event: 'scenario'; lesson: Lesson; passed: boolean }
  | { event: 'result'; grades: LessonGrade[] }
  | { event: 'error'; message: string };

/**
 * One line from inside, checked field by field: the grader inside shares its sandbox with the learner's programs, so
 * the outside believes nothing it cannot check. `lessons` are the ones asked for, in order. Throws a sentence.
 */
export function hear(line: string, asked: Asked, lessons: Lesson[]): Heard {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail('a line is not JSON');
  }
  const event = (value as { event?: unknown } | null)?.event;
  if (event === 'scenario') {
    const v = keysOnly(value, ['event', 'lesson', 'passed'], 'a scenario event');
    const lesson = lessons.find((candidate) => candidate.slug === v.lesson);
    if (!lesson || typeof v.passed !== 'boolean') fail('a scenario event names no lesson asked for');
    return { event, lesson: lesson!, passed: v.passed as boolean };
  }
  if (event === 'result')
    return { event, grades: checkResult(keysOnly(value, ['event', 'lessons'], 'the result'), asked, lessons) };
  if (event === 'error') {
    const v = keysOnly(value, ['event', 'message'], 'an error');
    if (!isText(v.message, 2000)) fail('an error has no message');
    return { event, message: (v.message as string).split('\n').map(visible).join('\n') };
  }
  return fail('a line is no event the grader sends');
}

export { Malformed };
