// Unit: what a learner's sandbox holds, and what it does not: the bubblewrap command line, and when there is one.
import { describe, expect, it } from 'vitest';
import { INSIDE, sandboxArguments } from '../../scripts/sandbox/bwrap.ts';
import { decideSandbox, NO_BWRAP } from '../../scripts/sandbox/plan.ts';
import { ROOT } from '../support.ts';

const layout = {
  node: '/opt/node/bin',
  runner: [`${ROOT}/scripts`, `${ROOT}/node_modules`, `${ROOT}/package.json`],
  course: '/tmp/staged/course',
  source: '/tmp/copy/ann',
  nsswitch: '/tmp/staged/nsswitch.conf',
};

/** Each `--flag A B` of the command line as [flag, A, B]. */
function binds(args: string[], flag: string): [string, string][] {
  return args.flatMap((arg, i) => (arg === flag ? [[args[i + 1], args[i + 2]] as [string, string]] : []));
}

describe('sandboxArguments', () => {
  const args = sandboxArguments(layout, {
    PATH: '/usr/bin',
    LANG: 'C.UTF-8',
    GITHUB_TOKEN: 'ghp_secret',
    HOME: '/root',
  });

  it('gives the sandbox its own network, processes and session, dying with the grader outside', () => {
    for (const flag of ['--unshare-net', '--unshare-pid', '--unshare-ipc', '--new-session', '--die-with-parent'])
      expect(args).toContain(flag);
  });

  it('binds the runner, Node, the staged course and the copy read-only, and nothing of the workbook besides', () => {
    const readOnly = binds(args, '--ro-bind');
    for (const path of [...layout.runner, layout.node]) expect(readOnly).toContainEqual([path, path]);
    expect(readOnly).toContainEqual([layout.course, INSIDE.course]);
    expect(readOnly).toContainEqual([layout.source, INSIDE.source]);
    expect(readOnly).toContainEqual([layout.nsswitch, '/etc/nsswitch.conf']);
    expect(binds(args, '--bind')).toEqual([]);
    const seen = readOnly.map(([from]) => from);
    for (const hidden of [`${ROOT}/solutions`, `${ROOT}/lessons`, ROOT, '/root', '/home', '/var', '/run', '/etc'])
      expect(seen).not.toContain(hidden);
    expect(args.slice(args.indexOf('--tmpfs') - 3, args.indexOf('--tmpfs') + 2)).toEqual([
      '0755',
      '--size',
      String(128 * 1024 * 1024),
      '--tmpfs',
      '/tmp',
    ]);
  });

  it('passes the allow-listed environment alone, with the grading Node first on PATH', () => {
    expect(args).toContain('--clearenv');
    const set = Object.fromEntries(binds(args, '--setenv'));
    expect(set).toEqual({ PATH: '/opt/node/bin:/usr/bin:/bin', TMPDIR: '/tmp', LANG: 'C.UTF-8' });
    expect(args.join(' ')).not.toContain('ghp_secret');
  });

  it('drops every capability but those that run programs as another user, stop them and give them folders', () => {
    const first = args.indexOf('--cap-drop');
    expect(args[first + 1]).toBe('ALL');
    const added = args.flatMap((arg, i) => (arg === '--cap-add' ? [args[i + 1]] : []));
    expect(added.sort()).toEqual(['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID']);
    expect(args.indexOf('--cap-add')).toBeGreaterThan(first);
  });

  it('opens the folders above what it binds to all (bwrap would make them for root alone)', () => {
    const dirs = args.flatMap((arg, i) => (arg === '--dir' ? [[args[i - 1], args[i + 1]]] : []));
    expect(dirs).toContainEqual(['0755', '/opt']);
    expect(dirs).toContainEqual(['0755', '/opt/node']);
    expect(dirs).toContainEqual(['0755', '/etc']);
  });
});

describe('decideSandbox', () => {
  it(`is none when ${NO_BWRAP}=1, and says so`, () => {
    expect(decideSandbox({ [NO_BWRAP]: '1' })).toEqual({ kind: 'none', why: `${NO_BWRAP}=1 is set` });
  });

  it.runIf(process.platform !== 'linux')('is none away from Linux', () => {
    expect(decideSandbox({})).toMatchObject({ kind: 'none', why: expect.stringMatching(/^bubblewrap is for Linux/) });
  });
});
