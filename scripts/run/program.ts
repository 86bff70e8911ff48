// A program under test as a process: started in its own group, its output read line by line, stopped for sure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { allowedEnvironment, portEnvironment, type PortSteering } from './environment.ts';
import { launchTypeScript } from './launch.ts';
import { acceptMessage, CappedLines, type Elsewhere, type Listening, type MessageBudget } from './messages.ts';
import { LineStream } from './output.ts';

export type { Elsewhere, Listening } from './messages.ts';
export { LineStream } from './output.ts';
export { MEMORY_CAP_MB } from './launch.ts';

const isWindows = process.platform === 'win32';

export interface ProgramOptions extends PortSteering {
  file: string;
  args: string[];
  cwd: string;
  /** Bytes of stdout or stderr after which the program is stopped. */
  outputCap: number;
  /** How Ctrl-C is delivered: a real signal to the process group, or a message (Windows has no SIGINT to send). */
  interrupt?: 'signal' | 'ipc';
  /** Run under Node's permission model (see launch.ts): for a learner's code when grading; with an identity, as them. */
  sandbox?: boolean | Sandbox;
  /** Under the sandbox, folders the program may still write inside. */
  writable?: string[];
}

/** Who a graded program runs as and what it may read: one learner's own uid and gid, their own copy. */
export interface Sandbox {
  uid?: number;
  gid?: number;
  /** Paths the program may read besides the runner's preload and packages; none given: everywhere. */
  readable?: string[];
  /**
   * Inside bubblewrap the operating system confines the program (its own mounts, network and processes), so Node's
   * permission model is not added: the program may start worker threads and processes, as lesson 20 asks.
   */
  confinedByOs?: boolean;
  /** Node's compile cache for this learner's programs alone: a folder they may read and write, and nobody else's. */
  compileCache?: string;
}

/** The runner's end of a program's channel: a line at most this long, and this much in all (one program's run). */
export const CHANNEL_CAPS = { line: 4096, total: 1 << 20 };
/** Messages that were not the preload's, after which the channel is closed and the program stopped. */
export const MOST_IGNORED = 10_000;
/** How long the runner waits for a program's output to end once it has exited (a child it left may hold it open). */
const DRAIN_MS = 1000;
/** How long the runner waits for a program to go after SIGKILL before it stops waiting. */
const KILL_WAIT_MS = 5000;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<Program>();

/** The learner's program, in its own process group, watched line by line. */
export class Program {
  readonly changes = new EventEmitter();
  readonly stdout = new LineStream();
  readonly stderr = new LineStream();
  readonly listening: Listening[] = [];
  /** Ports the program asked to connect to, and where the runner steered it instead. */
  readonly steered: { requested: number; port: number }[] = [];
  /** Connections the preload could not steer: they went to a host that is not this machine. */
  readonly elsewhere: Elsewhere[] = [];
  /** IPC messages accepted, and those ignored (forged, malformed or beyond what a program may say). */
  readonly messages: MessageBudget = { accepted: 0, ignored: 0 };
  exit?: ExitStatus;
  /** Set when the runner started stopping it: its exit is then not the program's own doing. */
  stopping = false;
  overflow?: 'stdout' | 'stderr';
  /** Set when the preload reports that node and the preload itself are up, just before the program loads. */
  started = false;
  killedWorkers = 0;
  /** Set when the program said too much on its channel, and was stopped for it. */
  flooded = false;
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private readonly token: string;

  readonly options: ProgramOptions;

