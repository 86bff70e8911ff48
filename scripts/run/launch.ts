// How a TypeScript program starts on the Node that runs the workbook: the cheapest way each Node line allows.
import { fileURLToPath } from 'node:url';
import { CACHE_SALT, TYPESCRIPT_CACHE, transpileProgram } from './transpile.ts';

/** Node 22.18 and later (and 23.6) strip types themselves; older Node needs the runner's transpiled cache. */
export const NATIVE_TYPESCRIPT = Boolean((process.features as { typescript?: string | false }).typescript);

const has = (flag: string): boolean => process.allowedNodeEnvironmentFlags.has(flag);
const PORT_MAP = new URL('../preload/port-map.ts', import.meta.url);
const TYPESCRIPT_LOADER = new URL('../preload/typescript-register.mjs', import.meta.url).href;

/** Every program's heap cap: a runaway allocation ends the program, not the machine. */
export const MEMORY_CAP_MB = 256;

/**
 * Node's permission model when grading: reads are allowed; writes, child processes, addons and (where no loader needs
 * one) worker threads are denied. Node 22 and later call it `--permission` (24 and 26 reject the old name); Node 26
 * also denies the network unless told otherwise. A loader's hooks run on a worker thread, so that path needs workers.
 */
export function permissionFlags(writable: string[]): string[] {
  const flags = [has('--permission') ? '--permission' : '--experimental-permission', '--allow-fs-read=*'];
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
  /** Node's own flags and preloads, before the program's path. */
  nodeArgs: string[];
  env: NodeJS.ProcessEnv;
}

/** The flags and environment that start `file`, transpiling it first where Node cannot strip types. */
export function launchTypeScript(file: string, options: { sandbox?: boolean; writable?: string[] }): Launch {
  const sandbox = options.sandbox ? permissionFlags(options.writable ?? []) : [];
  const common = [`--max-old-space-size=${MEMORY_CAP_MB}`, '--enable-source-maps', ...sandbox];
  if (NATIVE_TYPESCRIPT) return { nodeArgs: [...common, '--import', PORT_MAP.href], env: {} };
  transpileProgram(file, [fileURLToPath(PORT_MAP)]);
  return {
    nodeArgs: [...common, '--import', TYPESCRIPT_LOADER],
    env: { WORKBOOK_TS_CACHE: TYPESCRIPT_CACHE, WORKBOOK_TS_SALT: CACHE_SALT },
  };
}
