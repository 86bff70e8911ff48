// What a failing stage prints: one sentence per failure, how a crash ended, compile errors, hints and advice.
import { describe, expect, it } from 'vitest';
import type { StageResult } from '../../scripts/grade/stage.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { renderDiff } from '../../scripts/terminal/diff.ts';
import { formatStage } from '../../scripts/terminal/report.ts';

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
