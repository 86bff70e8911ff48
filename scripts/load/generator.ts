// npm run load: N echo clients at once against a loopback server, bounded in clients, bytes and time.
import dns from 'node:dns';
import net from 'node:net';
import { parseCommandLine, parseWholeNumber, type CommandHelp } from '../kernel/args.ts';
import { WorkbookError } from '../kernel/errors.ts';
import { isLoopback } from '../run/ports.ts';
import { percentile } from './stats.ts';

export const HELP: CommandHelp = {
  usage: 'npm run load -- N [--bytes B] [--piece P] [--seconds S] [--host H] [--port PORT]',
  about: 'Starts N echo clients at once against a loopback server and reports throughput, latency and errors.',
  flags: [
    ['N', 'how many clients, 1 to 1000'],
    ['--bytes B', 'bytes each client sends and expects back (default 65536)'],
    ['--piece P', 'bytes per write (default 1024)'],
    ['--seconds S', 'stop after S seconds at most (default 10, up to 120)'],
    ['--host H', 'a loopback address or a name that resolves only to loopback (default 127.0.0.1)'],
    ['--port PORT', "the server's port (default 12345)"],
  ],
  example: 'npm run load -- 10 --bytes 262144',
};
export const USAGE = HELP.usage;
export const LIMITS = { clients: 1000, bytes: 100_000_000, seconds: 120, minSeconds: 0.1 } as const;
/** How long finished clients may take to close cleanly once every client has settled. */
export const CLOSE_GRACE_MS = 1000;
/** Latency samples kept; beyond this a uniform random sample of them (so memory stays bounded on long runs). */
export const MAX_SAMPLES = 1_000_000;

export interface LoadOptions {
  clients: number;
  bytes: number;
  piece: number;
  seconds: number;
  host: string;
  port: number;
}

const wholeNumber = (text: string, flag: string, min: number, max: number): number =>
  parseWholeNumber(text, { flag, min, max });

export function parseLoadArgs(args: string[]): LoadOptions {
  const { values, positionals } = parseCommandLine(
    args,
    {
      bytes: { type: 'string', default: '65536' },
      piece: { type: 'string', default: '1024' },
      seconds: { type: 'string', default: '10' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '12345' },
    },
    HELP,
  );
  if (positionals.length === 0)
    throw new WorkbookError('say how many clients to start, for example: npm run load -- 10');
  if (positionals.length > 1)
    throw new WorkbookError(`give one number of clients, got '${positionals.join(' ')}': ${USAGE}`);
  const clients = wholeNumber(positionals[0], 'N (the number of clients)', 1, LIMITS.clients);
  const bytes = wholeNumber(values.bytes, '--bytes', 1, LIMITS.bytes);
  const piece = wholeNumber(values.piece, '--piece', 1, LIMITS.bytes);
  if (piece > bytes)
    throw new WorkbookError(
      `--piece (${piece}) cannot be larger than --bytes (${bytes}): lower --piece or raise --bytes`,
    );
  const seconds = Number(values.seconds);
  if (!/^\d+(\.\d+)?$/.test(values.seconds) || seconds < LIMITS.minSeconds || seconds > LIMITS.seconds) {
    throw new WorkbookError(
      `--seconds takes a number from ${LIMITS.minSeconds} to ${LIMITS.seconds}, got '${values.seconds}'`,
    );
  }
  const port = wholeNumber(values.port, '--port', 1, 65535);
  const host = values.host;
  if (net.isIP(host) && !isLoopback(host)) throw notLoopback(host);
  return { clients, bytes, piece, seconds, host, port };
}

function notLoopback(host: string): WorkbookError {
  return new WorkbookError(
    `--host must be a loopback address (127.0.0.1, ::1 or localhost): this tool never loads another machine, got '${host}'`,
  );
}

/** A host name is accepted only when every address it resolves to is loopback. */
export async function checkLoopbackHost(host: string): Promise<void> {
  if (net.isIP(host)) {
    if (!isLoopback(host)) throw notLoopback(host);
    return;
  }
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true });
  } catch {
    throw new WorkbookError(`--host '${host}' does not resolve: use 127.0.0.1`);
  }
  if (addresses.length === 0 || !addresses.every((a) => isLoopback(a.address))) throw notLoopback(host);
}

