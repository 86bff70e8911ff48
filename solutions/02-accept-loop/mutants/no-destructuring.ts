// Mistake: the loop variable is not destructured (and typed as a Socket), so `conn` is the array of the event's arguments and its address is undefined.
// Fails: data-is-not-read-yet.txt:5
import net from 'node:net';
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<net.Server> {
  const server = net.createServer();
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  return server;
}

async function handleNewConnectionsSimple(server: net.Server): Promise<void> {
  const connections = on(server, 'connection') as AsyncIterable<net.Socket>;
  for await (const conn of connections) {
    console.log(`Received new connection from ${conn.remoteAddress}:${conn.remotePort}`);
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
