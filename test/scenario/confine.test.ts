// Unit: where a graded program may write ([writable] folders that are real folders) and what the runner reads back.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confinedFile, confinedFolder } from '../../scripts/scenario/confine.ts';
import { ScenarioContext, StepFailed } from '../../scripts/scenario/context.ts';
import type { Step } from '../../scripts/transcript/parse.ts';

const copy = mkdtempSync(join(tmpdir(), 'workbook-confine-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));
mkdirSync(join(copy, 'lessons/03-files/out'), { recursive: true });
mkdirSync(join(copy, 'lessons/04-later'), { recursive: true });
symlinkSync('../04-later', join(copy, 'lessons/03-files/link'));
writeFileSync(join(copy, 'lessons/03-files/file'), 'x');
const step = { kind: 'writable', path: 'x', source: '[writable x]', line: 1 } as unknown as Step;
const context = new ScenarioContext({
  programDir: copy,
  courseRoot: copy,
  cwd: copy,
  stepTimeoutMs: 100,
  startTimeoutMs: 100,
  outputCap: 1,
});

/** The sentence a step stops with, or the folder it gives. */
function folder(path: string): string {
  try {
    return confinedFolder(context, step, join(copy, path));
  } catch (error) {
    if (error instanceof StepFailed) return error.failure.message;
    throw error;
  }
}

describe('confinedFolder', () => {
  it('gives a real folder of the copy, or one that is not there yet', () => {
    expect(folder('lessons/03-files/out')).toMatch(/lessons\/03-files\/out$/);
    expect(folder('no-such-folder')).toMatch(/no-such-folder$/);
  });

  it('refuses a link, even to a folder of the copy, a file, and anything outside the copy', () => {
    expect(folder('lessons/03-files/link')).toMatch(
      /^lessons\/03-files\/link is a link \(to .*lessons\/04-later\), not a folder, so grading will not let the program write there\.$/,
    );
    expect(folder('lessons/03-files/link/deeper')).toMatch(/^lessons\/03-files\/link is a link/);
    expect(folder('lessons/03-files/file')).toBe(
      'lessons/03-files/file is a file, not a folder, so grading will not let the program write there.',
    );
    expect(folder('../elsewhere')).toBe(
      "../elsewhere is outside the learner's copy, so grading will not let the program write there.",
    );
  });
});

describe('confinedFile', () => {
  it('reads a file only inside a folder the program may write, links resolved', () => {
    context.writable.push(join(copy, 'lessons/03-files/out'));
    const inside = join(copy, 'lessons/03-files/out/server.log');
    expect(confinedFile(context, step, inside)).toBe(inside);
    symlinkSync(join(copy, 'lessons/04-later'), join(copy, 'lessons/03-files/out/peek'));
    expect(() => confinedFile(context, step, join(copy, 'lessons/03-files/out/peek/server.ts'))).toThrow(
      /leads outside the folders the program may write/,
    );
  });
});
