// Unit: the reader of a channel a program may write anything to: lines within a cap each, and a cap in all.
import { describe, expect, it } from 'vitest';
import { CappedLines } from '../../scripts/run/messages.ts';

function reader(line: number, total: number) {
  const lines: string[] = [];
  let tooMuch = 0;
  const capped = new CappedLines(
    { line, total },
    (text) => lines.push(text),
    () => tooMuch++,
  );
  return { capped, lines, tooMuch: () => tooMuch };
}

describe('CappedLines', () => {
  it('passes on whole lines, however the bytes are cut, and keeps a line in pieces until its end', () => {
    const { capped, lines } = reader(64, 1024);
    for (const piece of ['{"a"', ':1}\n{"b":2', '}\n', '\n', 'caf\xc3'.slice(0, 3)]) capped.push(Buffer.from(piece));
    capped.push(Buffer.from([0xc3]));
    capped.push(Buffer.from([0xa9, 10]));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '', 'café']);
  });

  it('drops a line longer than its cap without keeping it, then reads on', () => {
    const { capped, lines } = reader(8, 1 << 20);
    for (let i = 0; i < 100; i++) capped.push(Buffer.alloc(1000, 120));
    capped.push(Buffer.from('\nshort\n'));
    expect(lines).toEqual(['short']);
    expect(capped.dropped).toBe(1);
  });

  it('stops at its total, says so once, and passes on nothing after', () => {
    const { capped, lines, tooMuch } = reader(64, 20);
    capped.push(Buffer.from('one\ntwo\n'));
    capped.push(Buffer.from('three\nfour\nfive\n'));
    capped.push(Buffer.from('six\n'));
    expect(lines).toEqual(['one', 'two']);
    expect(tooMuch()).toBe(1);
  });
});
