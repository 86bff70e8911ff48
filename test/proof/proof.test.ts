// Integration: npm run check -- --solutions on a fixture whose mutants and alternatives each break one rule.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCommand } from '../support.ts';

const PROOF = join(ROOT, 'test/fixtures/proof');

describe('the mutant and alternative proof', () => {
  it('catches a mutant where it says, and reports every one that is not, and every alternative that fails', async () => {
    const run = await runCommand('scripts/check.ts', ['--solutions', '--root', PROOF], { NO_COLOR: '1' });
    expect(run.code).toBe(1);
    // A row per lesson: 1 of 4 mutants caught where they say, 1 of 2 alternatives passing.
    expect(run.stdout).toMatch(/^01-echo +1\/1 ✓ +fails ✓ +n\/a +1\/4 ✗ +1\/2 ✗ /m);
    const problems = run.stdout.split('\n').filter((line) => line.startsWith('✗ '));
    expect(problems).toEqual([
      '✗ solutions/01-echo/mutants/no-header.ts needs a first line `// Mistake: ...` saying what is wrong; solutions/01-echo/mutants/no-header.ts: `// Fails: echo.txt:99`: line 99 of echo.txt is not a step',
      '✗ mutant solutions/01-echo/mutants/survives.ts passes every scenario up to echo.txt:8: the transcripts do not catch it (none at all, so the stage cannot catch it)',
      expect.stringMatching(
        /^✗ mutant wrong-line failed at echo\.txt:8, not at echo\.txt:5 as it says \(solutions\/01-echo\/mutants\/wrong-line\.ts\): line 8: Waited \d+\.\d s for 6 bytes at client A, but nothing arrived\.$/,
      ),
      expect.stringMatching(
        /^✗ alternative solutions\/01-echo\/alternatives\/broken\.ts \(one that is not correct at all\) fails echo\.txt, line 8: /,
      ),
    ]);
    // The copies the proof ran are gone.
    expect(existsSync(join(PROOF, '.workbook/proof'))).toBe(false);
  });
});

describe('findVariants', () => {
  it("skips a variant on a Node line its header names, where Node's own behaviour differs", async () => {
    const { findVariants } = await import('../../scripts/proof/variants.ts');
    const { listLessons } = await import('../../scripts/course/lessons.ts');
    const { loadScenarios } = await import('../../scripts/grade/stage.ts');
    const { cpSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'workbook-variants-'));
    try {
      cpSync(PROOF, root, { recursive: true });
      const mutants = join(root, 'solutions/01-echo/mutants');
      const major = process.versions.node.split('.')[0];
      const survivor = '// Mistake: none at all.\n// Fails: echo.txt:8\n';
      writeFileSync(join(mutants, 'here.ts'), `${survivor}// Not on Node: ${major} (it behaves otherwise here)\n`);
      writeFileSync(join(mutants, 'elsewhere.ts'), `${survivor}// Not on Node: 1, 2\n`);
      const [lesson] = listLessons(root);
      const names = findVariants(lesson, loadScenarios(lesson), root).map((variant) => variant.name);
      expect(names).toContain('elsewhere');
      expect(names).not.toContain('here');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
