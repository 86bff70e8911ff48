// npm run try [N]: the lesson's server on its real port, and a line client to talk to it (nc, built in).
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join, relative, resolve } from 'node:path';
import readline from 'node:readline';
import { parseCommandLine } from './cli/args.ts';
import { WORKBOOK_ROOT, type Lesson } from './course/lessons.ts';
import { EXIT, runMain, WorkbookError } from './cli/errors.ts';
import { killAllProgramsNow, startProgram, type Listening, type Program } from './run/program.ts';
import { lessonFromCommandLine } from './course/progress.ts';
import { palette } from './terminal/report.ts';
import { loadScenarios, programsOf } from './grade/stage.ts';

const USAGE = 'npm run try [N] [-- --solution] [--root COURSE_DIR]';
// Node and the TypeScript loader can take a few seconds to boot on a busy machine.
const LISTEN_TIMEOUT_MS = 15_000;
// Output by hand is small; the cap only stops a program that floods the terminal.
const OUTPUT_CAP = 64 * 1024 * 1024;
// A reply without a newline is shown once nothing more has come for this long.
const PARTIAL_LINE_MS = 100;

const colours = palette();

/** The lesson's server.ts, or else the first program its transcripts start. */
function programFile(lesson: Lesson, programDir: string): string {
  const server = join(programDir, 'server.ts');
  if (existsSync(server)) return server;
  const [first] = programsOf(loadScenarios(lesson));
  if (!first || !existsSync(join(programDir, first))) throw new WorkbookError(`lesson ${lesson.number} has no server.ts to try in ${programDir}`);
  return join(programDir, first);
}

/** A line as it is shown: control characters escaped, so `\r` and NUL bytes are visible. */
const printable = (text: string): string => JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');

/** Prints one line above whatever the user is typing, and puts their prompt and half-typed line back. */
function makePrinter(rl: readline.Interface | undefined, prompting: () => boolean): (line: string) => void {
  return (line) => {
    if (!rl || !process.stdout.isTTY) {
      process.stdout.write(`${line}\n`);
      return;
    }
    readline.clearLine(process.stdout, 0);
    readline.cursorTo(process.stdout, 0);
    process.stdout.write(`${line}\n`);
    if (prompting()) rl.prompt(true);
  };
}

/** Where a client reaches a server that listens on every address. */
function connectHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '::1';
  return address;
}

