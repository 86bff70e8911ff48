import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodePri, FACILITIES, SEVERITIES } from './syslog.ts';

const COLLECTOR_HOST = '127.0.0.1';
const COLLECTOR_PORT = 5514;
const ECHO_TIMEOUT_MS = 1000;
// A refusal from this machine comes back within microseconds; this is how long the logger listens for one.
const REFUSAL_WAIT_MS = 100;
const USAGE =
  'Usage: logger.ts [--host HOST] [--port PORT] [--facility NAME] [--severity NAME] [--wait-for-echo] MESSAGE';

interface Options {
  host: string;
  port: number;
  facility: number;
  severity: number;
  waitForEcho: boolean;
  message: string;
}

// <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG, with - for the fields we leave empty.
export function formatRecord(facility: number, severity: number, message: string, now = new Date()): string {
  // TODO: return `<PRI>1 TIMESTAMP HOSTNAME logger PID - - MESSAGE`: the PRI from encodePri, the time as
  // now.toISOString(), the host from os.hostname(), the process id from process.pid.
  return message;
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) fail(`--port needs a number from 1 to 65535, got '${text}'`, 2);
  return port;
}

function parseArguments(args: string[]): Options {
  const options: Omit<Options, 'message'> = {
    host: COLLECTOR_HOST,
    port: COLLECTOR_PORT,
    facility: FACILITIES.indexOf('user'),
    severity: SEVERITIES.indexOf('notice'),
    waitForEcho: false,
  };
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1] ?? '';
    if (args[i] === '--facility' || args[i] === '--severity') {
      const names = args[i] === '--facility' ? FACILITIES : SEVERITIES;
      const index = names.indexOf(value);
      if (index < 0) fail(`${args[i]} needs one of: ${names.join(' ')}`, 2);
      if (args[i] === '--facility') options.facility = index;
      else options.severity = index;
      i++;
    } else if (args[i] === '--host') {
      if (value === '') fail('--host needs a name or an address, for example --host 127.0.0.1', 2);
      options.host = value;
      i++;
    } else if (args[i] === '--port') {
      options.port = parsePort(value);
      i++;
    } else if (args[i] === '--wait-for-echo') options.waitForEcho = true;
    else words.push(args[i]);
  }
  if (words.length === 0) fail(USAGE, 2);
  return { ...options, message: words.join(' ') };
}

const { host, port, facility, severity, waitForEcho, message } = parseArguments(process.argv.slice(2));
const record = formatRecord(facility, severity, message);
const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
try {
  // connect() fixes the destination, so the kernel can report "nobody listens there" (ICMP) as ECONNREFUSED.
  socket.connect(port, host);
  await once(socket, 'connect');
  await new Promise<void>((resolve, reject) => socket.send(record, (error) => (error ? reject(error) : resolve())));
  console.log(`Sent ${record}`);
  if (waitForEcho) {
    // Only the workbook's collector with --echo answers; a real collector never sends anything back.
    const [echo] = await once(socket, 'message', { signal: AbortSignal.timeout(ECHO_TIMEOUT_MS) });
    const same = echo.toString() === record;
    console.log(same ? 'The collector echoed it back unchanged' : `The collector echoed: ${echo}`);
  } else {
    const [error] = await Promise.race([once(socket, 'error'), sleep(REFUSAL_WAIT_MS, [undefined])]);
    if (error) throw error;
  }
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') fail(`Nobody collects on ${host} port ${port} (ECONNREFUSED)`, 1);
  if ((error as Error).name === 'AbortError') fail(`No echo from ${host} port ${port} in ${ECHO_TIMEOUT_MS} ms`, 1);
  fail(`Could not send to ${host} port ${port}: ${(error as Error).message}`, 1);
} finally {
  socket.close();
}
