// Runs one transcript against the program, step by step, and records what actually happened in the same format.
import { basename, resolve } from 'node:path';
import { canonicalOutput, toTemplate } from '../transcript/placeholders.ts';
import { formatStep } from '../transcript/format.ts';
import type { Step } from '../transcript/parse.ts';
import { clientStep, startHelper, startUnderTest } from './actions.ts';
import { bytesNeeded } from './clients.ts';
import { confinedFolder, floodFailure, watchFloods } from './confine.ts';
import { ScenarioContext, StepFailed, type Failure, type ScenarioOptions } from './context.ts';
import { expectExit, expectLine } from './expectations.ts';
import { occupyPort } from './ports.ts';
import { seconds } from '../terminal/text.ts';
import { waitFor } from './wait.ts';

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
}

async function perform(context: ScenarioContext, step: Step): Promise<void> {
  switch (step.kind) {
    case 'comment':
      return context.record(step.source);
    case 'busy': {
      const { port, servers } = await occupyPort();
      context.blockers.push(...servers);
      context.forcedPorts[step.port] = port;
      context.facts.portMap.set(port, step.port);
      return context.record(step.source);
    }
    case 'timeout':
      context.stepTimeoutMs = step.ms;
      return context.record(step.source);
    case 'writable':
      context.writable.push(confinedFolder(context, step, resolve(context.options.cwd, step.path)));
      return context.record(step.source);
    case 'background':
      return startHelper(context, step, step.path, step.args);
    case 'start':
      return startUnderTest(context, step, step.program, step.args);
    case 'stdin':
      context.program!.writeStdin(step.text);
      return context.record(step.source);
    case 'stdout':
    case 'stderr':
      return expectLine(context, step, step.kind, step.text);
    case 'interrupt':
      context.interrupted = true;
      context.program!.interrupt();
      return context.record(step.source);
    case 'exit':
      return expectExit(context, step, step.code);
    case 'client':
      return clientStep(context, step, step.client, step.action);
  }
}

/** After the last step: a program told to stop (^C) must exit by itself; anything else is ended by the runner. */
async function finishProgram(context: ScenarioContext): Promise<void> {
  const program = context.program!;
  if (!context.interrupted || program.exit) return;
  const outcome = await waitFor(context.changes, () => program.exit, context.stepTimeoutMs);
  if ('timedOut' in outcome)
    throw new StepFailed({ message: `The program was still running ${seconds(outcome.waitedMs)} after Ctrl-C.` });
}

async function cleanUp(context: ScenarioContext): Promise<void> {
  for (const client of context.clients.values()) client.destroy();
  await Promise.all(context.helpers.map((helper) => helper.stop()));
  const program = context.program;
  if (program) {
    const exitedOnItsOwn = program.exit !== undefined && !program.stopping;
    await program.stop();
    // Output after the runner ended the program is not the program's to answer for.
    if (!exitedOnItsOwn) program.stdout.next = program.stdout.lines.length;
    if (!exitedOnItsOwn) program.stderr.next = program.stderr.lines.length;
  }
  await Promise.all(context.blockers.map((server) => new Promise((done) => server.close(done))));
}

/** Output the transcript did not expect: only judged when the program exited by itself, so nothing is racy. */
function recordLeftovers(context: ScenarioContext): void {
  const program = context.program;
  if (!program) return;
  context.learnPorts();
  for (const stream of ['stdout', 'stderr'] as const) {
    const extra = program[stream].unread();
    if (extra.length === 0) continue;
    const lines = extra.map((line) =>
      formatStep({ kind: stream, text: toTemplate(canonicalOutput(line, context.facts), context.facts) }),
    );
    context.record(...lines);
    context.failure ??= {
      message: `The program printed more than the transcript expects on ${stream}, starting with \`${extra[0]}\`.`,
    };
  }
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
    await cleanUp(context);
  }
  recordLeftovers(context);
  context.failure = floodFailure(context) ?? context.failure;
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
