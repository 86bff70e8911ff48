import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, occupyPort, reachableHost } from '../../scripts/run/ports.ts';
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
