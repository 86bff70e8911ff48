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

// TODO: write a function drainOrClose(conn: net.Socket): Promise<void> that resolves on the socket's next 'drain' or
// on its 'close' (after which no 'drain' will come), whichever is first, and removes both of its listeners with
// conn.off(...) when it does. (If conn.destroyed is already true, resolve at once.)

async function handleClient(conn: net.Socket, idleMs: number): Promise<void> {
  const peer = describePeer(conn);
  let echoed = 0;
  let waits = 0;
  conn.on('error', (error) => console.log(`Error from ${peer}: ${error.message}`));
  conn.on('close', () => console.log(`Closed ${peer}: echoed ${echoed} bytes, waited for 'drain' ${waits} times`));

  // TODO: if idleMs > 0, call conn.setTimeout(idleMs) and handle its 'timeout' event: print
  // `${peer} idle for ${idleMs} ms: dropping it`, then destroy() a client whose writes are stuck (writableLength > 0),
  // or end() a merely silent one with `Idle for ${idleMs} ms: goodbye\n` and destroy() it once that is written.

  try {
    for await (const data of conn.iterator({ destroyOnReturn: false })) {
      echoed += data.length;
      // TODO: write() returns false when its queue is full. Then count it in `waits`, print
      // `${peer} is not reading fast enough: waiting for 'drain'` the first time, and wait for 'drain' (or 'close')
      // before reading more: await drainOrClose(conn).
      conn.write(data);
    }
    // The client half-closed: everything is echoed (or queued), so we half-close too.
    conn.end();
  } catch {
    // A destroyed or reset socket ends the loop; the 'close' handler reports it.
  }
}

const idleMs = parseIdleFlag(process.argv.slice(2));
// allowHalfOpen: a client that ends its side still gets the rest of its echo.
const server = net.createServer({ allowHalfOpen: true });
server.on('connection', (conn) => {
  console.log(`Received new connection from ${describePeer(conn)}`);
  // Not awaited: each client is served at once, so one slow client cannot hold up the others.
  void handleClient(conn, idleMs);
});
server.listen({ host: SERVER_NAME, port: SERVER_PORT });
await once(server, 'listening');
console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
