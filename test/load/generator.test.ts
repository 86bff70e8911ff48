// npm run load: percentiles and argument checks as units; the real command against echo servers this test starts.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkbookError } from '../../scripts/kernel/errors.ts';
import { checkLoopbackHost, parseLoadArgs, runLoad, Samples, type LoadOptions } from '../../scripts/load/generator.ts';
import { isLoopback } from '../../scripts/run/ports.ts';
import { median, percentile } from '../../scripts/load/stats.ts';
import { holdPort, ROOT, runnerEnv, type Finished, COMMAND_PRELOAD } from '../support.ts';

/** Runs `node scripts/load.ts ARGS` as `npm run load` does; SIGKILL after 60 s is a hang guard only. */
function runLoadCommand(args: string[]): Promise<Finished> {
  const child = spawn(process.execPath, [...COMMAND_PRELOAD, 'scripts/load.ts', ...args], {
    cwd: ROOT,
    env: runnerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, ...output });
    });
  });
}

interface EchoServer {
  port: number;
  /** Connections accepted, and the most being echoed at the same moment. */
  stats: { accepted: number; serving: number; peak: number };
  close: () => Promise<void>;
}

const servers: EchoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * A tiny echo server on 127.0.0.1, port 0. Each chunk is echoed `replyMs` later (a stand-in for a server's real work,
 * not a synchronisation sleep). `serial` serves one connection at a time, to its close; `concurrent` serves all.
 */
