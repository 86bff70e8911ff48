import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeWithin, freePort, occupyPort, reachableHost } from '../../scripts/run/ports.ts';
import { tryConnect } from '../support.ts';

describe('reachableHost', () => {
  it('reaches a wildcard listener over the loopback of its own family, and any other address as it is', () => {
    expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableHost('::')).toBe('::1');
    expect(reachableHost('127.0.0.1')).toBe('127.0.0.1');
    expect(reachableHost('::1')).toBe('::1');
  });
});

describe('freePort and occupyPort', () => {
  it('gives a port where a connection is refused, and one that is held until its servers close', async () => {
    expect(await tryConnect(await freePort())).toBe('ECONNREFUSED');
    const { port, servers } = await occupyPort();
    expect(await tryConnect(port)).toBe('connected');
    const taken = await new Promise<string>((resolve) => {
      const probe = net.createServer().once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve('bound')));
    });
    expect(taken).toBe('EADDRINUSE');
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });
});

describe('a busy port that no program can hold open', () => {
  it('destroys whatever connects at once, so its close is never kept waiting', async () => {
    const { port, servers } = await occupyPort();
    // A program that sends a byte and never ends its side: the blocker hangs up on it.
    const ended = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('x'));
      socket.on('close', () => resolve('closed by the blocker'));
      socket.on('error', () => {});
    });
    expect(ended).toBe('closed by the blocker');
    await Promise.all(servers.map((server) => closeWithin(server)));
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('closeWithin stops waiting for a listener whose connection stays open', async () => {
    const held: net.Socket[] = [];
    const server = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    let closed = false;
    server.close(() => (closed = true));
    await closeWithin(server, 200);
    // It returned though the listener is still waiting for that connection.
    expect(closed).toBe(false);
    client.destroy();
    for (const socket of held) socket.destroy();
  });
});
