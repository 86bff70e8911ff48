import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkbookError } from './errors.ts';
import { stopAllPrograms } from './program.ts';

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
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void stopAllPrograms().finally(() => process.exit(130));
    });
  }
}
