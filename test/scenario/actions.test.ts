// The steps the later lessons need, run for real: helpers and steered clients, UDP, received lines, byte counts,
// pause, standard input and per-scenario timeouts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runScenario, type ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { parseTranscript } from '../../scripts/transcript/parse.ts';
import { OPTIONS } from './steps-fixture.ts';
import { holdPort } from '../support.ts';

function run(lines: string[]): Promise<ScenarioResult> {
  const text = `${lines.join('\n')}\n`;
  return runScenario('inline.txt', text, parseTranscript(text, 'inline.txt'), OPTIONS);
}

describe.concurrent('helper programs and a client under test', () => {
  it('steers the client to the helper that asked for the port', async ({ expect }) => {
    const result = await run([
      '& test/fixtures/programs/toy-server.ts',
      '$ line-client hello',
      'connected to port 12345',
      'got: hello',
      '[exit 0]',
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.actual).toBe(result.expected);
  });

  it('steers a client of 127.0.0.1 to a helper that bound ::1, as localhost may give', async ({ expect }) => {
    const result = await run([
      '& test/fixtures/steps/v6-echo.ts',
      '$ line-client hello',
      'connected to port 12345',
      'got: hello',
      '[exit 0]',
    ]);
    expect(result.failure).toBeUndefined();
  });

  it('refuses the client when no helper listens, even while 12345 is really taken', async ({ expect }) => {
    const held = await holdPort(12345);
    try {
      // The runner steered the client to a closed port; the message still names the port it asked for.
      const result = await run(['$ line-client hello', '! refused: connect ECONNREFUSED 127.0.0.1:12345', '[exit 1]']);
      expect(result.failure).toBeUndefined();
      expect(result.passed).toBe(true);
    } finally {
      await held.release();
    }
  });

  it('says so when a helper does not exist', async ({ expect }) => {
    const result = await run(['& test/fixtures/programs/no-such-server.ts', '$ line-client hello', 'got: hello']);
    expect(result.failure?.step?.line).toBe(1);
    expect(result.failure?.message).toBe('The helper program test/fixtures/programs/no-such-server.ts does not exist.');
  });

  it('says so when the lesson has no such program', async ({ expect }) => {
    const result = await run(['$ missing', 'hello']);
    expect(result.failure?.message).toMatch(/^There is no missing\.ts in /);
  });
});

describe.concurrent('UDP clients', () => {
  it('keeps every datagram whole and separate', async ({ expect }) => {
    const result = await run([
      '$ udp-echo',
      'bound',
      'A: udp',
      'A: send "ab"',
      'A: send "cd"',
      'A: recv "AB"',
      'A: recv "CD"',
      'A: send "xyz"',
      'A: recv 3 bytes',
      'A: silent 100ms',
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.actual).toBe(result.expected);
  });

  it('steers a UDP client under test to the helper, and to silence without one', async ({ expect }) => {
    const answered = await run(['& test/fixtures/steps/udp-echo.ts', '$ udp-client hi', 'got: HI', '[exit 0]']);
    expect(answered.failure).toBeUndefined();
    const unanswered = await run(['$ udp-client hi', '! no answer within 500 ms', '[exit 1]']);
    expect(unanswered.failure).toBeUndefined();
  });

  it('records the datagram that came instead', async ({ expect }) => {
    const result = await run(['$ udp-echo', 'bound', 'A: udp', 'A: send "ab"', 'A: recv "ab"']);
    expect(result.passed).toBe(false);
    expect(result.failure?.message).toBe('Expected client A to receive the datagram "ab", but it got `A: recv "AB"`.');
    expect(result.actual.split('\n').at(-1)).toBe('A: recv "AB"');
  });
});

describe.concurrent('TCP byte steps', () => {
  it('reads lines with placeholders, byte counts, repeated bytes and ranges', async ({ expect }) => {
    const result = await run([
      '$ echo',
      'listening',
      'A: connect',
      'A: send "HTTP/1.1 200 OK\\r\\nDate: Sat, 21 Nov 2026 09:34:53 GMT\\r\\n\\r\\n"',
      'A> HTTP/1.1 200 OK',
      'A> Date: {date}',
      'A>',
      'A: send "x" * 300000',
      'A: recv 300000 bytes',
      'A: send "ab" * 5',
      'A: recv "ab" * 5',
      'A: send "abc"',
      'A: recv 3..5 bytes',
      'A: silent 100ms',
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.actual).toBe(result.expected);
  });

  it('records a line that does not match, with what it knows written as placeholders', async ({ expect }) => {
    const result = await run(['$ echo', 'listening', 'A: connect', 'A: send "port 12\\n"', 'A> port {#}x']);
    expect(result.passed).toBe(false);
    expect(result.failure?.message).toBe('Expected client A to receive the line `port {#}x`, but it got `port 12`.');
    expect(result.actual.split('\n').at(-1)).toBe('A> port 12');
  });

  it('pause stops reading until resume', async ({ expect }) => {
    const size = 4 * 1024 * 1024;
    const result = await run([
      '$ echo',
      'listening',
      'A: connect',
      'A: pause',
      `A: send "x" * ${size}`,
      'A: silent 300ms',
      'A: resume',
      `A: recv ${size} bytes`,
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.passed).toBe(true);
  });

  it('reports a byte count that never arrives, with how much did', async ({ expect }) => {
    const result = await run([
      '[timeout 500ms]',
      '$ echo',
      'listening',
      'A: connect',
      'A: send "abc"',
      'A: recv 10 bytes',
    ]);
    expect(result.failure?.message).toMatch(/^Waited 0\.\d s for 10 bytes at client A, but only 3 arrived: "abc"\.$/);
  });
});

describe.concurrent('graded programs and files', () => {
  it('may write only where a transcript says [writable PATH]', async ({ expect }) => {
    const cwd = mkdtempSync(join(tmpdir(), 'workbook-writable-'));
    mkdirSync(join(cwd, 'out'));
    const sandboxed = { ...OPTIONS, cwd, sandbox: true };
    const run = (lines: string[]) =>
      runScenario('inline.txt', `${lines.join('\n')}\n`, parseTranscript(lines.join('\n'), 'inline.txt'), sandboxed);
    const allowed = await run([
      '[writable out]',
      '$ writes out/file.txt',
      'wrote',
      '[exit 0]',
      '= out/file.txt: hello',
    ]);
    expect(allowed.failure).toBeUndefined();
    // What the run wrote is gone with it: the next run (or a repeat) finds the folder as this one did.
    expect(readdirSync(join(cwd, 'out'))).toEqual([]);
    const denied = await run([
      '[writable out]',
      '$ writes elsewhere.txt',
      'could not write: ERR_ACCESS_DENIED',
      '[exit 0]',
    ]);
    expect(denied.failure).toBeUndefined();
    expect(existsSync(join(cwd, 'elsewhere.txt'))).toBe(false);
  });
});

describe.concurrent('standard input and timeouts', () => {
  it('types lines and ends the input', async ({ expect }) => {
    const result = await run(['$ stdin-echo', '< hi', 'got: hi', '< there', 'got: there', '< ^D', 'bye', '[exit 0]']);
    expect(result.failure).toBeUndefined();
    expect(result.actual).toBe(result.expected);
  });

  it('[timeout] shortens every step of its scenario', async ({ expect }) => {
    const result = await run(['[timeout 300ms]', '$ slow-line', 'first', 'second']);
    expect(result.failure?.step?.line).toBe(4);
    expect(result.failure?.message).toMatch(/^Waited 0\.\d s for the program to print `second` on stdout/);
  });

  it('and lengthens them', async ({ expect }) => {
    const result = await run(['[timeout 5000ms]', '$ slow-line', 'first', 'second', '[exit 0]']);
    expect(result.failure).toBeUndefined();
  });
});
