// How a program starts: `node FILE.ts` with the preload, the permission flags when grading, and the system's limits.
// Node strips the types itself.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PORT_MAP = new URL('../preload/port-map.mjs', import.meta.url);
/** What every graded program must read besides its own copy: the preload. */
export const RUNNER_READS = [fileURLToPath(new URL('../preload/', import.meta.url))];

/** Every program's heap cap: a runaway allocation ends the program, not the machine. */
export const MEMORY_CAP_MB = 256;
/** Open files and sockets per graded program (Linux, with prlimit): a lesson needs a few dozen. */
export const OPEN_FILES_CAP = 256;
/**
 * Writable memory per graded program (Linux, with prlimit: RLIMIT_DATA), in MB. Not the address space: WebAssembly
 * (fetch's HTTP parser) reserves gigabytes it never touches, and an address-space cap breaks it. One cap on every
 * line, the one Node 24 and 26 were measured to need to start worker threads. Buffers stop at 4.0 GB on 22, 3.5 on 26.
 */
export const DATA_CAP_MB = 4096;
/** The largest file a graded program may write (RLIMIT_FSIZE): a write past it fails, and Node is ended by SIGXFSZ. */
export const FILE_CAP_MB = 16;
/**
 * Processes and threads of one learner's user at once (RLIMIT_NPROC, counted per user by Linux, threads included): a
 * Node has a dozen threads, scenarios run side by side, and lesson 20's cluster adds processes; a fork bomb stops here.
 */
export const PROCESS_CAP = 1024;
/** CPU seconds per graded program (RLIMIT_CPU): far above what any step allows, a bound on a program that spins on. */
export const CPU_CAP_SECONDS = 120;

const onLinux = process.platform === 'linux';
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((path) => onLinux && existsSync(path));
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => onLinux && existsSync(path));

/** What the operating system bounds per program, in words for the report and docs/grading.md. */
export const RESOURCE_LIMITS = PRLIMIT
  ? `writable memory ${DATA_CAP_MB} MB, ${OPEN_FILES_CAP} open files, files of ${FILE_CAP_MB} MB, ${PROCESS_CAP} processes and threads per learner's user, ${CPU_CAP_SECONDS} s of CPU`
  : 'no operating-system limits (prlimit not found)';

/** Whether the system's limits can be set on this machine (Linux with util-linux's prlimit). */
export const HAS_LIMITS = PRLIMIT !== undefined;

/**
 * Node's permission model when grading: reads only where given (else everywhere); writes, child processes, addons and
 * worker threads are denied. Node 25 and later deny the network too unless told otherwise, a flag that 22 and 24 do
 * not know (measured on 22.18.0, 24.22.3 and 26.12.1: `bad option: --allow-net` before 25).
 */
export function permissionFlags(writable: string[], readable?: string[]): string[] {
  const flags = ['--permission'];
  // Repeated flags, measured on Node 20, 22, 24 and 26 (a comma-separated list grants nothing on any of them).
  if (readable) flags.push(...[...readable, ...RUNNER_READS].map((path) => `--allow-fs-read=${path}`));
  else flags.push('--allow-fs-read=*');
  if (process.allowedNodeEnvironmentFlags.has('--allow-net')) flags.push('--allow-net');
  // A folder's contents, measured on Node 20: `/*` grants them whether or not the folder exists yet (giving the bare
  // path as well makes Node abort on start).
  flags.push(...writable.map((folder) => `--allow-fs-write=${folder}/*`));
  // The model's own warnings are not the program's output (Node 26 calls --allow-net experimental; 22 and 24 say nothing).
  flags.push('--disable-warning=ExperimentalWarning');
  return flags;
}

export interface Launch {
  /** The command that starts node: node itself, or node under prlimit and setpriv. */
  command: string;
  /** Everything after the command: wrappers' own arguments, Node's flags and the preload, then the program's path. */
  args: string[];
  /** What the program's environment must add: the compile cache's folder, when it has one. */
  env: NodeJS.ProcessEnv;
}

export interface LaunchOptions {
  sandbox?: boolean;
  /** Under the sandbox, Node's permission model too (default): not inside bubblewrap, which confines the program. */
  permissionModel?: boolean;
  /** The program runs as a user of its own: its processes and threads can be counted (not the grader's, in use). */
  ownUser?: boolean;
  writable?: string[];
  /** Under the sandbox, the only paths the program may read besides the runner's own (none given: everywhere). */
  readable?: string[];
  /** Node's compile cache (NODE_COMPILE_CACHE): under the permission model Node skips one it may not read and write. */
  compileCache?: string;
}

/** The wrappers in front of node on Linux: resource limits for graded programs, death with the runner for all. */
function wrappers(sandbox: boolean, ownUser: boolean): string[] {
  const limits =
    sandbox && PRLIMIT
      ? [
          PRLIMIT,
          `--data=${DATA_CAP_MB * 1024 * 1024}`,
          `--nofile=${OPEN_FILES_CAP}`,
          `--fsize=${FILE_CAP_MB * 1024 * 1024}`,
          ...(ownUser ? [`--nproc=${PROCESS_CAP}`] : []),
          `--cpu=${CPU_CAP_SECONDS}`,
          '--',
        ]
      : [];
  const death = SETPRIV ? [SETPRIV, '--pdeathsig', 'SIGKILL', '--'] : [];
  return [...limits, ...death];
}

/** The command that starts `file`: Node strips its types as it loads it, so nothing is compiled beforehand. */
export function launchTypeScript(file: string, options: LaunchOptions): Launch {
  const model = options.sandbox === true && options.permissionModel !== false;
  const cache = options.compileCache ? [options.compileCache] : [];
  const readable = options.readable && [...options.readable, ...cache];
  const sandbox = model ? permissionFlags([...(options.writable ?? []), ...cache], readable) : [];
  const [command, ...node] = [...wrappers(options.sandbox === true, options.ownUser === true), process.execPath];
  return {
    command,
    args: [...node, `--max-old-space-size=${MEMORY_CAP_MB}`, ...sandbox, '--import', PORT_MAP.href, file],
    env: options.compileCache ? { NODE_COMPILE_CACHE: options.compileCache } : {},
  };
}
