// Runs one transcript against the program, step by step, and records what actually happened in the same format.
import { basename, resolve } from 'node:path';
import { canonicalOutput } from '../transcript/placeholders.ts';
import type { Step } from '../transcript/parse.ts';
import { clientStep, startHelper, startUnderTest } from './actions.ts';
import { bytesNeeded } from './clients.ts';
import { confinedFolder, floodFailure, watchFloods } from './confine.ts';
import { ScenarioContext, StepFailed, type Failure, type ScenarioOptions } from './context.ts';
import { expectExit, expectLine } from './expectations.ts';
import { recordUnexpectedOutput } from './leftovers.ts';
import {
  expectFileLine,
  prepareRunDir,
  recordFileLeftovers,
  takeWritable,
  removeRunFiles,
  withRunDir,
} from './files.ts';
import { closeWithin, occupyPort } from '../run/ports.ts';
import { seconds } from '../kernel/text.ts';
import { waitFor } from '../run/wait.ts';

export type { Failure, ScenarioOptions } from './context.ts';

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
  /** Run a second time with longer step timeouts, because the first run's failure may have been the machine's. */
  retried?: boolean;
}

async function perform(context: ScenarioContext, step: Step): Promise<void> {
  switch (step.kind) {
    case 'comment':
      return context.record(step.source);
    case 'busy': {
      const { port, servers, sockets } = await occupyPort(step.udp ? 'udp' : 'tcp');
      context.blockers.push(...servers);
      context.udpBlockers.push(...sockets);
      if (step.onRestart) context.restartPorts[step.port] = port;
      else context.forcedPorts[step.port] = port;
      context.facts.portMap.set(port, step.port);
      return context.record(step.source);
    }
    case 'timeout':
      context.stepTimeoutMs = step.ms * (context.options.timeScale ?? 1);
      return context.record(step.source);
    case 'output':
      context.outputCap = step.bytes;
      return context.record(step.source);
    case 'writable': {
      const folder = confinedFolder(context, step, resolve(context.options.cwd, step.path));
      context.writable.push(folder);
      await takeWritable(context, folder);
      return context.record(step.source);
    }
    case 'background':
      return startHelper(
        context,
        step,
        step.path,
        step.args.map((arg) => withRunDir(context, arg)),
      );
    case 'start':
      return startUnderTest(
        context,
        step,
        step.program,
        step.args.map((arg) => withRunDir(context, arg)),
      );
    case 'stdin':
      context.program!.writeStdin(step.text);
      return context.record(step.source);
    case 'stdout':
    case 'stderr':
      return expectLine(context, step, step.kind, step.text);
    case 'skip':
      context.skipping[step.stream] = true;
      return context.record(step.source);
    case 'file':
      return expectFileLine(context, step, step.path, step.text);
    case 'interrupt':
      context.interrupted = true;
      context.program!.interrupt();
      return context.record(step.source);
    case 'killWorker':
      return killWorker(context, step);
    case 'exit':
      return expectExit(context, step, step.code);
    case 'client':
      return clientStep(context, step, step.client, step.action);
  }
}

/** `[kill a worker]`: the preload kills one once every worker of the cluster listens; this waits until it says so. */
async function killWorker(context: ScenarioContext, step: Step): Promise<void> {
  const program = context.program!;
  const before = program.killedWorkers;
  program.killWorker();
  const killed = (): boolean | undefined => (program.killedWorkers > before ? true : program.exit ? false : undefined);
  const outcome = await waitFor(context.changes, killed, context.options.startTimeoutMs);
  if ('timedOut' in outcome)
    context.stop(
      step,
      `Waited ${seconds(outcome.waitedMs)} for every worker of the program's cluster to listen, to kill one, but none came: the primary starts them with cluster.fork().`,
    );
  if (!outcome.value) context.stop(step, 'The program exited before a worker of its cluster could be killed.');
  context.record(step.source);
}

/** After the last step: a program told to stop (^C) must exit by itself; anything else is ended by the runner. */
async function finishProgram(context: ScenarioContext): Promise<void> {
  const program = context.program!;
  if (!context.interrupted || program.exit) return;
  const outcome = await waitFor(context.changes, () => program.exit, context.stepTimeoutMs);
  if ('timedOut' in outcome)
    throw new StepFailed({ message: `The program was still running ${seconds(outcome.waitedMs)} after Ctrl-C.` });
}

/** Ends everything the run started; says whether the program had exited by itself before that. */
async function cleanUp(context: ScenarioContext): Promise<boolean> {
  const program = context.program;
  // A failure often comes from a crash whose exit is a moment behind its closed sockets: let the report say how it ended.
  if (program && context.failure && !program.exit) await waitFor(context.changes, () => program.exit, 250);
  for (const client of context.clients.values()) client.destroy();
  await Promise.all(context.helpers.map((helper) => helper.stop()));
  let exitedOnItsOwn = false;
  if (program) {
    exitedOnItsOwn = program.exit !== undefined && !program.stopping;
    const printed = { stdout: program.stdout.lines.length, stderr: program.stderr.lines.length };
    await program.stop();
    // Output after the runner ended the program is not the program's to answer for, nor worth showing.
    if (!exitedOnItsOwn) program.stdout.lines.length = printed.stdout;
    if (!exitedOnItsOwn) program.stderr.lines.length = printed.stderr;
  }
  await Promise.all(context.blockers.map((server) => closeWithin(server)));
  for (const socket of context.udpBlockers) socket.close();
  return exitedOnItsOwn;
}

