import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lesson } from '../../scripts/course/lessons.ts';
import { readSetAside } from '../../scripts/mutation/set-aside.ts';
import { readMutants, strykerOptions } from '../../scripts/mutation/stryker.ts';
import { score } from '../../scripts/mutation/score.ts';
import { formatRow, SCORES_FILE, updateScores } from '../../scripts/mutation/table.ts';
import { WorkbookError } from '../../scripts/kernel/errors.ts';

let root: string;
let lesson: Lesson;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mutation-'));
  lesson = {
    number: 1,
    slug: '01-echo',
    dir: join(root, 'lessons', '01-echo'),
    solutionDir: join(root, 'solutions', '01-echo'),
  };
  mkdirSync(lesson.solutionDir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const source = ["const NAME = 'localhost';", 'if (ready) {', '  start();', '}', ''].join('\n');

function writeReport(): string {
  const report = {
    schemaVersion: '2',
    thresholds: { high: 80, low: 60 },
    files: {
      'solutions/01-echo/server.ts': {
        language: 'typescript',
        source,
        mutants: [
          {
            id: '0',
            mutatorName: 'StringLiteral',
            replacement: '""',
            status: 'Survived',
            location: { start: { line: 1, column: 14 }, end: { line: 1, column: 25 } },
          },
          {
            id: '1',
            mutatorName: 'BlockStatement',
            replacement: '{}',
            status: 'Killed',
            location: { start: { line: 2, column: 12 }, end: { line: 4, column: 2 } },
          },
        ],
      },
    },
  };
  const file = join(root, 'report.json');
  writeFileSync(file, JSON.stringify(report));
  return file;
}

describe('a Stryker report', () => {
  it('gives each mutant the code it replaces and a short diff of the lines it touches', () => {
    const [literal, block] = readMutants(writeReport(), lesson, root);
    expect(literal).toMatchObject({ file: 'server.ts', line: 1, original: "'localhost'", status: 'Survived' });
    expect(literal.diff).toEqual(["- const NAME = 'localhost';", '+ const NAME = "";']);
    expect(block.original).toBe('{\n  start();\n}');
    expect(block.diff).toEqual(['- if (ready) {', '-   start();', '- }', '+ if (ready) {}']);
  });
});

describe('the set-aside list', () => {
  it('reads the entries a lesson keeps beside its solution', () => {
    const entry = { file: 'server.ts', mutator: 'StringLiteral', original: "'localhost'", replacement: '""', why: 'x' };
    writeFileSync(join(lesson.solutionDir, 'equivalent-mutants.json'), JSON.stringify([entry]));
    const result = score(readMutants(writeReport(), lesson, root), readSetAside(lesson, root));
    expect(result).toMatchObject({ tested: 2, detected: 1, percent: 100 });
  });

  it('refuses an entry without its reason, and a file that is not JSON, in one line each', () => {
    const file = join(lesson.solutionDir, 'equivalent-mutants.json');
    writeFileSync(
      file,
      JSON.stringify([{ file: 'server.ts', mutator: 'StringLiteral', original: 'a', replacement: 'b' }]),
    );
    expect(() => readSetAside(lesson, root)).toThrow(/entry 1: needs why/);
    writeFileSync(file, '[{');
    expect(() => readSetAside(lesson, root)).toThrow(WorkbookError);
    expect(() => readSetAside(lesson, root)).toThrow(/is not valid JSON/);
  });
});

describe('the scores table', () => {
  it("replaces a lesson's row and keeps the others, in lesson order", () => {
    const result = score(readMutants(writeReport(), lesson, root), []);
    mkdirSync(join(root, 'docs'));
    updateScores(root, new Map([['03-later', formatRow('03-later', result, '2026-01-01')]]));
    updateScores(root, new Map([['01-echo', formatRow('01-echo', result, '2026-01-02')]]));
    updateScores(root, new Map([['01-echo', formatRow('01-echo', { ...result, percent: 100 }, '2026-01-03')]]));
    const rows = readFileSync(join(root, SCORES_FILE), 'utf8')
      .split('\n')
      .filter((line) => /^\| \d\d-/.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| 01-echo \| 100\.0% \| 2 \| 1 \| 0 \| 1 \| 2026-01-03 \|/);
    expect(rows[1]).toMatch(/^\| 03-later \| 50\.0% \(below the goal\) \|/);
  });
});

describe("Stryker's options", () => {
  it("mutate the reference's own programs and run its stage's check with the step timeout asked for", () => {
    writeFileSync(join(lesson.solutionDir, 'server.ts'), source);
    writeFileSync(join(lesson.solutionDir, 'equivalent-mutants.json'), '[]');
    const options = strykerOptions(lesson, root, {
      concurrency: 2,
      incremental: false,
      stepTimeoutMs: 5000,
      progress: 'log',
    });
    expect(options.mutate).toEqual([join('solutions', '01-echo', 'server.ts')]);
    expect(options.commandRunner).toEqual({ command: 'node scripts/lesson.ts 1 --solution --timeout 5000' });
    expect(options.reporters).toEqual(['json', 'html', 'progress-append-only']);
    expect(options.force).toBe(true);
    const terminal = strykerOptions(lesson, root, {
      concurrency: 2,
      incremental: true,
      stepTimeoutMs: 2000,
      progress: 'terminal',
    });
    expect(terminal.reporters).toContain('progress');
    expect(terminal.force).toBe(false);
  });
});