// The connect-time lookup drops any address that is not loopback, so a name cannot change its answer after the check.
const loopbackLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const safe = addresses.filter((a) => isLoopback(a.address));
    if (safe.length === 0)
      return callback(Object.assign(new Error(`${hostname} is not loopback`), { code: 'ENOTLOOPBACK' }), '');
    if (options.all) callback(null, safe);
    else callback(null, safe[0].address, safe[0].family);
  });
};

/** Keeps every sample up to `capacity`, then a uniform random sample of all of them (reservoir sampling). */
export class Samples {
  readonly values: number[] = [];
  count = 0;
  readonly capacity: number;

  constructor(capacity = MAX_SAMPLES) {
    this.capacity = capacity;
  }
  add(value: number): void {
    this.count++;
    if (this.values.length < this.capacity) this.values.push(value);
    else {
      const slot = Math.floor(Math.random() * this.count);
      if (slot < this.capacity) this.values[slot] = value;
    }
  }
  sorted(): Float64Array {
    return Float64Array.from(this.values).sort();
  }
}

export type Outcome = 'finished' | 'failed';
/** Error codes of our own, beside the system's (ECONNREFUSED, ECONNRESET, ...). */
export const CODES = {
  timeout: 'TIMEOUT', // still running when the time limit hit
  early: 'EARLYEOF', // the server closed before echoing every byte
  badEcho: 'BADECHO', // the server sent back bytes that were not what was sent
} as const;

export interface LoadResult {
  finished: number;
  failed: number;
  bytesEchoed: number;
  elapsedMs: number;
  timedOut: boolean;
  latency: Samples;
  errors: Map<string, number>;
}

// A payload byte depends only on its offset, so any piece (and any echoed chunk) is a slice of one small buffer.
const PATTERN_PERIOD = 251;
function patternBuffer(length: number): Buffer {
  const buffer = Buffer.alloc(length + PATTERN_PERIOD);
  for (let i = 0; i < buffer.length; i++) buffer[i] = 33 + ((i % PATTERN_PERIOD) % 94);
  return buffer;
}

interface Client {
  socket: net.Socket;
  received: number;
  settled: boolean;
  closed: Promise<void>;
}

