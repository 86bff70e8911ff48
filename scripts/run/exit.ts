// How a program ended, in words: what Node's exit codes and signals mean, and the stderr line that says what went wrong.
import { constants } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Ending {
  code: number | null;
  signal: string | null;
}

// The codes Node itself gives meaning to (nodejs.org/api/process.html#exit-codes), said as a learner needs them.
const NODE_CODES: Record<number, string> = {
  0: 'it ended by itself, as a program does when nothing is left to wait for (no listening server, no open socket, no timer) or when it calls process.exit(0)',
  5: 'a fatal error in V8, most often the heap running out of memory',
  7: "an 'uncaughtException' handler threw an error of its own",
  9: 'Node was given an option it does not know, or an option without its value',
  12: 'an --inspect option named a port that could not be used',
  13: 'a top-level `await` never settled: the program waited for a promise that nothing was left to resolve, so Node ended it',
};

const SIGNALS: Record<string, string> = {
  SIGINT: 'Ctrl-C',
  SIGTERM: 'asked to stop',
  SIGKILL: 'killed outright, often by the system for using too much memory',
  SIGSEGV: 'a crash in native code',
  SIGABRT: 'aborted, as V8 does when the heap runs out',
  SIGPIPE: 'it wrote to a pipe nobody reads',
};

/** A signal's number back to its name: exit code 130 is 128 + 2, SIGINT. */
function signalNamed(number: number): string | undefined {
  return Object.entries(constants.signals).find(([, value]) => value === number)?.[0];
}

/** How the program ended, as a clause: `exited with code 13`, `was ended by SIGKILL`. */
export function endingSaid({ code, signal }: Ending): string {
  return signal ? `was ended by ${signal}` : `exited with code ${code}`;
}

/** What that ending means, when Node gives it a meaning: code 13 is a top-level `await` that never settled. */
export function endingMeaning({ code, signal }: Ending): string | undefined {
  if (signal) return SIGNALS[signal];
  if (code === null) return undefined;
  if (NODE_CODES[code]) return NODE_CODES[code];
  const signalName = code > 128 ? signalNamed(code - 128) : undefined;
  return signalName && `128 + ${code - 128}, how a program says that ${signalName} ended it`;
}

// `TypeError: x is not a function`, `Error [ERR_X]: ...`, `Uncaught 'text'`: the line that names what went wrong.
const ERROR_LINE = /^(?:Uncaught )?(?:[A-Z]\w*(?:Error|Exception)|Error)(?: \[[A-Z0-9_]+\])?: \S/;
// The lines around it that say nothing by themselves: where (`node:events:502`, `file:///x.ts:4`), the source line
// under such a header and its caret, stack frames, Node's version, and a blank line.
const LOCATION = /^(?:file:\/\/\S+|node:[\w/]+|\/\S+|[A-Za-z]:\\\S+):\d+$/;
const NOISE = /^(?:\s*$|\s+at |\s*\^+\s*$|Node\.js v\d|Emitted 'error' event|\(Use `node --trace)/;

/** The stderr line that says what went wrong: an error's first line, else the first line with words of its own. */
export function crashLine(stderr: string[] | undefined): string | undefined {
  if (!stderr) return undefined;
  const error = stderr.find((line) => ERROR_LINE.test(line));
  if (error) return capped(error);
  for (let index = 0; index < stderr.length; index++) {
    // A location header is followed by the source line it points into: neither is the message.
    if (LOCATION.test(stderr[index])) {
      index++;
      continue;
    }
    if (!NOISE.test(stderr[index])) return capped(stderr[index].trim());
  }
  return undefined;
}

const capped = (line: string): string => (line.length <= 200 ? line : `${line.slice(0, 199)}…`);

// Where a crash was, best first: a stack frame (line and column), a source header (`file:///x.ts:18`), Node 22's
// warning about an unsettled top-level await.
const PLACES = [
  /^\s+at (?:.*\()?((?:file:\/\/)?(?:\/|[A-Za-z]:)[^():]*\.[mc]?[jt]s):(\d+):(\d+)\)?$/,
  /^((?:file:\/\/)?(?:\/|[A-Za-z]:)[^():]*\.[mc]?[jt]s):(\d+)$/,
  /unsettled top-level await at ((?:file:\/\/)?\S+\.[mc]?[jt]s):(\d+)/,
];

/** Where the program was when it failed: in a file of its own (not node_modules), relative to `cwd`. */
export function crashLocation(stderr: string[] | undefined, cwd: string): string | undefined {
  for (const place of PLACES) {
    for (const line of stderr ?? []) {
      const found = place.exec(line);
      if (!found || found[1].includes('node_modules')) continue;
      const file = found[1].startsWith('file://') ? fileURLToPath(found[1]) : found[1];
      return `${relative(cwd, file) || file}:${found[2]}${found[3] ? `:${found[3]}` : ''}`;
    }
  }
  return undefined;
}
