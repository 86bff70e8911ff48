// Alternative: the Logger compares syslog severities (a smaller number is more serious) from a Record table and joins the record from its parts.
// Replaces: tcp-server.ts
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { on, once } from 'node:events';

/** The client as `address:port`; one that connects and resets at once may be gone before Node accepts it. */
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

/** The levels, from the most talkative to the most serious. */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export function isLevel(text: string): text is Level {
  return (LEVELS as readonly string[]).includes(text);
}

/** Log records in the spirit of syslog: time, level, program[pid], message, one record per line. */
export class Logger {
  /** The program's name, as syslog shows it: the script's file name without its extension. */
  readonly program = path.basename(process.argv[1], path.extname(process.argv[1]));

  /** Records below this level are dropped. */
  readonly level: Level;
  /** Where each finished record goes. */
  private readonly write: (text: string) => void;

  constructor(level: Level, write: (text: string) => void) {
    this.level = level;
    this.write = write;
  }

  log(level: Level, message: string): void {
    const severity: Record<Level, number> = { debug: 7, info: 6, warn: 4, error: 3 };
    if (severity[level] > severity[this.level]) return;
    const parts = [new Date().toISOString(), level.toUpperCase(), `${this.program}[${process.pid}]:`, message];
    this.write(parts.join(' ') + '\n');
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  warn(message: string): void {
    this.log('warn', message);
  }

  error(message: string): void {
    this.log('error', message);
  }

  /** An exception: its class and message, then the stack's first frame, where it was thrown. */
  exception(message: string, error: unknown): void {
    this.error(`${message}: ${String(error)}`);
    // Only one frame: how many follow depends on the caller and on Node's async stack traces.
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    const where = stack.split('\n').find((line) => line.trimStart().startsWith('at '));
    if (where !== undefined) this.error(where);
  }
}

/** Where log records go: stderr, or the end of a file, written at once so none is lost when the process exits. */
export function logDestination(file: string | undefined): (text: string) => void {
  if (file === undefined) return (text) => process.stderr.write(text);
  const fd = fs.openSync(file, 'a');
  return (text) => fs.writeSync(fd, text);
}

/** One client's session, made by the server for each connection: Python's StreamRequestHandler, for lines. */
export abstract class LineHandler {
  /** The client's socket (Python's `self.request`). */
  readonly conn: net.Socket;
  /** The server that accepted it (Python's `self.server`). */
  readonly server: TcpServer;
  /** Where the client is, as `address:port` (Python's `self.client_address`). */
  readonly clientAddress: string;
  private sessionOver = false;

  constructor(conn: net.Socket, server: TcpServer) {
    this.conn = conn;
    this.server = server;
    this.clientAddress = describePeer(conn);
  }

  /** Called once for each complete line the client sends, without its line ending. */
  abstract handleLine(line: string): void | Promise<void>;

  /** Sends one line to the client. */
  writeLine(text: string): void {
    this.conn.write(`${text}\n`);
  }

  /** Stops reading after the current line: the server then closes the connection. */
  endSession(): void {
    this.sessionOver = true;
  }

  /** The session: every line, in order, until the client stops sending or the handler ends it. */
  async handle(): Promise<void> {
    // readline collects the chunks into lines; crlfDelay: Infinity makes "\r\n" always one line ending.
    const lines = readline.createInterface({ input: this.conn, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        await this.handleLine(line);
        if (this.sessionOver) break;
      }
    } finally {
      // Leaving the loop does not close the interface: close() takes its listeners off the socket, errors included.
      lines.close();
    }
  }
}

/** A handler class: anything `new` can call with a socket and a server to make a LineHandler. */
export type HandlerClass = new (conn: net.Socket, server: TcpServer) => LineHandler;

/** A TCP server that makes one handler per connection, like Python's TCPServer, but serves clients concurrently. */
export class TcpServer {
  readonly address: { host: string; port: number };
  readonly HandlerClass: HandlerClass;
  /** Shared by the server and every handler: handlers reach it as `this.server.log`. */
  readonly log: Logger;
  readonly server: net.Server;

  constructor(address: { host: string; port: number }, HandlerClass: HandlerClass, log: Logger) {
    this.address = address;
    this.HandlerClass = HandlerClass;
    this.log = log;
    // allowHalfOpen: a client that has finished sending still gets the answers to its last lines.
    this.server = net.createServer({ allowHalfOpen: true });
  }

  async serveForever(): Promise<void> {
    this.server.listen({ ...this.address, backlog: 5 });
    await once(this.server, 'listening');
    const connections: AsyncIterable<net.Socket[]> = on(this.server, 'connection');
    for await (const [conn] of connections) {
      this.log.info(`Received new connection from ${describePeer(conn)}`);
      // Not awaited: the loop goes back to accepting while this client is served.
      void this.processRequest(conn);
    }
  }

  private async processRequest(conn: net.Socket): Promise<void> {
    // The handler's read loop sees errors during the session; this keeps a late one from crashing the server.
    conn.on('error', () => {});
    const handler = new this.HandlerClass(conn, this);
    try {
      await handler.handle();
    } catch (error) {
      // One client's failure ends its own session, never the server (Python's handle_error).
      this.log.exception(`Session with ${handler.clientAddress} failed`, error);
    }
    // Like Python's shutdown_request: send what is queued, then FIN, then release the socket.
    conn.destroySoon();
    this.log.info(`Closed connection from ${handler.clientAddress}`);
  }
}
