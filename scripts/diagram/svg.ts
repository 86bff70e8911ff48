// The sequence diagram as SVG, with a failing step in red and the expected step beside it.
// Lanes are lifelines, each event a row, arrows labelled with their bytes, output as notes on the program's lane.
import { PROGRAM_LANE, shorten, type Diagram, type DiagramEvent, type EventBody } from './model.ts';
import { labelOf, renderText } from './text.ts';
import { escapeMarkup } from '../kernel/text.ts';

export interface SvgOptions {
  /** The accessible name: what the drawing shows, such as `Expected: echo`. */
  title: string;
}

const CHAR = 7.3; // Width of one character of the 12 px monospace the labels use.
const MIN_GAP = 170;
const MARGIN = 16;
const HEADER = 44;
const ROW = 30;
const NOTE_LIMIT = 46;

const STYLE = `
.sd{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#1f2328}
.sd-head rect{fill:#eef2f7;stroke:#57606a}.sd-head text{font-weight:bold}
.sd-life{stroke:#8c959f;stroke-dasharray:4 4}
.sd-arrow line{stroke:#24292f;stroke-width:1.5}.sd-arrow polygon{fill:#24292f}
.sd-connect line,.sd-close line,.sd-half-close line{stroke-dasharray:6 3}
.sd-reset line{stroke:#9a3412}.sd-reset polygon{fill:#9a3412}
.sd-note rect{fill:#fff8c5;stroke:#d4a72c}.sd-stderr rect{fill:#ffebe9;stroke:#cf222e}.sd-stdin rect{fill:#ddf4ff;stroke:#0969da}
.sd-mark rect{fill:#f6f8fa;stroke:#8c959f}.sd-exit rect,.sd-interrupt rect{fill:#eaeef2;stroke:#24292f}
.sd-silence rect{fill:#fff;stroke:#8c959f;stroke-dasharray:3 3}
.sd-span text{font-style:italic;fill:#57606a}
.sd-failed .sd-band,.sd-missing .sd-band{fill:#ffebe9}
.sd-failed line,.sd-missing line{stroke:#cf222e;stroke-width:2.5}.sd-failed polygon,.sd-missing polygon{fill:#cf222e}
.sd-failed rect,.sd-missing rect{stroke:#cf222e;stroke-width:2}
.sd-missing line{stroke-dasharray:5 4}.sd-missing text{fill:#a40e26}
.sd-callout line{stroke:#1a7f37;stroke-dasharray:2 3;stroke-width:1.5}.sd-callout polygon{fill:#1a7f37}.sd-callout text{fill:#116329;font-weight:bold}.sd-callout rect{fill:#dafbe1;stroke:#1a7f37;stroke-dasharray:3 2}
`.replace(/\n/g, '');

const text = (x: number, y: number, content: string, anchor = 'start'): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}">${escapeMarkup(content)}</text>`;

const box = (x: number, y: number, width: number, height: number): string =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${height}" rx="3"/>`;

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
  /** The rightmost x the drawing reaches, so the SVG is wide enough for it. */
  right: number;
}

function arrow(from: number, to: number, y: number, label: string): Drawn {
  const direction = Math.sign(to - from) || 1;
  const tip = to - direction * 2;
  const head = `<polygon points="${tip},${y} ${tip - direction * 9},${y - 4.5} ${tip - direction * 9},${y + 4.5}"/>`;
  const middle = (from + to) / 2;
  return {
    svg: `<line x1="${from}" y1="${y}" x2="${tip - direction * 8}" y2="${y}"/>${head}${text(middle, y - 6, label, 'middle')}`,
    right: Math.max(from, to, middle + (label.length * CHAR) / 2),
  };
}

function drawEvent(event: EventBody, label: string, y: number, x: (lane: string) => number): Drawn {
  if (event.type === 'arrow') return arrow(x(event.from), x(event.to), y + 6, label);
  const shown = shorten(label, NOTE_LIMIT);
  const boxWidth = shown.length * CHAR + 12;
  if (event.type === 'mark' && !event.lane)
    return { svg: text(MARGIN, y + 6, label), right: MARGIN + label.length * CHAR };
  // Notes and the program's own marks sit to the right of its lane; a client's marks are centred on its lifeline.
  const lane = event.lane!;
  const left = event.type === 'note' ? x(lane) + 8 : lane === PROGRAM_LANE ? x(lane) - 6 : x(lane) - boxWidth / 2;
  return { svg: box(left, y - 9, boxWidth, 22) + text(left + 6, y + 6, shown), right: left + boxWidth };
}

