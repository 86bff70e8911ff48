import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../scripts/terminal/diff.ts';

const ESC = '\u001b[';

describe('renderDiff', () => {
  it('marks expected-only lines with -, actual-only lines with +, and shared lines with two spaces', () => {
    const expected = ['$ server', 'Hello', 'A: recv "x"', '^C'].join('\n');
    const actual = ['$ server', 'Goodbye', 'A: recv "x"', '^C'].join('\n');
    expect(renderDiff(expected, actual).split('\n')).toEqual([
      '  $ server',
      '- Hello',
      '+ Goodbye',
      '  A: recv "x"',
      '  ^C',
    ]);
  });

  it('shows steps that never ran as removed, and extra output as added', () => {
    expect(renderDiff('a\nb\nc', 'a').split('\n')).toEqual(['  a', '- b', '- c']);
    expect(renderDiff('a', 'a\n! boom').split('\n')).toEqual(['  a', '+ ! boom']);
  });

  it('treats a missing final newline as no difference', () => {
    expect(renderDiff('a\nb\n', 'a\nb')).toBe('  a\n  b');
  });

  it('keeps blank lines as lines', () => {
    expect(renderDiff('a\n\nb', 'a\n\nb').split('\n')).toEqual(['  a', '  ', '  b']);
  });

  it('uses no colour codes by default', () => {
    const out = renderDiff('one\ntwo', 'one\nthree');
    expect(out).not.toContain(ESC);
    expect(out).toContain('- two');
  });

  it('colours removed lines red and added lines green when given colours', () => {
    const colours = pc.createColors(true);
    const out = renderDiff('one\ntwo', 'one\nthree', colours);
    expect(out).toContain(colours.red('- two'));
    expect(out).toContain(colours.green('+ three'));
    expect(out).toContain(colours.dim('  one'));
    expect(out).toContain(ESC);
  });

  it('makes trailing spaces and tabs visible on a changed line, where they are the difference', () => {
    expect(renderDiff('Hello', 'Hello  \t').split('\n')).toEqual(['- Hello', '+ Hello··→']);
    expect(renderDiff('same \nx', 'same \ny').split('\n')[0]).toBe('  same ');
  });

  it('folds long runs of lines as expected to their ends, with a count, when given a context', () => {
    const same = Array.from({ length: 10 }, (_, index) => `line ${index}`);
    const expected = [...same, 'wanted', ...same].join('\n');
    const actual = [...same, 'got', ...same].join('\n');
    expect(renderDiff(expected, actual, undefined, { context: 2 }).split('\n')).toEqual([
      '  ... (8 lines as expected)',
      '  line 8',
      '  line 9',
      '- wanted',
      '+ got',
      '  line 0',
      '  line 1',
      '  ... (8 lines as expected)',
    ]);
    expect(renderDiff('a\nb\nx', 'a\nb\ny', undefined, { context: 2 }).split('\n')).toEqual([
      '  a',
      '  b',
      '- x',
      '+ y',
    ]);
  });

  it('keeps the first frame of a stack trace on stderr and counts the others', () => {
    const stack = [
      '! TypeError: x',
      '!     at a (file:///w/s.ts:1:1)',
      '!     at b (node:internal/x:1:1)',
      '!     at c (x)',
    ];
    expect(renderDiff('a', ['a', ...stack].join('\n')).split('\n')).toEqual([
      '  a',
      '+ ! TypeError: x',
      '+ !     at a (file:///w/s.ts:1:1)',
      '+ !     ... (2 more stack frames)',
    ]);
  });
});
