// Preloaded into the program under test: gives it a free port for each fixed port it asks for, and tells the runner.
// A client under test is steered too: its connections to loopback go to the helper server the transcript started.
import './module-type.ts';
import { openChannel, tell } from './channel.ts';
import dgram from 'node:dgram';
import net from 'node:net';
import { hostname } from 'node:os';

openChannel();

// Requested port → the real port to use instead (0: any free port; a busy port to simulate "already in use").
// Without WORKBOOK_PORTS (npm run try), every port is kept as asked and only reported.
const forced: Record<string, number> | undefined =
  process.env.WORKBOOK_PORTS === undefined ? undefined : JSON.parse(process.env.WORKBOOK_PORTS);
// A port the program asked for again (a restart, a second server) gets the same real port as the first time, so it
// meets what it would meet on the port it asked for: its own TIME_WAIT connections, or a listener still there.
const given: Record<'tcp' | 'udp', Record<string, number>> = { tcp: {}, udp: {} };
const portFor = (protocol: 'tcp' | 'udp', requested: number): number =>
  forced ? (forced[requested] ?? given[protocol][requested] ?? 0) : requested;

type ListenArgs = unknown[];

function requestedPort(args: ListenArgs): number | undefined {
  const [first] = args;
  let port: number | undefined;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) port = Number(first);
  else if (first !== null && typeof first === 'object' && !Array.isArray(first) && 'port' in first) {
    port = Number((first as { port: unknown }).port ?? 0);
  } else if (first === undefined || typeof first === 'function') port = 0;
  // A pipe path or a handle has nothing to map; a port Node refuses (65536, -1) must fail as it would unmapped.
  return port !== undefined && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

function withPort(args: ListenArgs, port: number): ListenArgs {
  const [first, ...rest] = args;
  if (typeof first === 'object' && first !== null) return [{ ...first, port }, ...rest];
  if (first === undefined || typeof first === 'function') return [port, ...args];
  return [port, ...rest];
}

function report(protocol: 'tcp' | 'udp', requested: number, address: unknown): void {
  if (address && typeof address === 'object' && 'port' in address) {
    const { port, address: host } = address as net.AddressInfo;
    if (requested > 0) given[protocol][requested] ??= port;
    tell({ type: 'listening', protocol, requested, port, address: host });
  }
}

// UDP sockets bound to a fixed port are servers: their replies go to a client's own port and are never steered.
const udpServers = new WeakSet<dgram.Socket>();

const originalBind = dgram.Socket.prototype.bind;
dgram.Socket.prototype.bind = function bind(this: dgram.Socket, ...args: ListenArgs) {
  const requested = requestedPort(args);
  if (requested === undefined) return originalBind.apply(this, args as never);
  if (requested > 0) udpServers.add(this);
  this.prependOnceListener('listening', () => report('udp', requested, this.address()));
  return originalBind.apply(this, withPort(args, portFor('udp', requested)) as never);
} as typeof originalBind;

// Where the program under test may connect: a helper's real port, or a port where nothing listens.
type Steering = Record<'tcp' | 'udp', Record<string, number>>;
const connectPorts: Steering | undefined = process.env.WORKBOOK_CONNECT
  ? JSON.parse(process.env.WORKBOOK_CONNECT)
  : undefined;
const closedPort = Number(process.env.WORKBOOK_CLOSED_PORT);
// Real port → the loopback address a helper bound: `localhost` may be ::1 on one machine and 127.0.0.1 on another.
const helperHosts: Record<string, string> = JSON.parse(process.env.WORKBOOK_CONNECT_HOSTS ?? '{}');

function steer(protocol: keyof Steering, port: unknown, host: unknown): number | undefined {
  const asked = Number(port);
  if (!connectPorts || !Number.isInteger(asked) || asked <= 0) return undefined;
  // dgram's send calls itself again once the socket is bound: a port already steered stays as it is.
  if (asked === closedPort || Object.values(connectPorts[protocol]).includes(asked)) return undefined;
  // Only this machine is steered: the checks never reach, or pretend to reach, another machine; the runner hears of it.
  if (!isThisMachine(host)) {
    if (!toldElsewhere.has(`${host}:${asked}`))
      tell({ type: 'elsewhere', protocol, host: String(host).slice(0, 255), port: asked });
    toldElsewhere.add(`${host}:${asked}`);
    return undefined;
  }
  const steered = connectPorts[protocol][asked] ?? closedPort;
  // Told once per port, so what the program prints with the real port ("ECONNREFUSED 127.0.0.1:41234") reads as asked.
  if (!told.has(steered)) tell({ type: 'steered', requested: asked, port: steered });
  told.add(steered);
  return steered;
}