async function startEchoServer(mode: 'serial' | 'concurrent', replyMs = 0): Promise<EchoServer> {
  const stats = { accepted: 0, serving: 0, peak: 0 };
  const sockets = new Set<net.Socket>();
  const waiting: net.Socket[] = [];
  const serve = (socket: net.Socket): void => {
    stats.serving++;
    stats.peak = Math.max(stats.peak, stats.serving);
    let pending = 0;
    let ended = false;
    const finish = (): void => {
      if (ended && pending === 0) socket.end();
    };
    const echo = (chunk: Buffer): void => {
      if (!socket.destroyed) socket.write(chunk);
    };
    socket.on('data', (chunk: Buffer) => {
      if (replyMs === 0) return echo(chunk);
      pending++;
      setTimeout(() => {
        pending--;
        echo(chunk);
        finish();
      }, replyMs);
    });
    socket.on('end', () => {
      ended = true;
      finish();
    });
    socket.once('close', () => {
      stats.serving--;
      // The next waiting client that is still there (one destroyed at the time limit is skipped).
      let next = waiting.shift();
      while (next?.destroyed) next = waiting.shift();
      if (mode === 'serial' && next) serve(next);
    });
    socket.resume();
  };
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    stats.accepted++;
    sockets.add(socket);
    socket.on('error', () => {}); // A client destroyed at the time limit resets; that is expected here.
    socket.once('close', () => sockets.delete(socket));
    if (mode === 'serial' && stats.serving > 0) waiting.push(socket);
    else serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const echoServer: EchoServer = {
    port: (server.address() as net.AddressInfo).port,
    stats,
    close: () =>
      new Promise((resolve) => {
        waiting.length = 0;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(echoServer);
  return echoServer;
}

/** A server that answers each connection with `answer(socket)`, for the ways an echo can go wrong. */
async function startOddServer(answer: (socket: net.Socket) => void): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    answer(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const odd: EchoServer = {
    port: (server.address() as net.AddressInfo).port,
    stats: { accepted: 0, serving: 0, peak: 0 },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(odd);
  return odd;
}

/** The number after `label` on the report line that starts with it, e.g. count(report, 'clients', 'finished'). */
function count(report: string, line: string, label: string): number {
  const text = report.split('\n').find((l) => l.startsWith(line)) ?? '';
  const match = new RegExp(`(\\d+) ${label}`).exec(text);
  if (!match) throw new Error(`no '${label}' count on the '${line}' line of:\n${report}`);
  return Number(match[1]);
}

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('is the smallest sample with at least p% of samples at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 90)).toBe(90);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    // Few samples: ranks round up, so p90 of four samples is the largest, never an interpolated value.
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 90)).toBe(40);
    expect(percentile([10, 20, 30, 40], 25)).toBe(10);
    // Ranks round up, never to the nearest: 1.1 of 10 samples is the 2nd; 9.9 is the 10th.
    expect(percentile(hundred.slice(0, 10), 11)).toBe(2);
    expect(percentile(hundred.slice(0, 10), 99)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('works on the sorted samples the load run keeps, within a bounded memory', () => {
    const samples = new Samples(10);
    for (const value of [5, 3, 9, 1, 7]) samples.add(value);
    expect([...samples.sorted()]).toEqual([1, 3, 5, 7, 9]);
    expect(percentile(samples.sorted(), 50)).toBe(5);
    for (let i = 0; i < 1000; i++) samples.add(i);
    expect(samples.count).toBe(1005);
    expect(samples.values).toHaveLength(10);
  });
});

describe('npm run load arguments', () => {
  it('has defaults: 65536 bytes in 1024-byte pieces, 10 s, 127.0.0.1 port 12345', () => {
    expect(parseLoadArgs(['3'])).toEqual({
      clients: 3,
      bytes: 65536,
      piece: 1024,
      seconds: 10,
      host: '127.0.0.1',
      port: 12345,
    });
    expect(
      parseLoadArgs([
        '1000',
        '--bytes',
        '100000000',
        '--piece',
        '100000000',
        '--seconds',
        '0.5',
        '--host',
        '::1',
        '--port',
        '1',
      ]),
    ).toEqual({
      clients: 1000,
      bytes: 100_000_000,
      piece: 100_000_000,
      seconds: 0.5,
      host: '::1',
      port: 1,
    });
  });

  it.each([
    [[], /^say how many clients to start, for example: npm run load -- 10$/],
    [['ten'], /^N \(the number of clients\) takes a whole number from 1 to 1000, got 'ten'$/],
    [['0'], /from 1 to 1000, got '0'/],
    [['1001'], /from 1 to 1000, got '1001'/],
    [['1e3'], /got '1e3'/],
    [['5', '6'], /^give one number of clients, got '5 6'/],
    [['5', '--bytes', '0'], /^--bytes takes a whole number from 1 to 100000000, got '0'$/],
    [['5', '--bytes', '100000001'], /^--bytes takes a whole number/],
    [['5', '--piece', '0'], /^--piece takes a whole number/],
    [
      ['5', '--bytes', '10', '--piece', '11'],
      /^--piece \(11\) cannot be larger than --bytes \(10\): lower --piece or raise --bytes$/,
    ],
    [['5', '--seconds', '0'], /^--seconds takes a number from 0.1 to 120, got '0'$/],
    [['5', '--seconds', '120.5'], /^--seconds takes a number from 0.1 to 120/],
    [['5', '--seconds=-1'], /^--seconds takes a number from 0.1 to 120, got '-1'$/],
    [['5', '--port', '65536'], /^--port takes a whole number from 1 to 65535/],
    [['5', '--host', '10.0.0.1'], /^--host must be a loopback address .*never loads another machine, got '10.0.0.1'$/],
    [['5', '--host', '0.0.0.0'], /^--host must be a loopback address/],
    [['5', '--host', '::ffff:192.168.1.1'], /^--host must be a loopback address/],
  ])('refuses %j with one line saying what to do, as a usage error', (args, message) => {
    let thrown: unknown;
    try {
      parseLoadArgs(args);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorkbookError);
    expect((thrown as WorkbookError).exitCode).toBe(2);
    expect((thrown as WorkbookError).message).toMatch(message);
    expect((thrown as WorkbookError).message).not.toContain('\n');
  });

  it('knows loopback in every spelling, and accepts a name only when it resolves to loopback alone', async () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])
      expect(isLoopback(address), address).toBe(true);
    for (const address of ['10.0.0.1', '0.0.0.0', '::', '::ffff:10.0.0.1', 'localhost', ''])
      expect(isLoopback(address), address).toBe(false);
    await expect(checkLoopbackHost('localhost')).resolves.toBeUndefined();
    await expect(checkLoopbackHost('192.168.0.1')).rejects.toThrow(/never loads another machine/);
  });
});

describe('runLoad against servers that do not echo properly', () => {
  const options = (port: number): LoadOptions => ({
    clients: 4,
    bytes: 4096,
    piece: 1024,
    seconds: 20,
    host: '127.0.0.1',
    port,
  });

  it('counts a server that closes before echoing everything as EARLYEOF', async () => {
    const server = await startOddServer((socket) => socket.end());
    const result = await runLoad(options(server.port));
    expect(result.finished).toBe(0);
    expect(Object.fromEntries(result.errors)).toEqual({ EARLYEOF: 4 });
  });

  it('counts a server that sends back other bytes as BADECHO', async () => {
    const server = await startOddServer((socket) =>
      socket.on('data', (chunk: Buffer) => socket.write(Buffer.alloc(chunk.length, '?'))),
    );
    const result = await runLoad(options(server.port));
    expect(result.finished).toBe(0);
    expect(Object.fromEntries(result.errors)).toEqual({ BADECHO: 4 });
  });

  it('counts a server that sends more than it was sent as BADECHO', async () => {
    const server = await startOddServer((socket) =>
      socket.on('data', (chunk: Buffer) => socket.write(Buffer.concat([chunk, chunk]))),
    );
    const result = await runLoad(options(server.port));
    expect(result.finished).toBe(0);
    expect(Object.fromEntries(result.errors)).toEqual({ BADECHO: 4 });
  });

  it('finishes against a server that adds a goodbye after the echo, as lesson 07 does', async () => {
    const server = await startOddServer((socket) => {
      socket.on('data', (chunk: Buffer) => socket.write(chunk));
      socket.on('end', () => socket.end('Goodbye\n'));
    });
    const result = await runLoad(options(server.port));
    expect(result.errors.size).toBe(0);
    expect(result.finished).toBe(4);
    expect(result.bytesEchoed).toBe(4 * 4096);
    expect(result.latency.count).toBe(4 * 4);
  });
});

