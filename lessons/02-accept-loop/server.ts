import net from 'node:net';
// TODO: import `on` as well as `once`: change the braces below to { on, once }.
import { once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<net.Server> {
  const server = net.createServer();
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  return server;
}

// TODO: write `async function handleNewConnectionsSimple(server: net.Server): Promise<void>`.
// In it, turn the server's 'connection' events into an async iterable:
//   const connections: AsyncIterable<net.Socket[]> = on(server, 'connection');
// then loop over it with `for await (const [conn] of connections)` and, for each conn, console.log
// `Received new connection from ${conn.remoteAddress}:${conn.remotePort}` (a template literal).

async function startServer(): Promise<void> {
  const server = await initializeServerSocket();
  // TODO: await handleNewConnectionsSimple(server), so the server keeps accepting for as long as it runs.
}

console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await startServer();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
