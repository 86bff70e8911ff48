import net from 'node:net';
import { on, once } from 'node:events';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;
// The largest message accepted: a length prefix is a promise from the client, and a server must not believe any size.
const MAX_MESSAGE = 65536;
const HEADER = 4;

/** A client broke the framing rules: its connection is dropped, the server goes on. */
class FramingError extends Error {}

/** One message in a frame: its length as 4 bytes, most significant first (network byte order), then the bytes. */
function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** The messages a client sends, one whole message each, however the bytes were split into chunks. */
async function* messages(conn: net.Socket): AsyncGenerator<Buffer> {
  let pending = Buffer.alloc(0);
  for await (const chunk of conn.iterator({ destroyOnReturn: false })) {
    pending = Buffer.concat([pending, chunk]);
    // One chunk may hold the end of one message, several whole ones, and the start of the next.
    while (pending.length >= HEADER) {
      const length = pending.readUInt32BE(0);
      if (length > MAX_MESSAGE) {
        throw new FramingError(`a message of ${length} bytes is more than ${MAX_MESSAGE} allows`);
      }
      if (pending.length < HEADER + length) break;
      yield pending.subarray(HEADER, HEADER + length);
      pending = pending.subarray(HEADER + length);
    }
  }
  if (pending.length > 0) {
    const what =
      pending.length >= HEADER
        ? `${pending.length - HEADER} of a ${pending.readUInt32BE(0)}-byte message`
        : `${pending.length} of a 4-byte length prefix`;
    throw new FramingError(`the connection ended after ${what}`);
  }
}

// The upper-case protocol again, in frames: each message comes back as one message, in capitals.
async function handleClient(conn: net.Socket, peer: string): Promise<void> {
  for await (const message of messages(conn)) {
    const text = message.toString('utf8');
    console.log(`${peer} sent ${message.length} bytes: ${JSON.stringify(text)}`);
    conn.write(frame(Buffer.from(text.toUpperCase(), 'utf8')));
  }
}

// A client that connects and resets at once can be gone before Node accepts it: then its address is unknown.
function describePeer(conn: net.Socket): string {
  if (conn.remoteAddress === undefined) return 'a client that has already gone';
  return `${conn.remoteAddress}:${conn.remotePort}`;
}

async function serveClient(conn: net.Socket): Promise<void> {
  const peer = describePeer(conn);
  conn.on('error', () => {});
  try {
    await handleClient(conn, peer);
    conn.end();
  } catch (error) {
    const reason = error instanceof FramingError ? error.message : String(error);
    console.error(`Dropped ${peer}: ${reason}`);
    conn.destroySoon();
  }
  console.log(`Closed connection from ${peer}`);
}

console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  const server = net.createServer({ allowHalfOpen: true });
  server.listen({ host: SERVER_NAME, port: SERVER_PORT, backlog: 5 });
  await once(server, 'listening');
  const connections: AsyncIterable<net.Socket[]> = on(server, 'connection');
  for await (const [conn] of connections) {
    // net.isIP says which family an address is: 4, 6, or 0 for anything that is not one (a name, or none at all).
    const family = net.isIP(conn.remoteAddress ?? '');
    console.log(`Received new connection from ${describePeer(conn)} (IPv${family})`);
    void serveClient(conn);
  }
} catch (error) {
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
