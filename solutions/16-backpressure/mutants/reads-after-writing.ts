// Mistake: the client always reads only after it has written everything (the tutorial's order), so 10 MB deadlock against a server that waits for 'drain'.
// Replaces: client.ts
// Fails: client-reads-after-each-send.txt:7
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

if (timeoutMs > 0) {
  // Python's settimeout: no byte in either direction for timeoutMs is taken as a stuck conversation.
  conn.setTimeout(timeoutMs);
  conn.on('timeout', () => {
    console.error(`Nothing moved for ${timeoutMs} ms: sent ${sent} of ${bytes} bytes, received ${received}. Deadlock?`);
    process.exit(1);
  });
}

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
    // --each: the echo of this piece comes back before the next is sent, so never more than a piece is in flight.
    while (each && received < sent) await new Promise<void>((resolve) => (caughtUp = resolve));
  }
}

// Reading while we write is the cure for the deadlock; --read-after shows the tutorial's order, which deadlocks.
const reading = undefined;
void readAfter;
await writeEverything();
// Half-close, like shutdown(1): "I have sent everything", while our reading side stays open.
conn.end();
console.log(`Sent ${sent} bytes, then end()`);
await (reading ?? readEverything());
console.log(`Received ${received} bytes, then end of stream`);
