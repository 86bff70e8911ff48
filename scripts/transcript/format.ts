// Writes steps back as transcript lines: how the runner records what actually happened, in the transcript's format.
import { FLOOD_LIMIT, parseLine, type ClientAction, type StepBody } from './parse.ts';

// The inverse of parseQuotedBytes: printable ASCII stays readable, everything else is escaped.
export function quoteBytes(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 10) out += '\\n';
    else if (byte === 13) out += '\\r';
    else if (byte === 9) out += '\\t';
    else if (byte === 92) out += '\\\\';
    else if (byte === 34) out += '\\"';
    else if (byte >= 32 && byte < 127) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}

// Writes a step back as a transcript line: how the runner records what actually happened.
export function formatStep(step: StepBody): string {
  switch (step.kind) {
    case 'comment':
      return step.text;
    case 'busy':
      return `[busy ${step.port}]`;
    case 'timeout':
      return `[timeout ${step.ms}ms]`;
    case 'output':
      return `[output ${step.bytes} bytes]`;
    case 'writable':
      return `[writable ${step.path}]`;
    case 'background':
      return ['&', step.path, ...step.args.map(quoteArgument)].join(' ');
    case 'start':
      return ['$', step.program, ...step.args.map(quoteArgument)].join(' ');
    case 'stdin':
      return step.text === null ? '< ^D' : `< ${step.text}`;
    case 'stdout':
      return looksLikeStep(step.text) ? `\\${step.text}` : step.text;
    case 'stderr':
      return `! ${step.text}`;
    case 'skip':
      return step.stream === 'stdout' ? '...' : '! ...';
    case 'file':
      return step.text === '' ? `= ${step.path}:` : `= ${step.path}: ${step.text}`;
    case 'interrupt':
      return '^C';
    case 'exit':
      return `[exit ${step.code}]`;
    case 'client':
      if (step.action.verb === 'line')
        return step.action.text === '' ? `${step.client}>` : `${step.client}> ${step.action.text}`;
      return `${step.client}: ${formatAction(step.action)}`;
  }
}

function formatAction(action: ClientAction): string {
  switch (action.verb) {
    case 'connect':
    case 'udp':
      return action.port === undefined ? action.verb : `${action.verb} ${action.port}`;
    case 'send':
    case 'recv':
      return `${action.verb} ${formatBytes(action.bytes)}`;
    case 'count':
      return action.min === action.max ? `recv ${action.min} bytes` : `recv ${action.min}..${action.max} bytes`;
    case 'silent':
      return `silent ${action.ms}ms`;
    case 'flood':
      return action.most === FLOOD_LIMIT ? 'flood' : `flood ${action.most}`;
    default:
      return action.verb;
  }
}

/** The longest repeated unit a transcript line is written with: a line of a flood, or a 64 KiB message and its header. */
const MAX_PERIOD = 65536 + 64;
/** Repeated stretches written as such, one after another, before the rest is written plainly. */
const MAX_STRETCHES = 8;
/** A run of one byte at least this long is written as `"x" * N`. */
const MIN_RUN = 16;

/**
 * Bytes as a transcript would write them: a long repetition of a unit as `"unit" * N` (a unit that is not one
 * string in parentheses: `("x" * 999 "\n") * 6000`), long runs of one byte as `"x" * N`, the rest quoted; or, when
 * that is longer than `limit` characters, `N bytes`, so a sentence stays short.
 */
export function formatBytes(bytes: Buffer, limit = Infinity): string {
  const written = writeBytes(bytes);
  return written.length <= limit ? written : `${bytes.length} bytes`;
}

function writeBytes(bytes: Buffer): string {
  if (bytes.length <= 64) return quoteBytes(bytes);
  const parts: string[] = [];
  let rest = bytes;
  // A few repeated stretches in a row (8000 lines, then an empty one); past that, runs of one byte are enough.
  for (let stretch = 0; stretch < MAX_STRETCHES && rest.length > 64; stretch++) {
    const repeated = leadingRepetition(rest);
    if (!repeated) break;
    const unit = formatRuns(rest.subarray(0, repeated.period));
    parts.push(`${/^"(?:[^"\\]|\\.)*"$/.test(unit) ? unit : `(${unit})`} * ${repeated.times}`);
    rest = rest.subarray(repeated.period * repeated.times);
  }
  if (rest.length > 0) parts.push(formatRuns(rest));
  return parts.join(' ');
}

/** Runs of one byte as `"x" * N`, everything between them quoted. */
function formatRuns(bytes: Buffer): string {
  const parts: string[] = [];
  let start = 0;
  let index = 0;
  while (index < bytes.length) {
    let end = index + 1;
    while (end < bytes.length && bytes[end] === bytes[index]) end++;
    if (end - index >= MIN_RUN) {
      if (start < index) parts.push(quoteBytes(bytes.subarray(start, index)));
      parts.push(`${quoteBytes(bytes.subarray(index, index + 1))} * ${end - index}`);
      start = end;
    }
    index = end;
  }
  if (start < bytes.length || parts.length === 0) parts.push(quoteBytes(bytes.subarray(start)));
  return parts.join(' ');
}

/**
 * The shortest unit (at most MAX_PERIOD bytes) that the bytes begin with at least twice, 64 bytes or more in all, and
 * how many times. The prefix function of a prefix twice MAX_PERIOD long gives that prefix's shortest period in linear
 * time; the whole units are then counted from the start.
 */
function leadingRepetition(bytes: Buffer): { period: number; times: number } | undefined {
  const prefix = bytes.subarray(0, Math.min(bytes.length, 2 * MAX_PERIOD));
  // border[i] is the length of the longest proper border of prefix[0..i].
  const border = new Int32Array(prefix.length);
  for (let i = 1, k = 0; i < prefix.length; i++) {
    while (k > 0 && prefix[i] !== prefix[k]) k = border[k - 1];
    if (prefix[i] === prefix[k]) k++;
    border[i] = k;
  }
  const period = prefix.length - border[prefix.length - 1];
  if (period > MAX_PERIOD || 2 * period > prefix.length) return undefined;
  const unit = bytes.subarray(0, period);
  let times = 1;
  while ((times + 1) * period <= bytes.length && unit.equals(bytes.subarray(times * period, (times + 1) * period)))
    times++;
  return times >= 2 && times * period >= 64 ? { period, times } : undefined;
}

function quoteArgument(arg: string): string {
  return arg === '' || /[\s"]/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg;
}

// A printed line that would parse as something else, or not at all, needs a leading backslash.
function looksLikeStep(text: string): boolean {
  try {
    return (
      text.startsWith('\\') ||
      parseLine(text, () => {
        throw new Error();
      }).kind !== 'stdout'
    );
  } catch {
    return true;
  }
}
