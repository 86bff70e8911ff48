// Many stages through one pool, told as each one completes: what results-as-they-happen are built on.
import { describe, expect, it } from 'vitest';
import { listLessons } from '../../scripts/course/lessons.ts';
import { DEFAULT_TIMING, runStages, type StageResult } from '../../scripts/grade/stage.ts';
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
