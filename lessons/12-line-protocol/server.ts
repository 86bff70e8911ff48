import net from 'node:net';
// TODO: import readline from 'node:readline' (it turns a stream of chunks into a stream of lines).
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

// The upper-case protocol: each line comes back in capitals; an empty line ends the session.
async function handleClient(conn: net.Socket, peer: string): Promise<void> {
  // TODO: make a line reader over the socket with readline.createInterface({ input: conn, crlfDelay: Infinity }) and
  // walk it with `for await (const line of lines)`. An empty line ends the session: `break`. Any other line: print
  // `${peer} sent ${JSON.stringify(line)}` with console.log and write the line back in capitals, with its "\n".
  // Put the loop in try { ... } finally { lines.close(); }: leaving the loop does not close the line reader.
}

// A client that connects and resets at once can be gone before Node accepts it: its address is then unknown.
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

// One client from start to end: its errors stay here, and the connection is closed however the session ends.
async function serveClient(conn: net.Socket, peer: string): Promise<void> {
  // The read loop sees errors during the session; this keeps a late one from crashing the server.
  conn.on('error', () => {});
  try {
    await handleClient(conn, peer);
  } catch (error) {
    console.error(`Session with ${peer} failed: ${String(error)}`);
  }
  // Send what is queued, then FIN, then release the socket.
  conn.destroySoon();
  console.log(`Closed connection from ${peer}`);
}

console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  // allowHalfOpen: a client that has finished sending still gets the answers to its last lines.
  const server = net.createServer({ allowHalfOpen: true });
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  const connections: AsyncIterable<net.Socket[]> = on(server, 'connection');
  for await (const [conn] of connections) {
    // Read the address once, as soon as the client is accepted: every line about it names it the same way.
    const peer = describePeer(conn);
    console.log(`Received new connection from ${peer}`);
    // Not awaited: the loop goes back to accepting while this client is served.
    void serveClient(conn, peer);
  }
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
