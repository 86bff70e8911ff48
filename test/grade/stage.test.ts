// Many stages through one pool, told as each one completes: what results-as-they-happen are built on.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLessons } from '../../scripts/course/lessons.ts';
import { gradeLessons } from '../../scripts/grade/class.ts';
import {
  DEFAULT_TIMING,
  MOST_GRADING_RETRIES,
  RETRY_SLOWDOWN,
  retryGradedWhenSlow,
  runStages,
  type StageResult,
} from '../../scripts/grade/stage.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { COURSE } from '../support.ts';

describe('runStages', () => {
  it('tells of each stage once its last scenario has run or been skipped, before it resolves', async () => {
    const lessons = listLessons(COURSE);
    const echo = lessons.find((lesson) => lesson.slug === '01-echo')!;
    const crash = lessons.find((lesson) => lesson.slug === '03-crash')!;
    const events: string[] = [];
    const told: StageResult[] = [];
    const requests = [
      { lesson: echo, programDir: echo.solutionDir, courseRoot: COURSE, cwd: COURSE },
      // Fails its first scenario; with failFast the rest are skipped, and the stage is still told of.
      { lesson: echo, programDir: crash.dir, courseRoot: COURSE, cwd: COURSE, failFast: true },
    ];
    const results = await runStages(requests, DEFAULT_TIMING, {
      concurrency: 1,
      onScenario: (_request, result) => events.push(`scenario ${result.name}`),
      onStage: (result) => {
        told.push(result);
        events.push(`stage ${result.passed ? 'passed' : 'failed'}`);
      },
    });
    events.push('resolved');
    expect(told).toHaveLength(2);
    expect(told.map((stage) => stage.passed).sort()).toEqual([false, true]);
    expect(told.find((stage) => stage.passed)!.scenarios).toHaveLength(results[0].total);
    expect(events.at(-1)).toBe('resolved');
    expect(events.filter((event) => event.startsWith('stage'))).toHaveLength(2);
    // The passing stage is told of as soon as its own scenarios are in, not after the other one.
    expect(events.indexOf('stage passed')).toBeLessThan(events.lastIndexOf('scenario busy'));
  });
});

// The echo server, but slow to start the first time it runs in its folder: as a busy machine would make it.
function slowFirstTime(): string {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-retry-'));
  const echo = readFileSync(join(COURSE, 'solutions/01-echo/server.ts'), 'utf8');
  const wait = [
    "import { existsSync, writeFileSync } from 'node:fs';",
    'const marker = `${import.meta.dirname}/started-once`;',
    'if (!existsSync(marker)) {',
    "  writeFileSync(marker, '');",
    '  await new Promise((resolve) => setTimeout(resolve, 1000));',
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'server.ts'), `${wait}\n${echo}`);
  return dir;
}
const timing = { ...DEFAULT_TIMING, stepTimeoutMs: 400 };
const echo = listLessons(COURSE).find((lesson) => lesson.slug === '01-echo')!;

describe('a scenario run again, slower', () => {
  it('is the verdict when the request says the first failure may be the machine, with longer waits', async () => {
    const dir = slowFirstTime();
    try {
      const asked: string[] = [];
      const retry = (_file: string, result: { failure?: { message: string } }): boolean => {
        asked.push(result.failure?.message ?? 'passed');
        return asked.length === 1 && /^Waited /.test(result.failure?.message ?? '');
      };
      const request = { lesson: echo, programDir: dir, courseRoot: COURSE, cwd: COURSE, upTo: 1, retry };
      const [result] = await runStages([request], timing);
      expect(asked[0]).toMatch(/^Waited 0\.\d s for the program to print `Starting server/);
      expect(result.scenarios[0]).toMatchObject({ passed: true, retried: true });
      expect(400 * RETRY_SLOWDOWN).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not run again where the request does not ask for it', async () => {
    const dir = slowFirstTime();
    try {
      const request = { lesson: echo, programDir: dir, courseRoot: COURSE, cwd: COURSE, upTo: 1 };
      const [result] = await runStages([request], timing);
      expect(result.scenarios[0].passed).toBe(false);
      expect(result.scenarios[0].retried).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('grading runs a few scenarios again, slower', () => {
  const failed = (message: string): ScenarioResult => ({ passed: false, failure: { message } }) as ScenarioResult;
  const ranOut = failed('Waited 2.0 s for the program to print `hello` on stdout, but it printed nothing more.');

  it('gives the first few failures of a stage whose wait ran out one slower run each, and no other failure', () => {
    const retry = retryGradedWhenSlow();
    expect(retry('a.txt', { passed: true } as ScenarioResult)).toBe(false);
    expect(retry('a.txt', failed('Expected the program to print `hello` on stdout, but it printed `bye`.'))).toBe(
      false,
    );
    const asked = Array.from({ length: MOST_GRADING_RETRIES + 2 }, (_, index) => retry(`${index}.txt`, ranOut));
    expect(asked).toEqual([...Array(MOST_GRADING_RETRIES).fill(true), false, false]);
    // Each stage counts its own.
    expect(retryGradedWhenSlow()('a.txt', ranOut)).toBe(true);
  });

  it('passes a learner whose program the machine slowed the first time it ran', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'workbook-graded-'));
    const slow = slowFirstTime();
    try {
      mkdirSync(join(copy, 'lessons', echo.slug), { recursive: true });
      writeFileSync(join(copy, 'lessons', echo.slug, 'server.ts'), readFileSync(join(slow, 'server.ts')));
      const job = { lessons: [echo], dir: copy, root: COURSE, repeat: 1, concurrency: 1 };
      const [grade] = await gradeLessons(job, timing);
      expect(grade.scenarios.map((scenario) => scenario.passed)).toEqual(grade.names.map(() => true));
      expect(grade.status).toBe('pass');
    } finally {
      rmSync(copy, { recursive: true, force: true });
      rmSync(slow, { recursive: true, force: true });
    }
  });
});
