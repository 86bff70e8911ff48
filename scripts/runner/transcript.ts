import { WorkbookError } from './errors.ts';
import { unknownPlaceholder } from './normalise.ts';

// The parsed form of a transcript: one step per meaningful line, each remembering its source line.
export type ClientAction =
  | { verb: 'connect'; port?: number }
  | { verb: 'send'; bytes: Buffer }
  | { verb: 'recv'; bytes: Buffer }
  | { verb: 'eof' }
  | { verb: 'reset' }
  | { verb: 'silent'; ms: number }
  | { verb: 'end' }
  | { verb: 'close' }
  | { verb: 'abort' };

export type StepBody =
  | { kind: 'comment'; text: string }
  | { kind: 'busy'; port: number }
  | { kind: 'start'; program: string; args: string[] }
  | { kind: 'stdout'; text: string }
  | { kind: 'stderr'; text: string }
  | { kind: 'interrupt' }
  | { kind: 'exit'; code: number }
  | { kind: 'client'; client: string; action: ClientAction };

export type Step = StepBody & { line: number; source: string };

export const PROGRAMS = ['server'] as const;

const CLIENT_STEP = /^([A-Z]): (\S+)(?: (.*))?$/;

export function parseTranscript(text: string, file: string): Step[] {
  const steps: Step[] = [];
  let started = false;
  const connected = new Set<string>();
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  lines.forEach((source, index) => {
    const line = index + 1;
    const fail = (message: string): never => {
      throw new WorkbookError(`${file}:${line}: ${message}`);
    };
    const body = parseLine(source, fail);
    if (body.kind === 'start') {
      if (started) fail('the program is already started: a transcript has one `$` line');
      started = true;
    } else if (body.kind === 'busy') {
      if (started) fail('`[busy PORT]` must come before the `$` line that starts the program');
    } else if (body.kind !== 'comment' && !started) {
      fail(`\`${source}\` comes before the program is started: begin with a line such as \`$ server\``);
    }
    if (body.kind === 'client') {
      if (body.action.verb === 'connect') connected.add(body.client);
      else if (!connected.has(body.client)) fail(`client ${body.client} has not connected yet: add \`${body.client}: connect\` before this line`);
    }
    if (body.kind === 'stdout' || body.kind === 'stderr') {
      const unknown = unknownPlaceholder(body.text);
      if (unknown) fail(`unknown placeholder ${unknown}: use {A.port}, {A.addr}, {pid}, {time} or {*}, and {{ for a literal {`);
    }
    steps.push({ ...body, line, source });
  });
  if (!started) throw new WorkbookError(`${file}:1: the transcript never starts the program: add a line such as \`$ server\``);
  return steps;
}

function parseLine(source: string, fail: (message: string) => never): StepBody {
  if (source.trim() === '' || source.startsWith('#')) return { kind: 'comment', text: source };
  if (source.startsWith('\\')) return { kind: 'stdout', text: source.slice(1) };
  if (source.startsWith('! ') || source === '!') return { kind: 'stderr', text: source.slice(2) };
  if (source === '^C') return { kind: 'interrupt' };
  if (source.startsWith('$ ') || source === '$') {
    const [program, ...args] = splitArguments(source.slice(2), fail);
    if (!PROGRAMS.includes(program as (typeof PROGRAMS)[number])) {
      fail(`unknown program '${program ?? ''}' after \`$\`: use one of ${PROGRAMS.join(', ')}`);
    }
    return { kind: 'start', program, args };
  }
  if (source.startsWith('[')) {
    const exit = /^\[exit (\d+)\]$/.exec(source);
    if (exit) return { kind: 'exit', code: Number(exit[1]) };
    const busy = /^\[busy (\d+)\]$/.exec(source);
    if (busy) return { kind: 'busy', port: parsePort(busy[1], fail) };
    fail(`unknown directive \`${source}\`: use \`[exit CODE]\` or \`[busy PORT]\` (write \`\\${source}\` for a literal output line)`);
  }
  const client = CLIENT_STEP.exec(source);
  if (client) return { kind: 'client', client: client[1], action: parseClientAction(client[2], client[3] ?? '', fail) };
  return { kind: 'stdout', text: source };
}

const VERBS = ['connect', 'send', 'recv', 'eof', 'reset', 'silent', 'end', 'close', 'abort'];

