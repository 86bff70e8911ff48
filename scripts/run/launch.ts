// How a TypeScript program starts on the Node that runs the workbook: the cheapest way each Node line allows.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CACHE_SALT, TYPESCRIPT_CACHE, transpileProgram } from './transpile.ts';

/** Node 22.18 and later (and 23.6) strip types themselves; older Node needs the runner's transpiled cache. */
export const NATIVE_TYPESCRIPT = Boolean((process.features as { typescript?: string | false }).typescript);

const has = (flag: string): boolean => process.allowedNodeEnvironmentFlags.has(flag);
const PORT_MAP = new URL('../preload/port-map.ts', import.meta.url);
const TYPESCRIPT_LOADER = new URL('../preload/typescript-register.mjs', import.meta.url).href;
/** What every graded program must read besides its own copy: the preload, the loader and the workbook's packages. */
export const RUNNER_READS = [
  fileURLToPath(new URL('../preload/', import.meta.url)),
  fileURLToPath(new URL('../../node_modules/', import.meta.url)),
  fileURLToPath(new URL('../../package.json', import.meta.url)),
];

/** Every program's heap cap: a runaway allocation ends the program, not the machine. */
export const MEMORY_CAP_MB = 256;
/** Open files and sockets per graded program (Linux, with prlimit): a lesson needs a few dozen. */
export const OPEN_FILES_CAP = 256;
/**
 * Writable memory per graded program (Linux, with prlimit: RLIMIT_DATA), in MB. Not the address space: WebAssembly
 * (fetch's HTTP parser) reserves gigabytes it never touches, and an address-space cap breaks it. Measured: Buffers
 * stop at 1.9 GB on Node 20 and 22 under 2048; Node 24 and 26 need 4096 to start worker threads, and stop at 3.5 GB.
 */
export const DATA_CAP_MB = Number(process.versions.node.split('.')[0]) >= 24 ? 4096 : 2048;

const onLinux = process.platform === 'linux';
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((path) => onLinux && existsSync(path));
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => onLinux && existsSync(path));

/** What the operating system bounds per program, in words for the report and the README. */
export const RESOURCE_LIMITS = PRLIMIT
  ? `writable memory ${DATA_CAP_MB} MB, ${OPEN_FILES_CAP} open files`
  : 'no operating-system limits (prlimit not found)';

/**
 * Node's permission model when grading: reads only where given (else everywhere); writes, child processes, addons and
 * (where no loader needs one) worker threads are denied. Node 22 and later call it `--permission` (24 and 26 reject
 * the old name); Node 26 also denies the network unless told otherwise. A loader's hooks run on a worker thread.
 */
export function permissionFlags(writable: string[], readable?: string[]): string[] {
  const flags = [has('--permission') ? '--permission' : '--experimental-permission'];
  // Repeated flags, measured on Node 20, 22, 24 and 26 (a comma-separated list grants nothing on any of them).
  if (readable) flags.push(...[...readable, ...RUNNER_READS].map((path) => `--allow-fs-read=${path}`));
  else flags.push('--allow-fs-read=*');
  if (has('--allow-net')) flags.push('--allow-net');
  if (!NATIVE_TYPESCRIPT) flags.push('--allow-worker');
  // A folder's contents, measured on Node 20: `/*` grants them whether or not the folder exists yet (giving the bare
  // path as well makes Node abort on start).
  flags.push(...writable.map((folder) => `--allow-fs-write=${folder}/*`));
  // The model's own warnings are not the program's output; before 20.11, Node can only silence every warning.
  if (has('--disable-warning'))
    flags.push('--disable-warning=ExperimentalWarning', '--disable-warning=SecurityWarning');
  else flags.push('--no-warnings');
  return flags;
}

export interface Launch {
  /** The command that starts node: node itself, or node under prlimit and setpriv. */
  command: string;
  /** Everything after the command: wrappers' own arguments, Node's flags and preloads, then the program's path. */
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface LaunchOptions {
  sandbox?: boolean;
  writable?: string[];
  /** Under the sandbox, the only paths the program may read besides the runner's own (none given: everywhere). */
  readable?: string[];
}

/** The wrappers in front of node on Linux: resource limits for graded programs, death with the runner for all. */
function wrappers(sandbox: boolean): string[] {
  const limits =
    sandbox && PRLIMIT ? [PRLIMIT, `--data=${DATA_CAP_MB * 1024 * 1024}`, `--nofile=${OPEN_FILES_CAP}`, '--'] : [];
  const death = SETPRIV ? [SETPRIV, '--pdeathsig', 'SIGKILL', '--'] : [];
  return [...limits, ...death];
}

/** The command that starts `file`, transpiling it first where Node cannot strip types. */
export function launchTypeScript(file: string, options: LaunchOptions): Launch {
  const sandbox = options.sandbox ? permissionFlags(options.writable ?? [], options.readable) : [];
  const common = [`--max-old-space-size=${MEMORY_CAP_MB}`, '--enable-source-maps', ...sandbox];
  const [command, ...node] = [...wrappers(options.sandbox === true), process.execPath];
  if (NATIVE_TYPESCRIPT) return { command, args: [...node, ...common, '--import', PORT_MAP.href, file], env: {} };
  transpileProgram(file, [fileURLToPath(PORT_MAP)]);
  return {
    command,
    // The loader imports the port map itself: Node 20.6 would not apply its hooks to a second --import.
    args: [...node, ...common, '--import', TYPESCRIPT_LOADER, file],
    env: { WORKBOOK_TS_CACHE: TYPESCRIPT_CACHE, WORKBOOK_TS_SALT: CACHE_SALT },
  };
}
