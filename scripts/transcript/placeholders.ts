// Placeholders let a transcript line match output whose details change from run to run.
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export interface RunFacts {
  /** Each client's own address and port, by name. */
  clients: Map<string, { addr: string; port: number }>;
  /** The program's process id, once started. */
  pid?: number;
  /** Real port → the port the program asked for, so output shows the port it asked for. */
  portMap: Map<number, number>;
  /** The address the program's first listener is bound to, once it listens. */
  listenAddr?: string;
  /** The folder made for this run, when the transcript names `{dir}`. */
  dir?: string;
}

const PLACEHOLDER = /\{\{|\{([A-Za-z*#][\w.*]*)\}/g;
// ISO 8601 (2026-11-21T09:34:53.123Z), a plain clock (09:34:53) or syslog's (Nov 21 09:34:53).
const TIME = String.raw`(?:\d{4}-\d\d-\d\d[T ]|[A-Z][a-z]{2} [ \d]\d )?\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?`;
// An HTTP date: Sat, 21 Nov 2026 09:34:53 GMT.
const DATE = String.raw`[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT`;

/** Names a placeholder in the line that the runner does not know, or returns undefined. */
export function unknownPlaceholder(template: string): string | undefined {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (
      name !== undefined &&
      !/^(?:[A-Z]\.(?:port|addr|family)|listen\.addr|dir|pid|hostname|time|date|#|\*)$/.test(name)
    )
      return `{${name}}`;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function placeholderPattern(name: string, facts: RunFacts): string {
  if (name === '*') return '.*';
  if (name === '#') return '\\d+';
  if (name === 'time') return TIME;
  if (name === 'date') return DATE;
  if (name === 'pid') return facts.pid === undefined ? '\\d+' : String(facts.pid);
  // The program runs on this machine: the name it calls itself is the runner's own.
  if (name === 'hostname') return escapeRegExp(hostname());
  // Unknown yet (no listener, no folder): nothing can match it.
  if (name === 'listen.addr') return facts.listenAddr === undefined ? '(?!)' : escapeRegExp(facts.listenAddr);
  if (name === 'dir') return facts.dir === undefined ? '(?!)' : escapeRegExp(facts.dir);
  const [client, field] = name.split('.');
  const known = facts.clients.get(client);
  // A client that never connected has no address yet: nothing can match it.
  if (!known) return '(?!)';
  if (field === 'family') return String(isIP(known.addr));
  return escapeRegExp(String(field === 'port' ? known.port : known.addr));
}

export function templateToRegExp(template: string, facts: RunFacts): RegExp {
  let pattern = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    pattern += escapeRegExp(template.slice(last, match.index));
    pattern += match[0] === '{{' ? '\\{' : placeholderPattern(match[1], facts);
    last = match.index! + match[0].length;
  }
  pattern += escapeRegExp(template.slice(last));
  return new RegExp(`^${pattern}$`, 's');
}

export function matchesTemplate(template: string, actual: string, facts: RunFacts): boolean {
  return templateToRegExp(template, facts).test(actual);
}

/** What the program printed, with each real port shown as the port it asked for. */
export function canonicalOutput(line: string, facts: RunFacts): string {
  let out = line.replace(/\r$/, '');
  for (const [real, asked] of facts.portMap) {
    if (real !== asked) out = out.replace(new RegExp(`\\b${real}\\b`, 'g'), String(asked));
  }
  return out;
}

/** An actual line written back with placeholders where the runner knows the value, for diffs and --update. */
export function toTemplate(line: string, facts: RunFacts): string {
  let out = line.replace(/\{(?=\{|[A-Za-z*#][\w.*]*\})/g, '{{');
  if (facts.dir !== undefined) out = out.split(facts.dir).join('{dir}');
  for (const [name, { addr, port }] of facts.clients) {
    out = out.replace(new RegExp(`${escapeRegExp(addr)}:${port}\\b`, 'g'), `{${name}.addr}:{${name}.port}`);
    out = out.replace(new RegExp(`\\b${port}\\b`, 'g'), `{${name}.port}`);
  }
  if (facts.pid !== undefined) out = out.replace(new RegExp(`\\b${facts.pid}\\b`, 'g'), '{pid}');
  return out;
}
