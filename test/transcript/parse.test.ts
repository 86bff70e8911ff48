import { describe, expect, it } from 'vitest';
import { WorkbookError } from '../../scripts/kernel/errors.ts';
import { parseQuotedBytes, quoteBytes, readBytesSpec } from '../../scripts/transcript/bytes.ts';
import { formatStep } from '../../scripts/transcript/format.ts';
import { parseTranscript, type Step } from '../../scripts/transcript/parse.ts';

const FILE = 'lessons/01-x/transcripts/t.txt';

/** Parses a transcript given as lines; the file name is fixed so errors can be matched exactly. */
function parse(...lines: string[]): Step[] {
  return parseTranscript(`${lines.join('\n')}\n`, FILE);
}

/** The steps after `$ server`, without their line and source. */
function bodies(...lines: string[]): unknown[] {
  return parse('$ server', ...lines)
    .slice(1)
    .map(({ line: _line, source: _source, ...body }) => body);
}

function bytesSpec(spec: string): Buffer {
  return readBytesSpec(spec, (message) => {
    throw new Error(message);
  }).build();
}

function bytesOf(quoted: string): Buffer {
  return parseQuotedBytes(quoted, (message) => {
    throw new Error(message);
  });
}

/** The WorkbookError a transcript raises; fails the test if it parses. */
function errorOf(...lines: string[]): WorkbookError {
  try {
    parse(...lines);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbookError);
    return error as WorkbookError;
  }
  throw new Error(`expected a syntax error, but it parsed: ${JSON.stringify(lines)}`);
}

describe('parseTranscript: every kind of line', () => {
  it('reads comments, blank lines, busy, start, stdout, stderr, escaped stdout, ^C and exit', () => {
    const steps = parse(
      '# a comment',
      '',
      '[busy 12345]',
      '[busy udp 5514]',
      '[busy 23456 on restart]',
      '$ server --port 4000 "two words" ""',
      'Starting server',
      '! an error line',
      '!',
      '\\# not a comment',
      '\\',
      '  # indented text is output, not a comment',
      '[kill a worker]',
      '^C',
      '[exit 130]',
    );
    expect(steps.map(({ line: _line, source: _source, ...body }) => body)).toEqual([
      { kind: 'comment', text: '# a comment' },
      { kind: 'comment', text: '' },
      { kind: 'busy', port: 12345 },
      { kind: 'busy', port: 5514, udp: true },
      { kind: 'busy', port: 23456, onRestart: true },
      { kind: 'start', program: 'server', args: ['--port', '4000', 'two words', ''] },
      { kind: 'stdout', text: 'Starting server' },
      { kind: 'stderr', text: 'an error line' },
      { kind: 'stderr', text: '' },
      { kind: 'stdout', text: '# not a comment' },
      { kind: 'stdout', text: '' },
      { kind: 'stdout', text: '  # indented text is output, not a comment' },
      { kind: 'killWorker' },
      { kind: 'interrupt' },
      { kind: 'exit', code: 130 },
    ]);
  });

  it("keeps each step's line number and source text", () => {
    const steps = parse('# one', '$ server', 'hello');
    expect(steps.map((step) => [step.line, step.source])).toEqual([
      [1, '# one'],
      [2, '$ server'],
      [3, 'hello'],
    ]);
  });

  it('reads every client action', () => {
    expect(
      bodies(
        'A: connect',
        'B: connect 40000',
        'A: send "Hi\\n"',
        'B: recv "Hi" "\\n"',
        'A: eof',
        'B: reset',
        'A: silent 200ms',
        'A: end',
        'A: close',
        'B: abort',
      ),
    ).toEqual([
      { kind: 'client', client: 'A', action: { verb: 'connect' } },
      { kind: 'client', client: 'B', action: { verb: 'connect', port: 40000 } },
      { kind: 'client', client: 'A', action: { verb: 'send', bytes: Buffer.from('Hi\n') } },
      { kind: 'client', client: 'B', action: { verb: 'recv', bytes: Buffer.from('Hi\n') } },
      { kind: 'client', client: 'A', action: { verb: 'eof' } },
      { kind: 'client', client: 'B', action: { verb: 'reset' } },
      { kind: 'client', client: 'A', action: { verb: 'silent', ms: 200 } },
      { kind: 'client', client: 'A', action: { verb: 'end' } },
      { kind: 'client', client: 'A', action: { verb: 'close' } },
      { kind: 'client', client: 'B', action: { verb: 'abort' } },
    ]);
  });

  it('reads a line that only looks like a client step as output when the "client" is not one capital letter', () => {
    expect(bodies('Note: something', 'a: connect', 'AB: connect')).toEqual([
      { kind: 'stdout', text: 'Note: something' },
      { kind: 'stdout', text: 'a: connect' },
      { kind: 'stdout', text: 'AB: connect' },
    ]);
  });

  it('accepts placeholders in expected output', () => {
    expect(bodies('from {A.addr}:{A.port} pid {pid} at {time}: {*} {{literal}', '! {*}')).toEqual([
      { kind: 'stdout', text: 'from {A.addr}:{A.port} pid {pid} at {time}: {*} {{literal}' },
      { kind: 'stderr', text: '{*}' },
    ]);
  });

  it('reads a CRLF file exactly like an LF file, with the same line numbers', () => {
    const lines = ['# comment', '$ server', 'Hello', 'A: connect', 'A: send "x\\r\\n"', '^C'];
    const lf = parseTranscript(`${lines.join('\n')}\n`, FILE);
    const crlf = parseTranscript(`${lines.join('\r\n')}\r\n`, FILE);
    expect(crlf).toEqual(lf);
    expect(crlf[2]).toMatchObject({ kind: 'stdout', text: 'Hello', line: 3 });
    expect(crlf.every((step) => !step.source.includes('\r'))).toBe(true);
    // A CRLF file's errors still name the right line.
    expect(() => parseTranscript('$ server\r\nok\r\nA: fly\r\n', FILE)).toThrow(`${FILE}:3:`);
  });

  it('does not need a final newline', () => {
    expect(parseTranscript('$ server\nHello', FILE).map((step) => step.kind)).toEqual(['start', 'stdout']);
  });
});

