// A learner's lessons copied for grading: regular files and folders only, no link that leads out, nothing huge.
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { isInside, realPath } from '../scenario/confine.ts';

/** The largest file copied: a lesson's programs and files are a few kilobytes; a 40 MB file is not a lesson's. */
export const MOST_FILE_BYTES = 1 << 20;
/** The most copied in all, and the most entries: a learner's lessons, not a disk. */
export const MOST_COPY_BYTES = 32 << 20;
const MOST_ENTRIES = 5000;
/** Never copied: packages and history are not the work. */
const LEFT_OUT = new Set(['node_modules', '.git']);

export const COPY_PREFIX = 'workbook-learner-';

export interface LearnerCopy {
  /** The copy's root: it holds `lessons/`, as the learner's folder does. */
  dir: string;
  /** What was not copied, and why: notes for the instructor. */
  notes: string[];
  cleanUp(): void;
}

export interface CopyOptions {
  /** The user who will own the copy (a learner's own, as root); none: the grader's, closed to others. */
  owner?: { uid: number; gid: number };
  /** Paths already refused with a note of their own (lesson folders and files that lead outside): no second note. */
  refused?: (path: string) => boolean;
}

interface Walk {
  from: string;
  to: string;
  notes: string[];
  bytes: number;
  entries: number;
  options: CopyOptions;
}

/** Copies `learner`'s lessons/ into a fresh temporary folder, keeping a note of everything it leaves out. */
export function copyLearner(learnerDir: string, options: CopyOptions = {}): LearnerCopy {
  const scratch = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${process.pid}-`));
  // The learner's own user must reach their copy; without one, nobody but the grader may.
  chmodSync(scratch, options.owner ? 0o755 : 0o700);
  const dir = join(scratch, basename(learnerDir));
  mkdirSync(dir);
  const walk: Walk = { from: learnerDir, to: dir, notes: [], bytes: 0, entries: 0, options };
  const lessons = join(learnerDir, 'lessons');
  if (existsSync(lessons)) copyEntry(walk, lessons);
  // Only lessons/ is graded; a link beside it that leads outside is still worth a word.
  for (const name of readdirSync(learnerDir).sort()) {
    const path = join(learnerDir, name);
    if (name === 'lessons' || !lstatSync(path).isSymbolicLink() || isInside(realPath(path), learnerDir)) continue;
    walk.notes.push(
      `${name} leads outside the learner's folder (to ${realPath(path)}); only lessons/ is graded, so it was not copied`,
    );
  }
  if (options.owner) chownTree(dir, options.owner);
  return { dir, notes: walk.notes, cleanUp: () => rmSync(scratch, { recursive: true, force: true }) };
}

function copyEntry(walk: Walk, path: string): void {
  const shown = relative(walk.from, path);
  const target = join(walk.to, shown);
  if (++walk.entries > MOST_ENTRIES) {
    if (walk.entries === MOST_ENTRIES + 1)
      walk.notes.push(`more than ${MOST_ENTRIES} files and folders: the rest was not copied for grading`);
    return;
  }
  const entry = lstatSync(path);
  if (entry.isSymbolicLink()) return copyLink(walk, path, target);
  if (entry.isDirectory()) {
    mkdirSync(target, { recursive: true, mode: 0o755 });
    for (const name of readdirSync(path).sort()) if (!LEFT_OUT.has(name)) copyEntry(walk, join(path, name));
    return;
  }
  if (!entry.isFile())
    return void walk.notes.push(
      `${shown} is not a regular file or folder (a pipe, a socket or a device), so it was not copied for grading`,
    );
  if (entry.size > MOST_FILE_BYTES)
    return void walk.notes.push(
      `${shown} is larger than ${MOST_FILE_BYTES >> 20} MB, so it was not copied for grading`,
    );
  if (walk.bytes + entry.size > MOST_COPY_BYTES)
    return void walk.notes.push(
      `${shown} would take the copy past ${MOST_COPY_BYTES >> 20} MB, so it was not copied for grading`,
    );
  walk.bytes += entry.size;
  copyFileSync(path, target);
  // Readable by all, written by its owner alone: a file the learner left open to all stays shut in the copy.
  chmodSync(target, 0o644);
}

/** A link that stays inside the learner's folder is kept, pointing into the copy; any other is left out, with a note. */
function copyLink(walk: Walk, path: string, target: string): void {
  const shown = relative(walk.from, path);
  let real: string;
  try {
    real = realPath(path);
  } catch {
    return void walk.notes.push(`${shown} is a link that leads nowhere (a loop), so it was not copied for grading`);
  }
  if (!isInside(real, walk.from)) {
    if (!walk.options.refused?.(path))
      walk.notes.push(`${shown} leads outside the learner's folder (to ${real}), so it was not copied for grading`);
    return;
  }
  if (!existsSync(real))
    return void walk.notes.push(
      `${shown} is a link to nothing (${readlinkSync(path)}), so it was not copied for grading`,
    );
  const inCopy = join(walk.to, relative(realPath(walk.from), real));
  symlinkSync(relative(dirname(target), inCopy) || '.', target);
}

function chownTree(dir: string, { uid, gid }: { uid: number; gid: number }): void {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isSymbolicLink()) chownSync(path, uid, gid);
  }
}
