// What a program's preload may tell the runner over IPC, checked field by field: the program itself may send anything.

export interface Listening {
  protocol: 'tcp' | 'udp';
  requested: number;
  port: number;
  address: string;
}

/** A connection the preload let through unsteered, because its host is not this machine. */
export interface Elsewhere {
  protocol: 'tcp' | 'udp';
  host: string;
  port: number;
}

export interface MessageBudget {
  accepted: number;
  ignored: number;
}

/** The most of each kind a program can need: a lesson listens on a few ports and connects to a few. */
const MOST = { started: 1, listening: 32, steered: 64, elsewhere: 8 } as const;

interface Recorder {
  started: boolean;
  listening: Listening[];
  steered: { requested: number; port: number }[];
  elsewhere: Elsewhere[];
}

const isPort = (value: unknown, least = 0): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= least && value <= 65535;
const isProtocol = (value: unknown): value is 'tcp' | 'udp' => value === 'tcp' || value === 'udp';
const isShortText = (value: unknown): value is string => typeof value === 'string' && value.length <= 255;

/** Records a valid message carrying the preload's token; counts everything else as ignored. Returns whether kept. */
export function acceptMessage(message: unknown, token: string, budget: MessageBudget, into: Recorder): boolean {
  const kept = record(message, token, into);
  if (kept) budget.accepted++;
  else budget.ignored++;
  return kept;
}

function record(message: unknown, token: string, into: Recorder): boolean {
  if (message === null || typeof message !== 'object') return false;
  const m = message as Record<string, unknown>;
  if (m.token !== token) return false;
  if (m.type === 'started' && !into.started) return (into.started = true);
  if (m.type === 'listening' && into.listening.length < MOST.listening) {
    if (!isProtocol(m.protocol) || !isPort(m.requested) || !isPort(m.port, 1) || !isShortText(m.address)) return false;
    into.listening.push({ protocol: m.protocol, requested: m.requested, port: m.port, address: m.address });
    return true;
  }
  if (m.type === 'steered' && into.steered.length < MOST.steered) {
    if (!isPort(m.requested, 1) || !isPort(m.port, 1)) return false;
    into.steered.push({ requested: m.requested, port: m.port });
    return true;
  }
  if (m.type === 'elsewhere' && into.elsewhere.length < MOST.elsewhere) {
    if (!isProtocol(m.protocol) || !isShortText(m.host) || !isPort(m.port)) return false;
    into.elsewhere.push({ protocol: m.protocol, host: m.host, port: m.port });
    return true;
  }
  return false;
}