/** The failure as a learner reads it: how the program ended, and its stderr with ports shown as it asked for them. */
function finishFailure(context: ScenarioContext, exitedOnItsOwn: boolean, steps: Step[]): void {
  const failure = context.failure;
  if (!failure) return;
  context.learnPorts();
  const exit = context.program?.exit;
  // Ended by the transcript's own Ctrl-C (by the signal, or cleanly) is no news; a crash's exit code is.
  const byCtrlC = context.interrupted && (exit?.signal === 'SIGINT' || exit?.code === 0);
  const ended = exitedOnItsOwn && !byCtrlC ? context.programEnded() : undefined;
  // Which client did what just before: a crash's likely cause (an `[exit N]` step expected the exit itself).
  const cause = ended && !context.interrupted && failure.step?.kind !== 'exit' && context.acts.exitCause();
  if (ended && !failure.message.includes(ended)) failure.ended = cause ? `${ended} after ${cause}` : ended;
  else if (ended && cause) failure.message += ` It ended after ${cause}.`;
  if (!ended) failure.message += halfClosedNote(context, failure);
  // A program that waits forever may be waiting on a client that stopped reading.
  const client = failure.step?.kind === 'client' ? failure.step.client : undefined;
  if (!ended && failure.message.startsWith('Waited ')) failure.message += context.acts.notReading(client);
  // An exit the transcript expects (a script's `[exit 0]`) is no crash: only an unexpected one is worth a sentence.
  const expected = steps.find((step) => step.kind === 'exit')?.code;
  if (exitedOnItsOwn && !byCtrlC && exit && !context.program?.overflow && exit.code !== expected) failure.exit = exit;
  const all = context.program?.stderr.lines ?? [];
  // A compiler's message may come after a long stack: keep the stderr up to it, so the report can find it.
  const compiler = all.findIndex((line) => /^SyntaxError(?: \[ERR_\w+\])?: /.test(line));
  const stderr = compiler >= 12 ? all.slice(0, compiler + 2) : context.stderrTail();
  if (stderr) failure.stderr = stderr.map((line) => canonicalOutput(line, context.facts));
}

/** A half-closed client that misses bytes it waits for: the half-close is what the server mishandled. */
function halfClosedNote(context: ScenarioContext, failure: Failure): string {
  const step = failure.step;
  if (step?.kind !== 'client' || !['recv', 'count', 'line'].includes(step.action.verb)) return '';
  const line = context.acts.halfClosedAt(step.client);
  return line === undefined ? '' : ` Client ${step.client} had half-closed its connection (line ${line}).`;
}

/** Output the transcript did not expect: only judged when the program exited by itself, so nothing is racy. */
function recordLeftovers(context: ScenarioContext, exitedOnItsOwn: boolean): void {
  const program = context.program;
  if (!program) return;
  // A failed run shows every line the program printed; a passing one is not blamed for output after it was ended.
  if (exitedOnItsOwn || context.failure) recordUnexpectedOutput(context, exitedOnItsOwn);
  recordFileLeftovers(context);
  if (program.overflow) context.failure ??= { message: `The program ${context.programEnded()}.` };
}

export async function runScenario(
  file: string,
  text: string,
  steps: Step[],
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const started = Date.now();
  const context = new ScenarioContext(options);
  context.keepBytes = bytesNeeded(steps);
  watchFloods(context);
  const { signal } = options;
  let complete = false;
  let exitedOnItsOwn = false;
  prepareRunDir(context, text);
  // Stopping the programs ends whatever step is waiting on them; the loop below then runs no further step.
  const abort = (): void => {
    for (const program of [context.program, ...context.helpers]) void program?.stop();
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (const step of steps) {
      if (signal?.aborted) throw new StepFailed({ message: 'The check was stopped before it finished.' });
      await perform(context, step);
    }
    complete = true;
    await finishProgram(context);
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    context.failure ??= error.failure;
  } finally {
    signal?.removeEventListener('abort', abort);
    exitedOnItsOwn = await cleanUp(context);
    // Files a step read are already in memory; nothing of the run is left behind.
    removeRunFiles(context);
  }
  recordLeftovers(context, exitedOnItsOwn);
  context.failure = floodFailure(context) ?? context.failure;
  finishFailure(context, exitedOnItsOwn, steps);
  return {
    name: basename(file).replace(/\.txt$/, ''),
    program: `${steps.find((step) => step.kind === 'start')?.program ?? 'server'}.ts`,
    passed: context.failure === undefined,
    expected: text.replace(/\r\n?/g, '\n').replace(/\n$/, ''),
    actual: context.actual.join('\n'),
    failure: context.failure,
    complete,
    durationMs: Date.now() - started,
  };
}
