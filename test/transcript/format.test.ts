// Steps written back as transcript lines: how the runner records what happened, in the transcript's own format.
import { describe, expect, it } from 'vitest';
import { formatStep } from '../../scripts/transcript/format.ts';
import { parseTranscript, type Step } from '../../scripts/transcript/parse.ts';

const FILE = 'lessons/01-x/transcripts/t.txt';

describe('formatStep', () => {
  // Each line is already in the form the runner writes, so formatting its parsed step gives it back unchanged.
  const canonical = [
    '# a comment',
    '',
    '[busy 12345]',
    '[timeout 5000ms]',
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
