import net from 'node:net';
// TODO: import `once` from 'node:events' (a named import, written in braces).

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<net.Server> {
  const server = net.createServer();
  // TODO: call server.listen() with one options object: host SERVER_NAME, port SERVER_PORT, backlog 5.
  // TODO: await once(server, 'listening'): return only when it listens, and throw if it cannot (a busy port).
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
