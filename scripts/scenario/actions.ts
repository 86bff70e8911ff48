// The actions of a transcript: starting the program and the workbook's helpers, and what each client does.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatStep } from '../transcript/format.ts';
import type { ClientAction, Step } from '../transcript/parse.ts';
import { TestClient, UdpTestClient } from './clients.ts';
import type { ScenarioContext } from './context.ts';
import {
  expectBytes,
  expectDatagram,
  expectEnding,
  expectReceivedLine,
  expectSilence,
  expectStall,
} from './expectations.ts';
import { closedPort, isLoopback, reachableHost } from '../run/ports.ts';
import { startProgram, type Listening } from '../run/program.ts';
import { seconds } from '../kernel/text.ts';
import { waitFor } from '../run/wait.ts';

/** `$ NAME ARGS`: the lesson's NAME.ts, the program under test. */
export async function startUnderTest(
  context: ScenarioContext,
  step: Step,
  name: string,
  args: string[],
): Promise<void> {
  const { options } = context;
  const file = join(options.programDir, `${name}.ts`);
  if (!existsSync(file))
    context.stop(step, `There is no ${name}.ts in ${relative(options.cwd, options.programDir) || '.'}.`);
  const program = startProgram({
    file,
    args,
    cwd: options.cwd,
    outputCap: context.outputCap,
    forcedPorts: context.forcedPorts,
    restartPorts: context.restartPorts,
    connectPorts: context.connectPorts,
    helperHosts: context.helperHosts,
    closedPort: await closedPort(),
    interrupt: options.interrupt,
    sandbox: options.sandbox,
    writable: context.writable,
  });
  context.program = program;
  context.facts.pid = program.pid;
  program.changes.on('change', () => {
    if (program.exit && !program.stopping) context.acts.programExited();
    context.changes.emit('change');
  });
  if (options.signal?.aborted) void program.stop();
  context.record(formatStep(step));
}

/** `& PATH ARGS`: a program the workbook provides, such as a reference server for a client to talk to. */
export async function startHelper(context: ScenarioContext, step: Step, path: string, args: string[]): Promise<void> {
  const { options } = context;
  const file = join(options.courseRoot, path);
  if (!existsSync(file)) context.stop(step, `The helper program ${path} does not exist.`);
  const helper = startProgram({
    file,
    args,
    cwd: options.cwd,
    outputCap: options.outputCap,
    forcedPorts: context.forcedPorts,
  });
  context.helpers.push(helper);
  helper.changes.on('change', () => context.changes.emit('change'));
  const listening = (): boolean | undefined => (helper.listening.length > 0 ? true : helper.exit ? false : undefined);
  const outcome = await waitFor(context.changes, listening, options.startTimeoutMs);
  if ('timedOut' in outcome || !outcome.value) {
    const stderr = helper.stderr.lines.slice(0, 3).join(' ') || '(empty)';
    context.stop(step, `The helper program ${path} never started listening. Its stderr: ${stderr}`);
  }
  for (const { protocol, requested, port, address } of helper.listening) {
    if (requested === 0) continue;
    context.connectPorts[protocol][requested] = port;
    // What the client under test prints with the helper's real port reads as the port it asked for.
    context.facts.portMap.set(port, requested);
    if (protocol === 'tcp' && address !== '::' && address !== '0.0.0.0') context.helperHosts[port] = address;
  }
  context.record(formatStep(step));
}

/** `A: connect` or `A: udp`, optionally to the port the program asked for. */
async function connect(
  context: ScenarioContext,
  step: Step,
  name: string,
  protocol: Listening['protocol'],
  requested?: number,
): Promise<void> {
  const program = context.program!;
  type Found = { host: string; port: number; address: string } | { elsewhere: number[] } | null;
  const find = (): Found | undefined => {
    const ours = program.listening.filter((listening) => listening.protocol === protocol);
    const listening = requested === undefined ? ours[0] : ours.find((candidate) => candidate.requested === requested);
    if (listening) return { host: reachableHost(listening.address), port: listening.port, address: listening.address };
    // Listening elsewhere is an answer at once: waiting 10 s for a port it never asked for helps nobody.
    if (ours.length > 0) return { elsewhere: ours.map((other) => other.requested) };
    return context.programEnded() ? null : undefined;
  };
  const kind = protocol === 'udp' ? 'UDP port' : 'port';
  const target = requested === undefined ? `a ${kind}` : `${kind} ${requested}`;
  const outcome = await waitFor(context.changes, find, context.options.startTimeoutMs);
  if ('timedOut' in outcome) {
    const why = 'it is still running: is it stuck in a loop, or did it forget to call listen?';
    context.stop(
      step,
      `Waited ${seconds(outcome.waitedMs)} for the program to listen on ${target}, but it never did (${why}).`,
    );
  }
  const found = outcome.value;
  if (found === null)
    context.stop(step, `Waited for the program to listen on ${target}, but ${context.programEnded()} first.`);
  if ('elsewhere' in found) {
    const ports = found.elsewhere.map((port) => (port === 0 ? 'a port of its own choosing (0)' : port)).join(' and ');
    context.stop(
      step,
      `Client ${name} could not connect to ${target}: the program listens on ${ports}, not on ${requested}.`,
    );
  }
  // The checks only ever talk to this machine, and so must the program: a wildcard or a real interface is open wider.
  if (!isLoopback(found.address)) {
    const what = found.address === '0.0.0.0' || found.address === '::' ? ' (every interface)' : '';
    context.stop(
      step,
      `The program listens on ${found.address}${what}, so other machines can reach it: listen on loopback only (127.0.0.1 or ::1, which 'localhost' gives).`,
    );
  }
  const { host, port } = found;
  try {
    const client =
      protocol === 'udp'
        ? await UdpTestClient.open(name, host, port, context.changes)
        : await TestClient.connect(name, host, port, context.changes, context.stepTimeoutMs, context.keepBytes);
    context.clients.set(name, client);
    context.facts.clients.set(name, { addr: client.addr, port: client.port });
    context.record(step.source);
  } catch (error) {
    context.stop(step, `Client ${name} could not connect to ${host}:${port}: ${(error as Error).message}.`);
  }
}

/** One `A: ...` or `A> ...` line: an action the client takes, or an expectation of what reaches it. */
export async function clientStep(
  context: ScenarioContext,
  step: Step,
  name: string,
  action: ClientAction,
): Promise<void> {
  context.acts.note(step, name, action);
  if (action.verb === 'connect' || action.verb === 'udp')
    return connect(context, step, name, action.verb === 'udp' ? 'udp' : 'tcp', action.port);
  const client = context.clients.get(name)!;
  if (action.verb === 'recv' || action.verb === 'count') {
    return client.kind === 'udp'
      ? expectDatagram(context, step, client, action)
      : expectBytes(context, step, client, action);
  }
  if (action.verb === 'silent') return expectSilence(context, step, client, action.ms);
  if (action.verb === 'flood') {
    if (client.kind === 'udp') throw new Error('`flood` on a UDP client passed the parser');
    return expectStall(context, step, client, action.most);
  }
  if (action.verb === 'send') client.send(action.bytes);
  else if (client.kind === 'udp') throw new Error(`\`${action.verb}\` on a UDP client passed the parser`);
  else if (action.verb === 'line') return expectReceivedLine(context, step, client, action.text);
  else if (action.verb === 'eof' || action.verb === 'reset') return expectEnding(context, step, client, action.verb);
  else client[action.verb]();
  context.record(step.source);
}
