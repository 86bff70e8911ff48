import net from 'node:net';
import readline from 'node:readline';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

// Every connection the server holds, so a restart can end them all.
const connections = new Set<net.Socket>();
let server: net.Server;
let restarts = 0;

// Resolves once the server listens, rejects with the error of a listen that failed (EADDRINUSE, say).
function listen(): Promise<void> {
  server = net.createServer(serveClient);
  server.listen({ host: SERVER_NAME, port: SERVER_PORT });
  return new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
}

/** The client as `address:port`; one that connects and resets at once may be gone before Node accepts it. */
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

async function serveClient(conn: net.Socket): Promise<void> {
  const peer = describePeer(conn);
  console.log(`Received new connection from ${peer}`);
  connections.add(conn);
  conn.on('close', () => connections.delete(conn));
  conn.on('error', (error) => console.log(`Error from ${peer}: ${error.message}`));
  const lines = readline.createInterface({ input: conn, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line === 'RESTART') {
        console.log(`Restart requested by ${peer}`);
        await restart();
        return;
      }
      conn.write(`${line}\n`);
    }
    conn.end();
  } catch {
    // A reset ends the loop with the socket's error, which the 'error' listener above has already printed.
  } finally {
    // Leaving the loop does not close the interface: close() takes its listeners off the socket, errors included.
    lines.close();
  }
}

// Close the listener, end every connection (the server closes first, so its ends wait in TIME_WAIT), listen again.
async function restart(): Promise<void> {
  // TODO: close the listener with server.close(): no new connections from now on, the open ones stay.
  // TODO: end every connection in `connections` that is not ended yet (!conn.writableEnded: an earlier restart may have
  // ended one whose client has not closed) with conn.end('Server restarting: connect again\n').
  // TODO: print `Listener closed; ended ${count} connection(s)`, the count of those it ended now.
  // TODO: await listen() for a new listener on the same port; if it throws, print `Could not listen again: ` and the
  // error's message with console.error, and exit with code 1.
  // TODO: count the restart (restarts++) and print `Listening again on '${SERVER_NAME}' port ${SERVER_PORT} (restart
  // ${restarts})`.
}

try {
  console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
  await listen();
} catch (error) {
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
process.on('SIGINT', () => {
  server.close();
  for (const conn of connections) conn.destroy();
  console.log('Server stopped');
});
