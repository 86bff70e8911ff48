// Alternative: the echo runs on conn.on('data'), and backpressure is pause() when write() returns false and resume() on 'drain'.
import net from 'node:net';
import { once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

// --idle MS: drop a client when nothing has moved in either direction for MS milliseconds (0: never).
function parseIdleFlag(args: string[]): number {
  if (args.length === 0) return 0;
  if (args.length === 2 && args[0] === '--idle' && /^\d+$/.test(args[1])) return Number(args[1]);
  console.error('Usage: server.ts [--idle MS]');
  process.exit(2);
}

// A client that connects and resets at once can be gone before Node accepts it: then its address is unknown.
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

function handleClient(conn: net.Socket, idleMs: number): void {
  const peer = describePeer(conn);
  let echoed = 0;
  let waits = 0;
  conn.on('error', (error) => console.log(`Error from ${peer}: ${error.message}`));
  conn.on('close', () => console.log(`Closed ${peer}: echoed ${echoed} bytes, waited for 'drain' ${waits} times`));

  if (idleMs > 0) {
    // The timer restarts whenever bytes are read or written; it fires once nothing has moved for idleMs.
    conn.setTimeout(idleMs);
    conn.on('timeout', () => {
      console.log(`${peer} idle for ${idleMs} ms: dropping it`);
      // A client that stopped reading would never take a goodbye: only a client that is merely silent gets one.
      if (conn.writableLength > 0) conn.destroy();
      else conn.end(`Idle for ${idleMs} ms: goodbye\n`, () => conn.destroy());
    });
  }

  conn.on('data', (data: Buffer) => {
    echoed += data.length;
    if (!conn.write(data)) {
      waits++;
      if (waits === 1) console.log(`${peer} is not reading fast enough: waiting for 'drain'`);
      // Stop reading until the queue has gone out: the kernel then makes the client wait too.
      conn.pause();
      conn.once('drain', () => conn.resume());
    }
  });
  // The client half-closed: everything is echoed (or queued), so we half-close too.
  conn.on('end', () => conn.end());
}

const idleMs = parseIdleFlag(process.argv.slice(2));
// allowHalfOpen: a client that ends its side still gets the rest of its echo.
const server = net.createServer({ allowHalfOpen: true });
server.on('connection', (conn) => {
  console.log(`Received new connection from ${describePeer(conn)}`);
  // Not awaited: each client is served at once, so one slow client cannot hold up the others.
  handleClient(conn, idleMs);
});
server.listen({ host: SERVER_NAME, port: SERVER_PORT });
await once(server, 'listening');
console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
