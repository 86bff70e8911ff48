// Unit: the JUnit XML of a class built in memory: a suite per learner and lesson, a case per scenario, failures typed.
import { describe, expect, it } from 'vitest';
import { toJunit } from '../../scripts/reporters/junit.ts';
import { classGrade, WAITED } from './class.ts';

const attributes = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));

describe('toJunit', () => {
  const xml = toJunit(classGrade());
  const suites = [...xml.matchAll(/<testsuite [^>]*>/g)].map(([tag]) => attributes(tag));
  const failures = [...xml.matchAll(/<failure [^>]*>/g)].map(([tag]) => attributes(tag));

  it('counts every scenario once, a missing lesson as one failing case per scenario', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="workbook" ')).toBe(true);
    expect(attributes(/<testsuites [^>]*>/.exec(xml)![0])).toEqual({
      name: 'workbook',
      tests: '9',
      failures: '5',
      time: '5.400',
    });
    expect(suites.map(({ name, tests, failures }) => [name, tests, failures])).toEqual([
      ['ann/01-echo', '2', '0'],
      ['ann/02-shout', '1', '0'],
      ['bob/01-echo', '2', '1'],
      ['bob/02-shout', '1', '1'],
      ['cat/01-echo', '2', '2'],
      ['cat/02-shout', '1', '1'],
    ]);
  });

  it('types each failure and gives the one-sentence reason as its message, the transcript and what happened as its body', () => {
    expect(failures.map(({ type }) => type)).toEqual(['mismatch', 'missing', 'flaky', 'denied', 'mismatch']);
    expect(failures[1].message).toBe('The learner&#39;s copy has no lessons/02-shout/ folder.');
    expect(failures[0].message).toBe(WAITED.replace(/"/g, '&#34;'));
    expect(xml).toContain('expected (the transcript):\n$ server\nA: connect\n\nactual (what happened):\n$ server');
  });

  it('escapes what XML must escape and writes what it cannot hold at all as ?', () => {
    const awkward = failures[4].message;
    expect(awkward).toBe('Expected `&#60;b&#62; &#38; &#34;q&#34;`, but it printed ? and ?.');
    expect(xml).not.toMatch(/[\u0000-\u0008\uFFFF]/);
    // Outside the tags, no bare markup: every < opens a tag and every & an entity.
    expect(xml.replace(/<\/?[a-z?][^<>]*>/g, '')).not.toMatch(/[<>]|&(?!#\d+;)/);
  });
});

describe('toJunit without a sandbox', () => {
  it('says so first, in a comment that holds no `--`, and types a learner not graded', () => {
    const grades = {
      ...classGrade([{ ...classGrade().learners[1], notGraded: 'its grading did not finish within 5 s' }], true),
      confinement: { bubblewrap: false, headline: 'Graded without an operating-system sandbox: x.', missing: ['a--b'] },
    };
    const lines = toJunit(grades).split('\n');
    expect(lines[1]).toBe('<!-- Graded without an operating-system sandbox: x. Missing: a- -b -->');
    expect(lines[2]).toMatch(/^<testsuites /);
    expect(lines.join('\n')).toMatch(/<failure message="[^"]*" type="not-graded">/);
    expect(toJunit({ ...grades, confinement: { ...grades.confinement, bubblewrap: true } }).split('\n')[1]).toMatch(
      /^<testsuites /,
    );
  });
});
