// What a stage prints: a line per scenario, TypeScript's errors first, one failure in full, hints, and what to edit.
import { describe, expect, it } from 'vitest';
import type { StageResult } from '../../scripts/grade/stage.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { renderDiff } from '../../scripts/terminal/diff.ts';
import { formatStage } from '../../scripts/terminal/report.ts';
import { course } from '../course/fixture.ts';

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

const compileStderr = [
  'file:///w/lessons/12-line-protocol/server.ts:4',
  'const port;',
  '      ^^^^',
  '',
  "SyntaxError [ERR_INVALID_TYPESCRIPT_SYNTAX]: 'const' declarations must be initialized",
];

function stage(scenarios: ScenarioResult[] = [failing], programDir = '/w/lessons/12-line-protocol'): StageResult {
  return {
    lesson: { number: 12, slug: '12-line-protocol', dir: programDir, solutionDir: '/w/solutions/12' },
    programDir,
    courseRoot: '/w',
    cwd: '/w',
    programs: [...new Set(scenarios.map((scenario) => scenario.program))],
    scenarios,
    total: scenarios.length,
    passed: scenarios.every((scenario) => scenario.passed),
    durationMs: 2000,
  };
}

const context = { title: 'Line protocols', againCommand: 'npm run lesson 12', cwd: '/w' };

describe('formatStage', () => {
  it('points to the next hint in one line, naming the scenario it is for, and prints none of them', () => {
    const text = formatStage(stage(), { ...context, hints: { command: 'npm run hint 12', seen: 2, total: 7 } }, plain);
    expect(text).toContain('Stuck? npm run hint 12 shows the next hint (2 of 7 seen).');
    const forEcho = { command: 'npm run hint 12', seen: 0, total: 7, for: 'echo' };
    expect(formatStage(stage(), { ...context, hints: forEcho }, plain)).toContain(
      'Stuck? npm run hint 12 shows a hint for echo (0 of 7 seen).',
    );
    const all = formatStage(stage(), { ...context, hints: { command: 'npm run hint 12', seen: 7, total: 7 } }, plain);
    expect(all).toContain('npm run hint 12 -- --again');
  });

  it('says what to edit: the failing scenarios’ programs and the lesson files they import', () => {
    const root = course({
      'lessons/21-syslog/logger.ts': "import { encodePri } from './syslog.ts';\n",
      'lessons/21-syslog/collector.ts': "import { decodePri } from './syslog.ts';\n",
      'lessons/21-syslog/syslog.ts': '',
    });
    const dir = `${root}/lessons/21-syslog`;
    const logger = { ...failing, name: 'logger-sends', program: 'logger.ts' };
    const collector = { ...failing, name: 'collector-decodes', program: 'collector.ts', passed: true };
    const text = formatStage(stage([collector, logger], dir), { ...context, cwd: root }, plain);
    expect(text.split('\n')[0]).toBe('Lesson 12: Line protocols  lessons/21-syslog/{collector.ts,syslog.ts,logger.ts}');
    expect(text).toMatch(/Edit lessons\/21-syslog\/\{logger\.ts,syslog\.ts\}, then run npm run lesson 12 again\.$/);
  });

  it('under --watch, advises saving rather than running the command again', () => {
    const text = formatStage(stage(), { ...context, watching: true }, plain);
    expect(text).toMatch(/Edit lessons\/12-line-protocol\/server\.ts, and save: the check runs again by itself\.$/);
    expect(text).not.toContain('then run');
  });

  it('shows the first failure in full and the others by name, unless every one is asked for', () => {
    const second = { ...failing, name: 'split', failure: { message: 'Something else went wrong.' } };
    const text = formatStage(stage([failing, second]), { ...context, allCommand: 'npm run lesson 12 -- --all' }, plain);
    expect(text).toContain('  ✗ echo (2.0 s)\n  ✗ split (2.0 s)\n');
    expect(text).toContain('✗ echo, the first scenario that fails:\n    - expected (the transcript)');
    expect(text).toContain('Also failing: split (npm run lesson 12 -- --all shows each in full).');
    expect(text).not.toContain('Something else went wrong.');
    expect(text).toMatch(/2 of 2 scenarios failed\./);
    const all = formatStage(stage([failing, second]), { ...context, all: true }, plain);
    expect(all).toContain('Something else went wrong.');
    expect(all).not.toContain('the first scenario that fails');
  });

  it('says a compile error once for the stage, not once per scenario', () => {
    const broken = { ...failing, failure: { message: 'x', stderr: compileStderr } };
    const text = formatStage(stage([broken, { ...broken, name: 'split' }]), context, plain);
    const error = "lessons/12-line-protocol/server.ts:4:7: 'const' declarations must be initialized";
    expect(text.split(error)).toHaveLength(2);
    expect(text).toContain('The other 1 scenario fails the same way: the program does not compile.');
  });

  it("shows TypeScript's errors first, at most three, and not the one Node's own message already gives", () => {
    const at = (line: number, message: string) => ({
      file: '/w/lessons/12-line-protocol/server.ts',
      line,
      column: 12,
      code: 'TS2551',
      message,
    });
    const typeErrors = [1, 2, 3, 4].map((line) => at(line, `Problem ${line}.`));
    const text = formatStage(stage(), { ...context, typeErrors }, plain);
    const start = text.indexOf('TypeScript finds 4 errors in your files:');
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThan(text.indexOf('\n✗ echo:'));
    expect(text).toContain('  lessons/12-line-protocol/server.ts:1:12: Problem 1. (TS2551)');
    expect(text).toContain('  lessons/12-line-protocol/server.ts:3:12: Problem 3. (TS2551)');
    expect(text).not.toContain('Problem 4.');
    expect(text).toContain('  ... and 1 more (npm run typecheck lists them all)');
    const broken = { ...failing, failure: { message: 'x', stderr: compileStderr } };
    const same = formatStage(stage([broken]), { ...context, typeErrors: [at(4, 'Declared but not set.')] }, plain);
    expect(same).not.toContain('TypeScript finds');
  });

  it('says a passing lesson passes as its heading names it: Lesson 12, one scenario', () => {
    const text = formatStage(stage([{ ...failing, passed: true, failure: undefined }]), context, plain);
    expect(text).toContain('Lesson 12 passes (1 scenario, 2.0 s).');
  });
});

describe('renderDiff', () => {
  it('shows an empty line as (empty line), not as a lone backslash', () => {
    expect(renderDiff('a\nb', 'a\n\\\n! \nA>')).toBe('  a\n- b\n+ (empty line)\n+ ! (empty line)\n+ A> (empty line)');
  });
});
