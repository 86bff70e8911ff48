// Learner state: the progress file, its keys old and new, and the lesson chosen when none is named.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLessons } from '../../scripts/course/lessons.ts';
import {
  checkedTime,
  chooseLesson,
  lessonsPassed,
  lessonStatus,
  STATUS_WORDS,
  entryFor,
  loadProgress,
  progressFile,
  progressKey,
  saveProgress,
} from '../../scripts/course/progress.ts';
import { COURSE } from '../support.ts';

/** A private copy of the fixture course, so progress written by one test never leaks into another. */
function courseCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'workbook-progress-'));
  cpSync(COURSE, root, { recursive: true, filter: (source) => !source.includes('.workbook') });
  return root;
}

describe('the progress file', () => {
  it('starts empty, and keeps what was saved', () => {
    const root = courseCopy();
    const lessons = listLessons(root);
    const { progress, note } = loadProgress(root);
    expect(note).toBeUndefined();
    expect(progress).toEqual({ version: 1, lessons: {} });
    Object.assign(entryFor(progress, lessons[0]), { passed: true, checkedAt: '2026-11-21T10:00:00.000Z' });
    saveProgress(root, progress);
    expect(loadProgress(root).progress.lessons['01-echo']).toEqual({
      passed: true,
      checkedAt: '2026-11-21T10:00:00.000Z',
      hintsShown: 0,
    });
  });

  it('keys the file by slug without the number, so renumbering a lesson keeps its progress', () => {
    const root = courseCopy();
    const lessons = listLessons(root);
    expect(progressKey('13-udp')).toBe('udp');
    expect(progressKey('udp')).toBe('udp');
    const { progress } = loadProgress(root);
    Object.assign(entryFor(progress, lessons[0]), { passed: true, hintsShown: 2 });
    saveProgress(root, progress);
    const stored = JSON.parse(readFileSync(progressFile(root), 'utf8')) as { lessons: Record<string, unknown> };
    expect(Object.keys(stored.lessons)).toEqual(['echo']);
    expect(loadProgress(root).progress.lessons['01-echo']).toEqual({ passed: true, hintsShown: 2 });
  });

  it("reads an old file keyed by folder name, under the lesson's number then or now", () => {
    const root = courseCopy();
    mkdirSync(join(root, '.workbook'));
    const old = {
      version: 1,
      lessons: {
        // Where the lessons are today, and where a lesson was before it was renumbered (echo was lesson 9).
        '02-does-not-compile': { passed: true, hintsShown: 1 },
        '09-echo': { passed: true, checkedAt: '2026-11-21T10:00:00.000Z', hintsShown: 3 },
        // A lesson this course no longer has: kept, not lost.
        '13-gone': { passed: false, hintsShown: 4 },
      },
    };
    writeFileSync(progressFile(root), JSON.stringify(old));
    const { progress, note } = loadProgress(root);
    expect(note).toBeUndefined();
    expect(progress.lessons['01-echo']).toEqual({ passed: true, checkedAt: '2026-11-21T10:00:00.000Z', hintsShown: 3 });
    expect(progress.lessons['02-does-not-compile']).toEqual({ passed: true, hintsShown: 1 });
    expect(chooseLesson(listLessons(root), [], progress, 'lesson').slug).toBe('03-crash');
    saveProgress(root, progress);
    const stored = JSON.parse(readFileSync(progressFile(root), 'utf8')) as { lessons: Record<string, unknown> };
    expect(Object.keys(stored.lessons).sort()).toEqual(['does-not-compile', 'echo', 'gone']);
  });

  it('prefers the entry under the new key when a file holds both', () => {
    const root = courseCopy();
    mkdirSync(join(root, '.workbook'));
    writeFileSync(
      progressFile(root),
      JSON.stringify({
        version: 1,
        lessons: { echo: { passed: true, hintsShown: 2 }, '01-echo': { passed: false, hintsShown: 0 } },
      }),
    );
    expect(loadProgress(root).progress.lessons['01-echo']).toEqual({ passed: true, hintsShown: 2 });
  });

  it.each([
    ['not JSON', '{"version": 1, "less'],
    ['the wrong shape', '{"version": 1, "lessons": {"01-echo": {"passed": "yes"}}}'],
    ['another version', '{"version": 7, "lessons": {}}'],
    ['empty', ''],
  ])('is set aside and started afresh when it is %s', (_what, text) => {
    const root = courseCopy();
    mkdirSync(join(root, '.workbook'));
    writeFileSync(progressFile(root), text);
    const { progress, note } = loadProgress(root);
    expect(progress).toEqual({ version: 1, lessons: {} });
    expect(note).toMatch(/damaged, so progress starts afresh \(the old file is kept at .*progress\.json\.damaged\)/);
    expect(readFileSync(`${progressFile(root)}.damaged`, 'utf8')).toBe(text);
  });

  it('chooses the first lesson that has not passed when none is named', () => {
    const root = courseCopy();
    const lessons = listLessons(root);
    const { progress } = loadProgress(root);
    expect(chooseLesson(lessons, [], progress, 'lesson').slug).toBe('01-echo');
    entryFor(progress, lessons[0]).passed = true;
    expect(chooseLesson(lessons, [], progress, 'lesson').slug).toBe('02-does-not-compile');
    expect(chooseLesson(lessons, ['5'], progress, 'lesson').slug).toBe('05-spins');
    for (const lesson of lessons) entryFor(progress, lesson).passed = true;
    expect(() => chooseLesson(lessons, [], progress, 'hint')).toThrow(
      /every lesson passes: name the one you mean, for example: npm run hint 8/,
    );
    expect(() => chooseLesson(lessons, ['1', '2'], progress, 'lesson')).toThrow(/name one lesson at a time/);
  });
});

describe('where a lesson stands', () => {
  it('is not checked, passes or fails, with its last check in UTC to the minute, for the terminal and the page', () => {
    const lessons = listLessons(COURSE);
    const progress = {
      version: 1 as const,
      lessons: {
        [lessons[0].slug]: { passed: true, checkedAt: '2026-11-21T10:02:59.123Z', hintsShown: 0 },
        [lessons[1].slug]: { passed: false, checkedAt: '2026-11-21T10:05:00.000Z', hintsShown: 2 },
        [lessons[2].slug]: { passed: false, hintsShown: 1 },
      },
    };
    expect(lessons.slice(0, 3).map((lesson) => lessonStatus(progress, lesson))).toEqual([
      'passes',
      'fails',
      'unchecked',
    ]);
    expect(STATUS_WORDS.unchecked).toBe('not checked');
    expect(checkedTime('2026-11-21T10:02:59.123Z')).toBe('2026-11-21 10:02');
    expect(lessonsPassed(progress, lessons)).toBe(1);
  });
});
