// Mistake: the message keeps the newline some senders end it with, so the collector prints an empty line after it.
// Replaces: collector.ts
// Fails: collector-decodes.txt:10
import dgram from 'node:dgram';
import { decodePri } from './syslog.ts';

const COLLECTOR_HOST = '127.0.0.1';
const COLLECTOR_PORT = 5514;

// <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG], fields split by one space.
const RECORD = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\])(?: (.*))?$/s;

export interface SyslogRecord {
  pri: number;
  hostname: string;
  appName: string;
  procId: string;
  msg: string;
}

// Throws an Error that says what is wrong with the datagram.
export function parseRecord(text: string): SyslogRecord {
  const priText = /^<(\d{1,3})>/.exec(text)?.[1];
  if (priText === undefined) throw new Error('no <PRI> at the start');
  const pri = Number(priText);
  if (pri > 191) throw new Error(`PRI ${pri} is out of range 0-191`);
  const fields = RECORD.exec(text);
  if (!fields || fields[2] !== '1') throw new Error('not version 1 of RFC 5424 (an older BSD syslog line?)');
  const [, , , , hostname, appName, procId] = fields;
  return { pri, hostname, appName, procId, msg: fields[9] ?? '' };
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
    console.log(`${peer} ${describe(parseRecord(data.toString('utf8')))}`);
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