describe('quoted bytes', () => {
  it('decodes every escape', () => {
    expect([...bytesOf('"\\n\\r\\t\\0\\\\\\""')]).toEqual([10, 13, 9, 0, 92, 34]);
  });

  it('decodes \\xHH for any byte, in either case', () => {
    expect([...bytesOf('"\\x00\\x7f\\x80\\xff\\xAb"')]).toEqual([0x00, 0x7f, 0x80, 0xff, 0xab]);
  });

  it('encodes other characters as UTF-8, including characters outside the BMP', () => {
    expect(bytesOf('"é"')).toEqual(Buffer.from('é', 'utf8'));
    expect(bytesOf('"日本"')).toEqual(Buffer.from('日本', 'utf8'));
    expect(bytesOf('"🙂!"')).toEqual(Buffer.from([0xf0, 0x9f, 0x99, 0x82, 0x21]));
  });

  it('joins several quoted strings into one write', () => {
    expect(bytesOf('"GET / HTTP/1.0\\r\\n"  "\\r\\n"')).toEqual(Buffer.from('GET / HTTP/1.0\r\n\r\n'));
    expect(bytesOf('""')).toEqual(Buffer.alloc(0));
  });

  it('quoteBytes is the inverse of parseQuotedBytes for every byte value', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
    const quoted = quoteBytes(all);
    expect(quoted).toMatch(/^"[\x20-\x7e]*"$/);
    expect(bytesOf(quoted)).toEqual(all);
    expect(quoteBytes(Buffer.from('a"b\\c\n\r\t\x00é'))).toBe('"a\\"b\\\\c\\n\\r\\t\\x00\\xc3\\xa9"');
  });
});

