// What a scenario refuses from the program under test: folders outside its copy, and floods it must not keep.
import { chownSync, existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute, basename } from 'node:path';
import { formatBytes } from '../transcript/bytes.ts';
import type { Step } from '../transcript/parse.ts';
import type { TestClient } from './clients.ts';
import type { Failure, ScenarioContext } from './context.ts';
import { plural } from '../kernel/text.ts';

/** Where a path really leads: symlinks resolved in the part that exists, the rest appended as written. */
export function realPath(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  return join(realpathSync(existing), ...rest);
}

/** Whether `path`, symlinks resolved, stays inside `folder` (itself resolved). */
export function isInside(path: string, folder: string): boolean {
  const within = relative(realPath(folder), realPath(path));
  return within === '' || (!within.startsWith('..') && !isAbsolute(within));
}

/** The first part of `path` below `folder` that is a symbolic link, or a file where a folder should be. */
function notAFolder(path: string, folder: string): string | undefined {
  const parts = relative(folder, path).split(/[\\/]/);
  for (let at = folder, i = 0; i < parts.length; i++) {
    at = join(at, parts[i]);
    let entry;
    try {
      entry = lstatSync(at);
    } catch {
      return undefined; // Not there yet: the program meets a missing folder, as it would by hand.
    }
    if (entry.isSymbolicLink() || !entry.isDirectory()) return at;
  }
  return undefined;
}

/**
 * `[writable DIR]`: a real folder of the program's own copy (cwd), or one not there yet: never a link, even to a
 * folder of the copy (a later lesson, graded after this one), never a file. Inside bubblewrap it is given to the
 * learner's user, since the copy is not theirs to write.
 */
export function confinedFolder(context: ScenarioContext, step: Step, folder: string): string {
  const { cwd } = context.options;
  const within = relative(cwd, folder);
  if (within.startsWith('..') || isAbsolute(within))
    context.stop(step, `${within} is outside the learner's copy, so grading will not let the program write there.`);
  const odd = notAFolder(folder, cwd);
  if (odd !== undefined)
    context.stop(
      step,
      `${relative(cwd, odd)} is ${lstatSync(odd).isSymbolicLink() ? `a link (to ${realPath(odd)})` : 'a file'}, not a folder, so grading will not let the program write there.`,
    );
  const owner = context.options.sandbox;
  if (typeof owner === 'object' && owner.confinedByOs && owner.uid !== undefined && existsSync(folder))
    chownSync(folder, owner.uid, owner.gid ?? owner.uid);
  return realPath(folder);
}

/** `= PATH:`: the file must be in a folder the program may write, links resolved: the runner reads nothing else. */
export function confinedFile(context: ScenarioContext, step: Step, path: string): string {
  if (context.writable.some((folder) => isInside(path, folder))) return path;
  return context.stop(
    step,
    `${relative(context.options.cwd, path)} leads outside the folders the program may write (to ${realPath(path)}), so the runner does not read it.`,
  );
}

/** A client flooded with more than it keeps: the program is stopped at once, so the flood ends its own scenario. */
export function watchFloods(context: ScenarioContext): void {
  context.changes.on('overflow', () => void context.program?.stop());
}

const megabytes = (bytes: number): string =>
  bytes >= 1e6
    ? `${(bytes / 1e6).toFixed(1)} MB`
    : plural(bytes, 'byte').replace(String(bytes), bytes.toLocaleString('en-US'));

/** The failure a flood causes, with its size and its start, replacing whatever step it happened to break. */
export function floodFailure(context: ScenarioContext): Failure | undefined {
  for (const client of context.clients.values()) {
    if (client.kind !== 'tcp' || !(client as TestClient).overflow) continue;
    const { kept, arrived, first } = (client as TestClient).overflow!;
    return {
      message: `Client ${client.name} received more than the ${megabytes(kept)} its transcript can read, so the program was stopped: ${megabytes(arrived)} arrived; the first ${first.length === 1 ? '1 byte was' : `${first.length} bytes were`} ${formatBytes(first)}.`,
    };
  }
  const program = context.program;
  if (program?.flooded) {
    const ignored = program.messages.ignored.toLocaleString('en-US');
    return {
      message: `The program sent ${ignored} messages on the runner's channel that were not its preload's, or more than it may, so it was stopped.`,
    };
  }
  return undefined;
}
