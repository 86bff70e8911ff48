// Whether learners can run as users of their own: root on Linux, and every file they need open to other users.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planIsolation } from '../../scripts/grade/isolation.ts';

const scratch = mkdtempSync(join(tmpdir(), 'workbook-isolation-'));
// mkdtemp makes a folder only its owner may enter: open it, so only the folder under test is closed.
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('planIsolation', () => {
  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    "falls back to the grader's own user, and says why, when other users cannot run Node (a Node under root's home)",
    () => {
      const closed = join(scratch, 'home-like');
      mkdirSync(closed);
      const node = join(closed, 'node');
      copyFileSync(process.execPath, node);
      chmodSync(node, 0o755);
      chmodSync(closed, 0o700);
      const plan = planIsolation(false, node);
      expect(plan.perLearner).toBe(false);
      expect(plan.words).toContain(`Node (${node}) cannot be run by other users, because of ${closed}`);
      chmodSync(closed, 0o755);
      expect(planIsolation(false, node).perLearner).toBe(true);
    },
  );
});