function classesOf(event: EventBody, status?: string): string {
  const classes = [event.type === 'mark' && !event.lane ? 'sd-span' : `sd-${event.type}`, `sd-${event.kind}`];
  if (status) classes.push(`sd-${status}`);
  return classes.join(' ');
}

function titleOf(event: DiagramEvent): string {
  const where = event.line ? `line ${event.line}: ` : '';
  const what = event.type === 'arrow' && event.detail ? event.detail : event.source;
  return `<title>${escapeMarkup(`${event.status === 'missing' ? 'expected, never happened: ' : ''}${where}${what}`)}</title>`;
}

/** The diagram as an SVG element, with a text alternative for screen readers. */
export function renderSvg(diagram: Diagram, options: SvgOptions): string {
  const gap = gapFor(diagram);
  const laneX = new Map(diagram.lanes.map((lane, index) => [lane.id, MARGIN + 70 + index * gap]));
  const x = (lane: string): number => laneX.get(lane) ?? MARGIN + 70;
  let right = MARGIN + 70 + (diagram.lanes.length - 1) * gap + 60;
  const groups: string[] = [];
  const ys: number[] = [];
  let y = HEADER + 18;
  for (const event of diagram.events) {
    ys.push(y);
    const instead = event.status === 'failed' ? event.expectedEvent : undefined;
    const drawn = drawEvent(event, labelOf(event), y, x);
    const band = event.status
      ? `<rect class="sd-band" x="0" y="${y - 13}" width="{WIDTH}" height="${(instead ? 2 : 1) * ROW - 2}"/>`
      : '';
    const attributes = `class="${classesOf(event, event.status)}"${event.line ? ` data-line="${event.line}"` : ''}${event.status ? ` data-status="${event.status}"` : ''}`;
    groups.push(`<g ${attributes}>${titleOf(event)}${band}${drawn.svg}</g>`);
    right = Math.max(right, drawn.right);
    y += ROW;
    if (instead) {
      // What the transcript expected at this point, drawn just under what happened instead.
      const expected = drawEvent(instead, `expected: ${labelOf(instead)}`, y, x);
      groups.push(
        `<g class="sd-callout ${classesOf(instead)}" data-expected="${escapeMarkup(event.expected ?? '')}"><title>${escapeMarkup(`expected: ${event.expected}`)}</title>${expected.svg}</g>`,
      );
      right = Math.max(right, expected.right);
      y += ROW;
    }
  }
  const height = y + 6;
  const width = Math.ceil(right + MARGIN);
  const lifelines: string[] = [];
  // Each lifeline runs from its header to its lane's last event (the program's ends where it exits).
  for (const lane of diagram.lanes) {
    const touches = diagram.events.map((event) =>
      (event.type === 'arrow' ? [event.from, event.to] : [event.lane]).includes(lane.id),
    );
    const exit = diagram.events.findIndex(
      (event) => event.type === 'mark' && event.kind === 'exit' && event.lane === lane.id && !event.status,
    );
    const end = exit >= 0 ? ys[exit] : touches.includes(true) ? height - 10 : HEADER + 30;
    lifelines.push(`<line class="sd-life" x1="${x(lane.id)}" y1="${HEADER - 8}" x2="${x(lane.id)}" y2="${end}"/>`);
    const labelWidth = Math.max(lane.label.length * CHAR + 20, 80);
    lifelines.push(
      `<g class="sd-head" data-lane="${escapeMarkup(lane.id)}">${box(x(lane.id) - labelWidth / 2, 8, labelWidth, 26)}${text(x(lane.id), 25, lane.label, 'middle')}</g>`,
    );
  }
  const description = renderText(diagram, { width: 160 });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sd" role="img" aria-label="${escapeMarkup(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeMarkup(options.title)}</title><desc>${escapeMarkup(description)}</desc><style>${STYLE}</style>`,
    ...lifelines,
    ...groups.map((group) => group.replace('{WIDTH}', String(width))),
    '</svg>',
  ].join('\n');
}
