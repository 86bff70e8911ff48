// npm run try [N]: the lesson's server on its real port, and a line client to talk to it (nc, built in).
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join, relative, resolve } from 'node:path';
import { parseCommandLine, type CommandHelp } from './kernel/args.ts';
import { EXIT, runMain, WorkbookError } from './kernel/errors.ts';
import { WORKBOOK_ROOT, type Lesson } from './course/lessons.ts';
import { lessonFromCommandLine } from './course/progress.ts';
import { loadScenarios, programsOf } from './grade/stage.ts';
import { reachableHost } from './run/ports.ts';
import { killAllProgramsNow, startProgram, type Listening, type Program } from './run/program.ts';
import { waitFor } from './run/wait.ts';
import { endingMeaning, endingSaid } from './run/exit.ts';
import { palette } from './kernel/colours.ts';
import { seconds } from './kernel/text.ts';
import { LineConsole, printable } from './terminal/line-console.ts';

const HELP: CommandHelp = {
  usage: 'npm run try [N] [-- --solution] [--root COURSE_DIR]',
  about: "Starts the lesson's server on the port it asks for and connects a line client to it, for trying it by hand.",
  flags: [
    ['--solution', 'start the reference solution instead of your work'],
    ['--root DIR', 'the course to use (default: this workbook)'],
  ],
  example: 'npm run try 4',
};
// Node and the preload can take a few seconds to boot on a busy machine.
const LISTEN_TIMEOUT_MS = 15_000;
// Output by hand is small; the cap only stops a program that floods the terminal.
const OUTPUT_CAP = 64 * 1024 * 1024;
// A reply without a newline is shown once nothing more has come for this long.
const PARTIAL_LINE_MS = 100;

const colours = palette();

/**
 * The lesson's server: server.ts, or else the first program a transcript starts and connects a client to. A lesson
 * whose programs no client talks to (lesson 0's scripts, lesson 10's client) has none, and says so in one line.
 */
function programFile(lesson: Lesson, programDir: string): string {
  const served = loadScenarios(lesson).flatMap((scenario) => {
    const talkedTo = scenario.steps.some(
      (step) => step.kind === 'client' && (step.action.verb === 'connect' || step.action.verb === 'udp'),
    );
    return talkedTo ? programsOf([scenario]) : [];
  });
  const name = served.includes('server.ts') ? 'server.ts' : served[0];
  if (!name) {
    const [first] = programsOf(loadScenarios(lesson));
    const example = first ? `: run one by hand with node ${relative(process.cwd(), join(programDir, first))}` : '';
    throw new WorkbookError(
      `lesson ${lesson.number} has no server to try: no client of its transcripts connects to its programs${example}`,
    );
  }
  if (!existsSync(join(programDir, name)))
    throw new WorkbookError(`lesson ${lesson.number} has no ${name} to try in ${programDir}`);
  return join(programDir, name);
}

/** The port a program that failed to start was refused, from Node's own EADDRINUSE message. */
function busyPort(stderr: string[]): string | undefined {
  for (const line of stderr) {
    const match = /EADDRINUSE.*?:(\d+)\b/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** The server's own output, as it comes: `server| ` for stdout, `server! ` for stderr. */
function echoServerOutput(program: Program, terminal: LineConsole): () => void {
  const shown = { stdout: 0, stderr: 0 };
  const show = (): void => {
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = program[stream].lines;
      for (; shown[stream] < lines.length; shown[stream]++) {
        const text = `server${stream === 'stdout' ? '|' : '!'} ${lines[shown[stream]]}`;
        terminal.print(stream === 'stdout' ? colours.blue(text) : colours.red(text));
      }
    }
  };
  program.changes.on('change', show);
  return show;
}

type Stop = (code: number, why?: string) => void;

/** The line client: typed lines go to the server, its replies are printed, Ctrl-D half-closes as `nc -N` does. */
function connectClient(listening: Listening, terminal: LineConsole, stop: Stop): net.Socket {
  const host = reachableHost(listening.address);
  const client = net.connect({ host, port: listening.port, allowHalfOpen: true });
  client.setEncoding('utf8');
  let partial = '';
  let partialTimer: NodeJS.Timeout | undefined;
  const flushPartial = (): void => {
    clearTimeout(partialTimer);
    if (partial !== '') terminal.print(colours.green(`< ${printable(partial)}`));
    partial = '';
  };
  client.on('connect', () => {
    terminal.info(
      `connected to ${host}:${listening.port}. Type a line and Enter to send it; Ctrl-D ends your input, Ctrl-C stops both.`,
    );
    terminal.open();
  });
  client.on('data', (chunk: string) => {
    clearTimeout(partialTimer);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) terminal.print(colours.green(`< ${printable(line.replace(/\r$/, ''))}`));
    if (partial !== '') partialTimer = setTimeout(flushPartial, PARTIAL_LINE_MS);
  });
  client.on('end', () => {
    flushPartial();
    stop(EXIT.pass, 'the server closed the connection');
  });
  client.on('error', (error: NodeJS.ErrnoException) => {
    flushPartial();
    stop(EXIT.fail, `connection to ${host}:${listening.port} failed: ${error.code ?? error.message}`);
  });
  terminal.rl.on('line', (line) => {
    if (client.writableEnded) return;
    // A terminal already shows what was typed after the prompt; piped input is echoed so the exchange reads in order.
    if (!terminal.interactive) terminal.print(colours.yellow(`> ${line}`));
    client.write(`${line}\n`);
    if (terminal.interactive) terminal.rl.prompt();
  });
  terminal.rl.on('close', () => {
    terminal.prompting = false;
    if (client.writableEnded || client.destroyed) return;
    client.end();
    terminal.info('input ended (sent FIN); waiting for the server to close the connection. Ctrl-C stops both.');
  });
  return client;
}

