import dgram from 'node:dgram';
import { on, once } from 'node:events';

const SERVER_NAME = '127.0.0.1';
const SERVER_PORT = 12345;

async function initializeServerSocket(): Promise<dgram.Socket> {
  // A UDP socket (SOCK_DGRAM in Python). No listen(), no backlog: binding is all a UDP server needs.
  const socket = dgram.createSocket('udp4');
  // TODO: bind the socket to port SERVER_PORT on address SERVER_NAME with socket.bind(port, address), then wait
  // until it is bound: await once(socket, 'listening').
  return socket;
}

// Like Python's bytes.upper(): only the ASCII letters a-z change; every other byte stays as it is.
function upperCase(data: Buffer): Buffer {
  return Buffer.from(data.map((byte) => (byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte)));
}

async function handleDatagrams(socket: dgram.Socket): Promise<void> {
  // TODO: loop over the datagrams as they arrive, each a pair [data, sender]:
  //   const datagrams = on(socket, 'message') as AsyncIterable<[Buffer, dgram.RemoteInfo]>;
  //   for await (const [data, sender] of datagrams) { ... }
  // For each one, print `Received ${data.length} bytes from ${sender.address}:${sender.port}`, then send the reply,
  // upperCase(data), back to sender.port and sender.address with socket.send(). Give send() a callback that prints
  // `Could not reply to ${sender.address}:${sender.port}: ${error.message}` on stderr when it gets an error.
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
