// A lesson's README for the terminal, drawn by the workbook's own renderer on marked's renderer API.
// Prose, lists, quotes and tables fit the width; code blocks are labelled with their file and highlighted, and
// transcripts are coloured by kind of line and drawn as sequence diagrams. Colour comes only from the palette.
import { Marked, type RendererObject, type Tokens } from 'marked';
import { codeInfo } from '../course/lessons.ts';
import { textDiagramOfBlock } from '../diagram/blocks.ts';
import type { Palette } from '../kernel/colours.ts';
import { table, visibleWidth, wrap } from '../kernel/text.ts';
import { decodeEntities, highlightForTerminal } from './highlight.ts';

export interface RenderOptions {
  /** Columns to fit: the terminal's width, or 80 when the output is not a terminal. */
  width: number;
  colours: Palette;
}

const CODE_INDENT = '    ';
const CONTINUED = '↪ ';
const QUOTE = '  │ ';

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

/** A code block: labelled with its language and file, indented, highlighted, and drawn below when it is a diagram. */
function codeBlock(token: Tokens.Code, { width, colours }: RenderOptions): string {
  const { lang, file } = codeInfo(token.lang);
  const lines = token.text.split('\n').flatMap((line) => breakLine(line, width - CODE_INDENT.length));
  const label = lang || file ? `${colours.dim(`  -- ${[lang, file].filter(Boolean).join(': ')}`)}\n` : '';
  let body = lines.join('\n');
  if (lang === 'transcript') body = lines.map((line) => transcriptLine(line, colours)).join('\n');
  else if (colours.isColorSupported) body = highlightForTerminal(body, lang, colours) ?? body;
  // A transcript (or a Mermaid sequence diagram) is also drawn, below its source.
  const diagram = textDiagramOfBlock(lang, token.text, width - CODE_INDENT.length);
  if (diagram) body += `\n\n${colours.dim('-- sequence diagram')}\n${diagram}`;
  const indented = body
    .split('\n')
    .map((line) => (line === '' ? line : CODE_INDENT + line))
    .join('\n');
  return `${label}${indented}\n\n`;
}

/** A table as aligned columns when it fits, or else one block of `header: value` lines per row. */
function tableBlock(header: string[], rows: string[][], { width, colours }: RenderOptions): string {
  const aligned = table(header.map(colours.bold), rows)
    .split('\n')
    .map((line) => `  ${line}`);
  if (Math.max(...aligned.map(visibleWidth)) <= width) return `${aligned.join('\n')}\n\n`;
  const blocks = rows.map((row) =>
    row
      .map((cell, column) => `  ${colours.bold(`${header[column]}:`)} ${cell}`)
      .flatMap((line) => wrapLine(line, width))
      .join('\n'),
  );
  return `${blocks.join('\n\n')}\n\n`;
}

/** Raw HTML in a README: a `<summary>` stays as a bold line, other tags go, and comments say nothing. */
function htmlText(text: string, colours: Palette): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<summary>([\s\S]*?)<\/summary>/gi, (_, summary: string) => colours.bold(summary.trim()))
    .replace(/<[^>]+>/g, '');
}

function renderer(options: RenderOptions): RendererObject {
  const { colours, width } = options;
  return {
    heading(token) {
      const line = `${'#'.repeat(token.depth)} ${this.parser.parseInline(token.tokens)}`;
      return `${token.depth === 1 ? colours.magenta(colours.bold(line)) : colours.green(colours.bold(line))}\n\n`;
    },
    // Each paragraph is one logical line: the pass in renderMarkdown wraps it to the width.
    paragraph(token) {
      return `${this.parser.parseInline(token.tokens)}\n\n`;
    },
    text(token) {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
      return decodeEntities(token.text).replace(/\n/g, ' ');
    },
    strong(token) {
      return colours.bold(this.parser.parseInline(token.tokens));
    },
    em(token) {
      return colours.italic(this.parser.parseInline(token.tokens));
    },
    del(token) {
      return colours.strikethrough(this.parser.parseInline(token.tokens));
    },
    // Without colour, a code span keeps its backticks: otherwise `recv(1024)` would read as plain prose.
    codespan(token) {
      const code = token.text.replace(/\n/g, ' ');
      return colours.isColorSupported ? colours.yellow(code) : `\`${code}\``;
    },
    br() {
      return '\n';
    },
    link(token) {
      const text = this.parser.parseInline(token.tokens);
      return text === token.href ? colours.blue(token.href) : `${text} (${colours.blue(token.href)})`;
    },
    image(token) {
      return `${token.text} (${colours.blue(token.href)})`;
    },
    html(token) {
      const text = htmlText(token.text, colours);
      return token.block ? (text.trim() === '' ? '' : `${text.trim()}\n\n`) : text;
    },
    hr() {
      return `${colours.dim('-'.repeat(Math.min(width, 80)))}\n\n`;
    },
    blockquote(token) {
      const inner = this.parser.parse(token.tokens).replace(/\n+$/, '');
      const lines = inner.split('\n').flatMap((line) => wrapLine(line, width - QUOTE.length));
      return `${lines.map((line) => colours.dim(QUOTE) + line).join('\n')}\n\n`;
    },
    code(token) {
      return codeBlock(token, options);
    },
    // Each item one logical line (the pass in renderMarkdown wraps it under its text), whatever breaks the source had.
    list(token) {
      const items = token.items.map((item, index) => {
        const bullet = token.ordered ? `${Number(token.start || 1) + index}.` : '*';
        const parts = item.tokens.map((child) => {
          if (child.type === 'text' || child.type === 'paragraph') {
            const inline = 'tokens' in child && child.tokens ? this.parser.parseInline(child.tokens) : child.text;
            return inline.replace(/\s*\n\s*/g, ' ');
          }
          if (child.type === 'checkbox') return '';
          return this.parser
            .parse([child])
            .replace(/\n+$/, '')
            .replace(/^(?=.)/gm, '    ');
        });
        return `  ${bullet} ${parts.filter(Boolean).join('\n')}`;
      });
      return `${items.join('\n')}\n\n`;
    },
    table(token) {
      const cell = (value: Tokens.TableCell): string => this.parser.parseInline(value.tokens);
      return tableBlock(
        token.header.map(cell),
        token.rows.map((row) => row.map(cell)),
        options,
      );
    },
  };
}

export function renderMarkdown(markdown: string, options: RenderOptions): string {
  const marked = new Marked({ renderer: renderer(options) });
  const rendered = (marked.parse(markdown, { async: false }) as string).replace(/\n{3,}/g, '\n\n').trimEnd();
  const fitted = rendered.split('\n').flatMap((line) => wrapLine(line, options.width));
  return `${fitted.join('\n')}\n`;
}
