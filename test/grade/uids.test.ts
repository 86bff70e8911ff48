// Unit: learner user ids held per machine: two runs never hold one id, and a run that is gone gives its ids back.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRST_LEARNER_ID, ID_FOLDER, releaseLearnerIds, takeLearnerIds } from '../../scripts/grade/uids.ts';

const asRootOnLinux = process.platform === 'linux' && process.getuid?.() === 0;

describe.runIf(asRootOnLinux)('takeLearnerIds', () => {
  it('gives each run ids of its own, and takes back the ids of a run whose process is gone', () => {
    // Two runs at once: this process, and its parent (alive for as long as the test).
    const mine = takeLearnerIds(3);
    const theirs = takeLearnerIds(3, process.ppid);
    try {
      expect(new Set([...mine, ...theirs]).size).toBe(6);
      for (const id of [...mine, ...theirs]) expect(id).toBeGreaterThanOrEqual(FIRST_LEARNER_ID);
      expect(existsSync(join(ID_FOLDER, `${mine[0]}.${process.pid}`))).toBe(true);
      // A run killed before it gave its ids back: the next run may take them.
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      const left = takeLearnerIds(2, gone);
      const next = takeLearnerIds(2);
      expect(next.filter((id) => left.includes(id)).length).toBeGreaterThan(0);
      releaseLearnerIds(next);
      expect(readdirSync(ID_FOLDER).filter((name) => name.endsWith(`.${gone}`))).toEqual([]);
    } finally {
      releaseLearnerIds(mine);
      releaseLearnerIds(theirs, process.ppid);
    }
    expect(readdirSync(ID_FOLDER).filter((name) => name.endsWith(`.${process.pid}`))).toEqual([]);
  });
});
