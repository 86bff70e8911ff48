// Mistake: the socket is never closed after the reply, so the open socket keeps the client running.
// Replaces: udp-client.ts
// Fails: client-gets-reply.txt:6
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';

const REPLY_TIMEOUT_MS = 1000;

async function askServer(host: string, port: number, message: string): Promise<Buffer> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  try {
    // No connect(): send() binds the socket to a port the kernel picks, then sends one datagram.
    await new Promise<void>((resolve, reject) => {
      socket.send(message, port, host, (error) => (error ? reject(error) : resolve()));
    });
    console.log(`Sent ${Buffer.byteLength(message)} bytes to ${host} port ${port}`);
    // Nothing may ever come back, and nothing says so: wait for one datagram, but only so long.
    const [reply] = await once(socket, 'message', { signal: AbortSignal.timeout(REPLY_TIMEOUT_MS) });
    return reply;
  } finally {
    // The reply is in: nothing left to do.
  }
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

function parseCommandLineArguments(args: string[]): { host: string; port: number; message: string } {
  if (args.length !== 3) {
    throw new UsageError(args.length < 3 ? 'HOST, PORT and MESSAGE are required' : 'too many arguments: put a message with spaces in quotes');
  }
  const [host, portText, message] = args;
  return { host, port: parsePortNumber(portText), message };
}

let options: { host: string; port: number; message: string };
try {
  options = parseCommandLineArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`Error: ${error.message}. Usage: udp-client.ts HOST PORT MESSAGE`);
  process.exit(2);
}

const { host, port, message } = options;
try {
  const reply = await askServer(host, port, message);
  console.log(`Received: ${reply.toString('utf8')}`);
} catch (error) {
  // AbortSignal.timeout() ends the wait with an AbortError: no reply came, whatever the reason.
  if ((error as Error).name === 'AbortError') {
    console.error(`Error: no reply from ${host} port ${port} within ${REPLY_TIMEOUT_MS} ms: is the server running?`);
  } else {
    console.error(`Client error: ${(error as Error).message}`);
  }
  process.exit(1);
}
