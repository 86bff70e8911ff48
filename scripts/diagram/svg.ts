// The sequence diagram as SVG, with a failing step in red and the expected step beside it.
// Lanes are lifelines, each event a row, arrows labelled with their bytes on a halo, output as notes on the program's
// lane, wrapped rather than cut; Mermaid's blocks as frames; nothing clipped; a legend when asked for.
import { renderLegend } from './legend.ts';
import { PROGRAM_LANE, type Diagram, type DiagramEvent, type EventBody } from './model.ts';
import { labelOf, renderText } from './text.ts';
import { escapeMarkup } from '../kernel/text.ts';

export interface SvgOptions {
  /** The accessible name: what the drawing shows, such as `Expected: echo`. */
  title: string;
  /** A key under the drawing, of the kinds of lines and boxes it uses. */
  legend?: boolean;
}

const CHAR = 7.3; // Width of one character of the 12 px monospace the labels use.
const MIN_GAP = 170;
const MARGIN = 16;
const HEADER = 44;
const ROW = 30;
/** A wrapped line of text under the one before. */
const LINE = 15;
/** A note is as wide as the room right of its lane, and never narrower than this: longer text wraps, never cut. */
const NOTE_CHARS = 56;
/** A client's marks sit centred on its lifeline, so they wrap sooner. */
const CLIENT_MARK_CHARS = 28;

const STYLE = `
.sd{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#1f2328}
.sd-head rect{fill:#eef2f7;stroke:#57606a}.sd-head text{font-weight:bold}
.sd-life{stroke:#8c959f;stroke-dasharray:4 4}
.sd-arrow line{stroke:#24292f;stroke-width:1.5}.sd-arrow polygon{fill:#24292f}
.sd-arrow text,.sd-span text,.sd-frame text{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
.sd-connect line,.sd-close line,.sd-half-close line{stroke-dasharray:6 3}
.sd-reset line{stroke:#9a3412}.sd-reset polygon{fill:#9a3412}
.sd-note rect{fill:#fff8c5;stroke:#d4a72c}.sd-stderr rect{fill:#fbefff;stroke:#8250df}.sd-stdin rect{fill:#ddf4ff;stroke:#0969da}
.sd-mark rect{fill:#f6f8fa;stroke:#8c959f}.sd-exit rect,.sd-interrupt rect{fill:#eaeef2;stroke:#24292f}
.sd-silence rect{fill:#fff;stroke:#8c959f;stroke-dasharray:3 3}
.sd-span rect{fill:#f6f8fa;stroke:#8c959f}.sd-span text{font-style:italic;fill:#57606a}
.sd-frame rect{fill:none;stroke:#57606a}.sd-frame .sd-tab{fill:#eef2f7}.sd-frame line{stroke:#57606a;stroke-dasharray:5 3}.sd-frame text{font-weight:bold}
.sd-failed .sd-band,.sd-missing .sd-band{fill:#ffebe9}
.sd-failed line,.sd-missing line{stroke:#cf222e;stroke-width:2.5}.sd-failed polygon,.sd-missing polygon{fill:#cf222e}
.sd-failed rect,.sd-missing rect{stroke:#cf222e;stroke-width:2}
.sd-missing line{stroke-dasharray:5 4}.sd-missing text{fill:#a40e26}
.sd-legend-failed rect{fill:#ffebe9;stroke:#cf222e;stroke-width:2}
.sd-callout line{stroke:#1a7f37;stroke-dasharray:2 3;stroke-width:1.5}.sd-callout polygon{fill:#1a7f37}.sd-callout text{fill:#116329;font-weight:bold}.sd-callout rect{fill:#dafbe1;stroke:#1a7f37;stroke-dasharray:3 2}
`.replace(/\n/g, '');

const text = (x: number, y: number, content: string, anchor = 'start'): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}">${escapeMarkup(content)}</text>`;

const box = (x: number, y: number, width: number, height: number, extra = ''): string =>
  `<rect${extra} x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${height}" rx="3"/>`;

