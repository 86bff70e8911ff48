import { describe, expect, it } from 'vitest';
import { visible, wrap } from '../../scripts/kernel/text.ts';

describe('wrap', () => {
  it('breaks between words within the width, indenting the first line and the rest as asked', () => {
    expect(wrap('one two three four five', 10, '  ', '    ')).toBe('  one two\n    three\n    four\n    five');
    // A word longer than the width stands alone rather than being cut.
    expect(wrap('a verylongword b', 5)).toBe('a\nverylongword\nb');
    expect(wrap('no wrap needed', Infinity)).toBe('no wrap needed');
  });
});

describe('wrap with colour and cutting', () => {
  it('measures words without their colour codes', () => {
    const red = (text: string): string => `\u001b[31m${text}\u001b[39m`;
    expect(wrap(`${red('one')} two ${red('three')}`, 7)).toBe(`${red('one')} two\n${red('three')}`);
  });

  it('cuts a word longer than the line when asked, and only then', () => {
    expect(wrap('see https://example.invalid/long', 10, '', '  ', true).split('\n')).toEqual([
      'see',
      '  https://',
      '  example.',
      '  invalid/',
      '  long',
    ]);
    expect(wrap('see https://example.invalid/long', 10)).toBe('see\nhttps://example.invalid/long');
  });
});

describe('visible', () => {
  it('writes out what would move, recolour or reorder a terminal, and leaves tabs and text alone', () => {
    expect(visible('a\u001b[2J\rb\u0007\u009b\u007f')).toBe('a\\x1b[2J\\x0db\\x07\\x9b\\x7f');
    expect(visible('x\u202ey\u2066z\u2028')).toBe('x\\u202ey\\u2066z\\u2028');
    expect(visible('tab\there, é, 漢字, 🙂')).toBe('tab\there, é, 漢字, 🙂');
    expect(visible(visible('\u001b'))).toBe('\\x1b');
  });
});
