import { LineHandler, TcpServer } from './tcp-server.ts';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;

/** A second protocol on the same framework: each line comes back numbered, counting from 1 in every session. */
class NumberingHandler extends LineHandler {
  // A field of the handler, so each client has a count of its own: the server makes one handler per connection.
  private linesSeen = 0;

  handleLine(line: string): void {
    if (line === '') {
      this.endSession();
      return;
    }
    this.linesSeen++;
    this.writeLine(`${this.linesSeen}: ${line}`);
  }
}

console.log(`Starting numbering server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await new TcpServer({ host: SERVER_NAME, port: SERVER_PORT }, NumberingHandler).serveForever();
} catch (error) {
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
