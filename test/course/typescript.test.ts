// TypeScript's own errors for a failing stage: tsc on the lesson's files, read into file, line, column and message.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLessons } from '../../scripts/course/lessons.ts';
import { formatTypeError, parseTscOutput, typeErrors } from '../../scripts/course/typescript.ts';
import { ROOT } from '../support.ts';
import { course } from './fixture.ts';

describe('parseTscOutput', () => {
  it('reads each error, joins its indented elaboration on, and resolves its file', () => {
    const output = [
      "lessons/04-x/server.ts(18,12): error TS2551: Property 'wirte' does not exist on type 'Socket'. Did you mean 'write'?",
      "lessons/04-x/server.ts(20,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "  Type 'x' is not 'y'.",
      'Found 2 errors.',
    ].join('\n');
    const errors = parseTscOutput(output, '/w');
    expect(errors).toEqual([
      {
        file: '/w/lessons/04-x/server.ts',
        line: 18,
        column: 12,
        code: 'TS2551',
        message: "Property 'wirte' does not exist on type 'Socket'. Did you mean 'write'?",
      },
      {
        file: '/w/lessons/04-x/server.ts',
        line: 20,
        column: 7,
        code: 'TS2322',
        message: "Type 'string' is not assignable to type 'number'. Type 'x' is not 'y'.",
      },
    ]);
    expect(formatTypeError(errors[0], '/w')).toBe(
      "lessons/04-x/server.ts:18:12: Property 'wirte' does not exist on type 'Socket'. Did you mean 'write'? (TS2551)",
    );
  });
});

describe('typeErrors', () => {
  it("gives TypeScript's own words for a misspelt method, with its suggestion", async () => {
    const solution = readFileSync(join(ROOT, 'solutions/04-receive-loop/server.ts'), 'utf8');
    const root = course({
      'package.json': '{ "type": "module" }\n',
      'lessons/04-receive-loop/server.ts': solution.replace('conn.write(data)', 'conn.wirte(data)'),
    });
    const dir = join(root, 'lessons/04-receive-loop');
    const errors = await typeErrors(dir, ['server.ts']);
    expect(errors.map((error) => formatTypeError(error, root))).toEqual([
      expect.stringMatching(
        /^lessons\/04-receive-loop\/server\.ts:\d+:\d+: Property 'wirte' does not exist on type 'Socket'\. Did you mean 'write'\? \(TS2551\)$/,
      ),
    ]);
  });

  it("finds nothing in any lesson's starter, TODO gaps and all: a fresh starter's report has no compiler noise", async () => {
    const lessons = join(ROOT, 'lessons');
    const starters = listLessons(ROOT).flatMap((lesson) =>
      readdirSync(lesson.dir)
        .filter((name) => name.endsWith('.ts'))
        .map((name) => `${lesson.slug}/${name}`),
    );
    expect(starters.length).toBeGreaterThan(30);
    expect(await typeErrors(lessons, starters)).toEqual([]);
  });
});
