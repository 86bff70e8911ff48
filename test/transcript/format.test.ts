// Steps written back as transcript lines: how the runner records what happened, in the transcript's own format.
import { describe, expect, it } from 'vitest';
import { formatBytes, readBytesSpec } from '../../scripts/transcript/bytes.ts';
import { formatStep } from '../../scripts/transcript/format.ts';
import { parseTranscript, type Step } from '../../scripts/transcript/parse.ts';

const FILE = 'lessons/01-x/transcripts/t.txt';

describe('formatStep', () => {
  // Each line is already in the form the runner writes, so formatting its parsed step gives it back unchanged.
  const canonical = [
    '# a comment',
    '',
    '[busy 12345]',
    '[busy udp 5514]',
    '[busy 12345 on restart]',
    '[timeout 5000ms]',
    '[output 16777216 bytes]',
    '[writable logs]',
    '& solutions/07-port-regex/server.ts -p 40000',
    '$ server --port 4000 "two words" "say \\"hi\\"" ""',
    '< typed input',
    '< ^D',
    "Starting server on 'localhost' port 12345",
    'Received new connection from {A.addr}:{A.port}',
    '! Could not start the server',
    '! ',
    '\\# looks like a comment',
    '\\! looks like stderr',
    '\\$ server',
    '\\[exit 1]',
    '\\^C',
    '\\A: connect',
    '\\A: fly',
    '\\\\starts with a backslash',
    '\\',
    'A: connect',
    'B: connect 40000',
    'A: send "Hello\\n"',
    'A: recv "\\x00\\xff\\"\\\\\\t\\r"',
    'A: eof',
    'A: reset',
    'A: silent 250ms',
    'A: send "x" * 100',
    'A: send ("x" * 999 "\\n") * 8000 "\\n"',
    'A: recv ("\\x00\\x01\\x00\\x00" "X" * 65536) * 128',
    'A: send "GET / HTTP/1.1\\r\\nX: " "x" * 1048576',
    'A: recv 10 bytes',
    'A: recv 1..5 bytes',
    'A> HTTP/1.1 200 OK',
    'A> Date: {date}',
    'A>',
    'A: pause',
    'A: resume',
    'A: end',
    'A: close',
    'B: abort',
    'U: udp',
    'U: send "ping"',
    'U: recv "PING"',
    'U: recv 4 bytes',
    '[kill a worker]',
    '^C',
    '[exit 0]',
  ];

  it('writes back every canonical line exactly as it was read', () => {
    const steps = parseTranscript(`${canonical.join('\n')}\n`, FILE);
    expect(steps.map((step) => formatStep(step))).toEqual(canonical);
  });

  it('round-trips parse → formatStep → parse to the same steps, even from a non-canonical spelling', () => {
    const text = [
      '$  server   "a b"  c',
      'A: connect',
      'A: send "é" "\\0" "🙂"',
      'A: recv  "x"  "y"',
      '!',
      'B:  connect',
    ].join('\n');
    const steps = parseTranscript(text, FILE);
    const formatted = steps.map((step) => formatStep(step));
    expect(formatted).toEqual([
      '$ server "a b" c',
      'A: connect',
      'A: send "\\xc3\\xa9\\x00\\xf0\\x9f\\x99\\x82"',
      'A: recv "xy"',
      '! ',
      'B:  connect',
    ]);
    const again = parseTranscript(formatted.join('\n'), FILE);
    const strip = (list: Step[]): unknown[] => list.map(({ line: _line, source: _source, ...body }) => body);
    expect(strip(again)).toEqual(strip(steps));
  });

  it('escapes output that would otherwise read as a step, and quotes arguments that need it', () => {
    expect(formatStep({ kind: 'stdout', text: 'A: send "x"' })).toBe('\\A: send "x"');
    expect(formatStep({ kind: 'stdout', text: '   ' })).toBe('\\   ');
    expect(formatStep({ kind: 'stdout', text: 'plain' })).toBe('plain');
    expect(formatStep({ kind: 'start', program: 'server', args: ['a b\\', 'c"d', 'e'] })).toBe(
      '$ server "a b\\\\" "c\\"d" e',
    );
  });

  it('round-trips arguments with quotes, spaces and backslashes', () => {
    const args = ['a b\\', 'c"d', '', 'plain', 'back\\slash', ' lead', 'x\\"y z'];
    const line = formatStep({ kind: 'start', program: 'server', args });
    const [step] = parseTranscript(`${line}\n`, FILE);
    expect(step).toMatchObject({ kind: 'start', program: 'server', args });
  });
});

describe('formatBytes', () => {
  const spec = (text: string): Buffer =>
    readBytesSpec(text, (message) => {
      throw new Error(message);
    }).build();

  it('writes short bytes quoted, and a long repetition or run compactly, so that it parses back to the same bytes', () => {
    const cases: [Buffer, string][] = [
      [Buffer.from('Hello\n'), '"Hello\\n"'],
      [Buffer.alloc(100, 'x'), '"x" * 100'],
      [Buffer.from('ab'.repeat(50)), '"ab" * 50'],
      [Buffer.from(('x'.repeat(999) + '\n').repeat(8000)), '("x" * 999 "\\n") * 8000'],
      [
        Buffer.from('head ' + 'y'.repeat(40) + ' and some plain text to pass 64 bytes'),
        '"head " "y" * 40 " and some plain text to pass 64 bytes"',
      ],
      [Buffer.concat([Buffer.alloc(64, 'x'), Buffer.from('y')]), '"x" * 64 "y"'],
    ];
    for (const [bytes, written] of cases) {
      expect(formatBytes(bytes)).toBe(written);
      // Buffer.equals: a deep comparison of 8 MB, byte by byte, would take minutes.
      expect(spec(written).equals(bytes)).toBe(true);
    }
  });

  it('counts every whole unit of a repetition, however many, and leaves a part unit to what follows', () => {
    for (const times of [22, 31, 64, 1000, 1023, 1025, 65537, 3 * 2 ** 20 + 5]) {
      expect(formatBytes(Buffer.from('ab\n'.repeat(times)))).toBe(`"ab\\n" * ${times}`);
      expect(formatBytes(Buffer.from(`${'ab\n'.repeat(times)}ab`))).toBe(`"ab\\n" * ${times} "ab"`);
    }
  });

  it('says only the length when the written form would be longer than the limit asked for', () => {
    const random = Buffer.from(Array.from({ length: 400 }, (_, index) => (index * 7919) % 251));
    expect(formatBytes(random, 300)).toBe('400 bytes');
    expect(formatBytes(Buffer.alloc(1e6, 'x'), 300)).toBe('"x" * 1000000');
  });
});
