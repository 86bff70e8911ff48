import net from 'node:net';
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

// TODO: give initializeServerSocket a parameter, port: number.
async function initializeServerSocket(): Promise<net.Server> {
  // allowHalfOpen: when a client says it has finished sending, our side stays open so we can still answer.
  const server = net.createServer({ allowHalfOpen: true });
  // TODO: listen on that parameter: port instead of port: SERVER_PORT.
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  return server;
}

async function handleNewConnectionsSimple(server: net.Server): Promise<void> {
  async function handleClient(conn: net.Socket): Promise<void> {
    let bytesReceived = 0;
    // destroyOnReturn: false keeps the socket open when the loop ends: closing it is now our job.
    for await (const data of conn.iterator({ destroyOnReturn: false })) {
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

// TODO: give startServer a port: number parameter too, and pass it on: initializeServerSocket(port).
async function startServer(): Promise<void> {
  const server = await initializeServerSocket();
  await handleNewConnectionsSimple(server);
}

// TODO: class UsageError extends Error {} marks the mistakes that are the user's, not the program's.
// TODO: parsePortNumber(text, flag): throw a UsageError unless text is only the digits 0-9 and its value is
// from 1 to 65535; return the number.
// TODO: parseCommandLineArguments(args): start from SERVER_PORT and walk args in order. '-p' takes the next
// argument as the port (a UsageError if there is none); anything else is an unknown argument.
// TODO: call parseCommandLineArguments(process.argv.slice(2)). On a UsageError, print
// `Error: ${error.message}. Usage: server.ts [-p PORT]` with console.error and exit with process.exit(2).

// TODO: print the port you parsed instead of SERVER_PORT.
console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  // TODO: pass the port: startServer(port).
  await startServer();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
