// A transcript as a sequence diagram: a lane for the program and one per client, and the events between them.
// The SVG and text renderers draw this model, so the expected transcript and what happened look alike.
import { WorkbookError } from '../kernel/errors.ts';
import { plural } from '../kernel/text.ts';
import { formatBytes } from '../transcript/bytes.ts';
import { parseLine, type ClientAction, type StepBody } from '../transcript/parse.ts';

export interface Lane {
  id: string;
  label: string;
  kind: 'program' | 'client' | 'helper';
}

export type ArrowKind = 'connect' | 'send' | 'receive' | 'half-close' | 'close' | 'reset';
export type NoteKind = 'stdout' | 'stderr' | 'stdin';
export type MarkKind =
  | 'start'
  | 'exit'
  | 'interrupt'
  | 'silence'
  | 'timeout'
  | 'busy'
  | 'pause'
  | 'resume'
  | 'socket'
  | 'comment'
  | 'failure'
  /** A Mermaid block (`alt`, `loop`, ...) opens, divides (`else`, `and`) and closes (`end`): drawn as a frame. */
  | 'block'
  | 'else'
  | 'end';

interface EventBase {
  /** The transcript line this event was read from (1-based), when it came from one. */
  line?: number;
  /** That line as written, for tooltips and the text alternative. */
  source: string;
  /** `failed`: this happened instead of what was expected; `missing`: expected, but it never happened. */
  status?: 'failed' | 'missing';
  /** For a failed or missing event: the expected transcript line, shown beside it. */
  expected?: string;
  /** For a failed event: that expected line as an event, drawn under what happened instead. */
  expectedEvent?: EventBody;
}

export type EventBody =
  | { type: 'arrow'; kind: ArrowKind; from: string; to: string; label: string; detail?: string }
  | { type: 'note'; kind: NoteKind; lane: string; text: string }
  /** A mark with no lane spans the whole diagram (a port held busy, a timeout, a comment), or the lanes `over` names. */
  | { type: 'mark'; kind: MarkKind; lane?: string; text: string; over?: [string, string] };

export type DiagramEvent = EventBase & EventBody;

export interface Diagram {
  /** The transcript's leading comment, which says what the scenario is about. */
  caption?: string;
  lanes: Lane[];
  events: DiagramEvent[];
  /** For what happened in a failing run: the one-sentence reason. */
  reason?: string;
}

/** The event itself, without where it came from or how it is judged. */
export function bodyOf(event: DiagramEvent): EventBody {
  const {
    line: _line,
    source: _source,
    status: _status,
    expected: _expected,
    expectedEvent: _instead,
    ...body
  } = event;
  return body as EventBody;
}

export const PROGRAM_LANE = 'program';
/** Longest label an arrow carries before it is shortened; the whole text stays in `detail`. */
export const LABEL_LIMIT = 36;

