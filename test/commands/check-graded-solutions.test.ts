// Graded as a learner's work (the permission model, limits, a user of its own as root), every reference solution
// still passes its stage: what grading forbids must never be what a lesson asks for.
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSolvedCopy } from '../../scripts/course/files.ts';
import { WORKBOOK_ROOT } from '../../scripts/course/lessons.ts';
import { runCommand } from '../support.ts';

const scratch = mkdtempSync(join(tmpdir(), 'workbook-graded-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run check -- --work on a learner who wrote the reference solutions', () => {
  it('passes every stage', async () => {
    // Learners' own users must be able to enter the folder their copy is made from.
    chmodSync(scratch, 0o755);
    const learner = join(scratch, 'solved');
    writeSolvedCopy(WORKBOOK_ROOT, learner);
    const run = await runCommand('scripts/check.ts', ['--work', learner, '--reporter', 'json']);
    const grade = JSON.parse(run.stdout) as {
      learners: { lessons: { slug: string; status: string; scenarios: { name: string; reason: string | null }[] }[] }[];
    };
    const failing = grade.learners[0].lessons
      .filter((lesson) => lesson.status !== 'pass')
      .map(
        (lesson) =>
          `${lesson.slug}: ${lesson.scenarios
            .filter((s) => s.reason)
            .map((s) => `${s.name}: ${s.reason}`)
            .join('; ')}`,
      );
    expect(failing).toEqual([]);
    expect(run.code).toBe(0);
  });

  it("runs lesson 00 as in the workbook when the learner's folder has no package.json (ES modules, strict mode)", async () => {
    // Without the workbook's say, Node 22 and later would run strings.ts as CommonJS, where writing into a string
    // throws nothing and the strings transcript's TypeError line never comes.
    chmodSync(scratch, 0o755);
    const learner = join(scratch, 'bare');
    cpSync(join(WORKBOOK_ROOT, 'solutions/00-typescript'), join(learner, 'lessons/00-typescript'), { recursive: true });
    const run = await runCommand('scripts/check.ts', ['--work', learner, '--reporter', 'json']);
    const grade = JSON.parse(run.stdout) as {
      learners: { lessons: { slug: string; status: string; scenarios: { name: string; reason: string | null }[] }[] }[];
    };
    const lesson = grade.learners[0].lessons.find((entry) => entry.slug === '00-typescript')!;
    expect(lesson.scenarios.find((scenario) => scenario.name === 'strings')).toMatchObject({ reason: null });
    expect(lesson.scenarios.filter((scenario) => scenario.reason)).toEqual([]);
    expect(lesson.status).toBe('pass');
  });
});
