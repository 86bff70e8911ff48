// Unit: the sentences a grade gives: why a scenario failed (denied, out of memory, not compiling, a step), runs, caps.
import { describe, expect, it } from 'vitest';
import {
  capLine,
  capText,
  deniedBy,
  gradeScenario,
  learnerNotes,
  MAX_LINE,
  MAX_LINES,
  reasonFor,
} from '../../scripts/grade/grades.ts';
import { MEMORY_CAP_MB } from '../../scripts/run/program.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { bob, cat } from '../reporters/class.ts';

const step = { kind: 'client' as const, client: 'A', action: { verb: 'eof' as const }, line: 5, source: 'A: eof' };

function result(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: 'echo',
    program: 'server.ts',
    passed: false,
    expected: '$ server\nA: connect\nA: eof',
    actual: '$ server\nA: connect',
    failure: { step, message: 'Waited 2.0 s for the server to close the connection at client A, but it stayed open.' },
    complete: false,
    durationMs: 2100,
    ...overrides,
  };
}

describe('reasonFor', () => {
  it('names the step and says how a crashed program ended, in one line', () => {
    const failure = { step, message: 'Expected the server to close the connection.', ended: 'it exited with code 1' };
    expect(reasonFor(result({ failure }), '/w')).toEqual({
      reason: 'Line 5, `A: eof`: Expected the server to close the connection. The program exited with code 1.',
      denied: null,
    });
  });

  it('says what the permission model denied, rather than the step it broke', () => {
    const stderr = [
      'Error: Access to this API has been restricted',
      "  code: 'ERR_ACCESS_DENIED',",
      "  permission: 'FileSystemWrite',",
    ];
    expect(reasonFor(result({ failure: { step, message: 'm', stderr } }), '/w')).toEqual({
      reason: 'The program tried to write a file, which grading does not allow (ERR_ACCESS_DENIED).',
      denied: 'write',
    });
    expect(deniedBy(['ERR_ACCESS_DENIED', 'at ChildProcess.spawn'])).toBe('process');
    expect(deniedBy(['ERR_ACCESS_DENIED', 'node:internal/worker'])).toBe('worker');
    expect(deniedBy(['ERR_ACCESS_DENIED'])).toBe('other');
    expect(deniedBy(['Error: something else'])).toBeNull();
  });

  it('says the memory cap ran out, and gives the compiler its own words', () => {
    const heap = ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'];
    expect(reasonFor(result({ failure: { step, message: 'm', stderr: heap } }), '/w').reason).toBe(
      `The program used more than its ${MEMORY_CAP_MB} MB of memory, so it was stopped.`,
    );
    const compile = [
      'file:///w/lessons/01-echo/server.ts:4',
      'const port;',
      '      ^^^^',
      '',
      "SyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: 'const' declarations must be initialized",
    ];
    expect(reasonFor(result({ failure: { step, message: 'm', stderr: compile } }), '/w').reason).toBe(
      "The program does not compile: lessons/01-echo/server.ts:4:7: 'const' declarations must be initialized",
    );
  });
});

describe('gradeScenario', () => {
  it('passes only when every run passed, calls mixed verdicts flaky, and shows the first failing run', () => {
    const pass = result({ passed: true, failure: undefined, actual: '$ server\nA: connect\nA: eof', durationMs: 900 });
    const grade = gradeScenario([pass, result(), pass], '/w');
    expect(grade).toMatchObject({ passed: false, runs: [true, false, true], flaky: true, durationMs: 2100 });
    expect(grade.reason).toMatch(/^Line 5, `A: eof`: Waited 2\.0 s/);
    expect(grade.actual).toBe('$ server\nA: connect');
    expect(gradeScenario([pass, pass], '/w')).toMatchObject({ passed: true, flaky: false, reason: null });
  });
});

describe('capLine and capText', () => {
  it('cut a long line, never between the halves of a surrogate pair, and a long transcript, saying how much more', () => {
    expect(capLine('x'.repeat(MAX_LINE))).toBe('x'.repeat(MAX_LINE));
    expect(capLine('x'.repeat(MAX_LINE + 5))).toBe(`${'x'.repeat(MAX_LINE)}…(5 more)`);
    const emoji = `${'x'.repeat(MAX_LINE - 1)}😀tail`;
    expect(capLine(emoji)).toBe(`${'x'.repeat(MAX_LINE - 1)}…(6 more)`);
    const lines = Array.from({ length: MAX_LINES + 3 }, (_, index) => `line ${index}`).join('\n');
    expect(capText(lines).split('\n').at(-1)).toBe('…(3 more lines)');
  });
});

describe('learnerNotes', () => {
  it("adds missing lessons, denied access and flaky scenarios to the learner's own notes", () => {
    expect(learnerNotes(bob)).toEqual(['extra files in lessons/01-echo/: notes.txt', 'missing lesson 02']);
    expect(learnerNotes(cat)).toEqual([
      '01-echo echo: flaky, pass fail',
      '01-echo close: The program tried to write a file, which grading does not allow (ERR_ACCESS_DENIED).',
    ]);
  });
});