describe('npm run load (the real command)', () => {
  // Each client sends 2 pieces and each echo takes at least 100 ms, so one client takes at least 200 ms. A serial
  // server therefore needs at least 20 x 200 ms = 4 s for 20 clients and can finish at most 15 within 3 s; a
  // concurrent one needs about 200 ms for all of them. Same command, same limit: only the counts are compared.
  const SAME = ['20', '--bytes', '2048', '--piece', '1024', '--seconds', '3'];

  it('against a concurrent echo server: every client finishes, all at once, exit 0', async () => {
    const server = await startEchoServer('concurrent', 100);
    const run = await runLoadCommand([...SAME, '--port', String(server.port)]);
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(count(run.stdout, 'clients', 'finished')).toBe(20);
    expect(count(run.stdout, 'clients', 'failed')).toBe(0);
    expect(run.stdout).toMatch(/^echoed {6}40960 of 40960 bytes$/m);
    expect(run.stdout).toMatch(/^throughput {2}\d+\.\d\d MB\/s \(\d+ bytes\/s\)$/m);
    expect(run.stdout).toMatch(/^latency {5}p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms$/m);
    expect(run.stdout).toMatch(/\(40 pieces, each timed from write to full echo\)/);
    expect(run.stdout).toMatch(/^errors {6}none$/m);
    // Every round trip waited for the server's 100 ms reply, and the percentiles say so.
    const p50 = Number(/p50 ([\d.]+) ms/.exec(run.stdout)![1]);
    expect(p50).toBeGreaterThanOrEqual(99);
    // The server saw all 20 connections being served at the same moment: the clients really connect at once.
    expect(server.stats.accepted).toBe(20);
    expect(server.stats.peak).toBe(20);
    // Plain text for an 80-column terminal.
    expect(run.stdout).not.toContain('\u001b[');
    for (const line of run.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('against a serial echo server, same clients and limit: not every client finishes, exit 1', async () => {
    const server = await startEchoServer('serial', 100);
    const run = await runLoadCommand([...SAME, '--port', String(server.port)]);
    expect(run.stderr).toBe('');
    // Exited by itself at the limit, so it left no socket or timer open (a hang guard SIGKILL would show as a signal).
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    const finished = count(run.stdout, 'clients', 'finished');
    expect(finished).toBeGreaterThanOrEqual(1); // It does echo...
    expect(finished).toBeLessThanOrEqual(15); // ...but one client at a time.
    expect(count(run.stdout, 'clients', 'failed')).toBe(20 - finished);
    expect(run.stdout).toContain(`TIMEOUT ${20 - finished}  unfinished at the time limit`);
    expect(run.stdout).toMatch(/^elapsed {5}\d+\.\d{3} s \(the time limit hit\)$/m);
    expect(server.stats.accepted).toBe(20);
    expect(server.stats.peak).toBe(1);
  });

  it('counts connection refused where nothing listens: exit 1', async () => {
    const probe = await holdPort(0);
    await probe.release();
    const run = await runLoadCommand(['3', '--port', String(probe.port), '--seconds', '20']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^clients {5}0 finished, 3 failed \(of 3\)$/m);
    expect(run.stdout).toMatch(/^errors {6}ECONNREFUSED 3 {2}connection refused/m);
    expect(run.stdout).toMatch(/^echoed {6}0 of 196608 bytes$/m);
    expect(run.stdout).toMatch(/p50 -, p90 -, p99 -/);
  });

  it('reports a usage error in one line on stderr, exit 2, and starts nothing', async () => {
    const missing = await runLoadCommand([]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('error: say how many clients to start, for example: npm run load -- 10\n');
    const remote = await runLoadCommand(['5', '--host', '192.0.2.1']);
    expect(remote.code).toBe(2);
    expect(remote.stdout).toBe('');
    expect(remote.stderr).toMatch(/^error: --host must be a loopback address .*, got '192\.0\.2\.1'\n$/);
  });
});
