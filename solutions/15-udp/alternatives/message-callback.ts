// Alternative: the server answers in a socket.on('message') callback and upper-cases with a loop over the bytes.
// Replaces: udp-server.ts
import dgram from 'node:dgram';
import { once } from 'node:events';

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
  const out = Buffer.from(data);
  for (let index = 0; index < out.length; index++) {
    if (out[index] >= 0x61 && out[index] <= 0x7a) out[index] -= 0x20;
  }
  return out;
}

async function handleDatagrams(socket: dgram.Socket): Promise<void> {
  socket.on('message', (data, sender) => {
    console.log(`Received ${data.length} bytes from ${sender.address}:${sender.port}`);
    socket.send(upperCase(data), sender.port, sender.address, (error) => {
      if (error) console.error(`Could not reply to ${sender.address}:${sender.port}: ${error.message}`);
    });
  });
  // Serve until the socket is closed.
  await once(socket, 'close');
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
