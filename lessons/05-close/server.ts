import net from 'node:net';
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<net.Server> {
  // TODO: pass { allowHalfOpen: true } to net.createServer, so the client's FIN does not close our side too.
  const server = net.createServer();
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  return server;
}

async function handleNewConnectionsSimple(server: net.Server): Promise<void> {
  async function handleClient(conn: net.Socket): Promise<void> {
    // TODO: declare a byte counter before the loop: let bytesReceived = 0;
    // TODO: loop over conn.iterator({ destroyOnReturn: false }) instead of conn, so the loop's end leaves it open.
    for await (const data of conn) {
      console.log('Received:', data);
      conn.write(data);
      // TODO: add the size of this chunk in bytes, data.length, to bytesReceived.
    }
    // TODO: say goodbye and close our side in one call: conn.end(`Goodbye: you sent ${bytesReceived} bytes\n`);
    // TODO: then print `Closed connection from ${conn.remoteAddress}:${conn.remotePort}` with console.log.
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