describe('syntax errors name file:line', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['an unknown client verb', ['$ server', 'A: connect', 'A: jump'], 3, /unknown client action 'jump'/],
    [
      'arguments to a verb that takes none',
      ['$ server', 'A: connect', 'A: close now'],
      3,
      /`close` takes no arguments/,
    ],
    ['an unknown directive', ['$ server', '[exit 0] ', '[wait 5]'], 2, /unknown directive `\[exit 0\] `/],
    ['an unknown directive later on', ['$ server', '[wait 5]'], 2, /unknown directive `\[wait 5\]`.*\\\[wait 5\]/],
    ['a port above 65535 in [busy]', ['[busy 70000]', '$ server'], 1, /'70000' is not a port number/],
    ['port 0 in [busy]', ['[busy 0]', '$ server'], 1, /'0' is not a port number/],
    [
      'a UDP port taken on restart',
      ['[busy udp 5514 on restart]', '$ server'],
      1,
      /`on restart` is for a TCP listener/,
    ],
    [
      'a worker killed before the program starts',
      ['[kill a worker]', '$ server'],
      1,
      /comes before the program is started/,
    ],
    ['a port that is not a number in connect', ['$ server', 'A: connect http'], 2, /'http' is not a port number/],
    ['port 65536 in connect', ['$ server', 'A: connect 65536'], 2, /'65536' is not a port number/],
    ['an unclosed string', ['$ server', 'A: connect', 'A: send "Hello'], 3, /not closed/],
    ['a string closed by an escaped quote only', ['$ server', 'A: connect', 'A: send "Hello\\"'], 3, /not closed/],
    ['bytes that are not quoted', ['$ server', 'A: connect', 'A: send Hello'], 3, /expected a "quoted string"/],
    ['send without bytes', ['$ server', 'A: connect', 'A: send'], 3, /expected bytes in quotes/],
    ['an unknown escape', ['$ server', 'A: connect', 'A: send "\\q"'], 3, /unknown escape '\\q'/],
    ['a short \\x escape', ['$ server', 'A: connect', 'A: recv "\\x4"'], 3, /\\x needs two hex digits/],
    ['a non-hex \\x escape', ['$ server', 'A: connect', 'A: recv "\\xzz"'], 3, /\\x needs two hex digits/],
    ['a backslash at the very end', ['$ server', 'A: connect', 'A: send "\\'], 3, /unknown escape|not closed/],
    ['silent without a unit', ['$ server', 'A: connect', 'A: silent 200'], 3, /`silent` needs a duration/],
    ['an output line before `$ server`', ['# intro', 'Hello'], 2, /comes before the program is started/],
    ['a client step before `$ server`', ['A: connect', '$ server'], 1, /comes before the program is started/],
    ['[exit] before `$ server`', ['[exit 0]', '$ server'], 1, /comes before the program is started/],
    ['^C before `$ server`', ['^C'], 1, /comes before the program is started/],
    ['two `$` lines', ['$ server', 'Hello', '$ server'], 3, /already started/],
    ['a program name that is not a file name', ['$ Server'], 1, /'Server' after `\$` is not a program name/],
    ['a bare `$`', ['$'], 1, /'' after `\$` is not a program name/],
    ['unbalanced quotes in arguments', ['$ server "a b'], 1, /unbalanced quotes/],
    ['an unknown placeholder on stdout', ['$ server', 'port {port}'], 2, /unknown placeholder \{port\}/],
    ['an unknown placeholder on stderr', ['$ server', '! at {when}'], 2, /unknown placeholder \{when\}/],
    ['a lower-case client in a placeholder', ['$ server', 'from {a.addr}'], 2, /unknown placeholder \{a\.addr\}/],
    ['[busy] after the start', ['$ server', '[busy 12345]'], 2, /`\[busy 12345\]` must come before/],
    ['a client used before it connects', ['$ server', 'B: send "x"'], 2, /client B .*`B: connect`/],
    [
      'a TCP step on a UDP client',
      ['$ server', 'U: udp', 'U: eof'],
      3,
      /client U is a UDP socket: `U: eof` needs a TCP connection/,
    ],
    ['a byte range on a UDP client', ['$ server', 'U: udp', 'U: recv 1..9 bytes'], 3, /a datagram arrives whole/],
    ['a client opened twice', ['$ server', 'A: connect', 'A: connect'], 3, /client A is already open/],
    ['a helper that is not a .ts file', ['& solutions/x.js', '$ server'], 1, /`&` needs a \.ts file/],
    ['a helper after the start', ['$ server', '& solutions/x.ts'], 2, /must come before the `\$` line/],
    ['a byte range upside down', ['$ server', 'A: connect', 'A: recv 9..3 bytes'], 3, /is not a byte count/],
    ['an empty repetition', ['$ server', 'A: connect', 'A: send "" * 3'], 3, /must repeat some bytes/],
    ['a group never closed', ['$ server', 'A: connect', 'A: send ("x" * 3'], 3, /the group is not closed/],
    ['an empty group', ['$ server', 'A: connect', 'A: send () * 3'], 3, /an empty group/],
    ['a star without a count', ['$ server', 'A: connect', 'A: send "x" *'], 3, /'\*' needs a count/],
    ['a count of 0', ['$ server', 'A: connect', 'A: send "x" * 0'], 3, /must repeat some bytes/],
    [
      'more than 64 MiB',
      ['$ server', 'A: connect', 'A: send ("x" * 65536) * 1025'],
      3,
      /spells more than 67108864 bytes/,
    ],
    ['[output] after the start', ['$ server', '[output 1000 bytes]'], 2, /must come before the `\$` line/],
    ['[output] of 0 bytes', ['[output 0 bytes]', '$ server'], 1, /`\[output\]` takes 1 to 67108864 bytes/],
    [
      'a received line with an unknown placeholder',
      ['$ server', 'A: connect', 'A> {when}'],
      3,
      /unknown placeholder \{when\}/,
    ],
  ];

  it.each(cases)('%s', (_name, lines, line, message) => {
    const error = errorOf(...lines);
    expect(error.message.startsWith(`${FILE}:${line}: `)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(2);
  });

  it('a transcript that never starts the program names line 1', () => {
    expect(errorOf('# only a comment').message).toMatch(
      new RegExp(`^${FILE.replace(/\./g, '\\.')}:1: the transcript never starts the program`),
    );
    expect(() => parseTranscript('', FILE)).toThrow(`${FILE}:1:`);
  });

  it('a client may connect again after it closes, and several clients are independent', () => {
    expect(() =>
      parse('$ server', 'A: connect', 'A: close', 'A: connect', 'B: connect', 'B: send "x"', 'A: recv "x"'),
    ).not.toThrow();
  });
});

