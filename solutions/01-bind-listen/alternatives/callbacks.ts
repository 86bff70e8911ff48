// Alternative: callbacks instead of await: an 'error' listener and listen(port, host, backlog).
import net from 'node:net';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
const server = net.createServer();
server.on('error', (error) => {
  console.error(`Server error: ${error.message}`);
  process.exit(1);
});
server.listen(SERVER_PORT, SERVER_NAME, 5);
