// Keeping learners apart: as root on Linux, each learner's programs run as a user of their own, from a copy they own.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RUNNER_READS } from '../run/launch.ts';
import { FIRST_LEARNER_ID } from './uids.ts';

export interface Isolation {
  /** Whether each learner's programs run as their own user. */
  perLearner: boolean;
  /** One sentence for the report: what keeps learners apart. */
  words: string;
}

/**
 * The first folder or file on the way to `path` that other users cannot enter or read (or, for `need`, run). Inside
 * bubblewrap only the file itself counts (`ancestors` false): the sandbox binds it under folders open to all.
 */
function closedToOthers(path: string, need = 0o004, ancestors = true): string | undefined {
  const own = statSync(path);
  if ((own.mode & need) === 0 || (own.isDirectory() && (own.mode & 0o001) === 0)) return path;
  if (!ancestors) return undefined;
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir))
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  return undefined;
}

/** Copies (and staged courses) a killed runner could not remove (its pid is gone): removed by the next run. */
export function removeStaleCopies(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^workbook-(?:learner|course)-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH')
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/**
 * Decides once per run: own users need root on Linux, a Node other users can run, and runner files they can read.
 * `inSandbox`: bubblewrap binds them, so the folders above them do not count.
 */
export function planIsolation(inSandbox = false, nodePath = process.execPath): Isolation {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    const why = process.platform === 'win32' ? 'Windows' : process.platform === 'linux' ? 'not root' : process.platform;
    return {
      perLearner: false,
      words: `Learners' programs ran as the grader's own user (${why}); Node's permission model let them signal only themselves.`,
    };
  }
  removeStaleCopies();
  // Node itself must be runnable by other users: one installed under root's home (nvm, a cache) is not.
  const node = closedToOthers(nodePath, 0o001, !inSandbox);
  if (node)
    return {
      perLearner: false,
      words: `Learners' programs ran as the grader's own user: Node (${nodePath}) cannot be run by other users, because of ${node}.`,
    };
  const unreadable = RUNNER_READS.map((path) => closedToOthers(path, 0o004, !inSandbox)).find(Boolean);
  if (unreadable)
    return {
      perLearner: false,
      words: `Learners' programs ran as the grader's own user: ${unreadable} is not readable by other users.`,
    };
  return {
    perLearner: true,
    words: `Each learner's programs ran as a user of their own (uid ${FIRST_LEARNER_ID} and up, unique on this machine), from a copy of their lessons.`,
  };
}
