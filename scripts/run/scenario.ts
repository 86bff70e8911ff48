import net from 'node:net';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { TestClient, UdpTestClient, type AnyClient } from './clients.ts';
import { canonicalOutput, matchesTemplate, toTemplate, type RunFacts } from '../transcript/placeholders.ts';
import { startProgram, type Listening, type Program } from './program.ts';
import { formatBytes, formatStep, type ClientAction, type Step } from '../transcript/parse.ts';

export interface ScenarioOptions {
  /** The folder whose NAME.ts `$ NAME` starts: a lesson, its solution, or a learner's copy of the lesson. */
  programDir: string;
  /** The workbook's root, which `& PATH` lines are relative to. */
  courseRoot: string;
  cwd: string;
  stepTimeoutMs: number;
  startTimeoutMs: number;
  outputCap: number;
  interrupt?: 'signal' | 'ipc';
  /** Ends the run early (npm run lesson --watch, when a file changes): its programs are stopped, no step runs after. */
  signal?: AbortSignal;
  /** The program under test (not the workbook's helpers) runs under Node's permission model. */
  sandbox?: boolean;
}

export interface Failure {
  step?: Step;
  /** One plain sentence: what was awaited, what came instead, after how long. */
  message: string;
  /** The end of the program's stderr, when it helps explain the failure. */
  stderr?: string[];
}

export interface ScenarioResult {
  name: string;
  /** The lesson program the scenario starts (`$ NAME` is NAME.ts). */
  program: string;
  passed: boolean;
  expected: string;
  actual: string;
  failure?: Failure;
  /** Whether every step ran: an incomplete record must not replace a transcript. */
  complete: boolean;
  durationMs: number;
}

type Outcome<T> = { value: T } | { timedOut: true; waitedMs: number };

