// Alternative: a FrameDecoder class keeps the unread bytes and is fed from conn.on('data'); the session is a Promise settled on 'end' or 'error'.
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

// The upper-case protocol again, in frames: each message comes back as one message, in capitals.
class FrameDecoder {
  private pending = Buffer.alloc(0);

  /** Adds a chunk; returns every message it completes, then the framing error after them if there is one. */
  push(chunk: Buffer): { complete: Buffer[]; error?: FramingError } {
    this.pending = Buffer.concat([this.pending, chunk]);
    const complete: Buffer[] = [];
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUInt32BE(0);
      if (length > MAX_MESSAGE) {
        // The messages before it in the same chunk are whole: they are answered before the connection is dropped.
        return { complete, error: new FramingError(`a message of ${length} bytes is more than ${MAX_MESSAGE} allows`) };
      }
      if (this.pending.length < HEADER + length) break;
      complete.push(this.pending.subarray(HEADER, HEADER + length));
      this.pending = this.pending.subarray(HEADER + length);
    }
    return { complete };
  }

  /** Throws if the stream ended inside a frame. */
  finish(): void {
    const rest = this.pending;
    if (rest.length === 0) return;
    const what = rest.length >= HEADER ? `${rest.length - HEADER} of a ${rest.readUInt32BE(0)}-byte message` : `${rest.length} of a 4-byte length prefix`;
    throw new FramingError(`the connection ended after ${what}`);
  }
}

function handleClient(conn: net.Socket, peer: string): Promise<void> {
  const decoder = new FrameDecoder();
  return new Promise((resolve, reject) => {
    conn.on('data', (chunk: Buffer) => {
      try {
        const { complete, error } = decoder.push(chunk);
        for (const message of complete) {
          const text = message.toString('utf8');
          console.log(`${peer} sent ${message.length} bytes: ${JSON.stringify(text)}`);
          conn.write(frame(Buffer.from(text.toUpperCase(), 'utf8')));
        }
        if (error) throw error;
      } catch (error) {
        conn.pause();
        reject(error);
      }
    });
    conn.once('end', () => {
      try {
        decoder.finish();
        resolve();
      } catch (error) {
        reject(error);
      }
    });
    conn.once('error', reject);
  });
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
