// Mistake: only the first word after the flags is taken as the message, so "nobody hears this" is sent as "nobody".
// Replaces: logger.ts
// Fails: logger-no-collector.txt:3
import dgram from 'node:dgram';
import os from 'node:os';
import { once } from 'node:events';
import { encodePri, FACILITIES, SEVERITIES } from './syslog.ts';

const COLLECTOR_HOST = '127.0.0.1';
const COLLECTOR_PORT = 5514;
const ECHO_TIMEOUT_MS = 1000;
const USAGE = 'Usage: logger.ts [--facility NAME] [--severity NAME] MESSAGE';

// <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG, with - for the fields we leave empty.
export function formatRecord(facility: number, severity: number, message: string, now = new Date()): string {
  return `<${encodePri(facility, severity)}>1 ${now.toISOString()} ${os.hostname()} logger ${process.pid} - - ${message}`;
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

function parseArguments(args: string[]): { facility: number; severity: number; message: string } {
  let facility = FACILITIES.indexOf('user');
  let severity = SEVERITIES.indexOf('notice');
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--facility' || args[i] === '--severity') {
      const names = args[i] === '--facility' ? FACILITIES : SEVERITIES;
      const index = names.indexOf(args[i + 1] ?? '');
      if (index < 0) fail(`${args[i]} needs one of: ${names.join(' ')}`, 2);
      if (args[i] === '--facility') facility = index;
      else severity = index;
      i++;
    } else words.push(args[i]);
  }
  if (words.length === 0) fail(USAGE, 2);
  return { facility, severity, message: words[0] };
}

const { facility, severity, message } = parseArguments(process.argv.slice(2));
const record = formatRecord(facility, severity, message);
const socket = dgram.createSocket('udp4');
try {
  // connect() fixes the destination, so the kernel can report "nobody listens there" (ICMP) as ECONNREFUSED.
  socket.connect(COLLECTOR_PORT, COLLECTOR_HOST);
  await once(socket, 'connect');
  socket.send(record);
  console.log(`Sent ${record}`);
  const [echo] = await once(socket, 'message', { signal: AbortSignal.timeout(ECHO_TIMEOUT_MS) });
  console.log(echo.toString() === record ? 'The collector echoed it back unchanged' : `The collector echoed: ${echo}`);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') fail(`Nobody collects on ${COLLECTOR_HOST} port ${COLLECTOR_PORT} (ECONNREFUSED)`, 1);
  if ((error as Error).name === 'AbortError') fail(`No echo from ${COLLECTOR_HOST} port ${COLLECTOR_PORT} in ${ECHO_TIMEOUT_MS} ms`, 1);
  throw error;
} finally {
  socket.close();
}
