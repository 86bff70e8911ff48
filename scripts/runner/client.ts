import net from 'node:net';
import { EventEmitter } from 'node:events';

/** A TCP client driven by a transcript: it keeps every byte it receives until an expectation reads it. */
export class TestClient {
  received = Buffer.alloc(0);
  ended = false;
  /** Set by close(): like a destroyed socket, a closed client sends nothing more. */
  private closed = false;
  error?: NodeJS.ErrnoException;
  readonly addr: string;
  readonly port: number;

  private constructor(
    readonly name: string,
    private readonly socket: net.Socket,
    private readonly changes: EventEmitter,
  ) {
    this.addr = socket.localAddress!;
    this.port = socket.localPort!;
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
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

  static connect(name: string, host: string, port: number, changes: EventEmitter, timeoutMs: number): Promise<TestClient> {
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
        resolve(new TestClient(name, socket, changes));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  take(length: number): Buffer {
    const taken = this.received.subarray(0, length);
    this.received = this.received.subarray(length);
    return taken;
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
}
