// TODO: import parseArgs from 'node:util', and LEVELS, Logger, isLevel, logDestination and the type Level from
// './tcp-server.ts'.
import { LineHandler, TcpServer } from './tcp-server.ts';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;
// TODO: const USAGE = `Usage: server.ts [--log-level ${LEVELS.join('|')}] [--log-file PATH]`;

/** The upper-case protocol: each line comes back in capitals; an empty line ends the session. */
class UpperCaseHandler extends LineHandler {
  handleLine(line: string): void {
    if (line === '') {
      this.endSession();
      return;
    }
    // TODO: if the line is 'crash', throw new Error('the client asked for a crash') (a deliberate fault).
    // TODO: log this at level debug, through the server's logger: this.server.log.debug(...).
    console.log(`${this.clientAddress} sent ${JSON.stringify(line)}`);
    this.writeLine(line.toUpperCase());
  }
}

// TODO: a UsageError class and parseCommandLineArguments(args), which reads --log-level (default 'info') and
// --log-file with parseArgs, and throws a UsageError for an unknown option or level.
// TODO: parse process.argv.slice(2); on a UsageError print `Error: ${error.message}. ${USAGE}` and exit with code 2.
// TODO: open the destination with logDestination(options.file); if that throws, print
// `Error: cannot open the log file: ${message}` and exit with code 1. Then make the Logger.

// TODO: log the next line at level info, pass the logger to TcpServer, and log a server error at level error.
console.log(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await new TcpServer({ host: SERVER_NAME, port: SERVER_PORT }, UpperCaseHandler).serveForever();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  console.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
