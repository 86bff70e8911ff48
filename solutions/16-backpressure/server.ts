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

// Waits for 'drain', or for 'close' (after which no 'drain' will come), and removes both listeners either way:
// a Promise.race of once(conn, 'drain') and once(conn, 'close') would leave the loser's listeners on every wait.
function drainOrClose(conn: net.Socket): Promise<void> {
  if (conn.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      conn.off('drain', done);
      conn.off('close', done);
      resolve();
    };
    conn.on('drain', done);
    conn.on('close', done);
  });
}

// A client that connects and resets at once can be gone before Node accepts it: then its address is unknown.
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

async function handleClient(conn: net.Socket, idleMs: number): Promise<void> {
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

  try {
    for await (const data of conn.iterator({ destroyOnReturn: false })) {
      echoed += data.length;
      // write() queues the bytes and says whether the queue is still short; false means "stop and wait".
      if (!conn.write(data)) {
        waits++;
        if (waits === 1) console.log(`${peer} is not reading fast enough: waiting for 'drain'`);
        // While we wait, the loop reads nothing more, so the client's own writes back up too.
        await drainOrClose(conn);
      }
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
