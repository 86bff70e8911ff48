// Loopback ports for a scenario: a port that looks busy, a port where nothing listens, and where to reach a listener.
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

/** A port with nothing listening on it, so a client's connection there is refused as it would be with no server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
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
