import { LineHandler, TcpServer } from './tcp-server.ts';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

/** A second protocol on the same framework: each line comes back numbered, counting from 1 in every session. */
class NumberingHandler extends LineHandler {
  // TODO: declare a field `private linesSeen = 0;`, the count of this session's lines.

  handleLine(line: string): void {
    // TODO: an empty line ends the session (this.endSession(), then return). Any other line: add one to
    // this.linesSeen and send back `${this.linesSeen}: ${line}` with this.writeLine.
    void line;
  }
}

console.log(`Starting numbering server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await new TcpServer({ host: SERVER_NAME, port: SERVER_PORT }, NumberingHandler).serveForever();
} catch (error) {
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
