// npm run web: the workbook in a browser, served on this machine only, until Ctrl-C.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseCommandLine, parseTimeout, parseWholeNumber, type CommandHelp } from './kernel/args.ts';
import { onInterrupt } from './run/interrupt.ts';
import { WORKBOOK_ROOT } from './course/lessons.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { DEFAULT_TIMING } from './grade/stage.ts';
import { pollingWanted } from './course/watch.ts';
import { DEFAULT_PORT, startWebServer } from './web/server.ts';

const HELP: CommandHelp = {
  usage: 'npm run web [-- --port N] [--open] [--timeout MS] [--poll] [--root COURSE_DIR]',
  about: 'Serves the workbook on this machine only (127.0.0.1): every lesson, its diagrams, checks and hints.',
  flags: [
    ['--port N', `the first port to try (default ${DEFAULT_PORT}); the next free one is taken if it is busy`],
    ['--open', 'open the address in the default browser'],
    ['--timeout MS', 'how long each step of a check may wait (default 2000)'],
    ['--poll', 'notice saves by polling (network drives, WSL); WORKBOOK_POLL=1 does the same'],
    ['--root DIR', 'the course to use (default: this workbook)'],
  ],
  example: 'npm run web -- --open',
};
const USAGE = HELP.usage;

/** The system's own way to open a link; a machine without one just keeps the printed address. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => console.log(`Could not open a browser (${command} failed): open ${url} yourself.`));
  child.unref();
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      port: { type: 'string' },
      open: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      poll: { type: 'boolean', default: false },
      root: { type: 'string' },
    },
    HELP,
  );
  if (positionals.length > 0)
    throw new WorkbookError(`npm run web takes no lesson: every lesson is in the browser\nusage: ${USAGE}`);
  const port =
    values.port === undefined
      ? DEFAULT_PORT
      : parseWholeNumber(values.port, { flag: '--port', min: 1, max: 65535, unit: 'a port number', usage: USAGE });
  const timing = { ...DEFAULT_TIMING, stepTimeoutMs: parseTimeout(values.timeout, DEFAULT_TIMING.stepTimeoutMs) };
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const server = await startWebServer({ root, port, timing, poll: pollingWanted(values.poll) });
  const stopped = new Promise<number>((resolvePromise) => {
    onInterrupt(() =>
      server.close().then(() => {
        console.log('Stopped: no check is left running.');
        resolvePromise(EXIT.pass);
      }),
    );
  });
  console.log(`Workbook: ${server.url}`);
  console.log('Ctrl-C to stop.');
  if (values.open) openBrowser(server.url);
  return stopped;
}

runMain(main);
