// The bytes a `send` or `recv` spells: quoted strings with escapes, repeated with `* N`, grouped in parentheses.

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, '"': 34 };

/** The most bytes one `send` or `recv` may spell: far more than any lesson needs, and bounded. */
export const MAX_SPELLED = 64 * 1024 * 1024;

/**
 * Quoted strings, each optionally repeated, and groups in parentheses: `"x" * 1048576` is a megabyte of x without a
 * megabyte of transcript, and `("x" * 999 "\n") * 6000` is 6000 lines of 999 x each.
 */
export function parseBytesSpec(text: string, fail: (message: string) => never): Buffer {
  const tooMuch = (): never => fail(`'${text}' spells more than ${MAX_SPELLED} bytes (64 MiB), the most a step may`);
  let index = 0;
  const skipSpaces = (): void => {
    while (text[index] === ' ') index++;
  };
  // `* N` after a string or a group; none means once.
  const times = (): number => {
    skipSpaces();
    if (text[index] !== '*') return 1;
    index++;
    skipSpaces();
    const digits = /^\d+/.exec(text.slice(index))?.[0];
    if (digits === undefined) fail(`'*' needs a count after it, such as "x" * 1000, in '${text}'`);
    index += digits!.length;
    if (Number(digits) < 1) fail(`'${text}' must repeat some bytes 1 or more times, 64 MiB at most`);
    return Number(digits);
  };
  const sequence = (closing: string | undefined): Buffer => {
    const parts: Buffer[] = [];
    let length = 0;
    for (;;) {
      skipSpaces();
      if (index >= text.length) {
        if (closing) fail(`the group is not closed: add a ) in '${text}'`);
        break;
      }
      if (text[index] === closing) {
        index++;
        break;
      }
      let unit: Buffer;
      if (text[index] === '(') {
        index++;
        unit = sequence(')');
        if (unit.length === 0) fail(`an empty group () in '${text}' repeats nothing`);
      } else if (text[index] === '"') {
        const end = closingQuote(text, index);
        if (end < 0) fail(`the string is not closed: add a " at the end of '${text}'`);
        unit = parseQuotedBytes(text.slice(index, end + 1), fail);
        index = end + 1;
      } else {
        fail(`expected a "quoted string" at column ${index + 1} of '${text}'`);
      }
      const count = times();
      if (count > 1 && unit!.length === 0) fail(`'${text}' must repeat some bytes 1 or more times, 64 MiB at most`);
      if (unit!.length * count + length > MAX_SPELLED) tooMuch();
      parts.push(count === 1 ? unit! : repeatBytes(unit!, count));
      length += unit!.length * count;
    }
    return Buffer.concat(parts, length);
  };
  if (text.trim() === '') fail('expected bytes in quotes, such as "Hello\\n"');
  return sequence(undefined);
}

/** The index of the quote that closes the string opening at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  return -1;
}

export function repeatBytes(unit: Buffer, times: number): Buffer {
  const out = Buffer.alloc(unit.length * times);
  out.fill(unit);
  return out;
}

// Reads one or more "quoted" strings separated by spaces into the bytes they spell.
export function parseQuotedBytes(text: string, fail: (message: string) => never): Buffer {
  const bytes: number[] = [];
  let index = 0;
  let strings = 0;
  while (index < text.length) {
    if (text[index] === ' ') {
      index++;
      continue;
    }
    if (text[index] !== '"') fail(`expected a "quoted string" at column ${index + 1} of '${text}'`);
    index++;
    strings++;
    for (;;) {
      if (index >= text.length) fail(`the string is not closed: add a " at the end of '${text}'`);
      const char = text[index];
      if (char === '"') {
        index++;
        break;
      }
      if (char !== '\\') {
        // A whole code point: a character outside the BMP is two UTF-16 units, and each alone is not valid UTF-8.
        const character = String.fromCodePoint(text.codePointAt(index)!);
        bytes.push(...Buffer.from(character, 'utf8'));
        index += character.length;
        continue;
      }
      const escape = text[index + 1];
      if (escape === 'x') {
        const hex = text.slice(index + 2, index + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail(`\\x needs two hex digits, found '\\x${hex}'`);
        bytes.push(parseInt(hex, 16));
        index += 4;
      } else if (escape !== undefined && escape in ESCAPES) {
        bytes.push(ESCAPES[escape]);
        index += 2;
      } else {
        fail(`unknown escape '\\${escape ?? ''}': use \\n \\r \\t \\0 \\\\ \\" or \\xHH`);
      }
    }
  }
  if (strings === 0) fail('expected bytes in quotes, such as "Hello\\n"');
  return Buffer.from(bytes);
}
