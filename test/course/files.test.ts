// The static half of the workbook's proof: files a lesson must have, and README blocks that show the real code.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { containsRun, lessonProblems, programFiles } from '../../scripts/course/files.ts';
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

  it('reports a hint that names nothing, or names what the lesson does not have; answers need no mark', () => {
    const root = course({
      'lessons/01-bind/README.md': readme
        .replace('*For server.ts:* First hint.', 'First hint.')
        .replace('*For server.ts:* Second', '*For echo, client.ts:* Second')
        .replace('## After', '- Question 1: an answer.\n\n## After'),
      'lessons/01-bind/server.ts': '// TODO: listen\n',
      'lessons/01-bind/transcripts/listen.txt': '$ server\n',
      'solutions/01-bind/server.ts': 'const port = 12345;\nlisten(port);\n',
    });
    expect(lessonProblems(listLessons(root)[0], root)).toEqual([
      'lessons/01-bind/README.md: hint 1 ("First hint.") names no scenario or file: start it with *For SCENARIO, FILE.ts:*',
      'lessons/01-bind/README.md: hint 2 ("*For echo, client.ts:* Second…") is for echo, which is neither a transcript nor a file of the lesson',
      'lessons/01-bind/README.md: hint 2 ("*For echo, client.ts:* Second…") is for client.ts, which is neither a transcript nor a file of the lesson',
    ]);
  });
});

describe('programFiles', () => {
  it('follows a program into the lesson files it imports, directly or not, once each', () => {
    const root = course({
      'lessons/21-x/logger.ts': "import { a } from './syslog.ts';\nimport net from 'node:net';\n",
      'lessons/21-x/syslog.ts': "export * from './names.ts';\nawait import('./logger.ts');\n",
      'lessons/21-x/names.ts': '',
      'lessons/21-x/collector.ts': '',
    });
    expect(programFiles(join(root, 'lessons/21-x'), ['logger.ts'])).toEqual(['logger.ts', 'syslog.ts', 'names.ts']);
    expect(programFiles(join(root, 'lessons/21-x'), ['collector.ts', 'missing.ts'])).toEqual([
      'collector.ts',
      'missing.ts',
    ]);
  });
});
