// Alternative: the framework takes connections in a server.on('connection') callback and chains each session with .catch() and .finally().
// Replaces: tcp-server.ts
import net from 'node:net';
import readline from 'node:readline';
import { once } from 'node:events';

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
    this.server.on('connection', (conn) => {
      console.log(`Received new connection from ${describePeer(conn)}`);
      this.processRequest(conn);
    });
    // Serve until the listener is closed.
    await once(this.server, 'close');
  }

  private processRequest(conn: net.Socket): void {
    conn.on('error', () => {});
    const handler = new this.HandlerClass(conn, this);
    handler
      .handle()
      .catch((error: unknown) => console.error(`Session with ${handler.clientAddress} failed: ${String(error)}`))
      .finally(() => {
        conn.destroySoon();
        console.log(`Closed connection from ${handler.clientAddress}`);
      });
  }
}
