import net from 'node:net';
import readline from 'node:readline';
import { once } from 'node:events';

async function connectToServer(host: string, port: number): Promise<net.Socket> {
  // TODO: open the connection with net.connect({ host, port }), wait until it is made with
  // await once(conn, 'connect'), and return conn. Replace the throw below.
  throw new Error('connectToServer() is not written yet');
}

async function talkToServer(conn: net.Socket, message: string | undefined): Promise<void> {
  // TODO: if there is a message, send it with a newline and half-close in one call, conn.end(`${message}\n`),
  // then print `Sent: ${message}`. Otherwise send what is typed: process.stdin.pipe(conn).
  // TODO: print every line the server sends until it closes: for await over
  // readline.createInterface({ input: conn, crlfDelay: Infinity }), printing `Received: ${line}`. After the loop,
  // print 'The server closed the connection', then stop reading input: process.stdin.unpipe(conn) and
  // process.stdin.destroy().
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
  return { host, port: parsePortNumber(portText), message };
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
  // TODO: when (error as NodeJS.ErrnoException).code is 'ECONNREFUSED', print instead
  // `Error: connection refused by ${host} port ${port}: is the server running?`
  console.error(`Client error: ${(error as Error).message}`);
  process.exit(1);
}