describe('repeated and grouped bytes', () => {
  it('repeats each string or group by its own count, and joins the parts in order', () => {
    expect(bytesSpec('"ab" * 3')).toEqual(Buffer.from('ababab'));
    expect(bytesSpec('"a" "b" * 3')).toEqual(Buffer.from('abbb'));
    expect(bytesSpec('("a" "b") * 3')).toEqual(Buffer.from('ababab'));
    expect(bytesSpec('("x" * 3 "\\n") * 2 "\\n"')).toEqual(Buffer.from('xxx\nxxx\n\n'));
    expect(bytesSpec('(("a" * 2) "b") * 2')).toEqual(Buffer.from('aabaab'));
    expect(bytesSpec('  "a"*2  ')).toEqual(Buffer.from('aa'));
  });

  it('counts a large send as it reads it and builds its bytes only when a step asks for them', () => {
    const before = process.memoryUsage().arrayBuffers;
    const [, connect, send] = parse('$ server', 'A: connect', 'A: send "x" * 67108864');
    // Every command reads every transcript; only the scenario that runs should pay for its 64 MiB.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    expect(connect).toMatchObject({ kind: 'client' });
    expect(send).toMatchObject({ kind: 'client', action: { verb: 'send' } });
    const action = (send as Extract<Step, { kind: 'client' }>).action as { bytes: Buffer };
    expect(action.bytes.length).toBe(67108864);
    expect(action.bytes).toBe(action.bytes);
  });

  it('reads [output N bytes] before the start', () => {
    expect(parse('[output 16777216 bytes]', '$ server')[0]).toMatchObject({ kind: 'output', bytes: 16777216 });
  });
});

