import net from 'node:net';
import { once } from 'node:events';

const USAGE = 'Usage: client.ts [--read-after | --each] [--timeout MS] HOST PORT BYTES';

interface Options {
  host: string;
  port: number;
  bytes: number;
  readAfter: boolean;
  each: boolean;
  timeoutMs: number;
}

function parseArguments(args: string[]): Options {
  const flags = { readAfter: false, each: false, timeoutMs: 0 };
  const positional: string[] = [];
  for (let index = 0; index < args.length; index++) {
    if (args[index] === '--read-after') flags.readAfter = true;
    else if (args[index] === '--each') flags.each = true;
    else if (args[index] === '--timeout' && /^\d+$/.test(args[index + 1] ?? '')) flags.timeoutMs = Number(args[++index]);
    else positional.push(args[index]);
  }
  const [host, port, bytes] = positional;
  if (positional.length !== 3 || !/^\d+$/.test(port) || !/^\d+$/.test(bytes)) {
    console.error(USAGE);
    process.exit(2);
  }
  return { host, port: Number(port), bytes: Number(bytes), ...flags };
}

const { host, port, bytes, readAfter, each, timeoutMs } = parseArguments(process.argv.slice(2));
const PIECE = Buffer.alloc(1024, 'x');
let sent = 0;
let received = 0;

// No allowHalfOpen: after our end() the socket goes on reading until the server's FIN. The option would only stop
// Node from ending our side once the server's FIN arrives, and we end it first anyway.
const conn = net.connect({ host, port });
try {
  await once(conn, 'connect');
} catch (error) {
  console.error(`Could not connect to ${host}:${port}: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`Connected to ${host}:${port}`);

// TODO: if timeoutMs > 0, call conn.setTimeout(timeoutMs), and on 'timeout' print to stderr
// `Nothing moved for ${timeoutMs} ms: sent ${sent} of ${bytes} bytes, received ${received}. Deadlock?` and exit with 1.

// Called by the reader after every chunk, when the writer is waiting for its echo (--each).
let caughtUp: (() => void) | undefined;

async function readEverything(): Promise<void> {
  for await (const chunk of conn) {
    received += chunk.length;
    caughtUp?.();
  }
}

async function writeEverything(): Promise<void> {
  while (sent < bytes) {
    const piece = PIECE.subarray(0, Math.min(PIECE.length, bytes - sent));
    sent += piece.length;
    // Like Python's sendall: when the queue is full, wait until the kernel has taken it.
    if (!conn.write(piece)) await once(conn, 'drain');
    // TODO: with --each (the tutorial's "read after each send"), wait here until the echo has caught up: while
    // received < sent, await new Promise<void>((resolve) => (caughtUp = resolve)). Never more than a piece in flight.
    void each;
  }
}

// TODO: unless readAfter is set, start reading before writing (call readEverything() and keep its promise), so the
// echo is taken in while we write. Only --read-after should keep the tutorial's order.
const reading: Promise<void> | undefined = undefined;
await writeEverything();
// TODO: half-close with conn.end(), like shutdown(1): the server learns that we have sent everything.
console.log(`Sent ${sent} bytes, then end()`);
await (reading ?? readEverything());
console.log(`Received ${received} bytes, then end of stream`);
