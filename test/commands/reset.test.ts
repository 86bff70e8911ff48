// npm run reset: the starter comes back from the workbook's history, the learner's version is kept, and nothing is
// overwritten without a yes.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COURSE, ROOT, runnerEnv, COMMAND_PRELOAD } from '../support.ts';

const STARTER = join('lessons', '01-echo', 'server.ts');

/** A clone-like copy of the fixture course: the workbook's commit, then the learner's own edits and commit. */
function learnerCopy(): { root: string; starter: string } {
  const root = mkdtempSync(join(tmpdir(), 'workbook-reset-'));
  cpSync(COURSE, root, { recursive: true, filter: (source) => !source.includes('.workbook') });
  const git = (...args: string[]): string => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  git('init', '-q');
  git('-c', 'user.name=Workbook', '-c', 'user.email=maintainers@workbook.example', 'add', '.');
  git(
    '-c',
    'user.name=Workbook',
    '-c',
    'user.email=maintainers@workbook.example',
    'commit',
    '-q',
    '-m',
    'the workbook',
  );
  git('config', 'user.name', 'Learner');
  git('config', 'user.email', 'learner@example.org');
  const starter = readFileSync(join(root, STARTER), 'utf8');
  // The learner's work, committed: committing must not make it "the starter".
  writeFileSync(join(root, STARTER), `${starter}// my attempt\n`);
  git('commit', '-q', '-am', 'my attempt');
  writeFileSync(join(root, STARTER), `${starter}// my attempt, edited again\n`);
  return { root, starter };
}

function reset(root: string, args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...COMMAND_PRELOAD, 'scripts/reset.ts', ...args, '--root', root], {
    cwd: ROOT,
    env: runnerEnv(),
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function backups(root: string): string[] {
  const dir = join(root, '.workbook', 'backups', '01-echo');
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
}

describe('npm run reset', () => {
  it('asks, then puts the starter back and keeps the learner version as a backup whose path it prints', () => {
    const { root, starter } = learnerCopy();
    const run = reset(root, ['1'], 'y\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/has your changes\. Put the starter back\? Your version will be kept as .*\[y\/N\]/);
    expect(readFileSync(join(root, STARTER), 'utf8')).toBe(starter);
    const [backup] = backups(root);
    expect(readFileSync(backup, 'utf8')).toContain('// my attempt, edited again');
    expect(run.stdout).toContain(`your version is in `);
    expect(run.stdout.trim().endsWith(backup.slice(backup.indexOf('.workbook')))).toBe(true);
  });

  it('leaves the file alone on no, or when the input ends without an answer', () => {
    for (const input of ['n\n', '']) {
      const { root } = learnerCopy();
      const before = readFileSync(join(root, STARTER), 'utf8');
      const run = reset(root, ['1'], input);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('left as it is');
      expect(readFileSync(join(root, STARTER), 'utf8')).toBe(before);
      expect(backups(root)).toEqual([]);
    }
  });

  it('--yes restores without asking, and a file already the starter is left untouched', () => {
    const { root, starter } = learnerCopy();
    const first = reset(root, ['1', '--yes']);
    expect(first.status).toBe(0);
    expect(first.stdout).not.toContain('[y/N]');
    expect(readFileSync(join(root, STARTER), 'utf8')).toBe(starter);
    const again = reset(root, ['1', '--yes']);
    expect(again.stdout).toContain('already the starter');
    expect(backups(root)).toHaveLength(1);
  });

  it('says what to do, without a stack trace, outside a git clone', () => {
    const root = mkdtempSync(join(tmpdir(), 'workbook-reset-nogit-'));
    cpSync(COURSE, root, { recursive: true, filter: (source) => !source.includes('.workbook') });
    const run = reset(root, ['1', '--yes']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: npm run reset needs the workbook's git history/);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it("names the author e-mail rule when every commit of the starter carries the learner's own address", () => {
    // The workbook committed under the address this machine's git config also gives the learner.
    const root = mkdtempSync(join(tmpdir(), 'workbook-reset-mine-'));
    cpSync(COURSE, root, { recursive: true, filter: (source) => !source.includes('.workbook') });
    const git = (...args: string[]): string => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('config', 'user.name', 'Workbook');
    git('config', 'user.email', 'maintainers@workbook.example');
    git('add', '.');
    git('commit', '-q', '-m', 'the workbook');
    writeFileSync(join(root, STARTER), '// my attempt\n');
    const run = reset(root, ['1', '--yes']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'error: every commit of lessons/01-echo/server.ts is authored by maintainers@workbook.example, your git config ' +
        'user.email, and npm run reset takes the newest commit of a starter that you did not author. If some of ' +
        "those commits are the workbook's, set your own address (git config user.email you@example.org) and run it again\n",
    );
  });
});
