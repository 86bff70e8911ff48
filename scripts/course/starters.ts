// A lesson's starter as the workbook shipped it, from git history, for npm run reset.
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { WorkbookError } from '../kernel/errors.ts';

function git(root: string, args: string[]): string {
  return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/**
 * A starter as the workbook shipped it: the newest committed version that the learner did not author (their commits
 * carry their own `user.email`), so committing your work never turns it into "the starter".
 */
export function pristineStarter(root: string, file: string): string | undefined {
  const path = relative(root, file).split('\\').join('/');
  let log: string;
  try {
    log = git(root, ['log', '--format=%H %ae', '--', path]);
  } catch {
    throw new WorkbookError(
      `npm run reset needs the workbook's git history, and ${root} is not a git clone: clone the workbook again, or copy ${path} from the solution's history by hand`,
    );
  }
  let me = '';
  try {
    me = git(root, ['config', 'user.email']).trim();
  } catch {
    // No identity set: every commit counts as the workbook's.
  }
  const commits = log
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([hash]) => hash);
  const commit = commits.find(([, email]) => email !== me)?.[0];
  // Every commit carries the learner's own address: the rule cannot tell the workbook's from theirs, so say the rule.
  if (commit === undefined && commits.length > 0)
    throw new WorkbookError(
      `every commit of ${path} is authored by ${me}, your git config user.email, and npm run reset takes the newest commit of a starter that you did not author. If some of those commits are the workbook's, set your own address (git config user.email you@example.org) and run it again`,
    );
  return commit === undefined ? undefined : git(root, ['show', `${commit}:${path}`]);
}
