// Keeping learners apart: as root on Linux, each learner's programs run as a user of their own, from a copy they own.
import { chmodSync, chownSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { RUNNER_READS } from '../run/launch.ts';
import type { Sandbox } from '../run/program.ts';
import type { Learner } from './learners.ts';

/** The first uid and gid for learners: learner N (from 0) runs as 62000+N, a range no distribution assigns. */
export const FIRST_LEARNER_ID = 62000;

export interface Isolation {
  /** Whether each learner's programs run as their own user. */
  perLearner: boolean;
  /** One sentence for the report: what keeps learners apart. */
  words: string;
}

/** The first folder or file on the way to `path` that other users cannot enter or read (or, for `need`, run). */
function closedToOthers(path: string, need = 0o004): string | undefined {
  const own = statSync(path);
  if ((own.mode & need) === 0 || (own.isDirectory() && (own.mode & 0o001) === 0)) return path;
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir))
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  return undefined;
}

const COPY_PREFIX = 'workbook-learner-';

/** Copies a killed runner could not remove (its pid is gone): removed by the next run. */
export function removeStaleCopies(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^workbook-learner-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** Decides once per run: own users need root on Linux, and runner files that other users can read. */
export function planIsolation(oneAtATime: boolean, nodePath = process.execPath): Isolation {
  const order = oneAtATime ? ' Learners were graded one at a time.' : '';
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    const why = process.platform === 'win32' ? 'Windows' : process.platform === 'linux' ? 'not root' : process.platform;
    return {
      perLearner: false,
      words: `Learners' programs ran as the grader's own user (${why}): one learner's program could signal another's; use --one-at-a-time for a class you do not trust.${order}`,
    };
  }
  removeStaleCopies();
  // Node itself must be runnable by other users: one installed under root's home (nvm, a cache) is not.
  const node = closedToOthers(nodePath, 0o001);
  if (node)
    return {
      perLearner: false,
      words: `Learners' programs ran as the grader's own user: Node (${nodePath}) cannot be run by other users, because of ${node}.${order}`,
    };
  const unreadable = RUNNER_READS.map((path) => closedToOthers(path)).find(Boolean);
  if (unreadable)
    return {
      perLearner: false,
      words: `Learners' programs ran as the grader's own user: ${unreadable} is not readable by other users.${order}`,
    };
  return {
    perLearner: true,
    words: `Each learner's programs ran as a user of their own (uid ${FIRST_LEARNER_ID} and up), from a copy of their work.${order}`,
  };
}

export interface Prepared {
  /** The folder the learner's programs run in: their copy, or a copy owned by their own user. */
  dir: string;
  sandbox: Sandbox;
  cleanUp(): void;
}

/** A learner's copy, owned by their own user when isolated; their programs may read only it and the runner's files. */
export function prepareLearner(learner: Learner, index: number, isolation: Isolation): Prepared {
  if (!isolation.perLearner) return { dir: learner.dir, sandbox: { readable: [learner.dir] }, cleanUp: () => {} };
  const id = FIRST_LEARNER_ID + index;
  const scratch = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${process.pid}-`));
  chmodSync(scratch, 0o755);
  const dir = join(scratch, basename(learner.dir));
  // Symlinks stay links (lesson files that leave the copy were refused already); packages and history are not needed.
  cpSync(learner.dir, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !['node_modules', '.git'].includes(basename(source)),
  });
  chownTree(dir, id);
  return {
    dir,
    sandbox: { uid: id, gid: id, readable: [dir] },
    cleanUp: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

function chownTree(dir: string, id: number): void {
  chownSync(dir, id, id);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isSymbolicLink()) chownSync(path, id, id);
  }
}
