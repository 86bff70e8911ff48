// The sequence diagram as plain text, for the terminal and as the SVG's text alternative.
// ASCII only, so it reads the same in every terminal font and survives a pipe.
import { shorten, type Diagram, type EventBody } from './model.ts';

export interface TextOptions {
  /** Columns every line fits in: a longer note or label is cut with an ellipsis. */
  width: number;
  /** Whether to start with the transcript's leading comment (not when the transcript itself is shown above). */
  caption?: boolean;
}

const GUTTER = 2;
const MIN_GAP = 14;

class Row {
  private readonly cells: string[] = [];

  put(column: number, text: string): void {
    for (let index = 0; index < text.length; index++) this.cells[column + index] = text[index];
  }

  toString(): string {
    return Array.from(this.cells, (cell) => cell ?? ' ')
      .join('')
      .trimEnd();
  }
}

/** The words a row shows, for both renderers: after `never happened:` when the step is missing. */
export function labelOf(event: EventBody & { status?: string }): string {
  const text =
    event.type === 'arrow'
      ? event.label
      : event.type === 'note' && event.kind === 'stderr'
        ? `stderr: ${event.text}`
        : event.text;
  return event.status === 'missing' ? `never happened: ${text}` : text;
}

export function renderText(diagram: Diagram, options: TextOptions): string {
  const { lanes, events } = diagram;
  const longest = Math.max(
    0,
    ...events.filter((event) => event.type === 'arrow').map((event) => labelOf(event).length),
  );
  const half = Math.min(8, Math.floor(Math.max(...lanes.map((lane) => lane.label.length)) / 2));
  const room = Math.floor((options.width - GUTTER - half - 12) / Math.max(1, lanes.length - 1));
  const gap = Math.max(MIN_GAP, Math.min(longest + 8, room));
  const column = new Map(lanes.map((lane, index) => [lane.id, GUTTER + half + index * gap]));
  const at = (lane: string | undefined): number => column.get(lane ?? '') ?? GUTTER + half;
  const exitRow = events.findIndex((event) => event.type === 'mark' && event.kind === 'exit' && !event.status);
  const lifelines = (row: Row, index: number): void => {
    for (const lane of lanes)
      if (!(lane.kind === 'program' && exitRow >= 0 && index > exitRow)) row.put(at(lane.id), '|');
  };
  const header = new Row();
  for (const lane of lanes) header.put(Math.max(0, at(lane.id) - Math.floor(lane.label.length / 2)), lane.label);
  const out = [header.toString()];
  if (diagram.caption && options.caption !== false) out.unshift(shorten(`# ${diagram.caption}`, options.width));
  events.forEach((event, index) => {
    const row = new Row();
    lifelines(row, index);
    if (event.status) row.put(0, 'x');
    const text = labelOf(event);
    if (event.type === 'arrow' && at(event.from) === at(event.to)) {
      // A message a lane sends itself (Mermaid's `H->>H`): no room between lifelines, so it is said beside its own.
      row.put(at(event.from) + 1, `-> itself: ${text}`);
    } else if (event.type === 'arrow') {
      const [from, to] = [at(event.from), at(event.to)];
      const [left, right] = [Math.min(from, to), Math.max(from, to)];
      const span = right - left - 1;
      const line = (event.status === 'missing' ? '.' : event.kind === 'send' || event.kind === 'receive' ? '-' : '=')
        .repeat(span)
        .split('');
      if (to > from) line[span - 1] = '>';
      else line[0] = '<';
      const shown = ` ${shorten(text, Math.max(3, span - 6))} `;
      const start = Math.floor((span - shown.length) / 2);
      for (let offset = 0; offset < shown.length; offset++) line[start + offset] = shown[offset];
      row.put(left + 1, line.join(''));
    } else if (event.type === 'note') {
      row.put(at(event.lane) + 2, text);
    } else if (event.lane) {
      // The program's marks read after its lane like its output; a client's sit on its lifeline.
      const lane = lanes.find((candidate) => candidate.id === event.lane);
      if (lane?.kind === 'program') row.put(at(event.lane) + 2, `* ${text}`);
      else row.put(Math.max(GUTTER, at(event.lane) - Math.floor((text.length + 2) / 2)), `(${text})`);
    } else {
      row.put(GUTTER, `-- ${text} --`);
    }
    let line = row.toString();
    if (event.status && event.expected !== undefined) line += `   <-- expected: ${event.expected}`;
    out.push(shorten(line, options.width));
  });
  if (diagram.reason) out.push('', diagram.reason);
  return out.join('\n');
}
