// Integration: a client that connects and resets before the server accepts it leaves a socket with no address.
// Lesson 16's reference and alternative name such a client as gone, never as `undefined:undefined`. The server is
// stopped (SIGSTOP) while the clients connect and reset, so none of them can be accepted first.
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startProgram, type Program } from '../../scripts/run/program.ts';
import { ROOT, waitUntil } from '../support.ts';

const CLIENTS = 20;
const programs: Program[] = [];

afterEach(async () => {
  for (const program of programs) if (!program.exit) signalGroup(program, 'SIGCONT');
  await Promise.all(programs.splice(0).map((program) => program.stop()));
});

/** The program and anything it started: it runs in a process group of its own. */
function signalGroup(program: Program, signal: NodeJS.Signals): void {
  process.kill(-program.pid!, signal);
}

/** Clients that connect and reset as soon as the kernel has accepted their connection; resolves once all are gone. */
function connectAndReset(port: number, count: number): Promise<void> {
  const closed = Array.from(
    { length: count },
    () =>
      new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.resetAndDestroy());
        socket.on('error', () => undefined).on('close', () => resolve());
      }),
  );
  return Promise.all(closed).then(() => undefined);
}

// Windows has no SIGSTOP; macOS drops a connection that is reset before accept(), so Node never sees it there.
describe.skipIf(process.platform !== 'linux')('a client that resets before the server accepts it', () => {
  for (const file of [
    'solutions/16-backpressure/server.ts',
    'solutions/16-backpressure/alternatives/pause-resume.ts',
  ]) {
    it(`is named as gone by ${file}, never as undefined:undefined`, async () => {
      const program = startProgram({
        file: join(ROOT, file),
        args: [],
        cwd: ROOT,
        outputCap: 1 << 20,
        forcedPorts: {},
      });
      programs.push(program);
      const { port } = await waitUntil('the server to listen', () => program.listening[0]);
      signalGroup(program, 'SIGSTOP');
      await connectAndReset(port, CLIENTS);
      signalGroup(program, 'SIGCONT');
      const closedLines = (): string[] => program.stdout.lines.filter((line) => line.startsWith('Closed '));
      await waitUntil('a Closed line for every client', () => closedLines().length === CLIENTS);
      const gone = 'a client that has already gone';
      expect(program.stdout.lines.filter((line) => line.startsWith('Received new connection'))).toEqual(
        Array(CLIENTS).fill(`Received new connection from ${gone}`),
      );
      expect(closedLines()).toEqual(Array(CLIENTS).fill(`Closed ${gone}: echoed 0 bytes, waited for 'drain' 0 times`));
    });
  }
});