/** Words wrapped to `chars` a line; a word longer than a line is cut across lines, nothing is left out. */
export function wrapText(content: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of content.split(' ')) {
    while (word.length > chars) {
      if (line) lines.push(line);
      lines.push(word.slice(0, chars));
      word = word.slice(chars);
      line = '';
    }
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

function gapFor(diagram: Diagram): number {
  const arrows = diagram.events.flatMap((event) => [
    event,
    ...(event.expectedEvent ? [{ ...event.expectedEvent, status: 'missing' }] : []),
  ]);
  const longest = Math.max(
    0,
    ...arrows.filter((event) => event.type === 'arrow').map((event) => labelOf(event).length),
  );
  return Math.max(MIN_GAP, Math.ceil(longest * CHAR + 40));
}

interface Drawn {
  svg: string;
  /** How far left and right the drawing reaches, so nothing is clipped and the SVG is wide enough. */
  left: number;
  right: number;
  /** The height of its row: more than one line of wrapped text makes it taller. */
  height: number;
}

function arrow(from: number, to: number, y: number, label: string): Drawn {
  const direction = Math.sign(to - from) || 1;
  const tip = to - direction * 2;
  const head = `<polygon points="${tip},${y} ${tip - direction * 9},${y - 4.5} ${tip - direction * 9},${y + 4.5}"/>`;
  const middle = (from + to) / 2;
  return {
    svg: `<line x1="${from}" y1="${y}" x2="${tip - direction * 8}" y2="${y}"/>${head}${text(middle, y - 6, label, 'middle')}`,
    left: Math.min(from, to, middle - (label.length * CHAR) / 2),
    right: Math.max(from, to, middle + (label.length * CHAR) / 2),
    height: ROW,
  };
}

/** Wrapped text in a box from `left`, its first line at `y`: a note, a mark, a spanning comment. */
function textBox(left: number, y: number, lines: string[], least = 0): Drawn {
  const width = Math.max(least, Math.max(...lines.map((line) => line.length)) * CHAR + 12);
  const texts = lines.map((line, index) => text(left + 6, y + 6 + index * LINE, line)).join('');
  return {
    svg: box(left, y - 9, width, (lines.length - 1) * LINE + 22) + texts,
    left,
    right: left + width,
    height: Math.max(ROW, (lines.length - 1) * LINE + ROW),
  };
}

interface Layout {
  x: (lane: string) => number;
  first: number;
  last: number;
}

function drawEvent(event: EventBody, label: string, y: number, at: Layout): Drawn {
  const { x } = at;
  if (event.type === 'arrow') return arrow(x(event.from), x(event.to), y + 6, label);
  // A frame's own rows are drawn with the frame, once its end is known.
  if (event.type === 'mark' && (event.kind === 'block' || event.kind === 'else' || event.kind === 'end'))
    return { svg: '', left: Infinity, right: -Infinity, height: 24 };
  if (event.type === 'mark' && !event.lane) {
    // A comment, or a Mermaid note over two lanes: a box across them.
    const [from, to] = event.over ? [x(event.over[0]), x(event.over[1])] : [at.first, at.last];
    const left = Math.min(from, to) - 40;
    const span = Math.abs(to - from) + 80;
    return textBox(left, y, wrapText(label, Math.max(NOTE_CHARS, Math.floor((span - 12) / CHAR))), span);
  }
  const lane = event.lane!;
  if (event.type === 'mark' && lane !== PROGRAM_LANE) {
    // A client's marks are centred on its lifeline.
    const lines = wrapText(label, CLIENT_MARK_CHARS);
    const width = Math.max(...lines.map((line) => line.length)) * CHAR + 12;
    return textBox(x(lane) - width / 2, y, lines);
  }
  // Notes, and the program's own marks, sit to the right of its lane, as wide as the room there.
  const left = event.type === 'note' ? x(lane) + 8 : x(lane) - 6;
  const room = Math.floor((at.last + 60 - left - 12) / CHAR);
  return textBox(left, y, wrapText(label, Math.max(NOTE_CHARS, room)));
}

function classesOf(event: EventBody, status?: string): string {
  const span = event.type === 'mark' && !event.lane && !['block', 'else', 'end'].includes(event.kind);
  const classes = [span ? 'sd-span' : `sd-${event.type}`, `sd-${event.kind}`];
  if (status) classes.push(`sd-${status}`);
  return classes.join(' ');
}

function titleOf(event: DiagramEvent): string {
  const where = event.line ? `line ${event.line}: ` : '';
  const what = event.type === 'arrow' && event.detail ? event.detail : event.source;
  return `<title>${escapeMarkup(`${event.status === 'missing' ? 'expected, never happened: ' : ''}${where}${what}`)}</title>`;
}

/** An `alt`/`loop` frame: a box around its rows, its label in a tab, a dashed line at each `else`. */
interface Frame {
  top: number;
  bottom: number;
  label: string;
  depth: number;
  dividers: { y: number; label: string }[];
}

function drawFrame(frame: Frame, at: Layout): string {
  const left = at.first - 60 + frame.depth * 6;
  const right = at.last + 60 - frame.depth * 6;
  const tab = frame.label.length * CHAR + 14;
  const dividers = frame.dividers.map(
    (divider) =>
      `<line x1="${left}" y1="${divider.y}" x2="${right}" y2="${divider.y}"/>${text(left + 6, divider.y + 13, `[${divider.label}]`)}`,
  );
  return `<g class="sd-frame">${box(left, frame.top, right - left, frame.bottom - frame.top)}${box(left, frame.top, tab, 18, ' class="sd-tab"')}${text(left + 6, frame.top + 13, frame.label)}${dividers.join('')}</g>`;
}

/** The diagram as an SVG element, with a text alternative for screen readers. */
export function renderSvg(diagram: Diagram, options: SvgOptions): string {
  const gap = gapFor(diagram);
  const laneX = new Map(diagram.lanes.map((lane, index) => [lane.id, MARGIN + 70 + index * gap]));
  const at: Layout = {
    x: (lane) => laneX.get(lane) ?? MARGIN + 70,
    first: MARGIN + 70,
    last: MARGIN + 70 + Math.max(diagram.lanes.length - 1, 0) * gap,
  };
  let [left, right] = [MARGIN, at.last + 60];
  const groups: string[] = [];
  const ys: number[] = [];
  const frames: Frame[] = [];
  const open: Frame[] = [];
  let y = HEADER + 18;
  for (const event of diagram.events) {
    ys.push(y);
    if (event.type === 'mark' && event.kind === 'block')
      open.push({ top: y - 12, bottom: 0, label: event.text, depth: open.length, dividers: [] });
    if (event.type === 'mark' && event.kind === 'else')
      open.at(-1)?.dividers.push({ y: y - 12, label: event.text.replace(/^(else|and|option)\s*/, '') || 'else' });
    if (event.type === 'mark' && event.kind === 'end' && open.length > 0) frames.push({ ...open.pop()!, bottom: y });
    const instead = event.status === 'failed' ? event.expectedEvent : undefined;
    const drawn = drawEvent(event, labelOf(event), y, at);
    const bandHeight = drawn.height + (instead ? ROW : 0) - 2;
    const band = event.status
      ? `<rect class="sd-band" x="{LEFT}" y="${y - 13}" width="{WIDTH}" height="${bandHeight}"/>`
      : '';
    const attributes = `class="${classesOf(event, event.status)}"${event.line ? ` data-line="${event.line}"` : ''}${event.status ? ` data-status="${event.status}"` : ''}`;
    groups.push(`<g ${attributes}>${titleOf(event)}${band}${drawn.svg}</g>`);
    [left, right] = [Math.min(left, drawn.left), Math.max(right, drawn.right)];
    y += drawn.height;
    if (instead) {
      // What the transcript expected at this point, drawn just under what happened instead.
      const expected = drawEvent(instead, `expected: ${labelOf(instead)}`, y, at);
      groups.push(
        `<g class="sd-callout ${classesOf(instead)}" data-expected="${escapeMarkup(event.expected ?? '')}"><title>${escapeMarkup(`expected: ${event.expected}`)}</title>${expected.svg}</g>`,
      );
      [left, right] = [Math.min(left, expected.left), Math.max(right, expected.right)];
      y += ROW;
    }
  }
  // A block left open (a drawing cut short) still gets its frame.
  for (const frame of open) frames.push({ ...frame, bottom: y - 10 });
  const bottom = y + 6;
  const legend = options.legend
    ? renderLegend(diagram, MARGIN, bottom + 4, Math.max(right, 420))
    : { svg: '', right: 0, height: 0 };
  const height = bottom + legend.height;
  const lifelines: string[] = [];
  // Each lifeline runs from its header to its lane's last event (the program's ends where it exits).
  for (const lane of diagram.lanes) {
    const touches = diagram.events.map((event) =>
      (event.type === 'arrow' ? [event.from, event.to] : [event.lane]).includes(lane.id),
    );
    const exit = diagram.events.findIndex(
      (event) => event.type === 'mark' && event.kind === 'exit' && event.lane === lane.id && !event.status,
    );
    const end = exit >= 0 ? ys[exit] : touches.includes(true) ? bottom - 10 : HEADER + 30;
    lifelines.push(
      `<line class="sd-life" x1="${at.x(lane.id)}" y1="${HEADER - 8}" x2="${at.x(lane.id)}" y2="${end}"/>`,
    );
    const labelWidth = Math.max(lane.label.length * CHAR + 20, 80);
    left = Math.min(left, at.x(lane.id) - labelWidth / 2);
    right = Math.max(right, at.x(lane.id) + labelWidth / 2);
    lifelines.push(
      `<g class="sd-head" data-lane="${escapeMarkup(lane.id)}">${box(at.x(lane.id) - labelWidth / 2, 8, labelWidth, 26)}${text(at.x(lane.id), 25, lane.label, 'middle')}</g>`,
    );
  }
  right = Math.max(right, legend.right);
  // Whatever reaches left of the margin (a wide mark on the first lane) moves the whole drawing right: none is clipped.
  const shift = Math.max(0, Math.ceil(MARGIN - left));
  const width = Math.ceil(right + MARGIN + shift);
  const description = renderText(diagram, { width: 160 });
  const drawing = [...frames.map((frame) => drawFrame(frame, at)), ...lifelines, ...groups].map((part) =>
    part.replace('{LEFT}', String(-shift)).replace('{WIDTH}', String(width)),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sd" role="img" aria-label="${escapeMarkup(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeMarkup(options.title)}</title><desc>${escapeMarkup(description)}</desc><style>${STYLE}</style>`,
    `<g transform="translate(${shift} 0)">`,
    ...drawing,
    legend.svg,
    '</g>',
    '</svg>',
  ].join('\n');
}
