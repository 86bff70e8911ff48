// What a scenario refuses from the program under test: folders outside its copy, and floods it must not keep.
import { existsSync, realpathSync } from 'node:fs';
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

/** `[writable DIR]`: the real folder, which must stay inside the program's own copy (cwd) whatever links lead there. */
export function confinedFolder(context: ScenarioContext, step: Step, folder: string): string {
  const { cwd } = context.options;
  if (!isInside(folder, cwd))
    context.stop(
      step,
      `${relative(cwd, folder)} leads outside the learner's copy (to ${realPath(folder)}), so grading will not let the program write there.`,
    );
  return realPath(folder);
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
  const ignored = context.program?.messages.ignored ?? 0;
  if (ignored > 10_000)
    return {
      message: `The program sent ${ignored.toLocaleString('en-US')} messages on the runner's channel that were not its preload's, so it was stopped.`,
    };
  return undefined;
}
