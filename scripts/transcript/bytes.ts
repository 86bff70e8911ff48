// Bytes in quotes, both ways: what a `send` or `recv` spells read into bytes, and bytes written back that way.

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, '"': 34 };

/** The most bytes one `send` or `recv` may spell: far more than any lesson needs, and bounded. */
export const MAX_SPELLED = 64 * 1024 * 1024;

/** Bytes a transcript spells, checked and counted as it is read, and built only when a step needs them. */
export interface SpelledBytes {
  length: number;
  build(): Buffer;
}

/**
 * Quoted strings, each optionally repeated, and groups in parentheses: `"x" * 1048576` is a megabyte of x without a
 * megabyte of transcript, and `("x" * 999 "\n") * 6000` is 6000 lines of 999 x each. Checked and counted as it is
 * read; the bytes are built only when asked for, as a transcript is read many times and its 32 MB send sent once.
 */
export function readBytesSpec(text: string, fail: (message: string) => never): SpelledBytes {
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
  const sequence = (closing: string | undefined): SpelledBytes => {
    const parts: { unit: SpelledBytes; count: number }[] = [];
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
      let unit: SpelledBytes;
      if (text[index] === '(') {
        index++;
        unit = sequence(')');
        if (unit.length === 0) fail(`an empty group () in '${text}' repeats nothing`);
      } else if (text[index] === '"') {
        const end = closingQuote(text, index);
        if (end < 0) fail(`the string is not closed: add a " at the end of '${text}'`);
        const quoted = parseQuotedBytes(text.slice(index, end + 1), fail);
        unit = { length: quoted.length, build: () => quoted };
        index = end + 1;
      } else {
        fail(`expected a "quoted string" at column ${index + 1} of '${text}'`);
      }
      const count = times();
      if (count > 1 && unit!.length === 0) fail(`'${text}' must repeat some bytes 1 or more times, 64 MiB at most`);
      if (unit!.length * count + length > MAX_SPELLED) tooMuch();
      parts.push({ unit: unit!, count });
      length += unit!.length * count;
    }
    const build = (): Buffer =>
      Buffer.concat(
        parts.map(({ unit, count }) => (count === 1 ? unit.build() : repeatBytes(unit.build(), count))),
        length,
      );
    return { length, build };
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

// The inverse of parseQuotedBytes: printable ASCII stays readable, everything else is escaped.
export function quoteBytes(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 10) out += '\\n';
    else if (byte === 13) out += '\\r';
    else if (byte === 9) out += '\\t';
    else if (byte === 92) out += '\\\\';
    else if (byte === 34) out += '\\"';
    else if (byte >= 32 && byte < 127) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `"${out}"`;
}

/** The longest repeated unit a transcript line is written with: a line of a flood, or a 64 KiB message and its header. */
const MAX_PERIOD = 65536 + 64;
/** Repeated stretches written as such, one after another, before the rest is written plainly. */
const MAX_STRETCHES = 8;
/** A run of one byte at least this long is written as `"x" * N`. */
const MIN_RUN = 16;

/**
 * Bytes as a transcript would write them: a long repetition of a unit as `"unit" * N` (a unit that is not one
 * string in parentheses: `("x" * 999 "\n") * 6000`), long runs of one byte as `"x" * N`, the rest quoted; or, when
 * that is longer than `limit` characters, `N bytes`, so a sentence stays short.
 */
export function formatBytes(bytes: Buffer, limit = Infinity): string {
  const written = writeBytes(bytes);
  return written.length <= limit ? written : `${bytes.length} bytes`;
}

function writeBytes(bytes: Buffer): string {
  if (bytes.length <= 64) return quoteBytes(bytes);
  const parts: string[] = [];
  let rest = bytes;
  // A few repeated stretches in a row (8000 lines, then an empty one); past that, runs of one byte are enough.
  for (let stretch = 0; stretch < MAX_STRETCHES && rest.length > 64; stretch++) {
    const repeated = leadingRepetition(rest);
    if (!repeated) break;
    const unit = formatRuns(rest.subarray(0, repeated.period));
    parts.push(`${/^"(?:[^"\\]|\\.)*"$/.test(unit) ? unit : `(${unit})`} * ${repeated.times}`);
    rest = rest.subarray(repeated.period * repeated.times);
  }
  if (rest.length > 0) parts.push(formatRuns(rest));
  return parts.join(' ');
}

/** Runs of one byte as `"x" * N`, everything between them quoted. */
function formatRuns(bytes: Buffer): string {
  const parts: string[] = [];
  let start = 0;
  let index = 0;
  while (index < bytes.length) {
    let end = index + 1;
    while (end < bytes.length && bytes[end] === bytes[index]) end++;
    if (end - index >= MIN_RUN) {
      if (start < index) parts.push(quoteBytes(bytes.subarray(start, index)));
      parts.push(`${quoteBytes(bytes.subarray(index, index + 1))} * ${end - index}`);
      start = end;
    }
    index = end;
  }
  if (start < bytes.length || parts.length === 0) parts.push(quoteBytes(bytes.subarray(start)));
  return parts.join(' ');
}

/**
 * The shortest unit (at most MAX_PERIOD bytes) that the bytes begin with at least twice, 64 bytes or more in all, and
 * how many times. The prefix function of a prefix twice MAX_PERIOD long gives that prefix's shortest period in linear
 * time; the whole units are then counted from the start.
 */
function leadingRepetition(bytes: Buffer): { period: number; times: number } | undefined {
  const prefix = bytes.subarray(0, Math.min(bytes.length, 2 * MAX_PERIOD));
  // border[i] is the length of the longest proper border of prefix[0..i].
  const border = new Int32Array(prefix.length);
  for (let i = 1, k = 0; i < prefix.length; i++) {
    while (k > 0 && prefix[i] !== prefix[k]) k = border[k - 1];
    if (prefix[i] === prefix[k]) k++;
    border[i] = k;
  }
  const period = prefix.length - border[prefix.length - 1];
  if (period > MAX_PERIOD || 2 * period > prefix.length) return undefined;
  // The units are counted by doubling, then halving back: a unit at a time, 32 MB of one byte took seconds.
  const repeats = (from: number, units: number): boolean =>
    (from + units) * period <= bytes.length &&
    bytes.subarray(0, units * period).equals(bytes.subarray(from * period, (from + units) * period));
  let times = 1;
  while (repeats(times, times)) times *= 2;
  for (let more = times >> 1; more >= 1; more >>= 1) if (repeats(times, more)) times += more;
  return times >= 2 && times * period >= 64 ? { period, times } : undefined;
}
