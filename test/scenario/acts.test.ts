// What each client did, in words: the sentence a failure adds when the program ends by itself, loses bytes to a
// half-closed client, or waits while a client does not read. Unit tests of the record, then whole scenarios.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientActs, describeSent } from '../../scripts/scenario/acts.ts';
import { runScenario, type ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { parseLine, parseTranscript } from '../../scripts/transcript/parse.ts';
import { COURSE, ROOT } from '../support.ts';

const OPTIONS = { cwd: COURSE, courseRoot: ROOT, stepTimeoutMs: 2000, startTimeoutMs: 10_000, outputCap: 256 * 1024 };

/** Client steps, noted one by one as the runner does before performing each; the first is line 2, after `$ server`. */
function noteAll(acts: ClientActs, ...lines: string[]): void {
  lines.forEach((source, index) => {
    const body = parseLine(source, (message) => {
      throw new Error(message);
    });
    if (body.kind === 'client') acts.note({ ...body, line: index + 2, source }, body.client, body.action);
  });
}

describe('describeSent', () => {
  it('tells apart bytes that are not UTF-8, a NUL, a long line without its end, and plain bytes', () => {
    expect(describeSent(Buffer.from('caf\xff', 'latin1'))).toBe('sent 4 bytes that are not UTF-8');
    expect(describeSent(Buffer.from('a\0b'))).toBe('sent 3 bytes with a NUL in them');
    expect(describeSent(Buffer.alloc(65536, 'x'))).toBe('sent 65536 bytes without a newline');
    expect(describeSent(Buffer.from('hello\n'))).toBe('sent 6 bytes');
    expect(describeSent(Buffer.from('x'))).toBe('sent 1 byte');
  });
});

describe('ClientActs', () => {
  it('names a reset by what the client had done: nothing, not read its reply, not read at all, half-closed', () => {
    const cause = (...lines: string[]): string | undefined => {
      const acts = new ClientActs();
      noteAll(acts, ...lines);
      acts.programExited();
      return acts.exitCause();
    };
    expect(cause('A: connect', 'A: abort')).toBe('client A reset its connection without sending anything (line 3)');
    expect(cause('A: connect', 'A: send "hi\\n"', 'A: abort')).toBe(
      'client A reset its connection before reading the reply (line 4)',
    );
    expect(cause('A: connect', 'A: send "hi\\n"', 'A: recv "hi\\n"', 'A: abort')).toBe(
      'client A reset its connection (line 5)',
    );
    expect(cause('A: connect', 'A: pause', 'A: send "x"', 'A: end', 'A: abort')).toBe(
      'client A half-closed and then reset its connection without reading what the server sent (line 6)',
    );
  });

  it('blames the last rough act, not a plain one that came before the exit was seen', () => {
    const acts = new ClientActs();
    noteAll(acts, 'A: connect', 'A: abort', 'B: connect', 'B: send "Hello\\n"');
    acts.programExited();
    // Later acts change nothing: the cause is kept from the moment the exit was seen.
    noteAll(acts, 'C: connect', 'C: abort');
    expect(acts.exitCause()).toBe('client A reset its connection without sending anything (line 3)');
  });

  it('falls back to the last act when none was rough, and says nothing when there was none', () => {
    const plain = new ClientActs();
    noteAll(plain, 'A: connect', 'A: send "exit\\n"');
    plain.programExited();
    expect(plain.exitCause()).toBe('client A sent 5 bytes (line 3)');
    const none = new ClientActs();
    none.programExited();
    expect(none.exitCause()).toBeUndefined();
  });

  it('knows who half-closed and who is not reading, until they read again or leave', () => {
    const acts = new ClientActs();
    noteAll(acts, 'A: connect', 'B: connect', 'A: pause', 'A: end', 'B: end');
    expect(acts.halfClosedAt('A')).toBe(5);
    expect(acts.notReading()).toBe(
      ' Client A stopped reading at line 4 and half-closed at line 5, and has not read since.',
    );
    expect(acts.notReading('A')).toBe('');
    noteAll(acts, 'A: resume', 'B: close');
    expect(acts.notReading()).toBe('');
    expect(acts.halfClosedAt('B')).toBeUndefined();
  });
});

const dirs = new Map<string, string>();
function serverDir(program: string): string {
  let dir = dirs.get(program);
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'workbook-acts-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    copyFileSync(join(ROOT, 'test/fixtures/programs', program), join(dir, 'server.ts'));
    dirs.set(program, dir);
  }
  return dir;
}

function run(program: string, lines: string[]): Promise<ScenarioResult> {
  const text = `${lines.join('\n')}\n`;
  return runScenario('t.txt', text, parseTranscript(text, 't.txt'), { ...OPTIONS, programDir: serverDir(program) });
}

describe.concurrent('a failure names the client act', () => {
  it('a program that dies of a reset is told which client reset, and how', async ({ expect }) => {
    const result = await run('fragile-server.ts', [
      '$ server',
      'listening',
      'A: connect',
      'connection',
      'A: send "hi\\n"',
      'A: abort',
      'B: connect',
      'connection',
      'B: send "hi\\n"',
      'B: recv "hi\\n"',
    ]);
    expect(result.passed).toBe(false);
    const failure = result.failure!;
    const sentence = `${failure.message} ${failure.ended ?? ''}`;
    expect(sentence).toMatch(/exited with code 1/);
    expect(sentence).toContain('after client A reset its connection before reading the reply (line 6)');
  });

  it('a half-closed client that misses its bytes says it had half-closed', async ({ expect }) => {
    const result = await run('toy-server.ts', [
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: send "abc\\n"',
      'A: end',
      'A: recv "abcd\\n"',
    ]);
    expect(result.failure?.message).toBe(
      'Expected client A to receive "abcd\\n", but it got `A: recv "abc\\n"` then `A: eof`. Client A had half-closed its connection (line 6).',
    );
  });

  it('a wait that runs out while a client is not reading names that client', async ({ expect }) => {
    const result = await run('toy-server.ts', [
      '[timeout 300ms]',
      '$ server',
      'listening on 12345',
      'A: connect',
      'connection on 12345 from {A.addr}:{A.port}',
      'A: pause',
      'never printed',
    ]);
    expect(result.failure?.message).toMatch(
      /^Waited 0\.\d s for the program to print `never printed` on stdout, but it printed nothing more\. Client A stopped reading at line 6, and has not read since\.$/,
    );
  });

  it('[output N bytes] lets a program print more than the cap, and only that much', async ({ expect }) => {
    const lines = (cap: string): string[] => [
      ...(cap ? [cap] : []),
      '$ server',
      'listening',
      'A: connect',
      'connection',
      'A: send "print 300000\\n"',
      '...',
      'printed',
      'A: close',
    ];
    const [capped, allowed] = await Promise.all([
      run('fragile-server.ts', lines('')),
      run('fragile-server.ts', lines('[output 400000 bytes]')),
    ]);
    expect(capped.passed).toBe(false);
    expect(capped.failure?.message).toMatch(/printed more than 262144 bytes on stdout, so it was stopped/);
    expect(allowed.failure).toBeUndefined();
  });
});
