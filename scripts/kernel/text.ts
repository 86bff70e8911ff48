// Text for a person: its width on screen, one colour-aware word wrap, fixed-width tables, durations and escaping.
import { stripVTControlCharacters } from 'node:util';

/** Columns the text takes on screen: colour codes take none. */
export const visibleWidth = (text: string): number => stripVTControlCharacters(text).length;

/**
 * How wide prose may be: a terminal's own width (40 at least), so sentences break between words; output to a pipe or
 * a file keeps each sentence on one line, for grep and for whatever displays it, unless `notTerminal` says otherwise.
 */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout, notTerminal = Infinity): number {
  return stream.isTTY ? Math.max(40, stream.columns || 80) : notTerminal;
}

/**
 * Word-wraps one line to `width` columns, the first line starting with `first`, the rest with `rest`. A word longer
 * than a line stays whole, unless `cut` is set (a URL in prose): then it is cut, since nothing else fits.
 */
export function wrap(text: string, width: number, first = '', rest = first, cut = false): string {
  return wrapWords(text.split(' '), width, { first, rest, cut });
}

/** Pieces joined by `joiner` (a space, or ` > ` between lessons), a line broken only between two of them. */
export function wrapWords(
  words: string[],
  width: number,
  {
    first = '',
    rest = first,
    cut = false,
    joiner = ' ',
  }: { first?: string; rest?: string; cut?: boolean; joiner?: string },
): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const breakLine = (): void => {
    lines.push(line);
    line = rest;
    empty = true;
  };
  const room = (): number => width - visibleWidth(line) - (empty ? 0 : joiner.length);
  for (const word of words) {
    let piece = word;
    if (!empty && visibleWidth(piece) > room()) breakLine();
    while (cut && visibleWidth(piece) > room() && room() > 0) {
      const plain = stripVTControlCharacters(piece);
      const fits = room();
      line += (empty ? '' : joiner) + plain.slice(0, fits);
      piece = plain.slice(fits);
      breakLine();
    }
    line += (empty ? '' : joiner) + piece;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

/** A fixed-width table that stays readable without colour and within 80 columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visibleWidth(row[column]))));
  const pad = (cell: string, column: number): string => cell + ' '.repeat(widths[column] - visibleWidth(cell));
  const line = (cells: string[]): string => cells.map(pad).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** One row of a table printed a row at a time: each cell padded to its column's width, colour codes not counted. */
export function fixedRow(cells: string[], widths: number[]): string {
  return cells
    .map((cell, column) => cell + ' '.repeat(Math.max(0, widths[column] - visibleWidth(cell))))
    .join('  ')
    .trimEnd();
}

/** A count with its noun, singular for one: `1 byte`, `2 bytes`, `1 scenario`. */
export const plural = (count: number, noun: string, nouns = `${noun}s`): string =>
  `${count} ${count === 1 ? noun : nouns}`;

/** A duration as people read it in a report: `1.5 s`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Text put into HTML, SVG or XML: the five characters that could end a text or an attribute are written as numbers. */
export const escapeMarkup = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * Characters that can move a terminal's cursor, recolour it or reorder what it shows: C0 controls but tab, DEL, C1
 * controls, line and paragraph separators, and the bidirectional overrides and isolates ("Trojan Source").
 */
const UNSEEN = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from a learner (a name, a note, a quoted line) as a terminal should show it: every control written out. */
export const visible = (text: string): string =>
  text.replace(UNSEEN, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
