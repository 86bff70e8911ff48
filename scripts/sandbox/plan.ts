// Whether a learner's grading can run inside bubblewrap here: Linux, root, a bwrap that starts a sandbox.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Set to 1, grading acts as if bubblewrap were not installed: the tests run every attack both ways with it. */
export const NO_BWRAP = 'WORKBOOK_NO_BWRAP';

export type SandboxPlan = { kind: 'bubblewrap'; bwrap: string; version: string } | { kind: 'none'; why: string };

/** bwrap on the PATH, or where the distributions put it. */
function findBwrap(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/local/bin'];
  return dirs.map((dir) => join(dir, 'bwrap')).find((path) => path.startsWith('/') && existsSync(path));
}

/** The one-line reason a sandbox could not start, from bwrap's own words. */
const firstLine = (text: string): string => text.trim().split('\n')[0]?.slice(0, 200) || 'no message';

let decided: SandboxPlan | undefined;

/** Decides once per run (starting a sandbox to be sure takes a moment). */
export function planSandbox(): SandboxPlan {
  decided ??= decideSandbox();
  return decided;
}

/**
 * Root is needed: the grader inside the sandbox keeps the right to run the learner's programs as another user, so they
 * can neither signal it nor write its result. A real sandbox is started once to be sure: a container may forbid the
 * namespaces bwrap needs.
 */
export function decideSandbox(env: NodeJS.ProcessEnv = process.env): SandboxPlan {
  const none = (why: string): SandboxPlan => ({ kind: 'none', why });
  if (env[NO_BWRAP] === '1') return none(`${NO_BWRAP}=1 is set`);
  if (process.platform !== 'linux') return none(`bubblewrap is for Linux, and this is ${process.platform}`);
  const bwrap = findBwrap();
  if (!bwrap) return none('bubblewrap is not installed (apt-get install bubblewrap, or dnf install bubblewrap)');
  if (process.getuid?.() !== 0)
    return none('the grader is not root, which the sandbox needs to give programs a user of their own');
  const probe = spawnSync(
    bwrap,
    ['--unshare-net', '--unshare-pid', '--die-with-parent', '--ro-bind', '/', '/', '--', 'true'],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (probe.status !== 0)
    return none(`bubblewrap could not start a sandbox here (${firstLine(probe.stderr || String(probe.error ?? ''))})`);
  const version = spawnSync(bwrap, ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/^bubblewrap\s*/, '');
  return (decided = { kind: 'bubblewrap', bwrap, version: version || 'unknown version' });
}
