// Unit: a README rendered for the terminal in process: colour only when asked for, everything within the width.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { listLessons, WORKBOOK_ROOT } from '../../scripts/course/lessons.ts';
import { renderMarkdown } from '../../scripts/terminal/markdown.ts';
import { palette } from '../../scripts/kernel/colours.ts';
import { ROOT } from '../support.ts';

const ESC = '\u001b';
const README = readFileSync(join(ROOT, 'test/fixtures/read/README.md'), 'utf8');
const widest = (text: string): number => Math.max(...text.split('\n').map((line) => line.length));

describe('renderMarkdown', () => {
  it('highlights code and colours the transcript when colour is on, and fits a narrower terminal', () => {
    const text = renderMarkdown(README, { width: 60, colours: palette({ isTTY: true } as NodeJS.WriteStream) });
    if (!('NO_COLOR' in process.env)) expect(text).toContain(ESC);
    const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(widest(plain)).toBeLessThanOrEqual(60);
    expect(plain).toContain('$ server');
  });
});

describe('the renderer, element by element', () => {
  const plain = pc.createColors(false);
  const colour = pc.createColors(true);
  const render = (markdown: string, width = 80, colours = plain): string =>
    renderMarkdown(markdown, { width, colours });

  it('gives headings their marks, and paragraphs one line each, wrapped to the width', () => {
    expect(render('# Title\n\n## Part\n\none\ntwo three four five six\n', 12)).toBe(
      '# Title\n\n## Part\n\none two\nthree four\nfive six\n',
    );
  });

  it('writes emphasis, code spans and links in words when plain, and in colour when colour is on', () => {
    const markdown = 'A **strong** and *soft* `code` [link](https://example.invalid) ~~gone~~ &amp; more.\n';
    expect(render(markdown)).toBe('A strong and soft `code` link (https://example.invalid) gone & more.\n');
    const coloured = render(markdown, 80, colour);
    expect(coloured).toContain(colour.bold('strong'));
    expect(coloured).toContain(colour.italic('soft'));
    expect(coloured).toContain(colour.yellow('code'));
    expect(coloured).toContain(`link (${colour.blue('https://example.invalid')})`);
  });

  it('labels a code block with its language and file, indents it, and highlights it only in colour', () => {
    const markdown = '```ts file=a.ts\nconst x = 1; // one\n```\n';
    expect(render(markdown)).toBe('  -- ts: a.ts\n    const x = 1; // one\n');
    const coloured = render(markdown, 80, colour);
    expect(coloured).toContain(colour.blue('const'));
    expect(coloured).toContain(colour.dim('// one'));
    expect(coloured).toContain(colour.magenta('1'));
  });

  it('bullets and numbers lists, a long item continuing under its own text', () => {
    expect(render('- one two three\n- four\n\n3. five\n', 12)).toBe('  * one two\n    three\n  * four\n\n  3. five\n');
  });

  it('aligns a table that fits, and gives a row per block when it does not', () => {
    const markdown = '| a | b |\n| --- | --- |\n| 1 | two |\n';
    expect(render(markdown)).toBe('  a  b\n  -  ---\n  1  two\n');
    expect(render('| name | what |\n| --- | --- |\n| x | a long cell |\n', 12)).toBe(
      '  name: x\n  what: a\n  long cell\n',
    );
  });

  it('marks a quote on every line, and keeps a summary as a line while other HTML goes', () => {
    expect(render('> one two three\n', 12)).toBe('  │ one two\n  │ three\n');
    expect(render('<details><summary>The code</summary>\n\ninside\n\n</details>\n')).toBe('The code\n\ninside\n');
  });

  it('renders every lesson of the workbook, within 80 columns and without a colour code when plain', () => {
    for (const lesson of listLessons(WORKBOOK_ROOT)) {
      const text = render(readFileSync(join(lesson.dir, 'README.md'), 'utf8'));
      expect(text, lesson.slug).not.toContain(ESC);
      expect(widest(text), lesson.slug).toBeLessThanOrEqual(80);
    }
  });
});
