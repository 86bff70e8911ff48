// Integration: the real `npm run check -- --reporter json` output, over real sockets, holds to the JSON Schema that
// docs/grading.md publishes (docs/grading-report.schema.json), and the schema refuses a report that strays from it.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCommand } from '../support.ts';

const CLASS = join(ROOT, 'test/fixtures/class');
const COURSE = join(CLASS, 'course');
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs/grading-report.schema.json'), 'utf8'));

let scratch: string;
let validate: ValidateFunction;
/** The reports of a real class, inside bubblewrap where there is one and without it, and of one's own lessons. */
const reports: Record<string, Record<string, unknown>> = {};

/** Grades with `--reporter json --output FILE` and reads the file back: what an instructor's tooling would read. */
async function grade(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const output = join(scratch, `${name}.json`);
  const run = await runCommand(
    'scripts/check.ts',
    ['--root', COURSE, ...args, '--reporter', 'json', '--output', output],
    env,
  );
  // 1: not every learner passes every stage (that is the fixture class's point); never 2 (usage) or 3 (internal).
  expect(run.code, run.stderr).toBe(1);
  return JSON.parse(readFileSync(output, 'utf8'));
}

/** The schema's complaints, one line each, or an empty list. */
function problems(report: unknown): string[] {
  if (validate(report)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}

beforeAll(async () => {
  // strict: a keyword the schema misspells is an error, not silently ignored.
  validate = new Ajv2020({ strict: true, allErrors: true }).compile(SCHEMA);
  scratch = mkdtempSync(join(tmpdir(), 'workbook-schema-'));
  const learners = join(scratch, 'learners');
  cpSync(join(CLASS, 'learners'), learners, { recursive: true });
  // One at a time: each run keeps every core busy by itself.
  reports.class = await grade('class', ['--work', learners]);
  reports.unboxed = await grade('unboxed', ['--work', join(learners, 'ann'), join(learners, 'bob')], {
    WORKBOOK_NO_BWRAP: '1',
  });
  // The course's own lessons/ are its starters: they fail, and nothing is confined.
  reports.own = await grade('own', []);
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the JSON grading report against docs/grading-report.schema.json', () => {
  it('holds for a class, for a class graded without bubblewrap, and for your own lessons', () => {
    for (const report of Object.values(reports)) expect(problems(report)).toEqual([]);
    // Every branch of the schema was met: each status, a failure's reason, a confined and an unconfined report.
    const lessons = (
      reports.class.learners as { lessons: { status: string; scenarios: { reason: unknown }[] }[] }[]
    ).flatMap((learner) => learner.lessons);
    expect(new Set(lessons.map((lesson) => lesson.status))).toEqual(new Set(['pass', 'fail', 'missing']));
    expect(lessons.some((lesson) => lesson.scenarios.some((s) => typeof s.reason === 'string'))).toBe(true);
    expect(reports.unboxed).toMatchObject({ sandbox: true, bubblewrap: false });
    expect((reports.unboxed.missing as string[]).length).toBeGreaterThan(0);
    expect(reports.own).toMatchObject({ sandbox: false, confinement: null });
  });

  it('fails when a required field is missing, a field is undocumented, or a value is not one it allows', () => {
    const report = structuredClone(reports.class) as { learners: Record<string, unknown>[] } & Record<string, unknown>;
    delete report.totals;
    expect(problems(report)).toContain("/ must have required property 'totals'");

    const added = structuredClone(reports.class) as { learners: Record<string, unknown>[] };
    added.learners[0].grade = 'A';
    expect(problems(added)).toContain('/learners/0 must NOT have additional properties');

    const status = structuredClone(reports.class) as { learners: { lessons: { status: string }[] }[] };
    status.learners[0].lessons[0].status = 'passed';
    expect(problems(status)).toContain('/learners/0/lessons/0/status must be equal to one of the allowed values');

    const version = { ...reports.class, version: 2 };
    expect(problems(version)).toContain('/version must be equal to constant');
  });
});
