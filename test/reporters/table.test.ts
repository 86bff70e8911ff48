// Unit: the class table a terminal shows, and one learner's table, from a class built in memory, without colour.
import pc from 'picocolors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatClassTable, printLearner, sandboxNote, topNote } from '../../scripts/reporters/table.ts';
import { MEMORY_CAP_MB } from '../../scripts/run/program.ts';
import { bob, classGrade } from './class.ts';

const plain = pc.createColors(false);

afterEach(() => vi.restoreAllMocks());

describe('formatClassTable', () => {
  it('gives a row per learner and a short column per lesson, totals on both edges, and the notes under it', () => {
    expect(formatClassTable(classGrade(), plain).split('\n')).toEqual([
      'learner  01    02   stages',
      '-------  ----  ---  ------',
      'ann      2/2   1/1  2/2',
      'bob      1/2   -    0/2',
      'cat      0/2~  0/1  0/2',
      'passing  1     1',
      '',
      'Cells: scenarios passed/total; - a missing lesson; ~ flaky; ? not graded.',
      'stages: stages a learner passes; passing: learners whose stage passes.',
      '',
      'bob:',
      '  - extra files in lessons/01-echo/: notes.txt',
      '  - missing lesson 02',
      'cat:',
      '  - 01-echo echo: flaky, pass fail',
      '  - 01-echo close: The program tried to write a file, which grading does not',
      '    allow (ERR_ACCESS_DENIED).',
    ]);
  });
});

describe('printLearner', () => {
  it("prints one learner's lessons, their notes, and how many stages pass", () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    printLearner(classGrade([bob]), plain);
    const [lessons, notes, verdict] = printed;
    expect(lessons.split('\n')).toEqual([
      'lesson    scenarios  stage  time',
      '--------  ---------  -----  -----',
      '01-echo   1/2        fail   1.2 s',
      '02-shout  missing',
    ]);
    expect(notes).toBe('\n! extra files in lessons/01-echo/: notes.txt');
    expect(verdict).toMatch(
      /^\n0 of 2 stages pass \(5\.4 s, \d+ at a time\)\. Run npm run lesson N for the details of one\.$/,
    );
  });
});

describe('sandboxNote', () => {
  it('says what kept learners apart only when their programs ran sandboxed', () => {
    expect(sandboxNote(classGrade())).toBe('');
    const note = sandboxNote(classGrade(undefined, true));
    expect(note.replace(/\n/g, ' ')).toContain(
      `Learners' programs ran under Node's permission model. ${MEMORY_CAP_MB} MB of heap per program;`,
    );
    expect(note.trimEnd().endsWith('Each learner ran as a user of their own.')).toBe(true);
    const boxed = sandboxNote({
      ...classGrade(undefined, true),
      confinement: { bubblewrap: true, headline: 'Each learner was graded in a sandbox of its own.', missing: [] },
    });
    expect(boxed).toContain('Each learner was graded in a sandbox of its own. 256 MB of heap per program;');
  });
});

describe('topNote and learners not graded', () => {
  it('says first what grading lacked without a sandbox, and nothing inside one', () => {
    const without = {
      bubblewrap: false,
      headline: 'Graded without an operating-system sandbox: x.',
      missing: ['a', 'b'],
    };
    expect(topNote(without).split('\n')).toEqual([
      '! Graded without an operating-system sandbox: x.',
      '  Missing:',
      '  - a',
      '  - b',
    ]);
    expect(topNote({ ...without, bubblewrap: true })).toBe('');
    expect(topNote(undefined)).toBe('');
  });

  it('shows a learner who was not graded as ? in every lesson they have, and says why in the notes', () => {
    const lost = {
      ...bob,
      notGraded: 'its grading did not finish within 5 s',
      notes: ['not graded: its grading did not finish within 5 s'],
    };
    const table = formatClassTable(classGrade([lost]), plain).split('\n');
    expect(table).toContain('bob      ?   -   0/2');
    expect(table).toContain('  - not graded: its grading did not finish within 5 s');
  });
});
