// A failure in words: the sentence about the first failing step, how a crash ended, and compile errors as Node reports them.
import { describe, expect, it } from 'vitest';
import { compileError, explainFailure } from '../../scripts/scenario/explain.ts';

describe('explainFailure', () => {
  it('states how a crashed program ended', () => {
    const text = explainFailure(
      { message: 'Expected client A to receive "x", but it got `A: eof`.', ended: 'it exited with code 1' },
      '/w',
    );
    expect(text).toBe('Expected client A to receive "x", but it got `A: eof`. The program exited with code 1.');
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
