// Reads a transcript into steps; a line that breaks the format is a one-line error naming file:line and the fix.
import { MAX_TIMER_MS } from '../kernel/args.ts';
import { WorkbookError } from '../kernel/errors.ts';
import { MAX_SPELLED, readBytesSpec, type SpelledBytes } from './bytes.ts';
import { unknownPlaceholder } from './placeholders.ts';

// The parsed form of a transcript: one step per meaningful line, each remembering its source line.
export type ClientAction =
  | { verb: 'connect'; port?: number }
  | { verb: 'udp'; port?: number }
  | { verb: 'send'; bytes: Buffer }
  | { verb: 'recv'; bytes: Buffer }
  | { verb: 'count'; min: number; max: number }
  | { verb: 'line'; text: string }
  | { verb: 'eof' }
  | { verb: 'reset' }
  | { verb: 'silent'; ms: number }
  | { verb: 'end' }
  | { verb: 'close' }
  | { verb: 'abort' }
  | { verb: 'pause' }
  | { verb: 'resume' }
  | { verb: 'flood'; most: number };

export type StepBody =
  | { kind: 'comment'; text: string }
  /** `[busy PORT]` holds a TCP port, `[busy udp PORT]` a UDP one; `[busy PORT on restart]` only from its second listen. */
  | { kind: 'busy'; port: number; udp?: true; onRestart?: true }
  | { kind: 'timeout'; ms: number }
  /** `[output N bytes]`: the program may print this much on each stream before it is stopped. */
  | { kind: 'output'; bytes: number }
  | { kind: 'writable'; path: string }
  | { kind: 'background'; path: string; args: string[] }
  | { kind: 'start'; program: string; args: string[] }
  | { kind: 'stdin'; text: string | null }
  | { kind: 'stdout'; text: string }
  | { kind: 'stderr'; text: string }
  /** `...` or `! ...`: any number of lines on that stream, up to the next line expected there. */
  | { kind: 'skip'; stream: 'stdout' | 'stderr' }
  /** `= PATH: TEXT`: the next line of a file the program wrote, read once it has exited. */
  | { kind: 'file'; path: string; text: string }
  | { kind: 'interrupt' }
  /** `[kill a worker]`: one process of the program's cluster ends by SIGKILL, as a crash would end it. */
  | { kind: 'killWorker' }
  | { kind: 'exit'; code: number }
  | { kind: 'client'; client: string; action: ClientAction };

export type Step = StepBody & { line: number; source: string };

// `$ server` starts server.ts from the lesson's folder, `$ client` client.ts, and so on.
const PROGRAM_NAME = /^[a-z][a-z0-9-]*$/;

const CLIENT_STEP = /^([A-Z]): (\S+)(?: (.*))?$/;
const CLIENT_LINE = /^([A-Z])>(?: (.*))?$/;

// Steps that only make sense on a TCP connection.
const TCP_ONLY = new Set(['line', 'eof', 'reset', 'end', 'close', 'abort', 'pause', 'resume', 'flood']);

/** The folder the runner makes for each run when a transcript names `{dir}`: a file there is never another run's. */
export const RUN_DIR = '{dir}';

/** Where a flood must stall by default: far above what loopback's kernel buffers hold (about 10 MB measured). */
export const FLOOD_LIMIT = 64 * 1024 * 1024;

