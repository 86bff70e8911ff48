// TODO: import fs from 'node:fs' and path from 'node:path' (the log file, and the program's name).
import net from 'node:net';
import readline from 'node:readline';
import { on, once } from 'node:events';

// TODO: export the levels, `LEVELS = ['debug', 'info', 'warn', 'error'] as const`, their type `Level`, and a type
// guard `isLevel(text: string): text is Level`.

// TODO: export a class Logger with two fields, `readonly level: Level` and `private readonly write: (text: string)
// => void`, both set in its constructor(level, write); log(level, message) writes `${new Date().toISOString()} ${LEVEL} ${program}[${process.pid}]: ${message}\n`
// unless the level is below this.level; debug, info, warn and error call log; exception(message, error) logs
// `${message}: ${String(error)}` and then the first `    at ...` line of error.stack, both at level error.

// TODO: export a function logDestination(file: string | undefined): (text: string) => void, which writes to
// process.stderr when file is undefined, and otherwise opens the file with fs.openSync(file, 'a') and writes
// each record with fs.writeSync(fd, text).

/** The client as `address:port`; one that connects and resets at once may be gone before Node accepts it. */
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
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
  // TODO: add a field `readonly log: Logger`, shared by the server and every handler, and set it from a third
  // constructor parameter `log: Logger`.
  readonly server: net.Server;

  constructor(address: { host: string; port: number }, HandlerClass: HandlerClass) {
    this.address = address;
    this.HandlerClass = HandlerClass;
    // allowHalfOpen: a client that has finished sending still gets the answers to its last lines.
    this.server = net.createServer({ allowHalfOpen: true });
  }

  async serveForever(): Promise<void> {
    this.server.listen({ ...this.address, backlog: 5 });
    await once(this.server, 'listening');
    const connections: AsyncIterable<net.Socket[]> = on(this.server, 'connection');
    for await (const [conn] of connections) {
      // TODO: log this at level info with this.log.info(...) instead of printing it.
      console.log(`Received new connection from ${describePeer(conn)}`);
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
      // TODO: log the exception with its stack: this.log.exception(`Session with ${handler.clientAddress} failed`, error).
      console.error(`Session with ${handler.clientAddress} failed: ${String(error)}`);
    }
    // Like Python's shutdown_request: send what is queued, then FIN, then release the socket.
    conn.destroySoon();
    // TODO: log this at level info instead of printing it.
    console.log(`Closed connection from ${handler.clientAddress}`);
  }
}
