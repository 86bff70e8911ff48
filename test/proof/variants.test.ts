// A mutant as a patch: its header read, its one file named, applied to that file's text, or said why it cannot be.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listLessons } from '../../scripts/course/lessons.ts';
import { loadScenarios } from '../../scripts/grade/stage.ts';
import { retryWhenSlow } from '../../scripts/proof/proof.ts';
import { applyMutantPatch, findVariants, readMutantPatch, type Variant } from '../../scripts/proof/variants.ts';
import type { ScenarioResult } from '../../scripts/scenario/scenario.ts';
import { ROOT } from '../support.ts';

const PROOF = join(ROOT, 'test/fixtures/proof');
const SERVER = readFileSync(join(PROOF, 'solutions/01-echo/server.ts'), 'utf8');
const CAUGHT = readFileSync(join(PROOF, 'solutions/01-echo/mutants/caught.diff'), 'utf8');
const DIFF = CAUGHT.slice(CAUGHT.indexOf('diff --git'));

/** The parsed patch, or the test fails with the reason it could not be read. */
function read(text: string) {
  const patch = readMutantPatch(text);
  if (typeof patch === 'string') throw new Error(patch);
  return patch;
}

describe('readMutantPatch', () => {
  it('reads the header lines above the diff, and the file it changes from the course root', () => {
    const patch = read(CAUGHT);
    expect(patch.header).toEqual([
      { key: 'Mistake', value: 'it prints each chunk but never writes it back.' },
      { key: 'Fails', value: 'echo.txt:8' },
    ]);
    expect(patch.target).toBe('solutions/01-echo/server.ts');
    expect(patch.patch.hunks.map((hunk) => [hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines])).toEqual([
      [3, 10, 3, 7],
    ]);
  });

  it('reads a patch whose lines end in CRLF, as a Windows checkout may have them', () => {
    expect(read(CAUGHT.replace(/\n/g, '\r\n')).header[1]).toEqual({ key: 'Fails', value: 'echo.txt:8' });
  });

  it('says which line is neither a header line nor the start of the diff', () => {
    expect(readMutantPatch(`# Mistake: x.\nFails: echo.txt:8\n${DIFF}`)).toBe(
      "line 2 is neither a header line `# Key: value` nor the diff's first line `diff --git a/FILE b/FILE`",
    );
  });

  it('refuses a header with no diff, a diff of two files, and paths that are not the same file from the root', () => {
    expect(readMutantPatch('# Mistake: x.\n# Fails: echo.txt:8\n')).toMatch(/^has no diff: /);
    expect(readMutantPatch(`# Mistake: x.\n${DIFF}${DIFF}`)).toBe("changes 2 files: a mutant's patch changes one");
    const elsewhere = DIFF.replace('+++ b/solutions/01-echo/server.ts', '+++ b/tmp/edited.ts');
    expect(readMutantPatch(`# Mistake: x.\n${elsewhere}`)).toMatch(
      /^must name the file it changes from the course root/,
    );
    const unprefixed = DIFF.replaceAll('a/solutions', 'solutions').replaceAll('b/solutions', 'solutions');
    expect(readMutantPatch(unprefixed)).toMatch(/^must name the file it changes from the course root/);
  });

  it("names the patch file's own line when a hunk's counts are wrong", () => {
    const short = `# Mistake: x.\n${DIFF.replace('@@ -3,10 +3,7 @@', '@@ -3,11 +3,7 @@')}`;
    // The hunk starts on line 6 of the file: one header line, four lines of git's file header, then it.
    expect(readMutantPatch(short)).toBe('is not a unified diff (Hunk at line 6 contained invalid line )');
  });
});

describe('applyMutantPatch', () => {
  const { patch } = read(CAUGHT);

  it("gives the solution's program with the mistake made in it", () => {
    const applied = applyMutantPatch(SERVER, patch);
    expect(applied).toEqual({
      text: SERVER.replace(
        "  conn.on('data', (data) => {\n    console.log('Received:', data);\n    conn.write(data);\n  });\n",
        "  conn.on('data', (data) => console.log('Received:', data));\n",
      ),
    });
  });

  it('applies to a file checked out with CRLF line ends, keeping them', () => {
    const applied = applyMutantPatch(SERVER.replace(/\n/g, '\r\n'), patch);
    expect('text' in applied && applied.text).toContain(
      "\r\n  conn.on('data', (data) => console.log('Received:', data));\r\n",
    );
  });

  it('still applies where lines were added above it: an edit away from the mistake keeps the patch', () => {
    const moved = SERVER.replace("import net from 'node:net';\n", "import net from 'node:net';\n\n// Said twice.\n");
    const applied = applyMutantPatch(moved, patch);
    expect('text' in applied && applied.text).toContain("conn.on('data', (data) => console.log('Received:', data));");
  });

  it('names the first line that is no longer what the patch has, when a line next to the mistake changed', () => {
    const edited = SERVER.replace(
      "conn.on('end', () => conn.end());",
      "conn.on('end', () => conn.end()); // half-close",
    );
    expect(applyMutantPatch(edited, patch)).toEqual({ unfit: 10 });
  });

  it('forgives, when asked to, a changed line of context that is not right next to the change', () => {
    const edited = SERVER.replace('(conn) => {', '(conn) => { // one per client');
    expect(applyMutantPatch(edited, patch)).toEqual({ unfit: 4 });
    const applied = applyMutantPatch(edited, patch, 1);
    expect('text' in applied && applied.text).toContain('(conn) => { // one per client\n  console.log(`Received new');
  });

  it('never applies once a line the patch removes is gone, however loosely', () => {
    const gone = SERVER.replace('    conn.write(data);\n', '    conn.end(data);\n');
    expect(applyMutantPatch(gone, patch, 3)).toEqual({ unfit: 8 });
  });

  it('says when the patch changes nothing', () => {
    const same = read(readFileSync(join(PROOF, 'solutions/01-echo/mutants/nothing.diff'), 'utf8'));
    expect(applyMutantPatch(SERVER, same.patch)).toEqual({ unchanged: true });
  });
});

