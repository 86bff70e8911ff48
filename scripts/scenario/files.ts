// Files a program writes: the folder made for each run (`{dir}`), and `= PATH: TEXT`, read once the program has exited.
import {
  chownSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { canonicalOutput, matchesTemplate, toTemplate } from '../transcript/placeholders.ts';
import { formatStep } from '../transcript/format.ts';
import { RUN_DIR, type Step } from '../transcript/parse.ts';
import type { ScenarioContext } from './context.ts';
import { confinedFile } from './confine.ts';
import { judge } from './expectations.ts';
import { shownLine } from './leftovers.ts';
import { plural, seconds } from '../kernel/text.ts';
import { waitFor } from '../run/wait.ts';

/** A transcript that names `{dir}` gets a fresh folder of its own, which the program may write in even when graded. */
export function prepareRunDir(context: ScenarioContext, text: string): void {
  if (!text.includes(RUN_DIR)) return;
  const dir = mkdtempSync(join(tmpdir(), 'workbook-run-'));
  // A learner graded as a user of their own must be able to write in it: theirs, like their copy.
  const owner = context.options.sandbox;
  if (typeof owner === 'object' && owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid ?? owner.uid);
  context.facts.dir = dir;
  context.writable.push(dir);
}

/** `{dir}` in a program's argument is the run's own folder. */
export function withRunDir(context: ScenarioContext, text: string): string {
  return context.facts.dir === undefined ? text : text.split(RUN_DIR).join(context.facts.dir);
}

/** Runs that write in the same folder take turns (repeats of one scenario, two scenarios of a lesson): each finds it as the last one left it. */
const turns = new Map<string, Promise<void>>();

/** Waits for the folder's turn, then notes what it holds: whatever else is there after the run, the run wrote. */
export async function takeWritable(context: ScenarioContext, folder: string): Promise<void> {
  if (context.heldBefore.has(folder)) return; // Named twice in one transcript: this run's turn already.
  const before = turns.get(folder) ?? Promise.resolve();
  let release = (): void => {};
  const mine = before.then(() => new Promise<void>((resolve) => (release = resolve)));
  turns.set(folder, mine);
  await before;
  const held = existsSync(folder) ? new Set(readdirSync(folder, { recursive: true }).map(String)) : undefined;
  context.heldBefore.set(folder, {
    held,
    release: () => {
      if (turns.get(folder) === mine) turns.delete(folder);
      release();
    },
  });
}

/** What the run wrote: its own folder, and what is new in its `[writable DIR]` folders, which it then hands on. */
export function removeRunFiles(context: ScenarioContext): void {
  const written = [...context.heldBefore].flatMap(([folder, { held }]) => {
    if (held === undefined) return [folder];
    if (!existsSync(folder)) return [];
    return readdirSync(folder, { recursive: true })
      .map(String)
      .filter((entry) => !held.has(entry))
      .map((entry) => join(folder, entry));
  });
  for (const path of [...(context.facts.dir === undefined ? [] : [context.facts.dir]), ...written]) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // A folder the program made its own and closed: left for the sandbox's end, or the system's temporary cleaning.
    }
  }
  for (const { release } of context.heldBefore.values()) release();
}

/** The most of a checked file the runner reads: a transcript expects a few lines. */
const MOST_FILE_BYTES = 1 << 20;

/** The file's lines (its first MiB), or undefined when there is no such regular file. */
function readLines(path: string): string[] | undefined {
  let text: string;
  try {
    // Opened without waiting, then checked: a pipe put in the file's place would never end.
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      if (!fstatSync(fd).isFile()) return undefined;
      const buffer = Buffer.alloc(MOST_FILE_BYTES);
      text = buffer.subarray(0, readSync(fd, buffer, 0, MOST_FILE_BYTES, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** `= PATH: TEXT`: the next line of the file, once the program has exited and so has finished writing it. */
export async function expectFileLine(
  context: ScenarioContext,
  step: Step,
  path: string,
  template: string,
): Promise<void> {
  const program = context.program!;
  const outcome = await waitFor(context.changes, () => program.exit, context.stepTimeoutMs);
  if ('timedOut' in outcome)
    context.stop(
      step,
      `Waited ${seconds(outcome.waitedMs)} for the program to exit so that ${path} is complete, but it is still running.`,
    );
  let file = context.files.get(path);
  if (!file) {
    const lines = readLines(confinedFile(context, step, resolve(context.options.cwd, withRunDir(context, path))));
    if (lines === undefined)
      context.stop(step, `Expected ${path} to hold ${shownLine(template)}, but the program never wrote that file.`);
    file = { lines: lines!, next: 0 };
    context.files.set(path, file);
  }
  if (file.next >= file.lines.length)
    context.stop(
      step,
      `Expected line ${file.next + 1} of ${path} to be ${shownLine(template)}, but the file ends after ${plural(file.lines.length, 'line')}.`,
    );
  const actual = canonicalOutput(file.lines[file.next++].replace(/\r$/, ''), context.facts);
  judge(context, step, matchesTemplate(template, actual, context.facts), () => ({
    message: `Expected line ${file.next} of ${path} to be ${shownLine(template)}, but it is ${shownLine(actual)}.`,
    recorded: formatStep({ kind: 'file', path, text: toTemplate(actual, context.facts) }),
  }));
}

/** Lines of a checked file that no step expected: the file holds more than the transcript says. */
export function recordFileLeftovers(context: ScenarioContext): void {
  for (const [path, file] of context.files) {
    const extra = file.lines.slice(file.next);
    if (extra.length === 0) continue;
    context.record(...extra.map((line) => formatStep({ kind: 'file', path, text: toTemplate(line, context.facts) })));
    context.failure ??= {
      message: `${path} holds more lines than the transcript expects, starting with ${shownLine(extra[0])}.`,
    };
  }
}
