// Mistake: the handler answers every line before checking for the empty one, so the session's end sends a stray empty line.
// Fails: concurrent-clients.txt:19
import { LineHandler, TcpServer } from './tcp-server.ts';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

/** The upper-case protocol: each line comes back in capitals; an empty line ends the session. */
class UpperCaseHandler extends LineHandler {
  handleLine(line: string): void {
    this.writeLine(line.toUpperCase());
    if (line === '') {
      this.endSession();
      return;
    }
    console.log(`${this.clientAddress} sent ${JSON.stringify(line)}`);
  }
}

console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await new TcpServer({ host: SERVER_NAME, port: SERVER_PORT }, UpperCaseHandler).serveForever();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
