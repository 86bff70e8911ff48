import { describe, expect, it } from 'vitest';
import {
  codeInfo,
  findLesson,
  listLessons,
  readBuildsOn,
  readLessonText,
  readLessonTitle,
  WORKBOOK_ROOT,
} from '../../scripts/course/lessons.ts';
import { coursePaths } from '../../scripts/course/paths.ts';
import { WorkbookError } from '../../scripts/kernel/errors.ts';
import { course, readme } from './fixture.ts';

describe('listLessons and findLesson', () => {
  it('orders lessons by folder number and ignores other folders', () => {
    const root = course({ 'lessons/02-b/server.ts': '', 'lessons/01-a/server.ts': '', 'lessons/notes/x.md': '' });
    expect(listLessons(root).map((lesson) => lesson.slug)).toEqual(['01-a', '02-b']);
  });

  it('names the lessons when the number is unknown', () => {
    const root = course({ 'lessons/01-a/server.ts': '' });
    const lessons = listLessons(root);
    expect(findLesson(lessons, '1').slug).toBe('01-a');
    expect(() => findLesson(lessons, '9')).toThrow(/no lesson '9'[\s\S]*01-a/);
    expect(() => findLesson(lessons, 'x')).toThrow(WorkbookError);
  });
});

describe('readLessonText', () => {
  it('reads the title, each hint and the code blocks with their lines', () => {
    const root = course({ 'lessons/01-bind/README.md': readme, 'lessons/01-bind/server.ts': '' });
    const text = readLessonText(listLessons(root)[0]);
    expect(text.title).toBe('Bind and listen');
    expect(text.hints).toEqual(['*For server.ts:* First hint.', '*For server.ts:* Second hint,\non two lines.']);
    expect(text.codeBlocks).toEqual([
      { info: 'ts file=solutions/01-bind/server.ts', text: 'const port = 12345;\nlisten(port);', line: 5 },
    ]);
  });
});

describe('readLessonTitle', () => {
  it("takes the first level-one heading outside fenced code, without its number, or the lesson's slug", () => {
    const fenced = ['Intro.', '', '````md', '# 99: Not the title', '```', '````', '', '# 02: Accept  #', '# Later'];
    const root = course({
      'lessons/01-plain/README.md': readme,
      'lessons/02-fenced/README.md': fenced.join('\r\n'),
      'lessons/03-none/README.md': '## Only a second-level heading\n',
      'lessons/04-missing/server.ts': '',
    });
    expect(listLessons(root).map(readLessonTitle)).toEqual(['Bind and listen', 'Accept', '03-none', '04-missing']);
  });

  it('reads the same title as readLessonText for every lesson of the workbook', () => {
    for (const lesson of listLessons(WORKBOOK_ROOT)) expect(readLessonTitle(lesson)).toBe(readLessonText(lesson).title);
  });
});

describe('codeInfo', () => {
  it('reads the language (its first word) and the file an info string names, and nothing from an empty one', () => {
    expect(codeInfo('ts file=solutions/04-receive-loop/server.ts')).toEqual({
      lang: 'ts',
      file: 'solutions/04-receive-loop/server.ts',
    });
    expect(codeInfo('  transcript  ')).toEqual({ lang: 'transcript', file: undefined });
    expect(codeInfo(undefined)).toEqual({ lang: '', file: undefined });
  });
});

describe('readBuildsOn', () => {
  it('reads the lesson a README starts from, a new program, or nothing said', () => {
    expect(readBuildsOn("# 13\n\n**Starts from:** lesson 12's `server.ts`. Then more.\n")).toBe(12);
    expect(readBuildsOn('# 19\n\nBuilds on: lesson 09.\n')).toBe(9);
    expect(readBuildsOn("**Starts from:** a new, short `server.ts`, not lesson 11's program.")).toBeNull();
    expect(readBuildsOn('**Starts from:** nothing carried over: two new programs.')).toBeNull();
    expect(readBuildsOn('# 01\n\nNo such line; this lesson starts from lesson 00 in prose only.\n')).toBeUndefined();
  });
});

describe("the workbook's lessons", () => {
  const lessons = listLessons(WORKBOOK_ROOT);
  it('each say which program they start from: an earlier lesson, or a new one', () => {
    for (const lesson of lessons) {
      const from = readLessonText(lesson).buildsOn;
      expect(from, `${lesson.slug}: no **Starts from:** line in its README`).not.toBeUndefined();
      if (from !== null) expect(lessons.some((other) => other.number === from && from < lesson.number)).toBe(true);
    }
  });

  it('draw as paths within 80 columns, every lesson on one', () => {
    const buildsOn = new Map(lessons.map((lesson) => [lesson.number, readLessonText(lesson).buildsOn]));
    const paths = coursePaths(lessons, buildsOn);
    const named = new Set(paths.join(' ').match(/\d\d/g));
    expect([...named].sort()).toEqual(lessons.map((lesson) => lesson.slug.slice(0, 2)));
    for (const line of paths.join('\n').split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
