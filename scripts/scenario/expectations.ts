// The expectations of a transcript: each waits for what it expects, then records the step or what came instead.
import { canonicalOutput, matchesTemplate, toTemplate } from '../transcript/placeholders.ts';
import { formatBytes } from '../transcript/bytes.ts';
import { formatStep } from '../transcript/format.ts';
import type { ClientAction, Step } from '../transcript/parse.ts';
import type { AnyClient, TestClient, UdpTestClient } from './clients.ts';
import { StepFailed, type ScenarioContext } from './context.ts';
import { arrivalsSentence, describeArrivals, recordUnexpectedOutput, shownLine } from './leftovers.ts';
import { plural, seconds } from '../kernel/text.ts';
import { waitFor } from '../run/wait.ts';

type ByteAction = Extract<ClientAction, { verb: 'recv' | 'count' }>;

/** Every expectation ends alike: the step as written when it matched, or else what came instead and why not. */
export function judge(
  context: ScenarioContext,
  step: Step,
  matched: boolean,
  instead: () => { message: string; recorded: string | string[] },
): void {
  if (matched) {
    context.record(step.source);
    return;
  }
  const { message, recorded } = instead();
  context.mismatch(step, message, recorded);
}

/**
 * Node and the preload may take longer than a step to start on a slow or busy machine, and that is not the
 * program's fault: until the program is running (or has printed or exited), waiting is measured by the start timeout.
 */
async function programStarted(context: ScenarioContext, step: Step): Promise<void> {
  const program = context.program!;
  const running = (): true | undefined =>
    program.started || program.exit || program.stdout.bytes > 0 || program.stderr.bytes > 0 ? true : undefined;
  const outcome = await waitFor(context.changes, running, context.options.startTimeoutMs);
  if ('timedOut' in outcome)
    context.stop(step, `Waited ${seconds(outcome.waitedMs)} for the program to start, but it never did.`);
}

export async function expectLine(
  context: ScenarioContext,
  step: Step,
  stream: 'stdout' | 'stderr',
  template: string,
): Promise<void> {
  await programStarted(context, step);
  const lines = context.program![stream];
  const outcome = await waitFor(
    context.changes,
    () => (lines.next < lines.lines.length ? 'line' : context.programEnded() ? 'ended' : undefined),
    context.stepTimeoutMs,
  );
  const what = `the program to print ${shownLine(template)} on ${stream}`;
  if ('timedOut' in outcome)
    context.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${what}, but ${instead(context, stream)}.`);
  if (outcome.value === 'ended') {
    // Its stderr is shown below the sentence anyway; what it printed on stdout instead of an error line is not.
    const also = stream === 'stderr' ? instead(context, stream).replace(/^it printed nothing more there; /, '') : '';
    const note = also && also !== 'it printed nothing more' ? ` (${also})` : '';
    context.stop(step, `Waited for ${what}, but ${context.programEnded()} first${note}.`);
  }
  // The program reports where it listens over IPC before it can print the port, but that report arrives on another
  // pipe: one turn of the event loop lets a report already on its way be read, so the real port is shown as asked.
  await new Promise((resolve) => setImmediate(resolve));
  context.learnPorts();
  const actual = canonicalOutput(lines.lines[lines.next++], context.facts);
  const matched = matchesTemplate(template, actual, context.facts);
  // After `...`, a line that does not match is passed over, and the step waits for the next one.
  if (!matched && context.skipping[stream]) return expectLine(context, step, stream, template);
  context.skipping[stream] = false;
  judge(context, step, matched, () => ({
    message: `Expected ${what}, but it printed ${shownLine(actual)}.`,
    recorded: formatStep({ kind: stream, text: toTemplate(actual, context.facts) }),
  }));
}

/** What the program printed instead of a line on `stream`: output on the other stream is what came, so say so. */
function instead(context: ScenarioContext, stream: 'stdout' | 'stderr'): string {
  const other = stream === 'stdout' ? 'stderr' : 'stdout';
  const elsewhere = context.program![other].unread();
  if (elsewhere.length === 0) return 'it printed nothing more';
  const more = elsewhere.length > 1 ? ` and ${elsewhere.length - 1} more lines` : '';
  const first = canonicalOutput(elsewhere[0], context.facts);
  return `it printed nothing more there; on ${other} it printed ${shownLine(first)}${more}`;
}

export async function expectExit(context: ScenarioContext, step: Step, code: number): Promise<void> {
  await programStarted(context, step);
  const program = context.program!;
  const outcome = await waitFor(context.changes, () => program.exit, context.stepTimeoutMs);
  if ('timedOut' in outcome) {
    context.stop(
      step,
      `Waited ${seconds(outcome.waitedMs)} for the program to exit with code ${code}, but it is still running.`,
    );
  }
  const exit = outcome.value;
  // Everything it printed came before it exited: unexpected lines belong above the `[exit N]` line, not below it.
  recordUnexpectedOutput(context);
  judge(context, step, exit.code === code, () => ({
    message: `Expected the program to exit with code ${code}, but ${context.programEnded()}.`,
    recorded: exit.code === null ? `# ended by ${exit.signal ?? 'an unknown cause'}` : `[exit ${exit.code}]`,
  }));
}

