// Mistake: the port constant is mistyped as 1234, so the server listens on another port than the one it announces.
// Fails: busy-port.txt:5
import net from 'node:net';
import { once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<net.Server> {
  const server = net.createServer();
  server.listen({ host: SERVER_NAME, port: 1234, backlog: 5 });
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
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
