import dgram from 'node:dgram';
import { decodePri } from './syslog.ts';

const COLLECTOR_HOST = '127.0.0.1';
const COLLECTOR_PORT = 5514;

// STRUCTURED-DATA is - or [ID NAME="VALUE" ...] elements; a VALUE may hold \", \\ and \], each a backslash pair.
const SD_NAME = String.raw`[^ ="\]]+`;
const SD_ELEMENT = String.raw`\[${SD_NAME}(?: ${SD_NAME}="(?:[^"\\]|\\.)*")*\]`;
// <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG], fields split by one space.
const RECORD = new RegExp(
  String.raw`^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:${SD_ELEMENT})+)(?: (.*))?$`,
  's',
);

export interface SyslogRecord {
  pri: number;
  hostname: string;
  appName: string;
  procId: string;
  msg: string;
}

// Throws an Error that says what is wrong with the datagram.
export function parseRecord(text: string): SyslogRecord {
  // TODO: check the datagram in this order, throwing an Error with the message shown:
  // - it starts with <digits> (one to three): otherwise 'no <PRI> at the start';
  // - the PRI is at most 191: otherwise `PRI ${pri} is out of range 0-191`;
  // - RECORD matches and its VERSION (fields[2]) is '1': otherwise
  //   'not version 1 of RFC 5424 (an older BSD syslog line?)'.
  // Then return the PRI, HOSTNAME (fields[4]), APP-NAME (fields[5]), PROCID (fields[6]) and MSG (fields[9], or ''
  // when there is none) without a leading byte order mark (\uFEFF) and without a trailing newline.
  throw new Error(`not parsed yet: ${text}`);
}

// One datagram, one line: a control character is printed as an escape, so no sender can start a line of its own.
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
function printable(text: string): string {
  const escape = (char: string) => ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, escape);
}

function describe(record: SyslogRecord): string {
  const { facility, severity } = decodePri(record.pri);
  const pid = record.procId === '-' ? '' : `[${record.procId}]`;
  return `${facility}.${severity} ${record.hostname} ${record.appName}${pid}: ${record.msg}`;
}

const echo = process.argv.slice(2).includes('--echo');
const socket = dgram.createSocket('udp4');
socket.on('message', (data, from) => {
  const peer = `${from.address}:${from.port}`;
  try {
    console.log(`${peer} ${printable(describe(parseRecord(data.toString('utf8'))))}`);
  } catch (error) {
    console.error(`Not a syslog record from ${peer}: ${(error as Error).message}`);
  }
  // --echo, for tests: the sender can see that its datagram arrived, byte for byte.
  if (echo) socket.send(data, from.port, from.address);
});
socket.bind(COLLECTOR_PORT, COLLECTOR_HOST, () => {
  console.log(`Collecting syslog records on ${COLLECTOR_HOST} port ${COLLECTOR_PORT}${echo ? ', echoing each' : ''}`);
});
process.on('SIGINT', () => socket.close());
