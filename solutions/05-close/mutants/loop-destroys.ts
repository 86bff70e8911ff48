// Mistake: the plain for await loop destroys the socket when it ends, so the goodbye written after it goes nowhere.
// Fails: client-closes-fully.txt:14
// Not on Node: 24 (its loop leaves a half-open socket open when it ends: the goodbye arrives; see the README)
import net from 'node:net';
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<net.Server> {
  // allowHalfOpen: when a client says it has finished sending, our side stays open so we can still answer.
  const server = net.createServer({ allowHalfOpen: true });
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  return server;
}

async function handleNewConnectionsSimple(server: net.Server): Promise<void> {
  async function handleClient(conn: net.Socket): Promise<void> {
    let bytesReceived = 0;
    // destroyOnReturn: false keeps the socket open when the loop ends: closing it is now our job.
    for await (const data of conn) {
      console.log('Received:', data);
      conn.write(data);
      bytesReceived += data.length;
    }
    conn.end(`Goodbye: you sent ${bytesReceived} bytes\n`);
    console.log(`Closed connection from ${conn.remoteAddress}:${conn.remotePort}`);
  }

  const connections: AsyncIterable<net.Socket[]> = on(server, 'connection');
  for await (const [conn] of connections) {
    console.log(`Received new connection from ${conn.remoteAddress}:${conn.remotePort}`);
    await handleClient(conn);
  }
}

async function startServer(): Promise<void> {
  const server = await initializeServerSocket();
  await handleNewConnectionsSimple(server);
}

console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await startServer();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
