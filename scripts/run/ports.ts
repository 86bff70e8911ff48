// Loopback ports for a scenario: a port that looks busy, a port where nothing listens, and where to reach a listener.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Where a client reaches a listener: a wildcard address is not a destination, so its own family's loopback is. */
export function reachableHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '::1';
  return address;
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, in any spelling (::ffff:127.0.0.1 included). */
export function isLoopback(address: string): boolean {
  const family = net.isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Where listen(0) starts on every system by default: Linux 32768-60999, macOS and Windows 49152-65535. */
const EPHEMERAL_START = 32768;
/** The lowest port picked: clear of the well-known ports and of the dev servers people run on 3000 or 8080. */
const LOWEST_CLOSED = 10_000;

/** Where this machine's ephemeral range starts, if Linux says it starts lower than usual. */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > LOWEST_CLOSED + 1000) return Math.min(first, EPHEMERAL_START);
  } catch {
    // Not Linux: the default ranges start higher still.
  }
  return EPHEMERAL_START;
}

/** A random port below the ephemeral range. */
export function portBelowEphemeral(): number {
  return LOWEST_CLOSED + Math.floor(Math.random() * (ephemeralStart() - LOWEST_CLOSED));
}

/** Whether `bind` succeeds: nothing holds the port there (no IPv6 on this machine counts as free). */
function bindable(bind: (done: (error?: NodeJS.ErrnoException) => void) => void): Promise<boolean> {
  return new Promise((resolve) =>
    bind((error) => resolve(!error || error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')),
  );
}

function tcpFree(port: number, host: string): Promise<boolean> {
  return bindable((done) => {
    const probe = net.createServer();
    probe.once('error', done).listen({ port, host }, () => probe.close(() => done()));
  });
}

function udpFree(port: number, host: string): Promise<boolean> {
  return bindable((done) => {
    const probe = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    probe.once('error', (error) => {
      probe.close();
      done(error);
    });
    probe.bind(port, host, () => probe.close(() => done()));
  });
}

/**
 * A port where nothing listens, so a client's connection there is refused as it would be with no server. It lies
 * below the ephemeral range, where no scenario running beside this one can be given it by listen(0), and nothing
 * holds it on either loopback, for TCP or UDP, when it is chosen.
 */
export async function closedPort(pick: () => number = portBelowEphemeral, tries = 50): Promise<number> {
  for (let attempt = 0; attempt < tries; attempt++) {
    const port = pick();
    const free = await Promise.all(['127.0.0.1', '::1'].flatMap((host) => [tcpFree(port, host), udpFree(port, host)]));
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no closed port found below ${ephemeralStart()} in ${tries} tries`);
}

/** A listener that holds its port and nothing else: whatever connects is destroyed at once, so nothing keeps it open. */
const blocker = (): net.Server => net.createServer((socket) => socket.destroy());

/** Holds a port on both 127.0.0.1 and ::1, so either name for localhost collides; the servers are for closing later. */
export async function occupyPort(): Promise<{ port: number; servers: net.Server[] }> {
  const first = blocker();
  await new Promise<void>((resolve, reject) => first.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (first.address() as net.AddressInfo).port;
  const second = blocker();
  await new Promise<void>((resolve) => second.once('error', () => resolve()).listen(port, '::1', resolve));
  return { port, servers: second.listening ? [first, second] : [first] };
}

/** Closes a listener, waiting for its connections at most `ms`: one left open by a program never holds the runner. */
export function closeWithin(server: net.Server, ms = 1000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
