// Mistake: the line count is a module-level variable, shared by every handler, so the second session goes on from the first's count.
// Replaces: numbered-server.ts
// Fails: numbered-sessions.txt:13
import { LineHandler, TcpServer } from './tcp-server.ts';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

/** A second protocol on the same framework: each line comes back numbered, counting from 1 in every session. */
let linesSeen = 0;

class NumberingHandler extends LineHandler {
  handleLine(line: string): void {
    if (line === '') {
      this.endSession();
      return;
    }
    linesSeen++;
    this.writeLine(`${linesSeen}: ${line}`);
  }
}

console.log(`Starting numbering server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await new TcpServer({ host: SERVER_NAME, port: SERVER_PORT }, NumberingHandler).serveForever();
} catch (error) {
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
