// Unit: the JSON report of a class built in memory: every learner, lesson and scenario, the notes and the totals.
import { describe, expect, it } from 'vitest';
import { JSON_VERSION, toJson, toJsonText } from '../../scripts/reporters/json.ts';
import { MEMORY_CAP_MB } from '../../scripts/run/program.ts';
import { classGrade, DENIED } from './class.ts';

describe('toJson', () => {
  const report = toJson(classGrade()) as {
    version: number;
    repeat: number;
    memoryCapMb: number;
    lessons: { number: number; slug: string }[];
    learners: {
      name: string;
      stagesPassed: number;
      stagesTotal: number;
      lessons: { slug: string; status: string; passed: number; total: number; scenarios: { name: string }[] }[];
      notes: string[];
    }[];
    totals: { learners: number; passingByLesson: Record<string, number> };
  };

  it('says what ran and under which limits, once for the class', () => {
    expect(report).toMatchObject({ version: JSON_VERSION, repeat: 2, memoryCapMb: MEMORY_CAP_MB, durationMs: 5400 });
    expect(report.lessons).toEqual([
      { number: 1, slug: '01-echo' },
      { number: 2, slug: '02-shout' },
    ]);
  });

  it('gives each learner their stages, lessons and scenarios, a missing lesson with none run', () => {
    const [ann, bob, cat] = report.learners;
    expect([ann, bob, cat].map((learner) => [learner.name, learner.stagesPassed, learner.stagesTotal])).toEqual([
      ['ann', 2, 2],
      ['bob', 0, 2],
      ['cat', 0, 2],
    ]);
    expect(bob.lessons.map(({ slug, status, passed, total }) => [slug, status, passed, total])).toEqual([
      ['01-echo', 'fail', 1, 2],
      ['02-shout', 'missing', 0, 1],
    ]);
    expect(bob.lessons[1].scenarios).toEqual([]);
    expect(cat.lessons[0].scenarios[1]).toEqual({
      name: 'close',
      program: 'server.ts',
      passed: false,
      flaky: false,
      runs: [false, false],
      durationMs: 500,
      reason: DENIED,
      denied: 'write',
    });
  });

  it("lists each learner's notes: their own, missing lessons, denied access and flaky scenarios", () => {
    const [ann, bob, cat] = report.learners;
    expect(ann.notes).toEqual([]);
    expect(bob.notes).toEqual(['extra files in lessons/01-echo/: notes.txt', 'missing lesson 02']);
    expect(cat.notes).toEqual(['01-echo echo: flaky, pass fail', `01-echo close: ${DENIED}`]);
  });

  it('counts, per lesson, the learners whose stage passes', () => {
    expect(report.totals).toEqual({ learners: 3, passingByLesson: { '01-echo': 1, '02-shout': 1 } });
  });

  it('is plain JSON: what it serialises is what it parses back to', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('toJsonText', () => {
  it('escapes what a terminal would act on (C1 controls, DEL, bidirectional overrides), and keeps the data', () => {
    const noisy = { ...classGrade().learners[0], name: 'ann\u009b2J\u007f\u202e' };
    const text = toJsonText({ ...classGrade([noisy]), confinement: { bubblewrap: true, headline: 'h', missing: [] } });
    expect(text).not.toMatch(/[\u007f-\u009f\u202e]/);
    expect(text).toContain('"name": "ann\\u009b2J\\u007f\\u202e"');
    expect(JSON.parse(text).learners[0].name).toBe('ann\u009b2J\u007f\u202e');
    expect(JSON.parse(text)).toMatchObject({ bubblewrap: true, confinement: 'h', missing: [], internalError: null });
  });
});
