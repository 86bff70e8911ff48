// What one scenario run knows and has recorded so far: shared by the step loop, the actions and the expectations.
import { EventEmitter } from 'node:events';
import type dgram from 'node:dgram';
import type net from 'node:net';
import type { RunFacts } from '../transcript/placeholders.ts';
import type { Step } from '../transcript/parse.ts';
import { ClientActs } from './acts.ts';
import type { AnyClient } from './clients.ts';
import type { Program, Sandbox } from '../run/program.ts';
import { plural } from '../kernel/text.ts';
import type { Ending } from '../run/exit.ts';

export interface ScenarioOptions {
  /** The folder whose NAME.ts `$ NAME` starts: a lesson, its solution, or a learner's copy of the lesson. */
  programDir: string;
  /** The workbook's root, which `& PATH` lines are relative to. */
  courseRoot: string;
  cwd: string;
  stepTimeoutMs: number;
  startTimeoutMs: number;
  /** Every wait, a transcript's own `[timeout]` too, is this many times as long: a second run on a busy machine. */
  timeScale?: number;
  outputCap: number;
  interrupt?: 'signal' | 'ipc';
  /** Ends the run early (npm run lesson --watch, when a file changes): its programs are stopped, no step runs after. */
  signal?: AbortSignal;
  /** The program under test (not the workbook's helpers) runs under Node's permission model; with an identity, as them. */
  sandbox?: boolean | Sandbox;
}

export interface Failure {
  step?: Step;
  /** One plain sentence: what was awaited, what came instead, after how long. */
  message: string;
  /** The end of the program's stderr, when it helps explain the failure. */
  stderr?: string[];
  /** How the program ended by itself, when it did before the run was over: `it exited with code 1`. */
  ended?: string;
  /** Its exit code or signal then, when it exited by itself (not stopped by the runner, nor by the transcript's ^C). */
  exit?: Ending;
}

/** Thrown when a step cannot go on (an event that never came): the run ends there. */
export class StepFailed extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.failure = failure;
  }
}

export class ScenarioContext {
  readonly changes = new EventEmitter();
  readonly facts: RunFacts = { clients: new Map(), portMap: new Map() };
  readonly clients = new Map<string, AnyClient>();
  /** What each client did: the failure of a program that then ends by itself names the client and the act. */
  readonly acts = new ClientActs();
  readonly helpers: Program[] = [];
  /** Port a helper asked for → where it really listens: the program under test connects there instead. */
  readonly connectPorts: Record<'tcp' | 'udp', Record<number, number>> = { tcp: {}, udp: {} };
  readonly helperHosts: Record<number, string> = {};
  /** Folders a graded program may write inside, from `[writable DIR]`: a scenario about files needs them. */
  readonly writable: string[] = [];
  /** Each `[writable DIR]` folder → what it held before the run (undefined: it was not there), and its release. */
  readonly heldBefore = new Map<string, { held: Set<string> | undefined; release: () => void }>();
  readonly blockers: net.Server[] = [];
  /** The UDP sockets behind `[busy udp PORT]`. */
  readonly udpBlockers: dgram.Socket[] = [];
  readonly forcedPorts: Record<number, number> = {};
  /** Requested port → the busy port a listen there meets from the second one on: `[busy PORT on restart]`. */
  readonly restartPorts: Record<number, number> = {};
  /** What happened, in the transcript's own format. */
  readonly actual: string[] = [];
  readonly options: ScenarioOptions;
  stepTimeoutMs: number;
  /** Bytes the program may print on each stream: the run's cap, or a transcript's `[output N bytes]`. */
  outputCap: number;
  /** Bytes each client keeps (what the transcript can read, plus some): beyond it, a flood is only counted. */
  keepBytes = Number.MAX_SAFE_INTEGER;
  program?: Program;
  failure?: Failure;
  interrupted = false;
  /** After `...` (or `! ...`): lines on that stream that no step expects are passed over. */
  readonly skipping = { stdout: false, stderr: false };
  /** Files read by `= PATH: ...` lines: their lines, and how many the transcript has expected so far. */
  readonly files = new Map<string, { lines: string[]; next: number }>();

  constructor(options: ScenarioOptions) {
    this.options = options;
    this.stepTimeoutMs = options.stepTimeoutMs;
    this.outputCap = options.outputCap;
    this.changes.setMaxListeners(0);
  }

  /** The step happened as the transcript says. */
  record(...lines: string[]): void {
    this.actual.push(...lines);
  }

  /** A mismatch is recorded and the run goes on; a missing event ends the run. */
  mismatch(step: Step, message: string, recorded: string | string[]): void {
    this.actual.push(...(typeof recorded === 'string' ? [recorded] : recorded));
    this.failure ??= { step, message, stderr: this.stderrTail() };
  }

  stop(step: Step, message: string): never {
    throw new StepFailed({ step, message, stderr: this.stderrTail() });
  }

  stderrTail(): string[] | undefined {
    // The first lines of a crash say what went wrong; the rest is a stack.
    const lines = this.program?.stderr.lines ?? [];
    return lines.length > 0 ? lines.slice(0, 12) : undefined;
  }

  /** Why the program can no longer do what a step waits for, or undefined while it runs. */
  programEnded(): string | undefined {
    const program = this.program!;
    if (program.overflow && program[program.overflow].full)
      return `it printed more than ${plural(program[program.overflow].lines.length, 'line')} on ${program.overflow}, so it was stopped`;
    if (program.overflow)
      return `it printed more than ${plural(this.outputCap, 'byte')} on ${program.overflow}, so it was stopped`;
    if (!program.exit) return undefined;
    const { code, signal } = program.exit;
    return signal ? `it was ended by ${signal}` : `it exited with code ${code}`;
  }

  /** Real ports the program listens on or was steered to read as the ports it asked for. */
  learnPorts(): void {
    this.facts.listenAddr ??= this.program?.listening.find((listening) => listening.protocol === 'tcp')?.address;
    for (const { requested, port } of [...(this.program?.listening ?? []), ...(this.program?.steered ?? [])]) {
      if (requested !== 0) this.facts.portMap.set(port, requested);
    }
  }
}
