// A failure in words: the sentence about the first failing step, how a crash ended, and compile errors as Node reports them.
import { describe, expect, it } from 'vitest';
import { compileError, explainFailure, failureSentence } from '../../scripts/scenario/explain.ts';

describe('explainFailure', () => {
  it('states how a crashed program ended', () => {
    const text = explainFailure(
      { message: 'Expected client A to receive "x", but it got `A: eof`.', ended: 'it exited with code 1' },
      '/w',
    );
    expect(text).toBe('Expected client A to receive "x", but it got `A: eof`. The program exited with code 1.');
  });

  it('names the crash: its exit code, the line that says what went wrong, and where, from a stack trace', () => {
    const stderr = [
      'file:///w/lessons/04-receive-loop/server.ts:18',
      '      conn.wirte(data);',
      '           ^',
      '',
      'TypeError: conn.wirte is not a function',
      '    at handleClient (file:///w/lessons/04-receive-loop/server.ts:18:12)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
      '',
      'Node.js v22.18.0',
    ];
    const step = { kind: 'stdout', text: 'Hi', line: 8, source: 'Hi' } as const;
    const failure = { step, message: 'Expected `Hi`, but it got `A: eof`.', exit: { code: 1, signal: null }, stderr };
    expect(failureSentence(failure, '/w')).toBe(
      'Line 8, `Hi`: Expected `Hi`, but it got `A: eof`. The program exited with code 1 after printing: ' +
        '`TypeError: conn.wirte is not a function` (at lessons/04-receive-loop/server.ts:18:12).',
    );
  });

  it("quotes an 'error' event's own message, not the line of Node's that threw it", () => {
    const stderr = [
      'node:events:502',
      "      throw er; // Unhandled 'error' event",
      '      ^',
      '',
      'Error: listen EADDRINUSE: address already in use 127.0.0.1:12345',
      '    at Server.setupListenHandle [as _listen2] (node:net:1939:16)',
      "Emitted 'error' event on Server instance at:",
    ];
    const failure = { message: 'It never listened.', exit: { code: 1, signal: null }, stderr };
    expect(failureSentence(failure, '/w')).toContain(
      'after printing: `Error: listen EADDRINUSE: address already in use 127.0.0.1:12345`.',
    );
  });

  it('says what code 13 and other codes Node gives meaning to are, and a signal, in words', () => {
    const unsettled = [
      'Warning: Detected unsettled top-level await at file:///w/lessons/01-bind-listen/server.ts:36',
      'await startServer();',
      '^',
    ];
    const thirteen = failureSentence({ message: 'm.', exit: { code: 13, signal: null }, stderr: unsettled }, '/w');
    expect(thirteen).toContain('The program exited with code 13 after printing: ');
    expect(thirteen).toContain('(at lessons/01-bind-listen/server.ts:36): a top-level `await` never settled');
    expect(failureSentence({ message: 'm.', exit: { code: 13, signal: null } }, '/w')).toBe(
      'm. The program exited with code 13, printing nothing on stderr: a top-level `await` never settled: the ' +
        'program waited for a promise that nothing was left to resolve, so Node ended it.',
    );
    expect(failureSentence({ message: 'm.', exit: { code: 130, signal: null } }, '/w')).toContain(
      'code 130, printing nothing on stderr: 128 + 2, how a program says that SIGINT ended it.',
    );
    expect(failureSentence({ message: 'm.', exit: { code: null, signal: 'SIGKILL' } }, '/w')).toContain(
      'The program was ended by SIGKILL, printing nothing on stderr: killed outright',
    );
  });

  it('does not say the exit twice when the step already did, but still quotes what the program printed', () => {
    const failure = {
      message: 'Waited for `Hi`, but it exited with code 1 first.',
      exit: { code: 1, signal: null },
      stderr: ['Server error: boom'],
    };
    expect(failureSentence(failure, '/w')).toBe(
      'Waited for `Hi`, but it exited with code 1 first. It printed: `Server error: boom`.',
    );
  });

  it('names ef bf bd as U+FFFD, bytes decoded as text', () => {
    const failure = { message: 'Expected client A to receive "\\xff", but it got "\\xef\\xbf\\xbd".' };
    expect(failureSentence(failure, '/w')).toContain('(`ef bf bd` is U+FFFD, the replacement character');
  });

  it('says an empty line in words', () => {
    const step = { kind: 'stdout', text: '', line: 4, source: '\\' } as const;
    expect(explainFailure({ step, message: 'm' }, '/w')).toBe('Line 4, `\\` (an empty line): m');
  });
});

describe('compileError', () => {
  it("reads Node's message after its own long stack", () => {
    const stack = Array.from({ length: 20 }, (_, index) => `    at frame (node:internal/modules/x:${index}:1)`);
    const lines = [
      'file:///w/lessons/x/server.ts:4',
      'const port;',
      '      ^^^^',
      '',
      "SyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: 'const' declarations must be initialized",
      ...stack,
    ];
    expect(compileError(lines, '/w')).toBe("lessons/x/server.ts:4:7: 'const' declarations must be initialized");
  });

  it("reads V8's SyntaxError, with the column from the caret", () => {
    const lines = [
      'file:///w/lessons/x/server.ts:4',
      'const port;',
      '      ^^^^',
      '',
      'SyntaxError: Missing initializer in const declaration',
    ];
    expect(compileError(lines, '/w')).toBe('lessons/x/server.ts:4:7: Missing initializer in const declaration');
  });

  it('is nothing for an ordinary crash', () => {
    expect(compileError(['/w/server.ts:5', "  throw new Error('no');", '  ^', '', 'Error: no'], '/w')).toBeUndefined();
  });
});

describe("compileError on Node's type stripping", () => {
  it('says why TypeScript Node cannot erase is refused, with where it starts', () => {
    const stderr = [
      'node:internal/modules/run_main:123',
      '    triggerUncaughtException(',
      '    ^',
      '',
      'file:///course/lessons/02-x/server.ts:2',
      "console.log('hi');",
      'enum Colour { Red, Green }',
      '^^^^^^^^^^^^^^^^^^^^^^^^^^',
      'console.log(Colour.Red);',
      '',
      'SyntaxError [ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX]: TypeScript enum is not supported in strip-only mode',
      '    at parseTypeScript (node:internal/modules/typescript:63:40)',
    ];
    expect(compileError(stderr, '/course')).toBe(
      'lessons/02-x/server.ts:2:1: TypeScript enum is not supported in strip-only mode (Node runs a .ts file by ' +
        'erasing its types, so TypeScript that must be compiled cannot run: see lesson 00)',
    );
  });

  it("reads Node's own type stripping: the file and line, the caret's column, and the message", () => {
    const stderr = [
      'node:internal/modules/run_main:107',
      '    triggerUncaughtException(',
      '    ^',
      '',
      'file:///course/lessons/02-x/server.ts:4',
      "console.log('hi');",
      'const port;',
      '      ^^^^',
      '',
      "SyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: 'const' declarations must be initialized",
      '    at parseTypeScript (node:internal/modules/typescript:72:36)',
    ];
    expect(compileError(stderr, '/course')).toBe(
      "lessons/02-x/server.ts:4:7: 'const' declarations must be initialized",
    );
  });

  it('is not fooled by a SyntaxError the program throws while it runs', () => {
    const stderr = [
      'file:///course/server.ts:3',
      "JSON.parse('x')",
      '     ^',
      '',
      "SyntaxError: Unexpected token 'x'",
      '    at JSON.parse (<anonymous>)',
    ];
    expect(compileError(stderr, '/course')).toBeUndefined();
  });
});
