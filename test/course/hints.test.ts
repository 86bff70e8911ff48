// Hints that follow the failure: each names its scenarios or files, and the next one is for the first failing scenario.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonProblems } from '../../scripts/course/files.ts';
import { nextHint, showNextHint, upcomingHint } from '../../scripts/course/hints.ts';
import { listLessons, plainHint, readHint } from '../../scripts/course/lessons.ts';
import { loadProgress, progressFile, recordCheck } from '../../scripts/course/progress.ts';
import { ROOT } from '../support.ts';
import { course } from './fixture.ts';

describe('readHint', () => {
  it('reads the scenarios and files a hint is for from its mark, and none from an answer', () => {
    expect(readHint('*For echo, serial-clients:* Write it back.', 0).for).toEqual(['echo', 'serial-clients']);
    expect(readHint('*For modules.ts and greeting.ts:* Both.', 1).for).toEqual(['modules.ts', 'greeting.ts']);
    expect(readHint('Question 1: yes.', 2).for).toEqual([]);
    expect(plainHint('*For echo:* Write `it` back.')).toBe('For echo: Write `it` back.');
  });
});

describe('nextHint', () => {
  const hints = [
    '*For server.ts:* The loop.',
    '*For split:* Two chunks.',
    '*For echo:* Write it back.',
    'Question 1: an answer.',
  ].map(readHint);
  const echo = { name: 'echo', files: ['server.ts'] };
  const split = { name: 'split', files: ['server.ts'] };

  it("gives the first failing scenario's hints first, its program's own included, then the next scenario's", () => {
    expect(nextHint(hints, [], [echo, split])).toEqual({ hint: hints[0], for: 'echo' });
    expect(nextHint(hints, [0], [echo, split])).toEqual({ hint: hints[2], for: 'echo' });
    expect(nextHint(hints, [0, 2], [echo, split])).toEqual({ hint: hints[1], for: 'split' });
  });

  it("goes in the README's order where no failure applies, and ends when every hint is seen", () => {
    expect(nextHint(hints, [], [])).toEqual({ hint: hints[0] });
    expect(nextHint(hints, [0, 1, 2], [echo])).toEqual({ hint: hints[3] });
    expect(nextHint(hints, [0, 1, 2, 3], [echo])).toBeUndefined();
  });
});

describe('showNextHint', () => {
  const readme = [
    '# 04: Receive',
    '',
    '## Hints',
    '',
    '- *For every scenario:* Read the transcript.',
    '- *For echo:* Write it back.',
    '- *For split:* Print each chunk.',
    '- Question 1: yes.',
  ].join('\n');

  it('remembers which hints were shown, and follows the failures of the last check', () => {
    const root = course({
      'lessons/04-receive/README.md': readme,
      'lessons/04-receive/server.ts': '',
      'lessons/04-receive/transcripts/echo.txt': '$ server\n',
      'lessons/04-receive/transcripts/split.txt': '$ server\n',
    });
    const [lesson] = listLessons(root);
    recordCheck(root, lesson, false, ['split', 'echo']);
    expect(upcomingHint(root, lesson)).toEqual({ for: 'split', seen: 0, total: 4 });
    expect(showNextHint(root, lesson)).toMatchObject({ number: 1, text: '*For every scenario:* Read the transcript.' });
    expect(showNextHint(root, lesson)).toMatchObject({
      number: 2,
      for: 'split',
      text: '*For split:* Print each chunk.',
    });
    expect(showNextHint(root, lesson)).toMatchObject({ number: 3, for: 'echo', text: '*For echo:* Write it back.' });
    expect(loadProgress(root).progress.lessons['04-receive']).toMatchObject({ hintsSeen: [0, 2, 1], hintsShown: 3 });
    expect(showNextHint(root, lesson)).toMatchObject({ number: 4, text: 'Question 1: yes.' });
    // All seen: the last one again, until --again starts over.
    expect(showNextHint(root, lesson)).toMatchObject({ number: 4, text: 'Question 1: yes.' });
    expect(showNextHint(root, lesson, true)).toMatchObject({ number: 1 });
    expect(JSON.parse(readFileSync(progressFile(root), 'utf8')).lessons.receive.hintsSeen).toEqual([0]);
  });
});

describe("the course's hints", () => {
  it('each name the scenarios or files they are for, or answer a question', () => {
    const problems = listLessons(ROOT).flatMap((lesson) =>
      lessonProblems(lesson, ROOT).filter((problem) => /: hint \d+ /.test(problem)),
    );
    expect(problems).toEqual([]);
    const marked = listLessons(ROOT).flatMap((lesson) =>
      readFileSync(join(lesson.dir, 'README.md'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('- *For ')),
    );
    expect(marked.length).toBeGreaterThan(100);
  });
});
