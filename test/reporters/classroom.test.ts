// Unit: GitHub Classroom's autograding result for one learner: a point per scenario, within the size Actions allows.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_RESULT_BYTES, reportToClassroom, toClassroomResult } from '../../scripts/reporters/classroom.ts';
import { bob, classGrade, ECHO, lessonGrade, scenario, WAITED } from './class.ts';

interface Result {
  version: number;
  status: string;
  max_score: number;
  tests: { name: string; status: string; score: number; message: string; filename: string; execution_time: string }[];
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('toClassroomResult', () => {
  it('gives a point per passing scenario and fails each scenario of a missing lesson', () => {
    const result = toClassroomResult(bob) as Result;
    expect(result).toMatchObject({ version: 1, status: 'fail', max_score: 3 });
    expect(result.tests.map(({ name, status, score }) => [name, status, score])).toEqual([
      ['01-echo echo', 'fail', 0],
      ['01-echo close', 'pass', 1],
      ['02-shout shout', 'fail', 0],
    ]);
    expect(result.tests[0]).toMatchObject({
      message: WAITED,
      filename: 'lessons/01-echo/server.ts',
      execution_time: '0.5s',
      test_code: 'npm run lesson 1',
    });
    expect(result.tests[2]).toMatchObject({ message: 'lessons/02-shout/ is missing', filename: '' });
  });

  it(`shortens the messages until the encoded result fits in ${MAX_RESULT_BYTES} bytes`, () => {
    const names = Array.from({ length: 100 }, (_, index) => `s${index}`);
    const long = 'x'.repeat(2000);
    const learner = {
      name: 'dan',
      dir: '/class/dan',
      notes: [],
      lessons: [
        lessonGrade(
          ECHO,
          names.map((name) => scenario(name, { passed: false, reason: long })),
        ),
      ],
    };
    const result = toClassroomResult(learner) as Result;
    expect(Buffer.from(JSON.stringify(result)).toString('base64').length).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    expect(result.tests).toHaveLength(100);
    expect(result.tests[0].message).toMatch(/^x+…$/);
    expect(result.tests[0].message.length).toBeLessThan(long.length);
  });
});

describe('reportToClassroom', () => {
  it('writes `result` to $GITHUB_OUTPUT as base64 JSON and prints each test and the points', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workbook-classroom-'));
    try {
      const output = join(dir, 'github-output');
      vi.stubEnv('GITHUB_OUTPUT', output);
      const printed: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
      reportToClassroom(classGrade([bob]));
      const line = readFileSync(output, 'utf8');
      expect(line).toMatch(/^result=[A-Za-z0-9+/=]+\n$/);
      const decoded = JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf8'));
      expect(decoded).toEqual(toClassroomResult(bob));
      expect(printed).toEqual([
        `✗ 01-echo echo: ${WAITED}`,
        '✓ 01-echo close',
        '✗ 02-shout shout: lessons/02-shout/ is missing',
        '\nPoints 1/3',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
