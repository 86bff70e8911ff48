// Mistake: arguments other than -p are skipped silently instead of being reported as unknown.
// Fails: unknown-argument.txt:3
import net from 'node:net';
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

async function initializeServerSocket(port: number): Promise<net.Server> {
  // allowHalfOpen: when a client says it has finished sending, our side stays open so we can still answer.
  const server = net.createServer({ allowHalfOpen: true });
  server.listen({ host: SERVER_NAME, port, backlog: 5 });
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

async function startServer(port: number): Promise<void> {
  const server = await initializeServerSocket(port);
  await handleNewConnectionsSimple(server);
}

class UsageError extends Error {}

// Number('') is 0, Number(' 8') is 8 and Number('1e3') is 1000: accept only the digits 0-9.
function parsePortNumber(text: string, flag: string): number {
  const onlyDigits = text.length > 0 && [...text].every((char) => char >= '0' && char <= '9');
  if (!onlyDigits) {
    throw new UsageError(`${flag} needs a port number, got '${text}'`);
  }
  const port = Number(text);
  if (port < 1 || port > 65535) {
    throw new UsageError(`${flag} needs a port from 1 to 65535, got ${port}`);
  }
  return port;
}

function parseCommandLineArguments(args: string[]): number {
  let port = SERVER_PORT;
  // Walk the arguments in order, so when a flag is repeated the last one wins.
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '-p') {
      const value = args[index + 1];
      if (value === undefined) {
        throw new UsageError('-p needs a port number after it, for example -p 40000');
      }
      port = parsePortNumber(value, '-p');
      index++;
    } else {
      continue;
    }
  }
  return port;
}

let port: number;
try {
  port = parseCommandLineArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`Error: ${error.message}. Usage: server.ts [-p PORT]`);
  process.exit(2);
}

console.log(`Starting server on '${SERVER_NAME}' port ${port}`);
try {
  await startServer(port);
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
