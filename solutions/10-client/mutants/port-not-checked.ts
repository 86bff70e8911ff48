// Mistake: PORT is passed to connect() as Number(text) without a check, so 'http' becomes NaN and connect throws instead of a usage error.
// Fails: not-a-port.txt:3
import net from 'node:net';
import readline from 'node:readline';
import { once } from 'node:events';

async function connectToServer(host: string, port: number): Promise<net.Socket> {
  // The client is the active opener: connect() sends the first packet, and the kernel picks our port.
  const conn = net.connect({ host, port });
  await once(conn, 'connect');
  return conn;
}

async function talkToServer(conn: net.Socket, message: string | undefined): Promise<void> {
  if (message !== undefined) {
    // end() sends the message, then a FIN: we have said everything, and we keep reading.
    conn.end(`${message}\n`);
    console.log(`Sent: ${message}`);
  } else {
    // Every line typed goes to the server; Ctrl-D ends the input, and pipe() then half-closes, like nc -N.
    process.stdin.pipe(conn);
  }
  // readline turns the stream of chunks into lines, like Python's sock.makefile().
  for await (const line of readline.createInterface({ input: conn, crlfDelay: Infinity })) {
    console.log(`Received: ${line}`);
  }
  console.log('The server closed the connection');
  // Input may still be open (the server closed first): stop reading it, or the program would not end.
  process.stdin.unpipe(conn);
  process.stdin.destroy();
}

class UsageError extends Error {}

// Number('') is 0, Number(' 8') is 8 and Number('1e3') is 1000: accept only the digits 0-9.
function parsePortNumber(text: string): number {
  const onlyDigits = text.length > 0 && [...text].every((char) => char >= '0' && char <= '9');
  if (!onlyDigits) {
    throw new UsageError(`PORT needs a port number, got '${text}'`);
  }
  const port = Number(text);
  if (port < 1 || port > 65535) {
    throw new UsageError(`PORT needs a port from 1 to 65535, got ${port}`);
  }
  return port;
}

function parseCommandLineArguments(args: string[]): { host: string; port: number; message?: string } {
  if (args.length < 2) {
    throw new UsageError('HOST and PORT are required');
  }
  if (args.length > 3) {
    throw new UsageError(`too many arguments: put a message with spaces in quotes`);
  }
  const [host, portText, message] = args;
  void parsePortNumber;
  return { host, port: Number(portText), message };
}

let options: { host: string; port: number; message?: string };
try {
  options = parseCommandLineArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`Error: ${error.message}. Usage: client.ts HOST PORT [MESSAGE]`);
  process.exit(2);
}

const { host, port, message } = options;
try {
  const conn = await connectToServer(host, port);
  console.log(`Connected to ${host} port ${port} from local port ${conn.localPort}`);
  await talkToServer(conn, message);
} catch (error) {
  // Say it in words, with the host and port we were given: Node's message names the address it really tried.
  if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
    console.error(`Error: connection refused by ${host} port ${port}: is the server running?`);
  } else {
    console.error(`Client error: ${(error as Error).message}`);
  }
  process.exit(1);
}