const told = new Set<number>();
const toldElsewhere = new Set<string>();

/**
 * Every spelling of this machine: loopback (`LOCALHOST`, `127.1`, `::ffff:7f00:1`, `0:0:0:0:0:0:0:1`), the wildcard
 * addresses, which connect to loopback, and the machine's own name. The URL parser writes each address one way.
 */
function isThisMachine(host: unknown): boolean {
  if (host === undefined || host === null || host === '') return true;
  const text = String(host).toLowerCase().replace(/\.$/, '');
  if (text === 'localhost' || text.endsWith('.localhost') || text === hostname().toLowerCase()) return true;
  let name: string;
  try {
    name = new URL(`http://${net.isIPv6(text) ? `[${text}]` : text}/`).hostname;
  } catch {
    return false;
  }
  if (/^127\.\d+\.\d+\.\d+$/.test(name) || name === '0.0.0.0') return true;
  return ['[::1]', '[::]'].includes(name) || /^\[::ffff:(7f[0-9a-f]{2}:[0-9a-f]{1,4}|0:0)\]$/.test(name);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  // net.connect() hands over its arguments already normalised, as [options, callback].
  const given = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { port?: unknown; host?: unknown } | number | string;
  if (given !== null && typeof given === 'object') {
    // A plain copy, read once: options whose port is a getter cannot show steering one port and connect to another.
    const options = { ...given };
    if (Array.isArray(args[0])) args[0][0] = options;
    else args[0] = options;
    const port = steer('tcp', options.port, options.host);
    if (port !== undefined) options.port = port;
    if (port !== undefined && helperHosts[port]) options.host = helperHosts[port];
  } else {
    const port = steer('tcp', given, typeof args[1] === 'string' ? args[1] : undefined);
    if (port !== undefined) args[0] = port;
    if (port !== undefined && helperHosts[port]) {
      if (typeof args[1] === 'string') args[1] = helperHosts[port];
      else args.splice(1, 0, helperHosts[port]);
    }
  }
  return originalConnect.apply(this, args as never);
} as typeof originalConnect;

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function send(this: dgram.Socket, ...args: unknown[]) {
  // send(msg, port, address?, cb?) or send(msg, offset, length, port, address?, cb?); a connected socket has no port.
  const at =
    typeof args[1] === 'number' && typeof args[2] === 'number' && typeof args[3] === 'number'
      ? 3
      : typeof args[1] === 'number'
        ? 1
        : -1;
  if (at > 0 && !udpServers.has(this)) {
    const port = steer('udp', args[at], typeof args[at + 1] === 'string' ? args[at + 1] : undefined);
    if (port !== undefined) args[at] = port;
  }
  return originalSend.apply(this, args as never);
} as typeof originalSend;

const originalDgramConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function connect(this: dgram.Socket, ...args: unknown[]) {
  const port = steer('udp', args[0], typeof args[1] === 'string' ? args[1] : undefined);
  if (port !== undefined) args[0] = port;
  return originalDgramConnect.apply(this, args as never);
} as typeof originalDgramConnect;

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listen(this: net.Server, ...args: ListenArgs) {
  const requested = requestedPort(args);
  if (requested === undefined) return originalListen.apply(this, args as never);
  // First among the 'listening' handlers, so the runner hears of the port before the program can print it.
  this.prependOnceListener('listening', () => report('tcp', requested, this.address()));
  return originalListen.apply(this, withPort(args, portFor('tcp', requested)) as never);
} as typeof originalListen;

// Node and the preload are up and the program is about to load: from here on, a step's timeout is fair to it.
tell({ type: 'started' });
