import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort, closeWithin, occupyPort, portBelowEphemeral, reachableHost } from '../../scripts/run/ports.ts';
import { tryConnect } from '../support.ts';

describe('reachableHost', () => {
  it('reaches a wildcard listener over the loopback of its own family, and any other address as it is', () => {
    expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableHost('::')).toBe('::1');
    expect(reachableHost('127.0.0.1')).toBe('127.0.0.1');
    expect(reachableHost('::1')).toBe('::1');
  });
});

/** Where listen(0) may land here: Linux says; macOS and Windows start at 49152. */
function ephemeralRange(): [number, number] {
  const file = '/proc/sys/net/ipv4/ip_local_port_range';
  if (!existsSync(file)) return [49152, 65535];
  const [first, last] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  return [first, last];
}

describe('closedPort', () => {
  it('gives a port where connections are refused on both loopbacks, below where listen(0) lands', async () => {
    const [first] = ephemeralRange();
    const port = await closedPort();
    expect(port).toBeLessThan(first);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect(['ECONNREFUSED', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']).toContain(await tryConnect(port, '::1'));
    for (let round = 0; round < 1000; round++) expect(portBelowEphemeral()).toBeLessThan(Math.min(first, 32768));
  });

  it('passes over a port something holds, for TCP on either loopback or for UDP', async () => {
    const tcp = net.createServer();
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const tcp6 = net.createServer();
    await new Promise<void>((resolve) => tcp6.listen(0, '::1', resolve));
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const held = [
      (tcp.address() as net.AddressInfo).port,
      (tcp6.address() as net.AddressInfo).port,
      udp.address().port,
    ];
    const probed: number[] = [];
    const free = await closedPort(() => {
      probed.push(held[probed.length] ?? portBelowEphemeral());
      return probed.at(-1)!;
    });
    expect(probed.slice(0, 3)).toEqual(held);
    expect(probed).toHaveLength(4);
    expect(free).toBe(probed[3]);
    await new Promise((done) => tcp.close(done));
    await new Promise((done) => tcp6.close(done));
    await new Promise<void>((done) => udp.close(done));
  });
});

describe('occupyPort', () => {
  it('gives a port that is held until its servers close', async () => {
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
