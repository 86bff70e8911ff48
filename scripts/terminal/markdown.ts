// A lesson's README for the terminal: marked-terminal for prose and highlighting, with the workbook's own code blocks
// (labelled with their file, transcripts coloured by kind of line) and tables and lines that fit the width.
import { stripVTControlCharacters } from 'node:util';
import { Marked, type RendererObject, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';
import type { Palette } from '../kernel/colours.ts';
import { visibleWidth, wrap } from '../kernel/text.ts';
import { textDiagramOfBlock } from '../diagram/blocks.ts';

export interface RenderOptions {
  /** Columns to fit: the terminal's width, or 80 when the output is not a terminal. */
  width: number;
  colours: Palette;
}

const CODE_INDENT = '    ';
const CONTINUED = '↪ ';
// Info-string languages → the names the highlighter knows.
const LANGUAGES: Record<string, string> = { ts: 'typescript', js: 'javascript', sh: 'bash', json: 'json' };

/** Splits a code line that is too long, marking each continuation so it cannot be mistaken for a line of its own. */
function breakLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const parts = [line.slice(0, width)];
  for (let at = width; at < line.length; at += width - CONTINUED.length)
    parts.push(CONTINUED + line.slice(at, at + width - CONTINUED.length));
  return parts;
}

/** Word-wraps one rendered line (colour codes included) to the width, keeping its indentation on every piece. */
function wrapLine(line: string, width: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  // A list item's continuation lines start under its text, not under its bullet.
  const indent = /^(?:\s|\x1b\[[0-9;]*m)*(?:(?:[*-]|\d+\.) )?/.exec(line)![0];
  const lead = ' '.repeat(Math.min(visibleWidth(indent), width / 2));
  return wrap(line.slice(indent.length), width, indent, lead, true).split('\n');
}

function transcriptLine(line: string, colours: Palette): string {
  if (line.startsWith('#')) return colours.dim(line);
  if (line.startsWith('$ ') || line.startsWith('& ')) return colours.bold(line);
  if (/^[A-Z](?::|>)/.test(line)) return colours.cyan(line);
  if (line.startsWith('< ')) return colours.yellow(line);
  if (line.startsWith('! ')) return colours.red(line);
  if (line === '^C' || /^\[.*\]$/.test(line)) return colours.magenta(line);
  return line;
}

/** A table as aligned columns when it fits, or else one block of `header: value` lines per row. */
function renderTable(
  token: Tokens.Table,
  render: (tokens: Tokens.TableCell) => string,
  options: RenderOptions,
): string {
  const header = token.header.map((cell) => stripVTControlCharacters(render(cell)));
  const rows = token.rows.map((row) => row.map((cell) => stripVTControlCharacters(render(cell))));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const total = widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1) + CODE_INDENT.length / 2;
  const { colours } = options;
  if (total <= options.width) {
    const line = (cells: string[]): string =>
      '  ' +
      cells
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd();
    return (
      [colours.bold(line(header)), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n') +
      '\n\n'
    );
  }
  const blocks = rows.map((row) =>
    row
      .map((cell, column) => `  ${colours.bold(`${header[column]}:`)} ${cell}`)
      .flatMap((line) => wrapLine(line, options.width))
      .join('\n'),
  );
  return blocks.join('\n\n') + '\n\n';
}

export function renderMarkdown(markdown: string, options: RenderOptions): string {
  const { colours, width } = options;
  const terminal = markedTerminal(
    { width, reflowText: true, showSectionPrefix: true, emoji: false, tab: 2 },
    { ignoreIllegals: true },
  );
  const terminalCode = terminal.renderer.code as (this: unknown, token: Tokens.Code) => string;
  const own: RendererObject = {
    code(token) {
      const info = (token.lang ?? '').trim();
      const lang = info.split(/\s+/)[0];
      const file = /(?:^|\s)file=(\S+)/.exec(info)?.[1];
      const lines = token.text.split('\n').flatMap((line) => breakLine(line, width - CODE_INDENT.length));
      const label =
        lang || file ? colours.dim(`${CODE_INDENT.slice(2)}-- ${[lang, file].filter(Boolean).join(': ')}`) + '\n' : '';
      let body: string;
      if (lang === 'transcript') body = lines.map((line) => transcriptLine(line, colours)).join('\n');
      else if (colours.isColorSupported && LANGUAGES[lang]) {
        // marked-terminal highlights and indents by its tab: the indent is redone here so every block lines up.
        const highlighted = terminalCode.call(this, { ...token, text: lines.join('\n'), lang: LANGUAGES[lang] });
        body = highlighted
          .replace(/\n+$/, '')
          .split('\n')
          .map((line) => line.replace(/^ {2}/, ''))
          .join('\n');
      } else body = lines.join('\n');
      // A transcript (or a Mermaid sequence diagram) is also drawn, below its source.
      const diagram = textDiagramOfBlock(lang, token.text, width - CODE_INDENT.length);
      if (diagram) body += `\n\n${colours.dim(`-- sequence diagram`)}\n${diagram}`;
      return (
        label +
        body
          .split('\n')
          .map((line) => (line === '' ? line : CODE_INDENT + line))
          .join('\n') +
        '\n\n'
      );
    },
    // Without colour, a code span keeps its backticks: otherwise `recv(1024)` would read as plain prose.
    codespan(token) {
      return colours.isColorSupported ? colours.yellow(token.text) : `\`${token.text}\``;
    },
    // Each item one logical line (the post-pass wraps it under its text), whatever line breaks the source had.
    list(token) {
      const items = token.items.map((item, index) => {
        const bullet = token.ordered ? `${Number(token.start || 1) + index}.` : '*';
        const parts = item.tokens.map((child) => {
          if (child.type === 'text' || child.type === 'paragraph') {
            const inline = 'tokens' in child && child.tokens ? this.parser.parseInline(child.tokens) : child.text;
            return inline.replace(/\s*\n\s*/g, ' ');
          }
          return this.parser
            .parse([child])
            .replace(/\n+$/, '')
            .replace(/^(?=.)/gm, '    ');
        });
        return `  ${bullet} ${parts.join('\n')}`;
      });
      return items.join('\n') + '\n\n';
    },
    table(token) {
      return renderTable(token, (cell) => this.parser.parseInline(cell.tokens), options);
    },
  };
  const marked = new Marked();
  marked.use(terminal as Parameters<Marked['use']>[0], { renderer: own });
  const rendered = (marked.parse(markdown) as string).replace(/\n{3,}/g, '\n\n').trimEnd();
  const fitted = rendered
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
  // marked-terminal colours by its own detection; plain output must hold no escape codes at all.
  return (colours.isColorSupported ? fitted : stripVTControlCharacters(fitted)) + '\n';
}
