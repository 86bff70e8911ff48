// Preloaded into the program under test: gives it a free port for each fixed port it asks for, and tells the runner.
// A client under test is steered too: its connections to loopback go to the helper server the transcript started.
import './module-type.mjs';
import { openChannel, tell } from './channel.mjs';
import dgram from 'node:dgram';
import net from 'node:net';
import { hostname } from 'node:os';

openChannel();

// Requested port → the real port to use instead (0: any free port; a busy port to simulate "already in use").
// Without WORKBOOK_PORTS (npm run try), every port is kept as asked and only reported.
/** @type {Record<string, number> | undefined} */
const forced = process.env.WORKBOOK_PORTS === undefined ? undefined : JSON.parse(process.env.WORKBOOK_PORTS);
// A port the program asked for again (a restart, a second server) gets the same real port as the first time, so it
// meets what it would meet on the port it asked for: its own TIME_WAIT connections, or a listener still there.
/** @type {Record<'tcp' | 'udp', Record<string, number>>} */
const given = { tcp: {}, udp: {} };
// `[busy PORT on restart]`: another program takes the port between the program's first listen and its next one.
/** @type {Record<string, number>} */
const takenOnRestart = JSON.parse(process.env.WORKBOOK_RESTART_PORTS ?? '{}');
const portFor = (/** @type {'tcp' | 'udp'} */ protocol, /** @type {number} */ requested) => {
  if (!forced) return requested;
  const again = given[protocol][requested];
  if (again !== undefined && protocol === 'tcp' && takenOnRestart[requested] !== undefined)
    return takenOnRestart[requested];
  return forced[requested] ?? again ?? 0;
};

/** @typedef {unknown[]} ListenArgs */

/**
 * @param {ListenArgs} args
 * @returns {number | undefined}
 */
function requestedPort(args) {
  const [first] = args;
  /** @type {number | undefined} */
  let port;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) port = Number(first);
  else if (first !== null && typeof first === 'object' && !Array.isArray(first) && 'port' in first) {
    port = Number(/** @type {{ port: unknown }} */ (first).port ?? 0);
  } else if (first === undefined || typeof first === 'function') port = 0;
  // A pipe path or a handle has nothing to map; a port Node refuses (65536, -1) must fail as it would unmapped.
  return port !== undefined && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/**
 * @param {ListenArgs} args
 * @param {number} port
 * @returns {ListenArgs}
 */
function withPort(args, port) {
  const [first, ...rest] = args;
  if (typeof first === 'object' && first !== null) return [{ ...first, port }, ...rest];
  if (first === undefined || typeof first === 'function') return [port, ...args];
  return [port, ...rest];
}

/**
 * @param {'tcp' | 'udp'} protocol
 * @param {number} requested
 * @param {unknown} address
 */
function report(protocol, requested, address) {
  if (address && typeof address === 'object' && 'port' in address) {
    const { port, address: host } = /** @type {net.AddressInfo} */ (address);
    if (requested > 0) given[protocol][requested] ??= port;
    tell({ type: 'listening', protocol, requested, port, address: host });
  }
}

// UDP sockets bound to a fixed port are servers: their replies go to a client's own port and are never steered.
/** @type {WeakSet<dgram.Socket>} */
const udpServers = new WeakSet();

const originalBind = dgram.Socket.prototype.bind;
dgram.Socket.prototype.bind = /** @type {typeof originalBind} */ (
  /**
   * @this {dgram.Socket}
   * @param {ListenArgs} args
   */
  function bind(...args) {
    const requested = requestedPort(args);
    if (requested === undefined) return originalBind.apply(this, /** @type {never} */ (args));
    if (requested > 0) udpServers.add(this);
    this.prependOnceListener('listening', () => report('udp', requested, this.address()));
    return originalBind.apply(this, /** @type {never} */ (withPort(args, portFor('udp', requested))));
  }
);

// Where the program under test may connect: a helper's real port, or a port where nothing listens.
/** @typedef {Record<'tcp' | 'udp', Record<string, number>>} Steering */
/** @type {Steering | undefined} */
const connectPorts = process.env.WORKBOOK_CONNECT ? JSON.parse(process.env.WORKBOOK_CONNECT) : undefined;
const closedPort = Number(process.env.WORKBOOK_CLOSED_PORT);
// Real port → the loopback address a helper bound: `localhost` may be ::1 on one machine and 127.0.0.1 on another.
/** @type {Record<string, string>} */
const helperHosts = JSON.parse(process.env.WORKBOOK_CONNECT_HOSTS ?? '{}');

/**
 * @param {keyof Steering} protocol
 * @param {unknown} port
 * @param {unknown} host
 * @returns {number | undefined}
 */
function steer(protocol, port, host) {
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

/** @type {Set<number>} */
const told = new Set();
/** @type {Set<string>} */
const toldElsewhere = new Set();

/**
 * Every spelling of this machine: loopback (`LOCALHOST`, `127.1`, `::ffff:7f00:1`, `0:0:0:0:0:0:0:1`), the wildcard
 * addresses, which connect to loopback, and the machine's own name. The URL parser writes each address one way.
 */
/** @param {unknown} host */
function isThisMachine(host) {
  if (host === undefined || host === null || host === '') return true;
  const text = String(host).toLowerCase().replace(/\.$/, '');
  if (text === 'localhost' || text.endsWith('.localhost') || text === hostname().toLowerCase()) return true;
  let name;
  try {
    name = new URL(`http://${net.isIPv6(text) ? `[${text}]` : text}/`).hostname;
  } catch {
    return false;
  }
  if (/^127\.\d+\.\d+\.\d+$/.test(name) || name === '0.0.0.0') return true;
  return ['[::1]', '[::]'].includes(name) || /^\[::ffff:(7f[0-9a-f]{2}:[0-9a-f]{1,4}|0:0)\]$/.test(name);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = /** @type {typeof originalConnect} */ (
  /**
   * @this {net.Socket}
   * @param {unknown[]} args
   */
  function connect(...args) {
    // net.connect() hands over its arguments already normalised, as [options, callback].
    const given = /** @type {{ port?: unknown, host?: unknown } | number | string} */ (
      Array.isArray(args[0]) ? args[0][0] : args[0]
    );
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
    return originalConnect.apply(this, /** @type {never} */ (args));
  }
);

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = /** @type {typeof originalSend} */ (
  /**
   * @this {dgram.Socket}
   * @param {unknown[]} args
   */
  function send(...args) {
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
    return originalSend.apply(this, /** @type {never} */ (args));
  }
);

const originalDgramConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = /** @type {typeof originalDgramConnect} */ (
  /**
   * @this {dgram.Socket}
   * @param {unknown[]} args
   */
  function connect(...args) {
    const port = steer('udp', args[0], typeof args[1] === 'string' ? args[1] : undefined);
    if (port !== undefined) args[0] = port;
    return originalDgramConnect.apply(this, /** @type {never} */ (args));
  }
);

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = /** @type {typeof originalListen} */ (
  /**
   * @this {net.Server}
   * @param {ListenArgs} args
   */
  function listen(...args) {
    const requested = requestedPort(args);
    if (requested === undefined) return originalListen.apply(this, /** @type {never} */ (args));
    // First among the 'listening' handlers, so the runner hears of the port before the program can print it.
    this.prependOnceListener('listening', () => report('tcp', requested, this.address()));
    return originalListen.apply(this, /** @type {never} */ (withPort(args, portFor('tcp', requested))));
  }
);

// Node and the preload are up and the program is about to load: from here on, a step's timeout is fair to it.
tell({ type: 'started' });
