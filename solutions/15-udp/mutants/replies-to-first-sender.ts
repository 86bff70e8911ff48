// Mistake: the server remembers the first sender and sends every reply there, as if UDP had a connection.
// Replaces: udp-server.ts
// Fails: two-clients.txt:11
import dgram from 'node:dgram';
import { on, once } from 'node:events';

const SERVER_NAME = '127.0.0.1';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<dgram.Socket> {
  // A UDP socket (SOCK_DGRAM in Python). No listen(), no backlog: binding is all a UDP server needs.
  const socket = dgram.createSocket('udp4');
  socket.bind(SERVER_PORT, SERVER_NAME);
  await once(socket, 'listening');
  return socket;
}

// Like Python's bytes.upper(): only the ASCII letters a-z change; every other byte stays as it is.
function upperCase(data: Buffer): Buffer {
  return Buffer.from(data.map((byte) => (byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte)));
}

async function handleDatagrams(socket: dgram.Socket): Promise<void> {
  // Each 'message' event is one whole datagram and who sent it: what recvfrom() returns in Python.
  const datagrams = on(socket, 'message') as AsyncIterable<[Buffer, dgram.RemoteInfo]>;
  let client: dgram.RemoteInfo | undefined;
  for await (const [data, from] of datagrams) {
    client ??= from;
    console.log(`Received ${data.length} bytes from ${from.address}:${from.port}`);
    const sender = client;
    // The reply is a new datagram, addressed to the sender: sendto() in Python.
    socket.send(upperCase(data), sender.port, sender.address, (error) => {
      // A reply that fails concerns one client: report it, and go on serving the others.
      if (error) console.error(`Could not reply to ${sender.address}:${sender.port}: ${error.message}`);
    });
  }
}

async function startServer(): Promise<void> {
  const socket = await initializeServerSocket();
  await handleDatagrams(socket);
}

console.log(`Starting UDP server on ${SERVER_NAME} port ${SERVER_PORT}`);
try {
  await startServer();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
