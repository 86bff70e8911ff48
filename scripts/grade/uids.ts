// User ids for learners, unique on the machine: two grading runs at once never give two learners the same user.
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The first uid and gid for learners, in a range no distribution assigns to its own users. */
export const FIRST_LEARNER_ID = 62000;
/** How many learners may hold a user of their own at once, over every run on the machine. */
export const LEARNER_IDS = 3000;

/** Where each id in use has a file `ID.PID` naming its run: on the machine, not in one user's temporary folder. */
export const ID_FOLDER = existsSync('/run') ? '/run/workbook-uids' : '/tmp/workbook-uids';

/** Whether a process still runs: a run that was killed left its ids behind, and the next run takes them back. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The uids of every process on the machine (Linux's /proc): an id with a process still running as it is not free. */
function uidsInUse(): Set<number> {
  const found = new Set<number>();
  for (const name of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1];
      if (uid !== undefined) found.add(Number(uid));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** The folder of held ids: made by root, for root alone to write, or it is not to be trusted. */
function idFolder(): string {
  mkdirSync(ID_FOLDER, { recursive: true, mode: 0o755 });
  const folder = lstatSync(ID_FOLDER);
  if (!folder.isDirectory() || folder.uid !== 0 || (folder.mode & 0o022) !== 0)
    throw new Error(`${ID_FOLDER} must be a folder that only root may write`);
  return ID_FOLDER;
}

/** Live runs holding `id` (files `ID.PID`); the files of runs that are gone are removed on the way. */
function holders(folder: string, id: number): number[] {
  const live: number[] = [];
  for (const name of readdirSync(folder)) {
    const [owner, pid] = name.split('.').map(Number);
    if (owner !== id || !Number.isInteger(pid)) continue;
    if (running(pid)) live.push(pid);
    else rmSync(join(folder, name), { force: true });
  }
  return live;
}

/**
 * Takes `count` free ids for this run: each is held by a file `ID.PID`. A run that finds another's file after making
 * its own gives the id up, so two runs that try the same id at once never both keep it.
 */
export function takeLearnerIds(count: number, pid = process.pid): number[] {
  const folder = idFolder();
  const busy = uidsInUse();
  const taken: number[] = [];
  for (let id = FIRST_LEARNER_ID; id < FIRST_LEARNER_ID + LEARNER_IDS && taken.length < count; id++) {
    if (busy.has(id) || holders(folder, id).length > 0) continue;
    const mine = join(folder, `${id}.${pid}`);
    try {
      closeSync(openSync(mine, 'wx', 0o644));
    } catch {
      continue;
    }
    if (holders(folder, id).some((other) => other !== pid)) rmSync(mine, { force: true });
    else taken.push(id);
  }
  if (taken.length < count) {
    releaseLearnerIds(taken, pid);
    throw new Error(`only ${taken.length} of the ${LEARNER_IDS} learner user ids are free on this machine`);
  }
  return taken;
}

/** Gives ids back once their learners' programs are gone. */
export function releaseLearnerIds(ids: number[], pid = process.pid): void {
  for (const id of ids) rmSync(join(ID_FOLDER, `${id}.${pid}`), { force: true });
}