describe('bad input (issue 10)', () => {
  it('accepts a transcript that starts with a byte-order mark', () => {
    expect(parseTranscript('\uFEFF$ server\n', 'bom.txt')[0]).toMatchObject({ kind: 'start', program: 'server' });
  });

  it('refuses [timeout] and silent above 2^31-1 ms, which Node would turn into 1 ms', () => {
    expect(() => parseTranscript('[timeout 2147483648ms]\n$ server\n', 't.txt')).toThrow(
      /t\.txt:1: `\[timeout\]` takes at most 2147483647ms/,
    );
    expect(() => parseTranscript('$ server\nA: connect\nA: silent 2147483648ms\n', 't.txt')).toThrow(
      /t\.txt:3: `silent` takes at most 2147483647ms/,
    );
  });
});

describe('the steps for trustworthy checks', () => {
  const steps = (...lines: string[]) =>
    parseTranscript(`${lines.join('\n')}\n`, FILE).map(({ line, source, ...body }) => body);

  it('reads `...` and `! ...` as lines to pass over, and `= PATH: TEXT` as a line of a file', () => {
    expect(
      steps('$ server {dir}/x.log', '...', '! ...', '^C', '= {dir}/x.log: started {time}', '= {dir}/x.log:'),
    ).toEqual([
      { kind: 'start', program: 'server', args: ['{dir}/x.log'] },
      { kind: 'skip', stream: 'stdout' },
      { kind: 'skip', stream: 'stderr' },
      { kind: 'interrupt' },
      { kind: 'file', path: '{dir}/x.log', text: 'started {time}' },
      { kind: 'file', path: '{dir}/x.log', text: '' },
    ]);
  });

  it('reads a file only after the program was told to stop or exited, and only in {dir} or a [writable DIR]', () => {
    expect(() => steps('$ server', '= {dir}/x.log: hi')).toThrow(
      `${FILE}:2: a file is read once the program has exited`,
    );
    expect(() => steps('$ server', '^C', '= logs/x.log: hi')).toThrow(`${FILE}:3: 'logs/x.log' is not in {dir}`);
    expect(steps('[writable logs]', '$ server', '[exit 0]', '= logs/x.log: hi').at(-1)).toEqual({
      kind: 'file',
      path: 'logs/x.log',
      text: 'hi',
    });
  });

  it('reads A: flood with the default limit or a limit of its own', () => {
    expect(steps('$ server', 'A: connect', 'A: flood', 'A: flood 1000').slice(2)).toEqual([
      { kind: 'client', client: 'A', action: { verb: 'flood', most: 64 * 1024 * 1024 } },
      { kind: 'client', client: 'A', action: { verb: 'flood', most: 1000 } },
    ]);
    expect(() => steps('$ server', 'A: connect', 'A: flood lots')).toThrow('`flood` takes a byte limit');
    expect(() => steps('$ server', 'A: udp', 'A: flood')).toThrow('is a UDP socket');
  });

  it('sends bytes that are not UTF-8, and half a character per send', () => {
    expect(
      steps('$ server', 'A: connect', 'A: send "\\xff\\xfe"', 'A: send "caf\\xc3"', 'A: send "\\xa9\\n"').slice(2),
    ).toEqual([
      { kind: 'client', client: 'A', action: { verb: 'send', bytes: Buffer.from([0xff, 0xfe]) } },
      { kind: 'client', client: 'A', action: { verb: 'send', bytes: Buffer.from([0x63, 0x61, 0x66, 0xc3]) } },
      { kind: 'client', client: 'A', action: { verb: 'send', bytes: Buffer.from([0xa9, 0x0a]) } },
    ]);
  });

  it('accepts {listen.addr} and {dir} as placeholders, and writes the new steps back unchanged', () => {
    const lines = [
      '$ server',
      'Listening on {listen.addr} in {dir}',
      '...',
      '! ...',
      'A: connect',
      'A: flood',
      'A: flood 1000',
      '^C',
      '= {dir}/a.log: x',
    ];
    const parsed = parseTranscript(`${lines.join('\n')}\n`, FILE);
    expect(parsed.map((step) => formatStep(step))).toEqual(lines);
    // A printed line that reads as one of the new steps is escaped when it is written back.
    expect(formatStep({ kind: 'stdout', text: '...' })).toBe('\\...');
    expect(formatStep({ kind: 'stdout', text: '= a: b' })).toBe('\\= a: b');
  });
});
