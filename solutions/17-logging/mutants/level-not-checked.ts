// Mistake: --log-level is taken as given, without checking it names a level, so a typo starts a server that logs nothing.
// Fails: bad-log-level.txt:3
import { parseArgs } from 'node:util';
import { LEVELS, LineHandler, Logger, TcpServer, isLevel, logDestination, type Level } from './tcp-server.ts';

const SERVER_NAME = 'localhost';
const SERVER_PORT = 12345;
const USAGE = `Usage: server.ts [--log-level ${LEVELS.join('|')}] [--log-file PATH]`;

/** The upper-case protocol: each line comes back in capitals; an empty line ends the session. */
class UpperCaseHandler extends LineHandler {
  handleLine(line: string): void {
    if (line === '') {
      this.endSession();
      return;
    }
    // A deliberate fault, to see what the server logs when a handler throws.
    if (line === 'crash') throw new Error('the client asked for a crash');
    this.server.log.debug(`${this.clientAddress} sent ${JSON.stringify(line)}`);
    this.writeLine(line.toUpperCase());
  }
}

class UsageError extends Error {}

function parseCommandLineArguments(args: string[]): { level: Level; file: string | undefined } {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { 'log-level': { type: 'string', default: 'info' }, 'log-file': { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  void isLevel;
  return { level: values['log-level'] as Level, file: values['log-file'] };
}

let options: { level: Level; file: string | undefined };
try {
  options = parseCommandLineArguments(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`Error: ${error.message}. ${USAGE}`);
  process.exit(2);
}

let write: (text: string) => void;
try {
  write = logDestination(options.file);
} catch (error) {
  // No logger yet: this one goes to stderr as plain text.
  console.error(`Error: cannot open the log file: ${(error as Error).message}`);
  process.exit(1);
}
const log = new Logger(options.level, write);

log.info(`Starting server on '${SERVER_NAME}' port ${SERVER_PORT}`);
try {
  await new TcpServer({ host: SERVER_NAME, port: SERVER_PORT }, UpperCaseHandler, log).serveForever();
} catch (error) {
  // One line reads better than a stack trace, and exiting also ends a server whose accept loop has stopped.
  log.error(`Server error: ${(error as Error).message}`);
  process.exit(1);
}
