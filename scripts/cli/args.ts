import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkbookError } from './errors.ts';
import { killAllProgramsNow, stopAllPrograms } from '../run/program.ts';

/** parseArgs, with its errors turned into one-line usage errors that name the fix. */
export function parseCommandLine<T extends ParseArgsConfig['options']>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new WorkbookError(`${(error as Error).message.split('\n')[0]}\nusage: ${usage}`);
  }
}

export function parseTimeout(text: string | undefined, fallback: number, flag = '--timeout'): number {
  if (text === undefined) return fallback;
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 100) throw new WorkbookError(`${flag} takes milliseconds (at least 100), got '${text}'`);
  return ms;
}

/**
 * Ctrl-C (or SIGTERM, SIGHUP) runs `stop` once; a second one during it kills every program at once and exits, so an
 * impatient learner never leaves a server holding a port.
 */
export function onInterrupt(stop: () => Promise<unknown>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) {
        killAllProgramsNow();
        process.exit(130);
      }
      stopping = true;
      void stop();
    });
  }
}

// An interrupted runner must not leave a learner's server holding a port.
export function stopProgramsOnInterrupt(): void {
  onInterrupt(() => stopAllPrograms().finally(() => process.exit(130)));
}
