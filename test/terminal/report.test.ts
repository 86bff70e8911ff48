import { describe, expect, it } from 'vitest';
import { compileError } from '../../scripts/terminal/report.ts';

describe('compileError', () => {
  it("reads esbuild's words, as tsx and the runner's transpiler print them", () => {
    const stderr = [
      'Error: Transform failed with 1 error:',
      '/course/lessons/02-x/server.ts:4:6: ERROR: The constant "port" must be initialized',
    ];
    expect(compileError(stderr, '/course')).toBe('lessons/02-x/server.ts:4:6: The constant "port" must be initialized');
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