/** The port a program that failed to start was refused, from Node's own EADDRINUSE message. */
function busyPort(stderr: string[]): string | undefined {
  for (const line of stderr) {
    const match = /EADDRINUSE.*?:(\d+)\b/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

async function waitForListening(program: Program): Promise<Listening | undefined> {
  return new Promise((resolvePromise) => {
    const check = (): void => {
      const tcp = program.listening.find((entry) => entry.protocol === 'tcp');
      if (tcp || program.exit) finish(tcp);
    };
    const finish = (value: Listening | undefined): void => {
      clearTimeout(timer);
      program.changes.off('change', check);
      resolvePromise(value);
    };
    const timer = setTimeout(() => finish(undefined), LISTEN_TIMEOUT_MS);
    program.changes.on('change', check);
    check();
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), { solution: { type: 'boolean', default: false }, root: { type: 'string' } }, USAGE);
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const { lesson } = lessonFromCommandLine(root, positionals, 'try');
  const file = programFile(lesson, values.solution ? lesson.solutionDir : lesson.dir);

  const interactive = process.stdin.isTTY === true;
  const rl = readline.createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive, prompt: colours.yellow('> ') });
  rl.pause();
  // The prompt is shown only while typed lines can go somewhere: connected, input not ended.
  let prompting = false;
  const print = makePrinter(rl, () => prompting);
  const info = (text: string): void => print(colours.dim(`-- ${text}`));

  info(`starting ${relative(process.cwd(), file)} (node --import tsx, on the port it asks for)`);
  const program = startProgram({ file, args: [], cwd: root, outputCap: OUTPUT_CAP, mapPorts: false });

  // The server's own output, as it comes: `server| ` for stdout, `server! ` for stderr.
  const shown = { stdout: 0, stderr: 0 };
  const showServerOutput = (): void => {
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = program[stream].lines;
      for (; shown[stream] < lines.length; shown[stream]++) {
        const text = `server${stream === 'stdout' ? '|' : '!'} ${lines[shown[stream]]}`;
        print(stream === 'stdout' ? colours.blue(text) : colours.red(text));
      }
    }
  };
  program.changes.on('change', showServerOutput);

  let stopping = false;
  let socket: net.Socket | undefined;
  const finished = new Promise<number>((resolvePromise) => {
    const stop = async (code: number, why?: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      if (why) info(why);
      socket?.destroy();
      rl.close();
      await program.stop();
      showServerOutput();
      resolvePromise(code);
    };
    // Ctrl-C: in a terminal readline sees it first; piped, the signal arrives as usual. A second one kills at once.
    const interrupted = (): void => {
      if (stopping) {
        killAllProgramsNow();
        process.exit(130);
      }
      void stop(EXIT.pass, 'stopped (Ctrl-C): the server is ended too');
    };
    rl.on('SIGINT', interrupted);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupted);
    void program.exited.then((status) => {
      if (stopping) return;
      showServerOutput();
      const port = program.listening.length === 0 ? busyPort(program.stderr.lines) : undefined;
      if (port) {
        const message = `port ${port} is busy: another program is already listening on it (a server you started by hand, or another npm run try?). Stop that one, then run npm run try ${lesson.number} again.`;
        print(colours.red(`error: ${message}`));
      }
      const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
      void stop(status.code === 0 ? EXIT.pass : EXIT.fail, `the server exited (${how})`);
    });

    void waitForListening(program).then((listening) => {
      if (stopping) return;
      if (!listening) {
        // A program that exited has been dealt with above (a busy port is named there).
        if (program.exit) return;
        void stop(EXIT.fail, `the server did not listen on a TCP port within ${LISTEN_TIMEOUT_MS / 1000} s, so it was stopped`);
        return;
      }
      connect(listening);
    });

    const connect = (listening: Listening): void => {
      const host = connectHost(listening.address);
      const client = net.connect({ host, port: listening.port, allowHalfOpen: true });
      socket = client;
      client.setEncoding('utf8');
      let partial = '';
      let partialTimer: NodeJS.Timeout | undefined;
      const flushPartial = (): void => {
        clearTimeout(partialTimer);
        if (partial !== '') print(colours.green(`< ${printable(partial)}`));
        partial = '';
      };
      client.on('connect', () => {
        info(`connected to ${host}:${listening.port}. Type a line and Enter to send it; Ctrl-D ends your input, Ctrl-C stops both.`);
        rl.resume();
        prompting = true;
        rl.prompt();
      });
      client.on('data', (chunk: string) => {
        clearTimeout(partialTimer);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) print(colours.green(`< ${printable(line.replace(/\r$/, ''))}`));
        if (partial !== '') partialTimer = setTimeout(flushPartial, PARTIAL_LINE_MS);
      });
      client.on('end', () => {
        flushPartial();
        void stop(EXIT.pass, 'the server closed the connection');
      });
      client.on('error', (error: NodeJS.ErrnoException) => {
        flushPartial();
        void stop(EXIT.fail, `connection to ${host}:${listening.port} failed: ${error.code ?? error.message}`);
      });
      rl.on('line', (line) => {
        if (client.writableEnded) return;
        // A terminal already shows what was typed after the prompt; piped input is echoed so the exchange reads in order.
        if (!interactive) print(colours.yellow(`> ${line}`));
        client.write(`${line}\n`);
        if (interactive) rl.prompt();
      });
      // Ctrl-D: half-close, as nc -N does; the run ends when the server closes its side.
      rl.on('close', () => {
        prompting = false;
        if (stopping || client.writableEnded || client.destroyed) return;
        client.end();
        info('input ended (sent FIN); waiting for the server to close the connection. Ctrl-C stops both.');
      });
    };
  });
  const code = await finished;
  // Ends at once: stdin and stray timers must not keep the process alive.
  process.exit(code);
}

runMain(main);
