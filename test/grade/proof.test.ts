// Integration: npm run check -- --solutions on a fixture whose mutants and alternatives each break one rule.
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCommand } from '../support.ts';

const PROOF = join(ROOT, 'test/fixtures/proof');

/** The proof's own problem lines, each starting with ✗. */
const problemsOf = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('✗ '));

describe('the mutant and alternative proof', () => {
  it('catches a mutant where it says, and reports every one that is not, and every alternative that fails', async () => {
    const run = await runCommand('scripts/check.ts', ['--solutions', '--root', PROOF], { NO_COLOR: '1' });
    expect(run.code).toBe(1);
    // A row per lesson: 1 of 5 mutants caught where they say, 1 of 2 alternatives passing.
    expect(run.stdout).toMatch(/^01-echo +1\/1 ✓ +fails ✓ +n\/a +1\/5 ✗ +1\/2 ✗ /m);
    expect(problemsOf(run.stdout)).toEqual([
      '✗ solutions/01-echo/mutants/no-header.diff needs a first line `# Mistake: ...` saying what is wrong; solutions/01-echo/mutants/no-header.diff: `# Fails: echo.txt:99`: line 99 of echo.txt is not a step',
      '✗ solutions/01-echo/mutants/nothing.diff changes nothing in solutions/01-echo/server.ts. Make it again from an edited copy: npm run mutant -- solutions/01-echo/mutants/nothing.diff --from EDITED.ts',
      '✗ mutant solutions/01-echo/mutants/survives.diff passes every scenario up to echo.txt:8: the transcripts do not catch it (none at all, so the stage cannot catch it)',
      expect.stringMatching(
        /^✗ mutant wrong-line failed at echo\.txt:8, not at echo\.txt:5 as it says \(solutions\/01-echo\/mutants\/wrong-line\.diff\): line 8: Waited \d+\.\d s for 6 bytes at client A, but nothing arrived\.$/,
      ),
      expect.stringMatching(
        /^✗ alternative solutions\/01-echo\/alternatives\/broken\.ts \(one that is not correct at all\) fails echo\.txt, line 8: /,
      ),
    ]);
    // The copies the proof ran are gone.
    expect(existsSync(join(PROOF, '.workbook/proof'))).toBe(false);
  });

  it('names the patch to remake when a line next to its mistake is edited, and --remake makes it hold again', async () => {
    const root = mkdtempSync(join(tmpdir(), 'workbook-proof-'));
    try {
      cpSync(PROOF, root, { recursive: true });
      // Only the mutant that holds, and the alternative that passes: the proof passes until the solution is edited.
      for (const name of ['no-header.diff', 'nothing.diff', 'survives.diff', 'wrong-line.diff'])
        rmSync(join(root, 'solutions/01-echo/mutants', name));
      rmSync(join(root, 'solutions/01-echo/alternatives/broken.ts'));
      const server = join(root, 'solutions/01-echo/server.ts');
      // Line 10, right below the lines the mutant replaces; the program does what it did.
      const edited = readFileSync(server, 'utf8').replace(
        "  conn.on('end', () => conn.end());",
        "  conn.on('end', () => conn.end()); // the client is done sending: so are we",
      );
      writeFileSync(server, edited);
      const proof = () => runCommand('scripts/check.ts', ['--solutions', '--root', root], { NO_COLOR: '1' });

      const stale = await proof();
      expect(stale.code).toBe(1);
      expect(problemsOf(stale.stdout)).toEqual([
        '✗ solutions/01-echo/mutants/caught.diff no longer applies to solutions/01-echo/server.ts: its line 10 is not what the patch has there. Remake it: npm run mutant -- solutions/01-echo/mutants/caught.diff --remake',
      ]);

      const remake = await runCommand('scripts/mutant.ts', [
        join(root, 'solutions/01-echo/mutants/caught.diff'),
        '--remake',
        '--root',
        root,
      ]);
      expect(remake.stderr).toBe('');
      expect(remake.code).toBe(0);
      // The new patch keeps the mistake, with the edited line as its context.
      expect(remake.stdout).toContain(
        "+  conn.on('data', (data) => console.log('Received:', data));\n   conn.on('end', () => conn.end()); // the client is done sending: so are we\n",
      );
      const holds = await proof();
      expect(problemsOf(holds.stdout)).toEqual([]);
      expect(holds.stdout).toMatch(/^01-echo +1\/1 ✓ +fails ✓ +n\/a +1\/1 ✓ +1\/1 ✓ /m);
      expect(holds.code).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
