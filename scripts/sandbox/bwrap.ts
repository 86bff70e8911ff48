// The bubblewrap command line for one learner: what the sandbox sees, its namespaces, its rights and its environment.
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ALLOWED_ENVIRONMENT } from '../run/environment.ts';

/** Where the sandbox finds what the grader gives it. */
export const INSIDE = {
  /** The course's transcripts and the helpers they start, readable by the grader inside and nobody else. */
  course: '/workbook-course',
  /** The learner's copy as the grader made it, read-only: the grader inside copies it into the private /tmp. */
  source: '/learner',
  /** The private temporary folder, of bounded size: the learner's working copy and every run's own folder. */
  tmp: '/tmp',
};

/** The private /tmp's size: a working copy (32 MB at most) and the files a lesson writes, with room to spare. */
export const TMP_MB = 128;

/**
 * The rights the grader inside keeps, as root in the sandbox: run programs as the learner's user (SETUID, SETGID),
 * stop them (KILL), give them their folders (CHOWN) and clean up after them (DAC_OVERRIDE). Every other is dropped,
 * and bwrap sets no_new_privs, so no program regains one through a setuid file.
 */
const KEPT_CAPABILITIES = ['CAP_SETUID', 'CAP_SETGID', 'CAP_KILL', 'CAP_CHOWN', 'CAP_DAC_OVERRIDE'];

/** The system's own files, read-only: programs and libraries. Nothing of /home, /root, /var, /run or /srv. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** What Node and the C library read in /etc: names (localhost), the loader's cache, time zone, OpenSSL's settings. */
const ETC_FILES = ['hosts', 'host.conf', 'gai.conf', 'localtime', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'ssl'];

export interface Layout {
  /** Node's own folder (the running Node's bin/), bound where it is, so the same path runs it inside. */
  node: string;
  /** The runner's files: its scripts, packages and package.json, bound where they are, read-only. */
  runner: string[];
  /** The course as staged for the sandbox (transcripts, helpers). */
  course: string;
  /** The learner's copy made by the grader outside. */
  source: string;
  /** The sandbox's own name service settings: /etc/hosts alone, since there is no network to ask. */
  nsswitch: string;
}

/** Folders on the way to `path`, made readable and enterable by all (bwrap makes its own parents for root alone). */
function parents(path: string, made: Set<string>): string[] {
  const args: string[] = [];
  const chain: string[] = [];
  for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) chain.unshift(dir);
  for (const dir of chain) {
    if (made.has(dir) || SYSTEM_DIRS.includes(dir) || dir === INSIDE.tmp) continue;
    made.add(dir);
    args.push('--perms', '0755', '--dir', dir);
  }
  return args;
}

/** Binds `from` at `to`, read-only, with open parents. */
function bindReadOnly(from: string, to: string, made: Set<string>): string[] {
  return [...parents(to, made), '--ro-bind', from, to];
}

/** The system folders as they are here: a link (merged /usr) stays a link, a folder is bound read-only. */
function systemDirs(): string[] {
  return SYSTEM_DIRS.filter((dir) => existsSync(dir)).flatMap((dir) =>
    lstatSync(dir).isSymbolicLink() ? ['--symlink', readlinkSync(dir), dir] : ['--ro-bind', dir, dir],
  );
}

/** The allow-listed environment, and a PATH that starts with the Node that grades. */
function environment(node: string, from: NodeJS.ProcessEnv): string[] {
  const args = ['--clearenv', '--setenv', 'PATH', `${node}:/usr/bin:/bin`, '--setenv', 'TMPDIR', INSIDE.tmp];
  for (const name of ALLOWED_ENVIRONMENT)
    if (!['PATH', 'TMPDIR'].includes(name) && from[name] !== undefined) args.push('--setenv', name, from[name]!);
  return args;
}

/** Everything before the command: the sandbox one learner's grading runs in. */
export function sandboxArguments(layout: Layout, from: NodeJS.ProcessEnv = process.env): string[] {
  const made = new Set<string>();
  return [
    // Its own network (a loopback of its own), processes, System V IPC and session (no terminal to push input into).
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-cgroup-try',
    '--new-session',
    // The grader outside ends: so does everything inside, at once.
    '--die-with-parent',
    '--cap-drop',
    'ALL',
    ...KEPT_CAPABILITIES.flatMap((capability) => ['--cap-add', capability]),
    ...environment(layout.node, from),
    ...systemDirs(),
    '--perms',
    '0755',
    '--dir',
    '/etc',
    ...ETC_FILES.map((name) => join('/etc', name))
      .filter((path) => existsSync(path))
      .flatMap((path) => ['--ro-bind', path, path]),
    '--ro-bind',
    layout.nsswitch,
    '/etc/nsswitch.conf',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--perms',
    '0755',
    '--size',
    String(TMP_MB * 1024 * 1024),
    '--tmpfs',
    INSIDE.tmp,
    ...bindReadOnly(layout.node, layout.node, made),
    ...layout.runner.flatMap((path) => bindReadOnly(path, path, made)),
    ...bindReadOnly(layout.course, INSIDE.course, made),
    ...bindReadOnly(layout.source, INSIDE.source, made),
    '--chdir',
    INSIDE.tmp,
  ];
}