/** Runs until the server exits, the connection ends, or Ctrl-C; resolves to the exit code. */
function session(lesson: Lesson, program: Program, terminal: LineConsole): Promise<number> {
  const showServerOutput = echoServerOutput(program, terminal);
  let stopping = false;
  let socket: net.Socket | undefined;
  return new Promise<number>((resolvePromise) => {
    const stop: Stop = (code, why) => {
      if (stopping) return;
      stopping = true;
      if (why) terminal.info(why);
      socket?.destroy();
      terminal.rl.close();
      void program.stop().then(() => {
        showServerOutput();
        resolvePromise(code);
      });
    };
    // Ctrl-C: in a terminal readline sees it first; piped, the signal arrives as usual. A second one kills at once.
    const interrupted = (): void => {
      if (stopping) {
        killAllProgramsNow();
        process.exit(130);
      }
      stop(EXIT.pass, 'stopped (Ctrl-C): the server is ended too');
    };
    terminal.rl.on('SIGINT', interrupted);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupted);
    void program.exited.then((status) => {
      if (stopping) return;
      showServerOutput();
      const port = program.listening.length === 0 ? busyPort(program.stderr.lines) : undefined;
      if (port) {
        const message = `port ${port} is busy: another program is already listening on it (a server you started by hand, or another npm run try?). Stop that one, then run npm run try ${lesson.number} again.`;
        terminal.print(colours.red(`error: ${message}`));
      }
      const meaning = endingMeaning(status);
      stop(
        status.code === 0 ? EXIT.pass : EXIT.fail,
        `the server ${endingSaid(status)}${meaning ? `: ${meaning}` : ''}`,
      );
    });
    const tcp = (): Listening | null | undefined =>
      program.listening.find((entry) => entry.protocol === 'tcp') ?? (program.exit ? null : undefined);
    void waitFor(program.changes, tcp, LISTEN_TIMEOUT_MS).then((outcome) => {
      if (stopping) return;
      // A program that exited has been dealt with above (a busy port is named there).
      if (!('timedOut' in outcome) && outcome.value === null) return;
      if ('timedOut' in outcome) {
        stop(
          EXIT.fail,
          `the server did not listen on a TCP port within ${seconds(LISTEN_TIMEOUT_MS)}, so it was stopped`,
        );
        return;
      }
      socket = connectClient(outcome.value!, terminal, stop);
    });
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { solution: { type: 'boolean', default: false }, root: { type: 'string' } },
    HELP,
  );
  const root = resolve(values.root ?? WORKBOOK_ROOT);
  const { lesson } = lessonFromCommandLine(root, positionals, 'try');
  const file = programFile(lesson, values.solution ? lesson.solutionDir : lesson.dir);
  const terminal = new LineConsole(colours);
  terminal.info(`starting ${relative(process.cwd(), file)} (on the port it asks for)`);
  const program = startProgram({ file, args: [], cwd: root, outputCap: OUTPUT_CAP, mapPorts: false });
  const code = await session(lesson, program, terminal);
  // Ends at once: stdin and stray timers must not keep the process alive.
  process.exit(code);
}

runMain(main);
