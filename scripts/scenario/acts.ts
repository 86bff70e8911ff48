// What each client did to the program, in words, so a failure can say which client did what, and on which line.
// It serves when the program then ends by itself, or a half-closed client misses bytes.
import { isUtf8 } from 'node:buffer';
import type { ClientAction, Step } from '../transcript/parse.ts';

interface History {
  sent: boolean;
  /** Since its last send, an expectation has read what came back. */
  readSinceSend: boolean;
  /** Where it stopped reading, while it is not reading. */
  pausedAt?: number;
  halfClosedAt?: number;
}

interface Act {
  what: string;
  line: number;
  /** Something a well-behaved client would not do: a reset, a half-close, not reading, odd or many bytes. */
  rough: boolean;
  at: number;
}

/** How long before the exit was seen an act may have caused it: the runner notices an exit a few steps late. */
const RECENT_MS = 1000;

/** A large write is said with its size; anything at or above this is "large". */
const LARGE = 64 * 1024;

/** The bytes a client sent, as a reader would tell them apart: not UTF-8, a NUL, a long line without its end. */
export function describeSent(bytes: Buffer): string {
  const size = `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`;
  if (!isUtf8(bytes)) return `sent ${size} that are not UTF-8`;
  if (bytes.includes(0)) return `sent ${size} with a NUL in them`;
  if (bytes.length >= LARGE && !bytes.includes(10)) return `sent ${size} without a newline`;
  return `sent ${size}`;
}

function isRough(action: ClientAction): boolean {
  if (action.verb === 'send')
    return action.bytes.length >= LARGE || !/^sent \d+ bytes?$/.test(describeSent(action.bytes));
  return ['abort', 'end', 'pause', 'flood'].includes(action.verb);
}

export class ClientActs {
  private readonly histories = new Map<string, History>();
  private readonly acts: Act[] = [];
  /** The act the program's exit came after, kept from the moment the exit was seen. */
  private beforeExit?: Act;

  /** A client step, before it is performed: remembered as an act when it does something to the program. */
  note(step: Step, client: string, action: ClientAction): void {
    if (action.verb === 'recv' || action.verb === 'count' || action.verb === 'line') {
      const history = this.histories.get(client);
      if (history) history.readSinceSend = true;
      return;
    }
    if (action.verb === 'connect' || action.verb === 'udp')
      this.histories.set(client, { sent: false, readSinceSend: true });
    const history = this.histories.get(client);
    const what = history && this.describe(action, history, step.line);
    if (what)
      this.acts.push({ what: `client ${client} ${what}`, line: step.line, rough: isRough(action), at: Date.now() });
    if (action.verb === 'close' || action.verb === 'abort') this.histories.delete(client);
  }

  private describe(action: ClientAction, history: History, line: number): string | undefined {
    switch (action.verb) {
      case 'connect':
        return 'connected';
      case 'udp':
        return 'opened a UDP socket';
      case 'send':
        history.sent = true;
        history.readSinceSend = false;
        return describeSent(action.bytes);
      case 'flood':
        history.sent = true;
        history.readSinceSend = false;
        return 'flooded the server without reading';
      case 'pause':
        history.pausedAt = line;
        return 'stopped reading';
      case 'resume':
        history.pausedAt = undefined;
        return 'read again';
      case 'end':
        history.halfClosedAt = line;
        return history.pausedAt !== undefined
          ? 'half-closed its connection without reading'
          : 'half-closed its connection';
      case 'close':
        return 'closed its connection';
      case 'abort': {
        if (!history.sent) return 'reset its connection without sending anything';
        const verb = history.halfClosedAt === undefined ? 'reset' : 'half-closed and then reset';
        if (history.pausedAt !== undefined) return `${verb} its connection without reading what the server sent`;
        if (!history.readSinceSend) return `${verb} its connection before reading the reply`;
        return `${verb} its connection`;
      }
      default:
        return undefined;
    }
  }

  /**
   * The program has just been seen to exit, perhaps a step or two after it died: of the recent acts, the last rough
   * one is the likely cause (a plain send may have followed it before the exit was seen), else simply the last act.
   */
  programExited(): void {
    if (this.beforeExit) return;
    const recent = this.acts.filter((act) => act.at >= Date.now() - RECENT_MS);
    this.beforeExit = recent.findLast((act) => act.rough) ?? this.acts.at(-1);
  }

  /** `client A reset its connection before reading the reply (line 12)`, for a program that ended by itself. */
  exitCause(): string | undefined {
    return this.beforeExit && `${this.beforeExit.what} (line ${this.beforeExit.line})`;
  }

  /** `Client A stopped reading at line 9 and half-closed at line 10.`: a server stuck waiting may be waiting on it. */
  notReading(except?: string): string {
    return [...this.histories]
      .filter(([client, history]) => client !== except && history.pausedAt !== undefined)
      .map(([client, { pausedAt, halfClosedAt }]) => {
        const half = halfClosedAt === undefined ? '' : ` and half-closed at line ${halfClosedAt}`;
        return ` Client ${client} stopped reading at line ${pausedAt}${half}, and has not read since.`;
      })
      .join('');
  }

  /** The line where a client half-closed, if it has. */
  halfClosedAt(client: string): number | undefined {
    return this.histories.get(client)?.halfClosedAt;
  }
}
