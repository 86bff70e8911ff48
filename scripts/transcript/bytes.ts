// Bytes in quotes, both ways: `"Hello\n"` and `"x" * 1048576` read into bytes, and bytes written back that way.

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, '"': 34 };

// Quoted strings, optionally repeated: `"x" * 1048576` is a megabyte of x without a megabyte of transcript.
export function parseBytesSpec(text: string, fail: (message: string) => never): Buffer {
  const repeated = /^(.*")\s*\*\s*(\d+)$/.exec(text);
  if (!repeated) return parseQuotedBytes(text, fail);
  const times = Number(repeated[2]);
  const unit = parseQuotedBytes(repeated[1], fail);
  if (unit.length === 0 || times < 1 || unit.length * times > 64 * 1024 * 1024) {
    fail(`'${text}' must repeat some bytes 1 or more times, 64 MiB at most`);
  }
  return repeatBytes(unit, times);
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

/** Long runs of a short repeated unit are written as `"unit" * N`, as a transcript would say them. */
export function formatBytes(bytes: Buffer): string {
  if (bytes.length > 64) {
    for (let period = 1; period <= 16; period++) {
      if (bytes.length % period !== 0) continue;
      const unit = bytes.subarray(0, period);
      if (repeatBytes(unit, bytes.length / period).equals(bytes))
        return `${quoteBytes(unit)} * ${bytes.length / period}`;
    }
  }
  return quoteBytes(bytes);
}
