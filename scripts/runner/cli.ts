import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkbookError } from './errors.ts';
import { killAllProgramsNow, stopAllPrograms } from './program.ts';

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

// An interrupted runner must not leave a learner's server holding a port.
export function stopProgramsOnInterrupt(): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // A second Ctrl-C during the grace period must not leave a server behind: kill at once instead.
      if (stopping) {
        killAllProgramsNow();
        process.exit(130);
      }
      stopping = true;
      void stopAllPrograms().finally(() => process.exit(130));
    });
  }
}