export function parseTranscript(text: string, file: string): Step[] {
  const steps: Step[] = [];
  let started = false;
  // A file is complete only once its writer has exited: after `^C` or `[exit N]`.
  let stopped = false;
  const writable: string[] = [];
  const clients = new Map<string, 'tcp' | 'udp'>();
  // A byte-order mark (some Windows editors write one) is not part of the first line.
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n$/, '')
    .split('\n');
  lines.forEach((source, index) => {
    const line = index + 1;
    const fail = (message: string): never => {
      throw new WorkbookError(`${file}:${line}: ${message}`);
    };
    const body = parseLine(source, fail);
    if (body.kind === 'start') {
      if (started) fail('the program is already started: a transcript has one `$` line');
      started = true;
    } else if (
      body.kind === 'busy' ||
      body.kind === 'timeout' ||
      body.kind === 'output' ||
      body.kind === 'background' ||
      body.kind === 'writable'
    ) {
      if (started) fail(`\`${source}\` must come before the \`$\` line that starts the program`);
      if (body.kind === 'writable') writable.push(body.path.replace(/\/+$/, ''));
    } else if (body.kind !== 'comment' && !started) {
      fail(`\`${source}\` comes before the program is started: begin with a line such as \`$ server\``);
    }
    if (body.kind === 'interrupt' || body.kind === 'exit') stopped = true;
    if (body.kind === 'file') {
      if (!stopped)
        fail('a file is read once the program has exited: put `= PATH: ...` lines after `^C` or `[exit N]`');
      const inside = body.path.startsWith(`${RUN_DIR}/`) || writable.some((dir) => body.path.startsWith(`${dir}/`));
      if (!inside)
        fail(`'${body.path}' is not in {dir} or a [writable DIR] folder: write {dir}/NAME, a folder made for this run`);
    }
    if (body.kind === 'client') {
      const { client, action } = body;
      if (action.verb === 'connect' || action.verb === 'udp') {
        if (clients.has(client))
          fail(`client ${client} is already open: close or abort it first, or use another letter`);
        clients.set(client, action.verb === 'udp' ? 'udp' : 'tcp');
      } else if (action.verb === 'close' || action.verb === 'abort') {
        if (!clients.has(client))
          fail(`client ${client} has not connected yet: add \`${client}: connect\` before this line`);
        // A closed client's letter may connect again, as a new connection.
        clients.delete(client);
      } else if (!clients.has(client)) {
        fail(
          `client ${client} has not connected yet: add \`${client}: connect\` (or \`${client}: udp\`) before this line`,
        );
      } else if (clients.get(client) === 'udp' && TCP_ONLY.has(action.verb)) {
        fail(`client ${client} is a UDP socket: \`${source}\` needs a TCP connection`);
      } else if (clients.get(client) === 'udp' && action.verb === 'count' && action.min !== action.max) {
        fail(`a datagram arrives whole: give UDP client ${client} an exact byte count`);
      }
    }
    const template =
      body.kind === 'stdout' || body.kind === 'stderr' || body.kind === 'file'
        ? body.text
        : body.kind === 'client' && body.action.verb === 'line'
          ? body.action.text
          : undefined;
    if (template !== undefined) {
      const unknown = unknownPlaceholder(template);
      if (unknown)
        fail(
          `unknown placeholder ${unknown}: use {A.port}, {A.addr}, {A.family}, {pid}, {listen.addr}, {dir}, {hostname}, {time}, {date}, {#} or {*}, and {{ for a literal {`,
        );
    }
    steps.push({ ...body, line, source });
  });
  if (!started)
    throw new WorkbookError(`${file}:1: the transcript never starts the program: add a line such as \`$ server\``);
  return steps;
}

