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
  const period = smallestPeriod(bytes);
  if (period !== undefined) {
    const unit = formatRuns(bytes.subarray(0, period));
    const grouped = /^"(?:[^"\\]|\\.)*"$/.test(unit) ? unit : `(${unit})`;
    return `${grouped} * ${bytes.length / period}`;
  }
  return formatRuns(bytes);
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
 * The shortest unit (at most MAX_PERIOD bytes) that the bytes repeat whole, at least twice, or undefined. Any such
 * unit's length is a multiple of the shortest period of a prefix twice MAX_PERIOD long (Fine and Wilf), so that
 * prefix's period, found in linear time, is the only candidate, checked once over the whole.
 */
function smallestPeriod(bytes: Buffer): number | undefined {
  const prefix = bytes.subarray(0, Math.min(bytes.length, 2 * MAX_PERIOD));
  // The prefix function: border[i] is the longest proper border of prefix[0..i].
  const border = new Int32Array(prefix.length);
  for (let i = 1, k = 0; i < prefix.length; i++) {
    while (k > 0 && prefix[i] !== prefix[k]) k = border[k - 1];
    if (prefix[i] === prefix[k]) k++;
    border[i] = k;
  }
  const period = prefix.length - border[prefix.length - 1];
  if (period > MAX_PERIOD || bytes.length % period !== 0 || bytes.length / period < 2) return undefined;
  return bytes.subarray(period).equals(bytes.subarray(0, bytes.length - period)) ? period : undefined;
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
