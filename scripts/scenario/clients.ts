// The clients a transcript drives: a TCP client that keeps what it receives, and a UDP socket.
import dgram from 'node:dgram';
import net from 'node:net';
import { EventEmitter } from 'node:events';
import type { Step } from '../transcript/parse.ts';

/** Bytes a client keeps beyond what its transcript can read: room for a mismatch to show what came instead. */
export const KEEP_SLACK = 64 * 1024;
/** Datagrams a UDP client keeps; later ones are counted. */
export const KEEP_DATAGRAMS = 1024;

/** The most a transcript's clients can read, all together: what a client keeps before it only counts. */
export function bytesNeeded(steps: Step[]): number {
  let total = 0;
  for (const step of steps) {
    if (step.kind !== 'client') continue;
    const { action } = step;
    if (action.verb === 'recv') total += action.bytes.length;
    else if (action.verb === 'count') total += action.max;
    else if (action.verb === 'line') total += Buffer.byteLength(action.text) + 2;
  }
  return total + KEEP_SLACK;
}

/** What arrived beyond what a client keeps: how much, and the start of it, for a message that stays short. */
export interface Overflow {
  kept: number;
  /** Every byte that arrived, kept or not. */
  arrived: number;
  first: Buffer;
}

/** A TCP client driven by a transcript: it keeps every byte it receives until an expectation reads it. */
export class TestClient {
  readonly kind = 'tcp';
  // Chunks are joined only when read, so a 10 MB transfer is not copied again for every chunk.
  private chunks: Buffer[] = [];
  bufferedBytes = 0;
  ended = false;
  /** Set by close(): like a destroyed socket, a closed client sends nothing more. */
  private closed = false;
  error?: NodeJS.ErrnoException;
  readonly addr: string;
  readonly port: number;
  /** Set once more arrived than the client keeps: later bytes are only counted. */
  overflow?: Overflow;
  private received = 0;

  readonly name: string;
  private readonly socket: net.Socket;

  private constructor(name: string, socket: net.Socket, changes: EventEmitter, keep: number) {
    this.name = name;
    this.socket = socket;
    this.addr = socket.localAddress!;
    this.port = socket.localPort!;
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.overflow) {
        this.overflow.arrived = this.received;
        return;
      }
      if (this.received > keep) {
        const first = Buffer.concat([...this.chunks, chunk]).subarray(0, 64);
        this.overflow = { kept: keep, arrived: this.received, first: Buffer.from(first) };
        changes.emit('overflow', this);
      } else {
        this.chunks.push(chunk);
        this.bufferedBytes += chunk.length;
      }
      changes.emit('change');
    });
    socket.on('end', () => {
      this.ended = true;
      changes.emit('change');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error = error;
      changes.emit('change');
    });
  }

  static connect(
    name: string,
    host: string,
    port: number,
    changes: EventEmitter,
    timeoutMs: number,
    keep = Number.MAX_SAFE_INTEGER,
  ): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      // allowHalfOpen: after the server's FIN the client decides itself when to close, as a transcript says.
      const socket = net.connect({ host, port, allowHalfOpen: true });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connecting to ${host}:${port} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new TestClient(name, socket, changes, keep));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Everything received and not yet read by an expectation. */
  buffered(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  take(length: number): Buffer {
    const all = this.buffered();
    const taken = all.subarray(0, length);
    this.chunks = all.length > length ? [all.subarray(length)] : [];
    this.bufferedBytes -= taken.length;
    return taken;
  }

  /** The next whole line received, without its line ending, or undefined if no `\n` has arrived yet. */
  takeLine(): string | undefined {
    const all = this.buffered();
    const end = all.indexOf(10);
    if (end < 0) return undefined;
    return this.take(end + 1)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }

  send(bytes: Buffer): void {
    if (!this.socket.destroyed && !this.closed) this.socket.write(bytes);
  }

  /** Half-close: no more data from us, but we keep reading. */
  end(): void {
    this.socket.end();
  }

  /** A clean FIN after everything already written: destroy() alone would drop writes still queued in the socket. */
  close(): void {
    this.closed = true;
    this.socket.end(() => this.socket.destroy());
  }

  /** Ends the connection now, whatever is queued: for cleaning up after a run. */
  destroy(): void {
    this.socket.destroy();
  }

  abort(): void {
    this.socket.resetAndDestroy();
  }

  /** Stop reading: the kernel's buffers fill up and the server's writes back up, as with a peer that stopped reading. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Bytes written by flood(), the piece still queued included. */
  flooded = 0;

  /**
   * Writes filler as fast as the kernel takes it, each piece after the last was taken, until no piece has been taken
   * for `stallMs` (the server stopped reading), `most` bytes were taken, or `timeoutMs` has passed.
   */
  flood(
    most: number,
    stallMs: number,
    timeoutMs: number,
  ): Promise<{ outcome: 'stalled' | 'all' | 'slow'; taken: number }> {
    const piece = Buffer.alloc(64 * 1024, 'x');
    const started = Date.now();
    let taken = 0;
    return new Promise((resolve) => {
      let finished = false;
      const finish = (outcome: 'stalled' | 'all' | 'slow'): void => {
        finished = true;
        resolve({ outcome, taken });
      };
      const next = (): void => {
        if (taken >= most) return finish('all');
        if (Date.now() - started > timeoutMs) return finish('slow');
        if (this.socket.destroyed || this.closed) return finish('stalled');
        // Waiting for nothing to happen is the point here, as with `silent`.
        const stall = setTimeout(() => finish('stalled'), stallMs);
        this.flooded += piece.length;
        this.socket.write(piece, (error) => {
          clearTimeout(stall);
          if (finished) return;
          taken += piece.length;
          if (error) return finish('stalled');
          next();
        });
      };
      next();
    });
  }
}

/** A UDP socket aimed at the program: each datagram it receives is kept whole, boundaries and all. */
export class UdpTestClient {
  readonly kind = 'udp';
  readonly datagrams: Buffer[] = [];
  /** Datagrams that arrived once KEEP_DATAGRAMS were waiting unread: counted, not kept. */
  dropped = 0;
  error?: NodeJS.ErrnoException;
  readonly ended = false;
  readonly addr: string;
  readonly port: number;

  readonly name: string;
  private readonly socket: dgram.Socket;

  private constructor(name: string, socket: dgram.Socket, changes: EventEmitter) {
    this.name = name;
    this.socket = socket;
    const local = socket.address();
    this.addr = local.address;
    this.port = local.port;
    socket.on('message', (message) => {
      if (this.datagrams.length >= KEEP_DATAGRAMS) return void this.dropped++;
      this.datagrams.push(message);
      changes.emit('change');
    });
    // A connected UDP socket hears of an unreachable port (ICMP) as ECONNREFUSED on its next operation.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.error = error;
      changes.emit('change');
    });
  }

  static async open(name: string, host: string, port: number, changes: EventEmitter): Promise<UdpTestClient> {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpTestClient(name, socket, changes);
  }

  get bufferedBytes(): number {
    return this.datagrams.length;
  }

  send(bytes: Buffer): void {
    this.socket.send(bytes);
  }

  destroy(): void {
    try {
      this.socket.close();
    } catch {
      // Already closed.
    }
  }
}

export type AnyClient = TestClient | UdpTestClient;