function parseClientAction(verb: string, rest: string, fail: (message: string) => never): ClientAction {
  const noArguments = (): void => {
    if (rest !== '') fail(`\`${verb}\` takes no arguments, found '${rest}'`);
  };
  switch (verb) {
    case 'connect':
      return rest === '' ? { verb } : { verb, port: parsePort(rest, fail) };
    case 'send':
    case 'recv':
      return { verb, bytes: parseQuotedBytes(rest, fail) };
    case 'silent': {
      const duration = /^(\d+)ms$/.exec(rest);
      if (!duration) fail(`\`silent\` needs a duration such as 200ms, found '${rest}'`);
      return { verb, ms: Number(duration![1]) };
    }
    case 'eof':
    case 'reset':
    case 'end':
    case 'close':
    case 'abort':
      noArguments();
      return { verb };
    default:
      return fail(`unknown client action '${verb}': use one of ${VERBS.join(', ')}`);
  }
}

function parsePort(text: string, fail: (message: string) => never): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) fail(`'${text}' is not a port number from 1 to 65535`);
  return port;
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, '"': 34 };

// Reads one or more "quoted" strings separated by spaces into the bytes they spell.
export function parseQuotedBytes(text: string, fail: (message: string) => never): Buffer {
  const bytes: number[] = [];
  let index = 0;
  let strings = 0;
  while (index < text.length) {
    if (text[index] === ' ') {
      index++;
      continue;
    }
    if (text[index] !== '"') fail(`expected a "quoted string" at column ${index + 1} of '${text}'`);
    index++;
    strings++;
    for (;;) {
      if (index >= text.length) fail(`the string is not closed: add a " at the end of '${text}'`);
      const char = text[index];
      if (char === '"') {
        index++;
        break;
      }
      if (char !== '\\') {
        // A whole code point: a character outside the BMP is two UTF-16 units, and each alone is not valid UTF-8.
        const character = String.fromCodePoint(text.codePointAt(index)!);
        bytes.push(...Buffer.from(character, 'utf8'));
        index += character.length;
        continue;
      }
      const escape = text[index + 1];
      if (escape === 'x') {
        const hex = text.slice(index + 2, index + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail(`\\x needs two hex digits, found '\\x${hex}'`);
        bytes.push(parseInt(hex, 16));
        index += 4;
      } else if (escape !== undefined && escape in ESCAPES) {
        bytes.push(ESCAPES[escape]);
        index += 2;
      } else {
        fail(`unknown escape '\\${escape ?? ''}': use \\n \\r \\t \\0 \\\\ \\" or \\xHH`);
      }
    }
  }
  if (strings === 0) fail('expected bytes in quotes, such as "Hello\\n"');
  return Buffer.from(bytes);
}

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

function splitArguments(text: string, fail: (message: string) => never): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    // An unescaped quote outside a complete "quoted argument" opens a string that never closes.
    if (match[2] !== undefined && /(?<!\\)"/.test(match[2])) fail(`unbalanced quotes in '${text}'`);
    args.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]);
  }
  return args;
}

// Writes a step back as a transcript line: how the runner records what actually happened.
export function formatStep(step: StepBody): string {
  switch (step.kind) {
    case 'comment':
      return step.text;
    case 'busy':
      return `[busy ${step.port}]`;
    case 'start':
      return ['$', step.program, ...step.args.map(quoteArgument)].join(' ');
    case 'stdout':
      return looksLikeStep(step.text) ? `\\${step.text}` : step.text;
    case 'stderr':
      return `! ${step.text}`;
    case 'interrupt':
      return '^C';
    case 'exit':
      return `[exit ${step.code}]`;
    case 'client':
      return `${step.client}: ${formatAction(step.action)}`;
  }
}

function formatAction(action: ClientAction): string {
  switch (action.verb) {
    case 'connect':
      return action.port === undefined ? 'connect' : `connect ${action.port}`;
    case 'send':
    case 'recv':
      return `${action.verb} ${quoteBytes(action.bytes)}`;
    case 'silent':
      return `silent ${action.ms}ms`;
    default:
      return action.verb;
  }
}

function quoteArgument(arg: string): string {
  return arg === '' || /[\s"]/.test(arg) ? `"${arg.replace(/(["\\])/g, '\\$1')}"` : arg;
}

// A printed line that would parse as something else, or not at all, needs a leading backslash.
function looksLikeStep(text: string): boolean {
  try {
    return text.startsWith('\\') || parseLine(text, () => { throw new Error(); }).kind !== 'stdout';
  } catch {
    return true;
  }
}