/**
 * Runs the load. Each client keeps exactly one piece in flight: it writes a piece, waits until the echo has caught up
 * with everything it sent, records that wait as the piece's latency, and writes the next. After the last byte comes
 * back it half-closes (FIN) and counts as finished. At the time limit every socket still open is destroyed.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pattern = patternBuffer(options.piece);
  const latency = new Samples();
  const errors = new Map<string, number>();
  const clients: Client[] = [];
  let finished = 0;
  let failed = 0;
  let timedOut = false;
  let endedAt = 0;
  let settle!: () => void;
  const allSettled = new Promise<void>((resolve) => (settle = resolve));
  const started = performance.now();

  const record = (client: Client, outcome: Outcome, code?: string): void => {
    if (client.settled) return;
    client.settled = true;
    if (outcome === 'finished') finished++;
    else {
      failed++;
      errors.set(code!, (errors.get(code!) ?? 0) + 1);
    }
    if (finished + failed === options.clients) {
      endedAt = performance.now();
      settle();
    }
  };

  for (let i = 0; i < options.clients; i++) {
    const socket = net.connect({ host: options.host, port: options.port, lookup: loopbackLookup });
    const client: Client = {
      socket,
      received: 0,
      settled: false,
      closed: new Promise((resolve) => socket.once('close', () => resolve())),
    };
    clients.push(client);
    let sent = 0;
    let pieceStart = 0;
    const sendPiece = (): void => {
      const size = Math.min(options.piece, options.bytes - sent);
      const offset = sent % PATTERN_PERIOD;
      pieceStart = performance.now();
      sent += size;
      socket.write(pattern.subarray(offset, offset + size));
    };
    socket.setNoDelay(true); // Nagle's algorithm would hold small pieces back and measure itself, not the server.
    socket.once('connect', sendPiece);
    socket.on('data', (chunk: Buffer) => {
      if (client.settled) return; // After the echo: a server may add a goodbye, which is not ours to judge.
      const offset = client.received % PATTERN_PERIOD;
      if (chunk.length > sent - client.received || !chunk.equals(pattern.subarray(offset, offset + chunk.length))) {
        record(client, 'failed', CODES.badEcho);
        socket.destroy();
        return;
      }
      client.received += chunk.length;
      if (client.received < sent) return;
      latency.add(performance.now() - pieceStart);
      if (sent < options.bytes) sendPiece();
      else {
        record(client, 'finished');
        socket.end();
      }
    });
    socket.on('end', () => record(client, 'failed', CODES.early));
    socket.on('error', (error: NodeJS.ErrnoException) => record(client, 'failed', error.code ?? error.message));
  }

  const limit = setTimeout(() => {
    timedOut = true;
    for (const client of clients) {
      record(client, 'failed', CODES.timeout);
      client.socket.destroy();
    }
  }, options.seconds * 1000);
  await allSettled;
  clearTimeout(limit);

  // Finished clients close when the server answers their FIN; a server that never does gets a bounded wait.
  const grace = setTimeout(() => clients.forEach((c) => c.socket.destroy()), CLOSE_GRACE_MS);
  await Promise.all(clients.map((c) => c.closed));
  clearTimeout(grace);

  const bytesEchoed = clients.reduce((sum, c) => sum + Math.min(c.received, options.bytes), 0);
  return { finished, failed, bytesEchoed, elapsedMs: endedAt - started, timedOut, latency, errors };
}

const ERROR_NOTES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is a server running there?',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'the server closed while the client was writing',
  [CODES.timeout]: 'unfinished at the time limit',
  [CODES.early]: 'the server closed before echoing everything',
  [CODES.badEcho]: 'the server sent back something other than the echo',
};

function milliseconds(ms: number): string {
  if (Number.isNaN(ms)) return '-';
  return ms < 10 ? `${ms.toFixed(3)} ms` : `${ms.toFixed(1)} ms`;
}

/** The report: plain text, at most 80 columns, one fact per line. */
export function formatLoadReport(options: LoadOptions, result: LoadResult): string {
  const seconds = result.elapsedMs / 1000;
  const bytesPerSecond = seconds > 0 ? result.bytesEchoed / seconds : 0;
  const sorted = result.latency.sorted();
  const total = options.clients * options.bytes;
  const lines = [
    `target      ${options.host}:${options.port} (time limit ${options.seconds} s)`,
    `each client ${options.bytes} bytes in ${options.piece}-byte pieces`,
    `clients     ${result.finished} finished, ${result.failed} failed (of ${options.clients})`,
    `echoed      ${result.bytesEchoed} of ${total} bytes`,
    `elapsed     ${seconds.toFixed(3)} s${result.timedOut ? ' (the time limit hit)' : ''}`,
    `throughput  ${(bytesPerSecond / 1e6).toFixed(2)} MB/s (${Math.round(bytesPerSecond)} bytes/s)`,
    `latency     p50 ${milliseconds(percentile(sorted, 50))}, p90 ${milliseconds(percentile(sorted, 90))}, p99 ${milliseconds(percentile(sorted, 99))}`,
    `            (${result.latency.count} pieces, each timed from write to full echo)`,
  ];
  if (result.errors.size === 0) lines.push('errors      none');
  const entries = [...result.errors].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  entries.forEach(([code, count], index) => {
    const note = ERROR_NOTES[code] ? `  ${ERROR_NOTES[code]}` : '';
    lines.push(`${index === 0 ? 'errors' : ''}`.padEnd(12) + `${code.slice(0, 40)} ${count}${note}`);
  });
  return lines.join('\n');
}

export function loadExitCode(options: LoadOptions, result: LoadResult): number {
  return result.finished === options.clients ? 0 : 1;
}
