// What a program's preload may tell the runner over IPC, checked field by field: the program itself may send anything.

export interface Listening {
  protocol: 'tcp' | 'udp';
  requested: number;
  port: number;
  address: string;
}

/** A connection the preload let through unsteered, because its host is not this machine. */
export interface Elsewhere {
  protocol: 'tcp' | 'udp';
  host: string;
  port: number;
}

export interface MessageBudget {
  accepted: number;
  ignored: number;
}

/** The most of each kind a program can need: a lesson listens on a few ports and connects to a few. */
const MOST = { started: 1, listening: 32, steered: 64, elsewhere: 8, killedWorkers: 32 } as const;

interface Recorder {
  started: boolean;
  /** Workers the preload killed for `[kill a worker]`. */
  killedWorkers: number;
  listening: Listening[];
  steered: { requested: number; port: number }[];
  elsewhere: Elsewhere[];
}

const isPort = (value: unknown, least = 0): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= least && value <= 65535;
const isProtocol = (value: unknown): value is 'tcp' | 'udp' => value === 'tcp' || value === 'udp';
const isShortText = (value: unknown): value is string => typeof value === 'string' && value.length <= 255;

/** Records a valid message carrying the preload's token; counts everything else as ignored. Returns whether kept. */
export function acceptMessage(message: unknown, token: string, budget: MessageBudget, into: Recorder): boolean {
  const kept = record(message, token, into);
  if (kept) budget.accepted++;
  else budget.ignored++;
  return kept;
}

function record(message: unknown, token: string, into: Recorder): boolean {
  if (message === null || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  if (m.token !== token) return false;
  if (m.type === 'started' && !into.started) return (into.started = true);
  if (m.type === 'listening' && into.listening.length < MOST.listening) {
    if (!isProtocol(m.protocol) || !isPort(m.requested) || !isPort(m.port, 1) || !isShortText(m.address)) return false;
    into.listening.push({ protocol: m.protocol, requested: m.requested, port: m.port, address: m.address });
    return true;
  }
  if (m.type === 'killed-worker' && into.killedWorkers < MOST.killedWorkers) {
    into.killedWorkers++;
    return true;
  }
  if (m.type === 'steered' && into.steered.length < MOST.steered) {
    if (!isPort(m.requested, 1) || !isPort(m.port, 1)) return false;
    into.steered.push({ requested: m.requested, port: m.port });
    return true;
  }
  if (m.type === 'elsewhere' && into.elsewhere.length < MOST.elsewhere) {
    if (!isProtocol(m.protocol) || !isShortText(m.host) || !isPort(m.port)) return false;
    into.elsewhere.push({ protocol: m.protocol, host: m.host, port: m.port });
    return true;
  }
  return false;
}

/** What a capped reader was fed: lines it passed on, and whether a line was too long or the total too large. */
export interface LineCaps {
  /** The most bytes of one line; a longer line is dropped whole, and counted. */
  line: number;
  /** The most bytes in all; past it, nothing more is read. */
  total: number;
}

/**
 * Splits a byte stream into lines without ever holding more than `caps.line` bytes of one: the reader of a channel a
 * program can write anything to. `onLine` gets each complete line that fits; `onTooMuch` is told once, when the total
 * passes its cap, and nothing is passed on after that.
 */
export class CappedLines {
  readonly caps: LineCaps;
  /** Bytes read so far, and lines dropped for their length. */
  bytes = 0;
  dropped = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private over = false;
  private readonly onLine: (line: string) => void;
  private readonly onTooMuch: () => void;

  constructor(caps: LineCaps, onLine: (line: string) => void, onTooMuch: () => void) {
    this.caps = caps;
    this.onLine = onLine;
    this.onTooMuch = onTooMuch;
  }

  push(chunk: Buffer): void {
    if (this.over) return;
    this.bytes += chunk.length;
    if (this.bytes > this.caps.total) {
      this.over = true;
      this.pending = [];
      return this.onTooMuch();
    }
    let start = 0;
    for (let end = chunk.indexOf(10); end >= 0 && !this.over; end = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, end));
      if (!this.skipping) this.onLine(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = false;
      start = end + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
  }

  private take(piece: Buffer): void {
    if (this.skipping) return;
    if (this.pendingBytes + piece.length > this.caps.line) {
      // Too long to be anything the other side may say: dropped, without keeping it.
      this.dropped++;
      this.skipping = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(Buffer.from(piece));
    this.pendingBytes += piece.length;
  }
}
