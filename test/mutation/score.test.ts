import { describe, expect, it } from 'vitest';
import { meetsGoal, score, type Mutant } from '../../scripts/mutation/score.ts';
import { entryFor, matches, type SetAside } from '../../scripts/mutation/set-aside.ts';

const mutant = (status: Mutant['status'], original: string, replacement = '""'): Mutant => ({
  file: 'server.ts',
  mutator: 'StringLiteral',
  original,
  replacement,
  status,
  line: 1,
  diff: [],
});

const aside = (original: string, replacement = '""'): SetAside => ({
  file: 'server.ts',
  mutator: 'StringLiteral',
  original,
  replacement,
  why: 'the same either way',
});

describe('score', () => {
  it('counts killed and timed-out mutants as detected, and leaves out those that never ran', () => {
    const result = score(
      [
        mutant('Killed', "'a'"),
        mutant('Timeout', "'b'"),
        mutant('Survived', "'c'"),
        mutant('NoCoverage', "'d'"),
        mutant('CompileError', "'e'"),
        mutant('Ignored', "'f'"),
      ],
      [],
    );
    expect(result).toMatchObject({ tested: 4, detected: 2, percent: 50 });
    expect(result.survivors.map((m) => m.original)).toEqual(["'c'", "'d'"]);
  });

  it('leaves a set-aside survivor out of the score, matching its code whatever the whitespace', () => {
    const list = [aside("once(server,\n   'listening')")];
    const result = score([mutant('Killed', "'a'"), mutant('Survived', "once(server, 'listening')")], list);
    expect(result).toMatchObject({ tested: 2, detected: 1, percent: 100, survivors: [] });
    expect(result.setAside).toHaveLength(1);
    expect(result.unused).toEqual([]);
  });

  it('names an entry of the list that matches no survivor as stale, and never sets aside a killed mutant', () => {
    const list = [aside("'a'"), aside("'gone'")];
    const result = score([mutant('Killed', "'a'")], list);
    expect(result.setAside).toEqual([]);
    expect(result.unused.map((entry) => entry.original)).toEqual(["'a'", "'gone'"]);
  });

  it('meets the goal at 90% with at most a fifth set aside, and not otherwise', () => {
    const killed = Array.from({ length: 9 }, (_, i) => mutant('Killed', `'k${i}'`));
    expect(meetsGoal(score([...killed, mutant('Survived', "'s'")], []))).toBe(true);
    expect(meetsGoal(score([...killed.slice(1), mutant('Survived', "'s'"), mutant('Survived', "'t'")], []))).toBe(
      false,
    );
    const survivors = Array.from({ length: 3 }, (_, i) => mutant('Survived', `'s${i}'`));
    const list = survivors.map((m) => aside(m.original));
    // 3 of 10 set aside: 100% of the rest, but more than a fifth set aside.
    expect(meetsGoal(score([...killed.slice(0, 7), ...survivors], list))).toBe(false);
  });
});

describe('the set-aside list', () => {
  it('matches on file, mutator, code and replacement alike', () => {
    const key = mutant('Survived', "'x'");
    expect(matches(aside("'x'"), key)).toBe(true);
    expect(matches(aside("'x'", "'y'"), key)).toBe(false);
    expect(matches({ ...aside("'x'"), file: 'client.ts' }, key)).toBe(false);
    expect(matches({ ...aside("'x'"), mutator: 'BlockStatement' }, key)).toBe(false);
  });

  it('offers a survivor as an entry that matches it once pasted', () => {
    const key = mutant('Survived', 'console.log(`a\n  b`)', '``');
    const entry = JSON.parse(entryFor(key)) as SetAside;
    expect(matches(entry, key)).toBe(true);
    expect(entry.why).toMatch(/WHY/);
  });
});