/** Re-checks `probe` after every change until it returns a value or the time is up; never sleeps blindly. */
function waitFor<T>(changes: EventEmitter, probe: () => T | undefined, timeoutMs: number): Promise<Outcome<T>> {
  const started = Date.now();
  return new Promise((resolve) => {
    const check = (): boolean => {
      const value = probe();
      if (value === undefined) return false;
      finish({ value });
      return true;
    };
    const finish = (outcome: Outcome<T>): void => {
      clearTimeout(timer);
      changes.off('change', check);
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ timedOut: true, waitedMs: Date.now() - started }), timeoutMs);
    changes.on('change', check);
    check();
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

class StepFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Runs one transcript against the program and records what actually happened, in the transcript's own format. */
export class ScenarioRun {
  private readonly changes = new EventEmitter();
  private readonly facts: RunFacts = { clients: new Map(), portMap: new Map() };
  private readonly clients = new Map<string, AnyClient>();
  private readonly helpers: Program[] = [];
  /** Port a helper asked for → where it really listens: the program under test connects there instead. */
  private readonly connectPorts: Record<'tcp' | 'udp', Record<number, number>> = { tcp: {}, udp: {} };
  private readonly helperHosts: Record<number, string> = {};
  private stepTimeoutMs: number;
  /** Folders a graded program may write inside, from `[writable DIR]`: a scenario about files needs them. */
  private readonly writable: string[] = [];
  private readonly blockers: net.Server[] = [];
  private readonly forcedPorts: Record<number, number> = {};
  private readonly actual: string[] = [];
  private program?: Program;
  private failure?: Failure;
  private interrupted = false;
  private complete = false;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly steps: Step[],
    private readonly options: ScenarioOptions,
  ) {
    this.changes.setMaxListeners(0);
    this.stepTimeoutMs = options.stepTimeoutMs;
  }

  async run(): Promise<ScenarioResult> {
    const started = Date.now();
    const { signal } = this.options;
    // Stopping the programs ends whatever step is waiting on them; the loop below then runs no further step.
    const abort = (): void => {
      for (const program of [this.program, ...this.helpers]) void program?.stop();
    };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      for (const step of this.steps) {
        if (signal?.aborted) throw new StepFailed({ message: 'The check was stopped before it finished.' });
        await this.perform(step);
      }
      this.complete = true;
      await this.finishProgram();
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      this.failure ??= error.failure;
    } finally {
      signal?.removeEventListener('abort', abort);
      await this.cleanUp();
    }
    this.recordLeftovers();
    return {
      name: basename(this.file).replace(/\.txt$/, ''),
      program: `${this.steps.find((step) => step.kind === 'start')?.program ?? 'server'}.ts`,
      passed: this.failure === undefined,
      expected: this.text.replace(/\r\n?/g, '\n').replace(/\n$/, ''),
      actual: this.actual.join('\n'),
      failure: this.failure,
      complete: this.complete,
      durationMs: Date.now() - started,
    };
  }

  /** A mismatch is recorded and the run goes on; a missing event ends the run. */
  private mismatch(step: Step, message: string, recorded: string): void {
    this.actual.push(recorded);
    this.failure ??= { step, message, stderr: this.stderrTail() };
  }

  private stop(step: Step, message: string): never {
    throw new StepFailed({ step, message, stderr: this.stderrTail() });
  }

  private stderrTail(): string[] | undefined {
    // The first lines of a crash say what went wrong; the rest is a stack.
    const lines = this.program?.stderr.lines ?? [];
    return lines.length > 0 ? lines.slice(0, 12) : undefined;
  }

  private async perform(step: Step): Promise<void> {
    switch (step.kind) {
      case 'comment':
        this.actual.push(step.source);
        return;
      case 'busy':
        this.forcedPorts[step.port] = await this.occupyPort();
        this.facts.portMap.set(this.forcedPorts[step.port], step.port);
        this.actual.push(step.source);
        return;
      case 'timeout':
        this.stepTimeoutMs = step.ms;
        this.actual.push(step.source);
        return;
      case 'writable':
        this.writable.push(resolve(this.options.cwd, step.path));
        this.actual.push(step.source);
        return;
      case 'background':
        await this.startHelper(step, step.path, step.args);
        this.actual.push(formatStep(step));
        return;
      case 'start':
        return this.startUnderTest(step, step.program, step.args);
      case 'stdin':
        this.program!.writeStdin(step.text);
        this.actual.push(step.source);
        return;
      case 'stdout':
      case 'stderr':
        return this.expectLine(step, step.kind, step.text);
      case 'interrupt':
        this.interrupted = true;
        this.program!.interrupt();
        this.actual.push(step.source);
        return;
      case 'exit':
        return this.expectExit(step, step.code);
      case 'client':
        return this.clientStep(step, step.client, step.action);
    }
  }

  private async startUnderTest(step: Step, name: string, args: string[]): Promise<void> {
    const file = join(this.options.programDir, `${name}.ts`);
    if (!existsSync(file)) this.stop(step, `There is no ${name}.ts in ${relative(this.options.cwd, this.options.programDir) || '.'}.`);
    this.program = startProgram({
      file,
      args,
      cwd: this.options.cwd,
      outputCap: this.options.outputCap,
      forcedPorts: this.forcedPorts,
      connectPorts: this.connectPorts,
      helperHosts: this.helperHosts,
      closedPort: await freePort(),
      interrupt: this.options.interrupt,
      sandbox: this.options.sandbox,
      writable: this.writable,
    });
    this.facts.pid = this.program.pid;
    this.program.changes.on('change', () => this.changes.emit('change'));
    if (this.options.signal?.aborted) void this.program.stop();
    this.actual.push(formatStep(step));
  }

  /** A program the workbook provides, such as a reference server for a client to talk to: started and listening first. */
  private async startHelper(step: Step, path: string, args: string[]): Promise<void> {
    const file = join(this.options.courseRoot, path);
    if (!existsSync(file)) this.stop(step, `The helper program ${path} does not exist.`);
    const helper = startProgram({ file, args, cwd: this.options.cwd, outputCap: this.options.outputCap, forcedPorts: this.forcedPorts });
    this.helpers.push(helper);
    helper.changes.on('change', () => this.changes.emit('change'));
    const outcome = await waitFor(this.changes, () => (helper.listening.length > 0 ? true : helper.exit ? false : undefined), this.options.startTimeoutMs);
    if ('timedOut' in outcome || !outcome.value) {
      this.stop(step, `The helper program ${path} never started listening. Its stderr: ${helper.stderr.lines.slice(0, 3).join(' ') || '(empty)'}`);
    }
    for (const { protocol, requested, port, address } of helper.listening) {
      if (requested === 0) continue;
      this.connectPorts[protocol][requested] = port;
      // What the client under test prints with the helper's real port reads as the port it asked for.
      this.facts.portMap.set(port, requested);
      if (protocol === 'tcp' && address !== '::' && address !== '0.0.0.0') this.helperHosts[port] = address;
    }
  }

  private programEnded(): string | undefined {
    const program = this.program!;
    if (program.overflow) return `it printed more than ${this.options.outputCap} bytes on ${program.overflow}, so it was stopped`;
    if (!program.exit) return undefined;
    const { code, signal } = program.exit;
    return signal ? `it was ended by ${signal}` : `it exited with code ${code}`;
  }

  /**
   * Node and the TypeScript loader may take longer than a step to start on a slow or busy machine, and that is not the
   * program's fault: until the program is running (or has printed or exited), waiting is measured by the start timeout.
   */
  private async programStarted(step: Step): Promise<void> {
    const program = this.program!;
    const running = (): true | undefined => (program.started || program.exit || program.stdout.bytes > 0 || program.stderr.bytes > 0 ? true : undefined);
    const outcome = await waitFor(this.changes, running, this.options.startTimeoutMs);
    if ('timedOut' in outcome) this.stop(step, `Waited ${seconds(outcome.waitedMs)} for the program to start, but it never did.`);
  }

  private async expectLine(step: Step, stream: 'stdout' | 'stderr', template: string): Promise<void> {
    await this.programStarted(step);
    const program = this.program!;
    const lines = program[stream];
    const outcome = await waitFor(
      this.changes,
      () => (lines.next < lines.lines.length ? 'line' : this.programEnded() ? 'ended' : undefined),
      this.stepTimeoutMs,
    );
    const what = `the program to print \`${template}\` on ${stream}`;
    if ('timedOut' in outcome) this.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${what}, but it printed nothing more.`);
    if (outcome.value === 'ended') this.stop(step, `Waited for ${what}, but ${this.programEnded()} first.`);
    // The program reports where it listens over IPC before it can print the port, but that report arrives on another
    // pipe: one turn of the event loop lets a report already on its way be read, so the real port is shown as asked.
    await new Promise((resolve) => setImmediate(resolve));
    this.learnPorts();
    const actual = canonicalOutput(lines.lines[lines.next++], this.facts);
    if (matchesTemplate(template, actual, this.facts)) {
      this.actual.push(step.source);
      return;
    }
    const recorded = formatStep({ kind: stream, text: toTemplate(actual, this.facts) });
    this.mismatch(step, `Expected ${what}, but it printed \`${actual}\`.`, recorded);
  }

  private async expectExit(step: Step, code: number): Promise<void> {
    await this.programStarted(step);
    const program = this.program!;
    const outcome = await waitFor(this.changes, () => program.exit, this.stepTimeoutMs);
    if ('timedOut' in outcome) this.stop(step, `Waited ${seconds(outcome.waitedMs)} for the program to exit with code ${code}, but it is still running.`);
    const exit = outcome.value;
    if (exit.code === code) {
      this.actual.push(step.source);
      return;
    }
    const recorded = exit.code === null ? `# ended by ${exit.signal ?? 'an unknown cause'}` : `[exit ${exit.code}]`;
    this.mismatch(step, `Expected the program to exit with code ${code}, but ${this.programEnded()}.`, recorded);
  }

  private async clientStep(step: Step, name: string, action: ClientAction): Promise<void> {
    if (action.verb === 'connect' || action.verb === 'udp') return this.connect(step, name, action.verb === 'udp' ? 'udp' : 'tcp', action.port);
    const client = this.clients.get(name)!;
    if (action.verb === 'send') client.send(action.bytes);
    else if (action.verb === 'recv' || action.verb === 'count') return client.kind === 'udp' ? this.expectDatagram(step, client, action) : this.expectBytes(step, client, action);
    else if (action.verb === 'silent') return this.expectSilence(step, client, action.ms);
    else if (client.kind === 'udp') throw new Error(`\`${action.verb}\` on a UDP client passed the parser`);
    else if (action.verb === 'line') return this.expectReceivedLine(step, client, action.text);
    else if (action.verb === 'eof' || action.verb === 'reset') return this.expectEnding(step, client, action.verb);
    else client[action.verb]();
    this.actual.push(step.source);
  }

  private async connect(step: Step, name: string, protocol: Listening['protocol'], requested?: number): Promise<void> {
    const program = this.program!;
    const find = (): { host: string; port: number } | undefined => {
      const ours = program.listening.filter((l) => l.protocol === protocol);
      const listening = requested === undefined ? ours[0] : ours.find((l) => l.requested === requested);
      if (!listening) return undefined;
      // A wildcard address is not a destination: reach it over loopback.
      const host = listening.address === '::' ? '127.0.0.1' : listening.address === '0.0.0.0' ? '127.0.0.1' : listening.address;
      return { host, port: listening.port };
    };
    const kind = protocol === 'udp' ? 'UDP port' : 'port';
    const target = requested === undefined ? `a ${kind}` : `${kind} ${requested}`;
    const outcome = await waitFor(this.changes, () => find() ?? (this.programEnded() ? null : undefined), this.options.startTimeoutMs);
    if ('timedOut' in outcome) {
      this.stop(step, `Waited ${seconds(outcome.waitedMs)} for the program to listen on ${target}, but it never did (it is still running: is it stuck in a loop, or did it forget to call listen?).`);
    }
    if (outcome.value === null) this.stop(step, `Waited for the program to listen on ${target}, but ${this.programEnded()} first.`);
    const { host, port } = outcome.value!;
    try {
      const client = protocol === 'udp' ? await UdpTestClient.open(name, host, port, this.changes) : await TestClient.connect(name, host, port, this.changes, this.stepTimeoutMs);
      this.clients.set(name, client);
      this.facts.clients.set(name, { addr: client.addr, port: client.port });
      this.actual.push(step.source);
    } catch (error) {
      this.stop(step, `Client ${name} could not connect to ${host}:${port}: ${(error as Error).message}.`);
    }
  }

  /** What arrived at the client that an expectation did not ask for, as transcript lines. */
  private describeArrivals(client: AnyClient): string[] {
    const lines: string[] = [];
    if (client.kind === 'udp') {
      lines.push(...client.datagrams.splice(0).map((datagram) => `${client.name}: ${describeBytes(datagram)}`));
    } else if (client.bufferedBytes > 0) {
      lines.push(`${client.name}: ${describeBytes(client.take(client.bufferedBytes))}`);
    }
    if (client.error) lines.push(`${client.name}: ${client.error.code === 'ECONNRESET' ? 'reset' : `# error ${client.error.message}`}`);
    else if (client.ended) lines.push(`${client.name}: eof`);
    return lines;
  }

  /** `Expected WHAT, but it got \`A: recv "..."\` then \`A: eof\`.` */
  private arrivalsSentence(expected: string, arrived: string[]): string {
    return `Expected ${expected}, but it got ${arrived.map((l) => `\`${l}\``).join(' then ')}.`;
  }

  private async expectBytes(step: Step, client: TestClient, action: Extract<ClientAction, { verb: 'recv' | 'count' }>): Promise<void> {
    const least = action.verb === 'recv' ? action.bytes.length : action.min;
    const most = action.verb === 'recv' ? action.bytes.length : action.max;
    const wanted = action.verb === 'recv' ? formatBytes(action.bytes) : least === most ? `${least} bytes` : `${least} to ${most} bytes`;
    const outcome = await waitFor(this.changes, () => (client.bufferedBytes >= least || client.ended || client.error ? true : undefined), this.stepTimeoutMs);
    if ('timedOut' in outcome) {
      const got = client.bufferedBytes;
      const shown = formatBytes(client.buffered());
      const sofar = got === 0 ? 'nothing arrived' : `only ${got} arrived${shown.length <= 300 ? `: ${shown}` : ''}`;
      this.actual.push(...this.describeArrivals(client));
      this.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${least === most ? least : `at least ${least}`} bytes at client ${client.name}, but ${sofar}.`);
    }
    const available = client.buffered().subarray(0, most);
    const matches = available.length >= least && (action.verb === 'count' || available.equals(action.bytes));
    if (matches) {
      client.take(available.length);
      this.actual.push(step.source);
      return;
    }
    const arrived = this.describeArrivals(client);
    this.actual.push(...arrived);
    this.failure ??= { step, message: this.arrivalsSentence(`client ${client.name} to receive ${wanted}`, arrived), stderr: this.stderrTail() };
    if (client.ended || client.error) throw new StepFailed(this.failure);
  }

  private async expectDatagram(step: Step, client: UdpTestClient, action: Extract<ClientAction, { verb: 'recv' | 'count' }>): Promise<void> {
    const wanted = action.verb === 'recv' ? `the datagram ${formatBytes(action.bytes)}` : `a datagram of ${action.min} bytes`;
    const outcome = await waitFor(this.changes, () => (client.datagrams.length > 0 || client.error ? true : undefined), this.stepTimeoutMs);
    if ('timedOut' in outcome) this.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${wanted} at client ${client.name}, but nothing arrived.`);
    const datagram = client.datagrams[0];
    if (datagram && (action.verb === 'recv' ? datagram.equals(action.bytes) : datagram.length === action.min)) {
      client.datagrams.shift();
      this.actual.push(step.source);
      return;
    }
    const arrived = this.describeArrivals(client);
    this.mismatch(step, this.arrivalsSentence(`client ${client.name} to receive ${wanted}`, arrived), arrived.join('\n'));
  }

  /** `A> TEXT`: the next line the client receives, matched like a line the program prints. */
  private async expectReceivedLine(step: Step, client: TestClient, template: string): Promise<void> {
    const hasLine = (): boolean => client.bufferedBytes > 0 && client.buffered().includes(10);
    const outcome = await waitFor(this.changes, () => (hasLine() || client.ended || client.error ? true : undefined), this.stepTimeoutMs);
    const wanted = `the line \`${template}\``;
    if ('timedOut' in outcome) {
      const sofar = client.bufferedBytes === 0 ? 'nothing arrived' : `only part of a line arrived`;
      this.actual.push(...this.describeArrivals(client));
      this.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${wanted} at client ${client.name}, but ${sofar}.`);
    }
    const line = client.takeLine();
    if (line === undefined) {
      const arrived = this.describeArrivals(client);
      this.actual.push(...arrived);
      throw new StepFailed({ step, message: this.arrivalsSentence(`client ${client.name} to receive ${wanted}`, arrived), stderr: this.stderrTail() });
    }
    if (matchesTemplate(template, line, this.facts)) {
      this.actual.push(step.source);
      return;
    }
    const recorded = formatStep({ kind: 'client', client: client.name, action: { verb: 'line', text: toTemplate(line, this.facts) } });
    this.mismatch(step, `Expected client ${client.name} to receive ${wanted}, but it got \`${line}\`.`, recorded);
  }

  private async expectEnding(step: Step, client: TestClient, verb: 'eof' | 'reset'): Promise<void> {
    const outcome = await waitFor(
      this.changes,
      () => (client.bufferedBytes > 0 || client.ended || client.error ? true : undefined),
      this.stepTimeoutMs,
    );
    const wanted = verb === 'eof' ? 'the server to close the connection' : 'the connection to be reset';
    if ('timedOut' in outcome) {
      this.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${wanted} at client ${client.name}, but it stayed open (did the server forget to close it?).`);
    }
    const happened = verb === 'eof' ? client.ended && !client.error && client.bufferedBytes === 0 : client.error?.code === 'ECONNRESET';
    if (happened) {
      if (verb === 'reset') client.error = undefined;
      this.actual.push(step.source);
      return;
    }
    const arrived = this.describeArrivals(client);
    this.mismatch(step, this.arrivalsSentence(`${wanted} at client ${client.name}`, arrived), arrived.join('\n'));
  }

  private async expectSilence(step: Step, client: AnyClient, ms: number): Promise<void> {
    const outcome = await waitFor(this.changes, () => (client.bufferedBytes > 0 || client.ended || client.error ? true : undefined), ms);
    if ('timedOut' in outcome) {
      this.actual.push(step.source);
      return;
    }
    const arrived = this.describeArrivals(client);
    this.mismatch(step, this.arrivalsSentence(`nothing at client ${client.name} for ${ms} ms`, arrived), arrived.join('\n'));
  }

  /** After the last step: a program told to stop (^C) must exit by itself; anything else is ended by the runner. */
  private async finishProgram(): Promise<void> {
    const program = this.program!;
    if (!this.interrupted || program.exit) return;
    const outcome = await waitFor(this.changes, () => program.exit, this.stepTimeoutMs);
    if ('timedOut' in outcome) {
      throw new StepFailed({ message: `The program was still running ${seconds(outcome.waitedMs)} after Ctrl-C.` });
    }
  }

  private async occupyPort(): Promise<number> {
    // Loopback only: the busy port is held on both 127.0.0.1 and ::1 so either name for localhost collides.
    const first = net.createServer();
    await new Promise<void>((resolve, reject) => first.once('error', reject).listen(0, '127.0.0.1', resolve));
    this.blockers.push(first);
    const port = (first.address() as net.AddressInfo).port;
    const second = net.createServer();
    await new Promise<void>((resolve) => second.once('error', () => resolve()).listen(port, '::1', resolve));
    if (second.listening) this.blockers.push(second);
    return port;
  }

  private async cleanUp(): Promise<void> {
    for (const client of this.clients.values()) client.destroy();
    await Promise.all(this.helpers.map((helper) => helper.stop()));
    const program = this.program;
    if (program) {
      const exitedOnItsOwn = program.exit !== undefined && !program.stopping;
      await program.stop();
      if (!exitedOnItsOwn) program.stdout.next = program.stdout.lines.length;
      if (!exitedOnItsOwn) program.stderr.next = program.stderr.lines.length;
    }
    await Promise.all(this.blockers.map((server) => new Promise((resolve) => server.close(resolve))));
  }

  private learnPorts(): void {
    for (const { requested, port } of [...(this.program?.listening ?? []), ...(this.program?.steered ?? [])]) {
      if (requested !== 0) this.facts.portMap.set(port, requested);
    }
  }

  /** Output the transcript did not expect: only judged when the program exited by itself, so nothing is racy. */
  private recordLeftovers(): void {
    const program = this.program;
    if (!program) return;
    this.learnPorts();
    for (const stream of ['stdout', 'stderr'] as const) {
      const extra = program[stream].unread();
      if (extra.length === 0) continue;
      const lines = extra.map((line) => formatStep({ kind: stream, text: toTemplate(canonicalOutput(line, this.facts), this.facts) }));
      this.actual.push(...lines);
      this.failure ??= { message: `The program printed more than the transcript expects on ${stream}, starting with \`${extra[0]}\`.` };
    }
    if (program.overflow) this.failure ??= { message: `The program ${this.programEnded()}.` };
  }
}

/** Recorded bytes stay readable: a long run that is not a short repeated unit is given by its length. */
function describeBytes(bytes: Buffer): string {
  const written = formatBytes(bytes);
  return written.length <= 300 ? `recv ${written}` : `recv ${bytes.length} bytes`;
}

/** A port with nothing listening on it, so a client's connection there is refused as it would be with no server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function runScenario(file: string, text: string, steps: Step[], options: ScenarioOptions): Promise<ScenarioResult> {
  return new ScenarioRun(file, text, steps, options).run();
}
