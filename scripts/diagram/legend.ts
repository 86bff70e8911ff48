// The key under a drawing: a small sample of each kind of line and box it uses, with what it means.
import type { Diagram } from './model.ts';
import { escapeMarkup } from '../kernel/text.ts';

/** The height of one row of the legend. */
const LEGEND_ROW = 22;

interface Entry {
  /** Whether the diagram has one. */
  used: (diagram: Diagram) => boolean;
  /** The sample, drawn from (x, y) and `width` wide at most; y is the middle of the line. */
  sample: (x: number, y: number) => string;
  width: number;
  words: string;
}

const arrowSample = (classes: string) => (x: number, y: number) =>
  `<g class="${classes}"><line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}"/><polygon points="${x + 30},${y} ${x + 21},${y - 4} ${x + 21},${y + 4}"/></g>`;
const boxSample = (classes: string) => (x: number, y: number) =>
  `<g class="${classes}"><rect x="${x}" y="${y - 7}" width="24" height="14" rx="3"/></g>`;

const has = (diagram: Diagram, test: (event: Diagram['events'][number]) => boolean): boolean =>
  diagram.events.some(test);

const ENTRIES: Entry[] = [
  {
    used: (d) => has(d, (e) => e.type === 'arrow' && (e.kind === 'send' || e.kind === 'receive')),
    sample: arrowSample('sd-arrow sd-send'),
    width: 32,
    words: 'bytes',
  },
  {
    used: (d) => has(d, (e) => e.type === 'arrow' && ['connect', 'close', 'half-close'].includes(e.kind)),
    sample: arrowSample('sd-arrow sd-close'),
    width: 32,
    words: 'connect, close',
  },
  {
    used: (d) => has(d, (e) => e.type === 'arrow' && e.kind === 'reset'),
    sample: arrowSample('sd-arrow sd-reset'),
    width: 32,
    words: 'reset',
  },
  {
    used: (d) => has(d, (e) => e.type === 'note' && e.kind === 'stdout'),
    sample: boxSample('sd-note sd-stdout'),
    width: 24,
    words: 'stdout',
  },
  {
    used: (d) => has(d, (e) => e.type === 'note' && e.kind === 'stderr'),
    sample: boxSample('sd-note sd-stderr'),
    width: 24,
    words: 'stderr',
  },
  {
    used: (d) => has(d, (e) => e.status === 'failed'),
    sample: boxSample('sd-legend-failed'),
    width: 24,
    words: 'went wrong',
  },
  {
    used: (d) => has(d, (e) => e.status === 'missing'),
    sample: arrowSample('sd-arrow sd-missing'),
    width: 32,
    words: 'expected, never happened',
  },
];

const CHAR = 7.3;

/** The legend from (x, top), for the kinds the diagram uses, in as many rows as fit before `maxRight`. */
export function renderLegend(
  diagram: Diagram,
  x: number,
  top: number,
  maxRight: number,
): { svg: string; right: number; height: number } {
  const parts: string[] = [];
  let [at, y, right] = [x, top + LEGEND_ROW / 2, x];
  for (const entry of ENTRIES.filter((one) => one.used(diagram))) {
    const width = entry.width + 6 + entry.words.length * CHAR;
    if (at > x && at + width > maxRight) [at, y] = [x, y + LEGEND_ROW];
    parts.push(
      entry.sample(at, y),
      `<text x="${at + entry.width + 6}" y="${y + 4}">${escapeMarkup(entry.words)}</text>`,
    );
    right = Math.max(right, at + width);
    at += width + 16;
  }
  if (parts.length === 0) return { svg: '', right: x, height: 0 };
  const svg = `<g class="sd-legend" aria-hidden="true">${parts.join('')}</g>`;
  return { svg, right, height: y + LEGEND_ROW / 2 - top + 4 };
}
