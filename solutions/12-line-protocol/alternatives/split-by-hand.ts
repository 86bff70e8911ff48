// Alternative: lines are split by hand from text that conn.setEncoding('utf8') decodes, instead of readline.
import net from 'node:net';
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

// The upper-case protocol: each line comes back in capitals; an empty line ends the session.
async function handleClient(conn: net.Socket, peer: string): Promise<void> {
  // setEncoding: a StringDecoder holds back a character split across two reads until its last byte arrives.
  conn.setEncoding('utf8');
  let pending = '';
  // Answers one line; false when it is the empty line that ends the session.
  const answer = (line: string): boolean => {
    if (line === '') return false;
    console.log(`${peer} sent ${JSON.stringify(line)}`);
    conn.write(`${line.toUpperCase()}\n`);
    return true;
  };
  for await (const text of conn.iterator({ destroyOnReturn: false })) {
    pending += text as string;
    let end = pending.indexOf('\n');
    while (end !== -1) {
      const line = pending.slice(0, end).replace(/\r$/, '');
      pending = pending.slice(end + 1);
      if (!answer(line)) return;
      end = pending.indexOf('\n');
    }
  }
  // The client stopped sending: an unfinished last line still counts.
  if (pending !== '') answer(pending.replace(/\r$/, ''));
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
