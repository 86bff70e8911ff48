// Command-line arguments for every command: declared flags, one-line usage errors, and `--help` that shows them.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HelpRequested, WorkbookError } from './errors.ts';

/** What `--help` prints: the usage line (also shown under an argument error), the flags, and one example. */
export interface CommandHelp {
  usage: string;
  /** One sentence: what the command does. */
  about: string;
  /** `[flag as typed, what it does]`, in the order a reader needs them. */
  flags: [string, string][];
  example: string;
}

export function helpText(help: CommandHelp): string {
  const flags: [string, string][] = [...help.flags, ['-h, --help', 'show this help']];
  const width = Math.max(...flags.map(([flag]) => flag.length));
  const lines = flags.map(([flag, what]) => `  ${flag.padEnd(width)}  ${what}`);
  return [`usage: ${help.usage}`, '', help.about, '', ...lines, '', `example: ${help.example}`].join('\n');
}

/** parseArgs, with its errors turned into one-line usage errors that name the fix, and `--help` answered. */
export function parseCommandLine<T extends ParseArgsConfig['options']>(args: string[], options: T, help: CommandHelp) {
  if (args.includes('--help') || args.includes('-h')) throw new HelpRequested(helpText(help));
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new WorkbookError(`${argumentError(error as NodeJS.ErrnoException, help)}\nusage: ${help.usage}`);
  }
}

/** parseArgs's refusal in one sentence of ours: its own text for an unknown option ends in an unbalanced quote. */
function argumentError(error: NodeJS.ErrnoException, help: CommandHelp): string {
  const command = /^npm run \S+/.exec(help.usage)?.[0] ?? 'the command';
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown)
    return `unknown option ${unknown[1]}: ${command} -- --help lists the ones there are`;
  const missing = /^Option '(\S+) <value>' argument missing/.exec(error.message);
  if (missing) return `${missing[1]} needs a value after it`;
  return error.message.split('\n')[0];
}

/** Node's timers hold at most 2^31-1 ms; a larger value would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A flag that takes a whole number, and the words its error uses: `--repeat takes a number of runs from 1 to 100`. */
export interface WholeNumberFlag {
  flag: string;
  min: number;
  max: number;
  /** What the number counts, as the error says it (default: `a whole number`). */
  unit?: string;
  /** Why the range is what it is, said in brackets after it. */
  why?: string;
  /** A usage line for the error's second line. */
  usage?: string;
}

/** Digits only, within the range: Number('') is 0 and Number('1e3') is 1000, neither what was meant. */
export function parseWholeNumber(
  text: string,
  { flag, min, max, unit = 'a whole number', why, usage }: WholeNumberFlag,
) {
  const value = Number(text);
  if (/^\d+$/.test(text) && value >= min && value <= max) return value;
  const range = `from ${min} to ${max}${why ? ` (${why})` : ''}`;
  throw new WorkbookError(`${flag} takes ${unit} ${range}, got '${text}'${usage ? `\nusage: ${usage}` : ''}`);
}

export function parseTimeout(text: string | undefined, fallback: number, flag = '--timeout'): number {
  if (text === undefined) return fallback;
  return parseWholeNumber(text, { flag, min: 100, max: MAX_TIMER_MS, unit: 'milliseconds' });
}