/** Shortens a label to `limit` characters with an ellipsis, so long payloads do not stretch the drawing. */
export function shorten(text: string, limit = LABEL_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Bytes as a transcript writes them, shortened when long, with the byte count when anything was cut. */
export function bytesLabel(bytes: Buffer): { label: string; detail?: string } {
  const written = formatBytes(bytes);
  if (written.length <= LABEL_LIMIT) return { label: written };
  const count = ` (${plural(bytes.length, 'byte')})`;
  return { label: shorten(written, LABEL_LIMIT - count.length) + count, detail: shorten(written, 300) };
}

const clientLane = (client: string): string => `client:${client}`;

function clientEvent(client: string, action: ClientAction): EventBody {
  const lane = clientLane(client);
  const toProgram = (kind: ArrowKind, label: string, detail?: string) => ({
    type: 'arrow' as const,
    kind,
    from: lane,
    to: PROGRAM_LANE,
    label,
    detail,
  });
  const fromProgram = (kind: ArrowKind, label: string, detail?: string) => ({
    type: 'arrow' as const,
    kind,
    from: PROGRAM_LANE,
    to: lane,
    label,
    detail,
  });
  const mark = (kind: MarkKind, text: string) => ({ type: 'mark' as const, kind, lane, text });
  switch (action.verb) {
    case 'connect':
      return toProgram('connect', action.port === undefined ? 'connect (SYN)' : `connect to ${action.port}`);
    case 'udp':
      return mark('socket', action.port === undefined ? 'UDP socket' : `UDP socket to ${action.port}`);
    case 'send': {
      const { label, detail } = bytesLabel(action.bytes);
      return toProgram('send', label, detail);
    }
    case 'recv': {
      const { label, detail } = bytesLabel(action.bytes);
      return fromProgram('receive', label, detail);
    }
    case 'count':
      return fromProgram(
        'receive',
        action.min === action.max ? plural(action.min, 'byte') : `${action.min}..${action.max} bytes`,
      );
    case 'line':
      return fromProgram(
        'receive',
        shorten(`${action.text}⏎`),
        action.text.length >= LABEL_LIMIT ? action.text : undefined,
      );
    case 'eof':
      return fromProgram('close', 'FIN (closed)');
    case 'reset':
      return fromProgram('reset', 'RST (reset)');
    case 'end':
      return toProgram('half-close', 'FIN (end: half-close)');
    case 'close':
      return toProgram('close', 'FIN (close)');
    case 'abort':
      return toProgram('reset', 'RST (abort)');
    case 'silent':
      return mark('silence', `silent for ${action.ms} ms`);
    case 'pause':
      return mark('pause', 'stops reading');
    case 'resume':
      return mark('resume', 'reads again');
    case 'flood':
      return toProgram('send', `floods without reading (up to ${plural(action.most, 'byte')})`);
  }
}

/** One transcript step as a diagram event; a comment (or blank line) gives none. */
export function eventOf(step: StepBody): EventBody | undefined {
  switch (step.kind) {
    case 'comment':
      return step.text.trim() === ''
        ? undefined
        : { type: 'mark', kind: 'comment', text: step.text.replace(/^#\s*/, '') };
    case 'busy':
      return {
        type: 'mark',
        kind: 'busy',
        text: step.onRestart
          ? `another program takes port ${step.port} once the program has listened there`
          : `another program holds ${step.udp ? 'UDP ' : ''}port ${step.port}`,
      };
    case 'timeout':
      return { type: 'mark', kind: 'timeout', text: `each step may wait ${step.ms} ms` };
    case 'output':
      return { type: 'mark', kind: 'comment', text: `may print up to ${step.bytes} bytes on each stream` };
    case 'writable':
      return { type: 'mark', kind: 'comment', text: `may write inside ${step.path}` };
    case 'background':
      return {
        type: 'mark',
        kind: 'start',
        lane: helperLane(step.path),
        text: ['starts', step.path, ...step.args].join(' '),
      };
    case 'start':
      return { type: 'mark', kind: 'start', lane: PROGRAM_LANE, text: ['$', step.program, ...step.args].join(' ') };
    case 'stdin':
      return {
        type: 'note',
        kind: 'stdin',
        lane: PROGRAM_LANE,
        text: step.text === null ? 'stdin ends (^D)' : `< ${step.text}`,
      };
    case 'stdout':
      return { type: 'note', kind: 'stdout', lane: PROGRAM_LANE, text: step.text };
    case 'stderr':
      return { type: 'note', kind: 'stderr', lane: PROGRAM_LANE, text: step.text };
    case 'skip':
      return { type: 'note', kind: step.stream, lane: PROGRAM_LANE, text: '... (any lines)' };
    case 'file':
      return { type: 'note', kind: 'stdout', lane: PROGRAM_LANE, text: `${step.path}: ${step.text}` };
    case 'interrupt':
      return { type: 'mark', kind: 'interrupt', lane: PROGRAM_LANE, text: 'Ctrl-C: SIGINT' };
    case 'killWorker':
      return { type: 'mark', kind: 'interrupt', lane: PROGRAM_LANE, text: 'one worker process killed (SIGKILL)' };
    case 'exit':
      return { type: 'mark', kind: 'exit', lane: PROGRAM_LANE, text: `exits with code ${step.code}` };
    case 'client':
      return clientEvent(step.client, step.action);
  }
}

const helperLane = (path: string): string => `helper:${path}`;

/** Reads one line as a step, or, for a line only a record holds (`A: # error ...`), as a comment on its lane. */
function readLine(source: string, line: number): DiagramEvent | undefined {
  let body: StepBody;
  try {
    body = parseLine(source, (message) => {
      throw new WorkbookError(message);
    });
  } catch {
    const client = /^([A-Z]): /.exec(source)?.[1];
    return {
      type: 'mark',
      kind: 'comment',
      lane: client && clientLane(client),
      text: source.replace(/^[A-Z]: #?\s*/, ''),
      source,
      line,
    };
  }
  const event = eventOf(body);
  return event && ({ ...event, source, line } as DiagramEvent);
}

/** The lanes events name, the program first, then helpers and clients as they first appear. */
function lanesOf(events: DiagramEvent[], programName: string): Lane[] {
  const lanes = new Map<string, Lane>([[PROGRAM_LANE, { id: PROGRAM_LANE, label: programName, kind: 'program' }]]);
  for (const event of events) {
    const ids = event.type === 'arrow' ? [event.from, event.to] : event.lane ? [event.lane] : [];
    for (const id of ids) {
      if (lanes.has(id)) continue;
      const [kind, name] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
      const label = kind === 'client' ? `client ${name}` : (name.split('/').pop() ?? name).replace(/\.ts$/, '');
      lanes.set(id, {
        id,
        label: kind === 'helper' ? `helper ${label}` : label,
        kind: kind === 'client' ? 'client' : 'helper',
      });
    }
  }
  return [...lanes.values()];
}

/**
 * A transcript (expected, or the record of what happened) as a diagram. It never throws: a record may hold lines a
 * transcript may not, and those are drawn as comments.
 */
export function diagramOf(text: string): Diagram {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const captionLines: string[] = [];
  const events: DiagramEvent[] = [];
  let programName = 'program';
  lines.forEach((source, index) => {
    const event = readLine(source, index + 1);
    if (!event) return;
    // The comments before anything else say what the scenario is: they are its caption, not steps.
    if (events.length === 0 && event.type === 'mark' && event.kind === 'comment' && source.startsWith('#')) {
      captionLines.push(event.text);
      return;
    }
    if (event.type === 'mark' && event.kind === 'start' && event.lane === PROGRAM_LANE)
      programName = /^\$ (\S+)/.exec(source)?.[1] ?? programName;
    events.push(event);
  });
  return { caption: captionLines.join(' ') || undefined, lanes: lanesOf(events, programName), events };
}
