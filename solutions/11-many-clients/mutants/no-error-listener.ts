// Mistake: with clients served side by side, errors are left to each handler's try/catch and no 'error' listener logs them, so a reset is never reported.
// Fails: reset-beside-others.txt:10
// Fails: flood-then-reset.txt:13
// Fails: flood-then-reset.txt:14
import net from 'node:net';
import os from 'node:os';
import { on, once } from 'node:events';

// The default host is a loopback name: only programs on this machine can connect unless --host says otherwise.
const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;
// How many clients are served at once unless --max-clients says otherwise; the next one is turned away.
const MAX_CLIENTS = 100;
// Node's own cap on open connections, set with --max-connections N; without the flag there is none.
const NO_NODE_CAP = 0;

async function initializeServerSocket(host: string, port: number): Promise<net.Server> {
  // allowHalfOpen: when a client says it has finished sending, our side stays open so we can still answer.
  const server = net.createServer({ allowHalfOpen: true });
  server.listen({ host, port, backlog: 5 });
  await once(server, 'listening');
  return server;
}

// A client that connects and resets at once can be gone before Node accepts it: then its address is unknown.
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

async function handleNewConnectionsSimple(server: net.Server, maxClients: number): Promise<void> {
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

  // The clients being served right now (turned-away ones are not counted).
  let activeClients = 0;

  // One client from start to end: its errors stay here, and its place is given back however it ends.
  async function serveClient(conn: net.Socket, peer: string): Promise<void> {
    try {
      await handleClient(conn);
    } catch (error) {
      // The socket's own errors are logged by its 'error' listener; anything else went wrong in the handler.
      if (error !== conn.errored) console.log(`Handler failed for ${peer}: ${(error as Error).message}`);
      conn.destroy();
    } finally {
      activeClients--;
    }
  }

  // Every socket Node accepts, so Ctrl-C can close them; a socket removes itself when it closes.
  const openConnections = new Set<net.Socket>();
  // This runs the moment Node accepts a client, even while the loop below is still busy with another one.
  server.on('connection', (conn) => {
    // Read the address now: a socket that has been reset no longer knows it.
    const peer = describePeer(conn);
    openConnections.add(conn);
    conn.on('close', () => openConnections.delete(conn));
    void peer;
  });

  // Ctrl-C: stop accepting, close every client's connection, and exit with code 0, since stopping is not a failure.
  process.once('SIGINT', () => {
    server.close();
    for (const conn of openConnections) conn.destroy();
    // Exit only once the goodbye is written: to a pipe, a write may finish later, and exit would lose it.
    process.stdout.write(`Goodbye: closing the listener and ${openConnections.size} open connection(s)\n`, () => process.exit(0));
  });

  const connections: AsyncIterable<net.Socket[]> = on(server, 'connection');
  for await (const [conn] of connections) {
    // A client that reset while it waited has been reported by its 'error' listener: nothing is left to serve.
    if (conn.destroyed) continue;
    const peer = describePeer(conn);
    // A cap on clients served at once: a flood of connections cannot take every socket and all the memory.
    if (activeClients >= maxClients) {
      console.log(`Turned away ${peer}: already serving ${activeClients} client(s)`);
      conn.end('Server busy, try again later\n');
      continue;
    }
    console.log(`Received new connection from ${peer}`);
    activeClients++;
    // No await: the loop goes straight back to accepting while this client is served.
    void serveClient(conn, peer);
  }
}

async function startServer(host: string, port: number, maxClients: number, maxConnections: number): Promise<void> {
  const server = await initializeServerSocket(host, port);
  if (maxConnections !== NO_NODE_CAP) {
    // Past this many open sockets Node closes a new one itself, before any of our code sees it, and says so in 'drop'.
    server.maxConnections = maxConnections;
    server.on('drop', (data) => {
      console.log(`Node dropped ${data?.remoteAddress}:${data?.remotePort}: maxConnections is ${maxConnections}`);
    });
  }
  // The name has been looked up by now: show the address it became, and the name this machine calls itself.
  const bound = server.address() as net.AddressInfo;
  console.log(`Listening on ${bound.address} port ${bound.port} (machine name '${os.hostname()}')`);
  await handleNewConnectionsSimple(server, maxClients);
}

// The mistake a user makes most often gets a sentence that says what to do; others keep Node's message.
function describeStartupError(error: NodeJS.ErrnoException, port: number): string {
  if (error.code === 'EADDRINUSE') {
    return `port ${port} is already in use (${error.message}). Stop the other server, or choose another port with -p`;
  }
  return error.message;
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

// Like a port, a count is digits only; it must be at least 1.
function parseClientCount(text: string, flag: string): number {
  const onlyDigits = text.length > 0 && [...text].every((char) => char >= '0' && char <= '9');
  if (!onlyDigits || Number(text) < 1) {
    throw new UsageError(`${flag} needs a whole number of at least 1, got '${text}'`);
  }
  return Number(text);
}

interface Options {
  host: string;
  port: number;
  maxClients: number;
  maxConnections: number;
}

function parseCommandLineArguments(args: string[]): Options {
  let host = SERVER_NAME;
  let port = SERVER_PORT;
  let maxClients = MAX_CLIENTS;
  let maxConnections = NO_NODE_CAP;
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
      continue;
    }
    if (arg === '--host') {
      const value = args[index + 1];
      if (value === undefined) {
        throw new UsageError('--host needs a host name or address after it, for example --host 127.0.0.1');
      }
      // listen() reads an empty host as "every interface": make the user say 0.0.0.0 or :: if that is meant.
      if (value === '') {
        throw new UsageError(`--host needs a host name or address, got ''`);
      }
      host = value;
      index++;
      continue;
    }
    if (arg === '--max-clients') {
      const value = args[index + 1];
      if (value === undefined) {
        throw new UsageError('--max-clients needs a number after it, for example --max-clients 10');
      }
      maxClients = parseClientCount(value, '--max-clients');
      index++;
      continue;
    }
    if (arg === '--max-connections') {
      const value = args[index + 1];
      if (value === undefined) {
        throw new UsageError('--max-connections needs a number after it, for example --max-connections 10');
      }
      maxConnections = parseClientCount(value, '--max-connections');
      index++;
      continue;
    }
    const match = /^--port=(.*)$/.exec(arg);
    if (match) {
      port = parsePortNumber(match[1], '--port');
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
  }
  return { host, port, maxClients, maxConnections };
}

let options: Options;
try {
  options = parseCommandLineArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`Error: ${error.message}. Usage: server.ts [-p PORT | --port=PORT] [--host HOST] [--max-clients N] [--max-connections N]`);
  process.exit(2);
}

const { host, port, maxClients, maxConnections } = options;
console.log(`Starting server on '${host}' port ${port}`);
try {
  await startServer(host, port, maxClients, maxConnections);
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${describeStartupError(error as NodeJS.ErrnoException, port)}`);
  process.exit(1);
}
