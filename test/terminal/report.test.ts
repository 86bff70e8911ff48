// What a failing stage prints: one sentence per failure, how a crash ended, compile errors, hints and advice.
import { describe, expect, it } from 'vitest';
import type { StageResult } from '../../scripts/grade/stage.ts';
import type { ScenarioResult } from '../../scripts/run/scenario.ts';
import { renderDiff } from '../../scripts/terminal/diff.ts';
import { compileError, explainFailure, formatStage } from '../../scripts/terminal/report.ts';

const plain = { red: String, green: String, dim: String, yellow: String, bold: String, cyan: String } as never;

const failing: ScenarioResult = {
  name: 'echo',
  program: 'server.ts',
  passed: false,
  expected: '$ server\nHello',
  actual: '$ server',
  failure: { message: 'Waited 2.0 s for the program to print `Hello` on stdout, but it printed nothing more.' },
  complete: true,
  durationMs: 2000,
};

function stage(programs = ['server.ts']): StageResult {
  return {
    lesson: {
      number: 12,
      slug: '12-line-protocol',
      dir: '/w/lessons/12-line-protocol',
      solutionDir: '/w/solutions/12',
    },
    programDir: '/w/lessons/12-line-protocol',
    courseRoot: '/w',
    cwd: '/w',
    programs,
    scenarios: [failing],
    total: 1,
    passed: false,
    durationMs: 2000,
  };
}

const context = { title: 'Line protocols', againCommand: 'npm run lesson 12', cwd: '/w' };

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

describe('formatStage', () => {
  it('points to the next hint in one line and prints none of them', () => {
    const text = formatStage(stage(), { ...context, hints: { command: 'npm run hint 12', seen: 2, total: 7 } }, plain);
    expect(text).toContain('Stuck? npm run hint 12 shows the next hint (2 of 7 seen).');
    expect(text).not.toContain('Hints:');
    const all = formatStage(stage(), { ...context, hints: { command: 'npm run hint 12', seen: 7, total: 7 } }, plain);
    expect(all).toContain('npm run hint 12 -- --again');
  });

  it('names every file that still has a TODO, in the header and in the advice', () => {
    const text = formatStage(stage(), { ...context, todoFiles: ['server.ts', 'tcp-server.ts'] }, plain);
    expect(text.split('\n')[0]).toBe('Lesson 12: Line protocols  lessons/12-line-protocol/{server.ts,tcp-server.ts}');
    expect(text).toMatch(
      /Edit lessons\/12-line-protocol\/\{server\.ts,tcp-server\.ts\}, then run npm run lesson 12 again\.$/,
    );
  });

  it('under --watch, advises saving rather than running the command again', () => {
    const text = formatStage(stage(), { ...context, watching: true }, plain);
    expect(text).toMatch(/Edit lessons\/12-line-protocol\/server\.ts, and save: the check runs again by itself\.$/);
    expect(text).not.toContain('then run');
  });
});

describe('renderDiff', () => {
  it('shows an empty line as (empty line), not as a lone backslash', () => {
    expect(renderDiff('a\nb', 'a\n\\\n! \nA>')).toBe('  a\n- b\n+ (empty line)\n+ ! (empty line)\n+ A> (empty line)');
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