describe('findVariants', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The fixture's lesson in a copy, with these mutants written in its mutants folder. */
  function variantsWith(mutants: Record<string, string>) {
    root = mkdtempSync(join(tmpdir(), 'workbook-variants-'));
    cpSync(PROOF, root, { recursive: true });
    for (const [name, text] of Object.entries(mutants))
      writeFileSync(join(root, 'solutions/01-echo/mutants', name), text);
    const [lesson] = listLessons(root);
    return findVariants(lesson, loadScenarios(lesson), root);
  }

  it("skips a sound variant on a Node line its header names, where Node's own behaviour differs", () => {
    const major = process.versions.node.split('.')[0];
    const names = variantsWith({
      'here.diff': CAUGHT.replace('diff --git', `# Not on Node: ${major} (it behaves otherwise here)\ndiff --git`),
      'elsewhere.diff': CAUGHT.replace('diff --git', '# Not on Node: 1, 2\ndiff --git'),
    }).map((variant) => variant.name);
    expect(names).toContain('elsewhere');
    expect(names).not.toContain('here');
  });

  it("puts the patched program in place of the file it changes, and reads an alternative's own Replaces", () => {
    const [caught] = variantsWith({}).filter((variant) => variant.name === 'caught');
    expect(caught).toMatchObject({ replaces: 'server.ts', problems: [], fails: [{ transcript: 'echo.txt', line: 8 }] });
    expect(caught.program).toContain("conn.on('data', (data) => console.log('Received:', data));");
  });

  it('reports a .ts copy, a header key that is not a mutant key, and a file outside the lesson', () => {
    const outside = CAUGHT.replaceAll('solutions/01-echo/server.ts', 'lessons/01-echo/server.ts');
    const problems = variantsWith({
      'old.ts': '// Mistake: a whole copy.\n',
      'replaces.diff': CAUGHT.replace('diff --git', '# Replaces: server.ts\ndiff --git'),
      'outside.diff': outside,
    })
      .filter((variant) => ['old.ts', 'replaces', 'outside'].includes(variant.name))
      .map((variant) => variant.problems);
    expect(problems).toEqual([
      ['solutions/01-echo/mutants/old.ts is not a .diff patch'],
      [
        'solutions/01-echo/mutants/outside.diff changes lessons/01-echo/server.ts, which is neither a program of solutions/01-echo nor one of its alternatives',
      ],
      [
        "solutions/01-echo/mutants/replaces.diff: `# Replaces:` is not a mutant's header key (Mistake, Fails, Not on Node)",
      ],
    ]);
  });
});

describe('retryWhenSlow', () => {
  const mutant = { kind: 'mutant', fails: [{ transcript: 'echo.txt', line: 8 }] } as unknown as Variant;
  const failed = (message: string, line?: number) =>
    ({ passed: false, failure: { message, step: line === undefined ? undefined : { line } } }) as ScenarioResult;

  it('runs again a wait that ran out where a program must pass, never another failure or a pass', () => {
    const retry = retryWhenSlow();
    expect(retry('/l/t/echo.txt', failed('Waited 2.0 s for the program to print `x` on stdout, but ...', 3))).toBe(
      true,
    );
    expect(retry('/l/t/echo.txt', failed('connecting to 127.0.0.1:5 took longer than 2000 ms'))).toBe(true);
    expect(retry('/l/t/echo.txt', failed('Expected the program to print `x`, but it printed `y`.', 3))).toBe(false);
    expect(retry('/l/t/echo.txt', { passed: true } as ScenarioResult)).toBe(false);
  });

  it('runs a mutant again only where it failed somewhere it does not name, by a wait that ran out', () => {
    const retry = retryWhenSlow(mutant);
    expect(retry('/l/t/echo.txt', failed('Waited 2.0 s for ...', 8))).toBe(false);
    expect(retry('/l/t/echo.txt', failed('Waited 2.0 s for ...', 4))).toBe(true);
    expect(retry('/l/t/busy.txt', failed('Waited 2.0 s for ...', 8))).toBe(true);
  });
});
