// The static half of the workbook's proof: files a lesson must have, and README blocks that show the real code.
import { describe, expect, it } from 'vitest';
import { containsRun, lessonProblems } from '../../scripts/course/files.ts';
import { listLessons } from '../../scripts/course/lessons.ts';
import { course, readme } from './fixture.ts';

describe('containsRun', () => {
  const file = 'a\n  b\nc\nd\n';
  it('finds an unbroken run of lines', () => {
    expect(containsRun(file, '  b\nc')).toBe(true);
    expect(containsRun(file, 'a\r\n  b')).toBe(true);
  });
  it('rejects lines out of order, broken runs and changed indentation', () => {
    expect(containsRun(file, 'c\n  b')).toBe(false);
    expect(containsRun(file, 'a\nc')).toBe(false);
    expect(containsRun(file, 'b\nc')).toBe(false);
  });
});

describe('lessonProblems', () => {
  it('accepts a complete lesson', () => {
    const root = course({
      'lessons/01-bind/README.md': readme,
      'lessons/01-bind/server.ts': '// TODO: listen\n',
      'solutions/01-bind/server.ts': 'const port = 12345;\nlisten(port);\n',
      'solutions/01-bind/equivalent-mutants.json': '[]\n',
    });
    expect(lessonProblems(listLessons(root)[0], root)).toEqual([]);
  });

  it('reports a missing TODO, missing hints, a stale block and an unmirrored solution', () => {
    const root = course({
      'lessons/01-bind/README.md': readme.replace('## Hints', '## Notes'),
      'lessons/01-bind/server.ts': 'nothing to do\n',
      'solutions/01-bind/server.ts': 'const port = 4;\nlisten(port);\n',
      'solutions/01-bind/extra.ts': '',
    });
    const problems = lessonProblems(listLessons(root)[0], root).join('\n');
    expect(problems).toMatch(/server\.ts has no `\/\/ TODO:`/);
    expect(problems).toMatch(/README\.md has no hints/);
    expect(problems).toMatch(/README\.md:5: the block does not match solutions\/01-bind\/server\.ts/);
    expect(problems).toMatch(/extra\.ts does not mirror/);
  });
});
