// Mistake: the error is printed with console.log, on stdout, where a user piping the output would never see it.
// Fails: busy-port.txt:5
import net from 'node:net';
import { once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<net.Server> {
  const server = net.createServer();
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  return server;
}

async function startServer(): Promise<void> {
  const server = await initializeServerSocket();
}

console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await startServer();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.log(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