/** `A: flood`: the server must stop taking A's bytes while A does not read; it has, once A's writes stall. */
export async function expectStall(
  context: ScenarioContext,
  step: Step,
  client: TestClient,
  most: number,
): Promise<void> {
  const { outcome, taken } = await client.flood(most, STALL_MS, Math.max(context.stepTimeoutMs, 2000));
  judge(context, step, outcome === 'stalled', () => ({
    message:
      outcome === 'all'
        ? `Client ${client.name} sent ${plural(most, 'byte')} without reading, and the server took them all: nothing made it stop reading while its writes to ${client.name} backed up.`
        : `Client ${client.name}'s writes were still being taken after ${seconds(context.stepTimeoutMs)} (${plural(taken, 'byte')}): the server goes on reading while its writes to ${client.name} back up.`,
    recorded: `# ${client.name}: the server took all ${plural(taken, 'byte')}`,
  }));
}

/** How long no write may be taken before a flood counts as stalled: longer than a busy machine's pauses. */
const STALL_MS = 500;

const settled = (client: AnyClient): boolean => client.bufferedBytes > 0 || client.ended || client.error !== undefined;

export async function expectBytes(
  context: ScenarioContext,
  step: Step,
  client: TestClient,
  action: ByteAction,
): Promise<void> {
  const least = action.verb === 'recv' ? action.bytes.length : action.min;
  const most = action.verb === 'recv' ? action.bytes.length : action.max;
  // Written out only for a failure's sentence: for 32 MB that takes a while.
  const wanted = (): string =>
    action.verb === 'recv'
      ? formatBytes(action.bytes, 300)
      : least === most
        ? plural(least, 'byte')
        : `${least} to ${most} bytes`;
  const outcome = await waitFor(
    context.changes,
    () => (client.bufferedBytes >= least || client.ended || client.error ? true : undefined),
    context.stepTimeoutMs,
  );
  if ('timedOut' in outcome) {
    const got = client.bufferedBytes;
    const shown = formatBytes(client.buffered());
    const sofar = got === 0 ? 'nothing arrived' : `only ${got} arrived${shown.length <= 300 ? `: ${shown}` : ''}`;
    context.record(...describeArrivals(client));
    const count = least === most ? plural(least, 'byte') : `at least ${least} bytes`;
    context.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${count} at client ${client.name}, but ${sofar}.`);
  }
  const available = client.buffered().subarray(0, most);
  const matched = available.length >= least && (action.verb === 'count' || available.equals(action.bytes));
  if (matched) client.take(available.length);
  judge(context, step, matched, () => {
    const arrived = describeArrivals(client);
    return { message: arrivalsSentence(`client ${client.name} to receive ${wanted()}`, arrived), recorded: arrived };
  });
  if (!matched && (client.ended || client.error)) throw new StepFailed(context.failure!);
}

export async function expectDatagram(
  context: ScenarioContext,
  step: Step,
  client: UdpTestClient,
  action: ByteAction,
): Promise<void> {
  const wanted =
    action.verb === 'recv' ? `the datagram ${formatBytes(action.bytes)}` : `a datagram of ${action.min} bytes`;
  const outcome = await waitFor(
    context.changes,
    () => (client.datagrams.length > 0 || client.error ? true : undefined),
    context.stepTimeoutMs,
  );
  if ('timedOut' in outcome)
    context.stop(
      step,
      `Waited ${seconds(outcome.waitedMs)} for ${wanted} at client ${client.name}, but nothing arrived.`,
    );
  const datagram = client.datagrams[0];
  const matched =
    datagram !== undefined && (action.verb === 'recv' ? datagram.equals(action.bytes) : datagram.length === action.min);
  if (matched) client.datagrams.shift();
  judge(context, step, matched, () => {
    const arrived = describeArrivals(client);
    return {
      message: arrivalsSentence(`client ${client.name} to receive ${wanted}`, arrived),
      recorded: arrived.join('\n'),
    };
  });
}

/** `A> TEXT`: the next line the client receives, matched like a line the program prints. */
export async function expectReceivedLine(
  context: ScenarioContext,
  step: Step,
  client: TestClient,
  template: string,
): Promise<void> {
  const hasLine = (): boolean => client.bufferedBytes > 0 && client.buffered().includes(10);
  const outcome = await waitFor(
    context.changes,
    () => (hasLine() || client.ended || client.error ? true : undefined),
    context.stepTimeoutMs,
  );
  const wanted = `the line \`${template}\``;
  if ('timedOut' in outcome) {
    const sofar = client.bufferedBytes === 0 ? 'nothing arrived' : `only part of a line arrived`;
    context.record(...describeArrivals(client));
    context.stop(step, `Waited ${seconds(outcome.waitedMs)} for ${wanted} at client ${client.name}, but ${sofar}.`);
  }
  const line = client.takeLine();
  if (line === undefined) {
    const arrived = describeArrivals(client);
    context.record(...arrived);
    throw new StepFailed({
      step,
      message: arrivalsSentence(`client ${client.name} to receive ${wanted}`, arrived),
      stderr: context.stderrTail(),
    });
  }
  judge(context, step, matchesTemplate(template, line, context.facts), () => ({
    message: `Expected client ${client.name} to receive ${wanted}, but it got \`${line}\`.`,
    recorded: formatStep({
      kind: 'client',
      client: client.name,
      action: { verb: 'line', text: toTemplate(line, context.facts) },
    }),
  }));
}

export async function expectEnding(
  context: ScenarioContext,
  step: Step,
  client: TestClient,
  verb: 'eof' | 'reset',
): Promise<void> {
  const outcome = await waitFor(context.changes, () => (settled(client) ? true : undefined), context.stepTimeoutMs);
  const wanted = verb === 'eof' ? 'the server to close the connection' : 'the connection to be reset';
  if ('timedOut' in outcome) {
    context.stop(
      step,
      `Waited ${seconds(outcome.waitedMs)} for ${wanted} at client ${client.name}, but it stayed open (did the server forget to close it?).`,
    );
  }
  const happened =
    verb === 'eof' ? client.ended && !client.error && client.bufferedBytes === 0 : client.error?.code === 'ECONNRESET';
  if (happened && verb === 'reset') client.error = undefined;
  judge(context, step, happened, () => {
    const arrived = describeArrivals(client);
    return { message: arrivalsSentence(`${wanted} at client ${client.name}`, arrived), recorded: arrived.join('\n') };
  });
}

export async function expectSilence(
  context: ScenarioContext,
  step: Step,
  client: AnyClient,
  ms: number,
): Promise<void> {
  const outcome = await waitFor(context.changes, () => (settled(client) ? true : undefined), ms);
  judge(context, step, 'timedOut' in outcome, () => {
    const arrived = describeArrivals(client);
    return {
      message: arrivalsSentence(`nothing at client ${client.name} for ${ms} ms`, arrived),
      recorded: arrived.join('\n'),
    };
  });
}