  constructor(options: ProgramOptions) {
    this.options = options;
    const sandbox = options.sandbox === true ? {} : options.sandbox || undefined;
    // A graded program gets the allow-listed environment; your own (and a mutation run's __STRYKER_*) gets all of it.
    const launch = launchTypeScript(options.file, {
      sandbox: sandbox !== undefined,
      permissionModel: sandbox !== undefined && sandbox.confinedByOs !== true,
      ownUser: sandbox?.uid !== undefined,
      writable: options.writable,
      readable: sandbox?.readable,
      // A compile cache spares each program the type stripping of the preload and of the learner's files; whatever a
      // program writes into it reaches only this learner's own later programs.
      compileCache: sandbox?.compileCache,
    });
    const env: NodeJS.ProcessEnv = {
      ...(sandbox ? allowedEnvironment() : process.env),
      ...portEnvironment(options),
      ...launch.env,
    };
    // A parent's FORCE_COLOR would colour console.log output and break every match.
    delete env.FORCE_COLOR;
    if (options.interrupt === 'ipc') env.WORKBOOK_INTERRUPT = 'ipc';
    // Only the preload knows this: it deletes it before the program loads, so the program cannot forge a message.
    this.token = randomBytes(16).toString('hex');
    env.WORKBOOK_IPC_TOKEN = this.token;
    // The preload's channel is a plain pipe on fd 3, read here line by line within caps: never Node's IPC, whose
    // reader keeps a line without end until the runner runs out of memory, and whose 'close' may never come.
    env.WORKBOOK_CHANNEL = '3';
    this.child = spawn(launch.command, [...launch.args, ...options.args], {
      cwd: options.cwd,
      env,
      detached: !isWindows,
      windowsHide: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      ...(sandbox?.uid === undefined ? {} : { uid: sandbox.uid, gid: sandbox.gid }),
    });
    live.add(this);
    // A program that exits without reading its input must not make the runner fail on EPIPE.
    this.child.stdin!.on('error', () => {});
    this.watch('stdout', this.child.stdout!);
    this.watch('stderr', this.child.stderr!);
    this.channel = this.child.stdio[3] as Readable & Writable;
    this.channel.on('error', () => {});
    const lines = new CappedLines(
      CHANNEL_CAPS,
      (line) => this.hear(line),
      () => this.closeChannel(),
    );
    this.channel.on('data', (chunk: Buffer) => lines.push(chunk));
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
      this.child.on('error', (error) => {
        this.stderr.push(`could not start node: ${error.message}\n`);
        this.finish({ code: null, signal: null }, resolve);
      });
      // Not 'close': that waits for every copy of the program's pipes, which a child it started may hold forever.
      this.child.on('exit', (code, signal) => void this.drain().then(() => this.finish({ code, signal }, resolve)));
    });
  }

  private readonly channel: Readable & Writable;

  /** One line from the channel: a message counts only with the preload's token and within what a program may say. */
  private hear(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    const accepted = acceptMessage(message, this.token, this.messages, this);
    if (accepted) this.changed();
    if (this.messages.ignored > MOST_IGNORED) this.closeChannel();
  }

  /** A flood on the channel: it is closed (the preload ends the program when it hears that) and the program stopped. */
  private closeChannel(): void {
    if (this.channel.destroyed) return;
    this.flooded = true;
    this.channel.destroy();
    void this.stop();
  }

  /** After the exit, what is still in the pipes is read, for a moment: then they are closed whoever holds them. */
  private async drain(): Promise<void> {
    const ended = (stream: Readable): Promise<void> =>
      stream.readableEnded || stream.destroyed ? Promise.resolve() : new Promise((done) => stream.once('close', done));
    const streams = [this.child.stdout!, this.child.stderr!];
    let timer: NodeJS.Timeout | undefined;
    // One more poll of the loop after the timer: woken late on a busy machine, it runs timers before reading pipes.
    const drained = new Promise((done) => (timer = setTimeout(() => setImmediate(done), DRAIN_MS)));
    await Promise.race([Promise.all(streams.map(ended)), drained]);
    clearTimeout(timer);
    for (const stream of [...streams, this.channel]) stream.destroy();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private watch(name: 'stdout' | 'stderr', stream: NodeJS.ReadableStream): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (this.overflow) return;
      this[name].push(chunk);
      if (this[name].bytes > this.options.outputCap || this[name].full) {
        this.overflow = name;
        void this.stop();
      }
      this.changed();
    });
  }

  private resolveExit?: (status: ExitStatus) => void;

  /** Stops waiting for a program that does not go even after SIGKILL. */
  private gone(): void {
    if (this.resolveExit) this.finish({ code: null, signal: 'SIGKILL' }, this.resolveExit);
  }

  private finish(status: ExitStatus, resolve: (status: ExitStatus) => void): void {
    if (this.exit) return;
    this.stdout.flush();
    this.stderr.flush();
    this.exit = status;
    live.delete(this);
    resolve(status);
    this.changed();
  }

  private changed(): void {
    this.changes.emit('change');
  }

  /** A line typed into the program's standard input, or null for Ctrl-D (end of input). */
  writeStdin(text: string | null): void {
    const stdin = this.child.stdin!;
    if (stdin.destroyed || stdin.writableEnded) return;
    if (text === null) stdin.end();
    else stdin.write(`${text}\n`);
  }

  interrupt(): void {
    if (this.exit) return;
    if (this.options.interrupt === 'ipc' && this.channel.writable) this.channel.write('{"type":"interrupt"}\n');
    else signalGroup(this.child, 'SIGINT');
  }

  /** `[kill a worker]`: the preload in the program's cluster primary ends one worker that listens. */
  killWorker(): void {
    if (!this.exit && this.channel.writable) this.channel.write('{"type":"kill-worker"}\n');
  }

  killNow(): void {
    signalGroup(this.child, 'SIGKILL');
  }

  /** SIGTERM to the whole group, SIGKILL after the grace period; resolves when the program is gone. */
  async stop(graceMs = 500): Promise<ExitStatus> {
    this.stopping = true;
    if (!this.exit) {
      signalGroup(this.child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(this.child, 'SIGKILL'), graceMs);
      // A process the kernel cannot end at once (stuck in a device) must not hold the runner: it waits a while, no more.
      const giveUp = setTimeout(() => this.gone(), graceMs + KILL_WAIT_MS);
      await this.exited;
      clearTimeout(timer);
      clearTimeout(giveUp);
    }
    // Children the program started may outlive it in its group: end them too.
    signalGroup(this.child, 'SIGKILL');
    return this.exited;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (isWindows) {
    // taskkill /T ends the whole tree; Windows has no gentler signal to send first.
    spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** SIGKILL to every program's group at once, for a runner that must exit now. */
export function killAllProgramsNow(): void {
  for (const program of live) program.killNow();
}

/** Ends every program still running: for a runner that is itself interrupted. */
export async function stopAllPrograms(): Promise<void> {
  await Promise.all([...live].map((program) => program.stop()));
}

export function startProgram(options: ProgramOptions): Program {
  return new Program(options);
}