export function parseLine(source: string, fail: (message: string) => never): StepBody {
  if (source.trim() === '' || source.startsWith('#')) return { kind: 'comment', text: source };
  if (source.startsWith('\\')) return { kind: 'stdout', text: source.slice(1) };
  if (source === '...') return { kind: 'skip', stream: 'stdout' };
  if (source === '! ...') return { kind: 'skip', stream: 'stderr' };
  const file = /^= (\S+?):(?: (.*))?$/.exec(source);
  if (file) return { kind: 'file', path: file[1], text: file[2] ?? '' };
  if (source.startsWith('= ')) fail(`a file line is \`= PATH: TEXT\`, such as \`= {dir}/server.log: started\``);
  if (source.startsWith('! ') || source === '!') return { kind: 'stderr', text: source.slice(2) };
  if (source === '^C') return { kind: 'interrupt' };
  if (source.startsWith('$ ') || source === '$') {
    const [program, ...args] = splitArguments(source.slice(2), fail);
    if (!PROGRAM_NAME.test(program ?? '')) {
      fail(`'${program ?? ''}' after \`$\` is not a program name: write \`$ server\` to run the lesson's server.ts`);
    }
    return { kind: 'start', program, args };
  }
  if (source.startsWith('& ')) {
    const [path, ...args] = splitArguments(source.slice(2), fail);
    if (!path?.endsWith('.ts'))
      fail(`\`&\` needs a .ts file from the workbook's root, such as \`& solutions/07-port-regex/server.ts\``);
    return { kind: 'background', path, args };
  }
  if (source === '< ^D') return { kind: 'stdin', text: null };
  if (source.startsWith('< ') || source === '<') return { kind: 'stdin', text: source.slice(2) };
  const line = CLIENT_LINE.exec(source);
  if (line) return { kind: 'client', client: line[1], action: { verb: 'line', text: line[2] ?? '' } };
  if (source.startsWith('[')) {
    const exit = /^\[exit (\d+)\]$/.exec(source);
    if (exit) return { kind: 'exit', code: Number(exit[1]) };
    const busy = /^\[busy (udp )?(\d+)( on restart)?\]$/.exec(source);
    if (busy?.[1] && busy[3]) fail('`on restart` is for a TCP listener: write `[busy PORT on restart]`');
    if (busy)
      return {
        kind: 'busy',
        port: parsePort(busy[2], fail),
        ...(busy[1] ? { udp: true } : {}),
        ...(busy[3] ? { onRestart: true } : {}),
      };
    if (source === '[kill a worker]') return { kind: 'killWorker' };
    const timeout = /^\[timeout (\d+)ms\]$/.exec(source);
    if (timeout && Number(timeout[1]) > MAX_TIMER_MS) fail(`\`[timeout]\` takes at most ${MAX_TIMER_MS}ms`);
    if (timeout) return { kind: 'timeout', ms: Number(timeout[1]) };
    const output = /^\[output (\d+) bytes\]$/.exec(source);
    if (output && (Number(output[1]) < 1 || Number(output[1]) > MAX_SPELLED))
      fail(`\`[output]\` takes 1 to ${MAX_SPELLED} bytes (64 MiB)`);
    if (output) return { kind: 'output', bytes: Number(output[1]) };
    const writable = /^\[writable (\S+)\]$/.exec(source);
    if (writable) return { kind: 'writable', path: writable[1] };
    fail(
      `unknown directive \`${source}\`: use \`[exit CODE]\`, \`[busy PORT]\`, \`[busy udp PORT]\`, \`[busy PORT on restart]\`, \`[kill a worker]\`, \`[timeout MSms]\`, \`[output N bytes]\` or \`[writable DIR]\` (write \`\\${source}\` for a literal output line)`,
    );
  }
  const client = CLIENT_STEP.exec(source);
  if (client) return { kind: 'client', client: client[1], action: parseClientAction(client[2], client[3] ?? '', fail) };
  return { kind: 'stdout', text: source };
}

const VERBS = 'connect udp send recv eof reset silent end close abort pause resume flood'.split(' ');

function parseClientAction(verb: string, rest: string, fail: (message: string) => never): ClientAction {
  const noArguments = (): void => {
    if (rest !== '') fail(`\`${verb}\` takes no arguments, found '${rest}'`);
  };
  switch (verb) {
    case 'connect':
    case 'udp':
      return rest === '' ? { verb } : { verb, port: parsePort(rest, fail) };
    case 'recv': {
      const count = /^(\d+)(?:\.\.(\d+))? bytes?$/.exec(rest);
      if (count) {
        const [min, max] = [Number(count[1]), Number(count[2] ?? count[1])];
        if (min < 1 || max < min) fail(`'${rest}' is not a byte count: use N bytes or N..M bytes with 1 <= N <= M`);
        return { verb: 'count', min, max };
      }
      return builtWhenNeeded(verb, readBytesSpec(rest, fail));
    }
    case 'send':
      return builtWhenNeeded(verb, readBytesSpec(rest, fail));
    case 'silent': {
      const duration = /^(\d+)ms$/.exec(rest);
      if (!duration) fail(`\`silent\` needs a duration such as 200ms, found '${rest}'`);
      if (Number(duration![1]) > MAX_TIMER_MS) fail(`\`silent\` takes at most ${MAX_TIMER_MS}ms`);
      return { verb, ms: Number(duration![1]) };
    }
    case 'flood': {
      if (rest === '') return { verb, most: FLOOD_LIMIT };
      if (!/^\d+$/.test(rest) || Number(rest) < 1)
        fail(`\`flood\` takes a byte limit such as 67108864, found '${rest}'`);
      return { verb, most: Number(rest) };
    }
    case 'eof':
    case 'reset':
    case 'end':
    case 'close':
    case 'abort':
    case 'pause':
    case 'resume':
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

/** A `send` or `recv` whose bytes are built the first time a step reads them, then kept. */
function builtWhenNeeded<Verb extends 'send' | 'recv'>(
  verb: Verb,
  spelled: SpelledBytes,
): { verb: Verb; bytes: Buffer } {
  let bytes: Buffer | undefined;
  return {
    verb,
    get bytes() {
      return (bytes ??= spelled.build());
    },
  };
}
