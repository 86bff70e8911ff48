// Ctrl-C for every command: stop cleanly once, kill at once on a second press, never leave a server holding a port.
import { onEarlyExit } from '../kernel/errors.ts';
import { killAllProgramsNow, stopAllPrograms } from './program.ts';

/**
 * Ctrl-C (or SIGTERM, SIGHUP) runs `stop` once; a second one during it kills every program at once and exits, so an
 * impatient learner never leaves a server holding a port.
 */
export function onInterrupt(stop: () => Promise<unknown>, killNow: () => void = () => {}): void {
  let stopping = false;
  const interrupted = (): void => {
    if (stopping) {
      killAllProgramsNow();
      killNow();
      process.exit(130);
    }
    stopping = true;
    void stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupted);
  whenOrphaned(interrupted);
}

/** npm killed by a signal does not pass it on: a command left without its parent stops as on Ctrl-C, freeing its port. */
function whenOrphaned(stop: () => void): void {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    stop();
  }, 1000);
  watch.unref();
}

// An interrupted runner must not leave a learner's server holding a port; `alsoKill` ends what else it started.
export function stopProgramsOnInterrupt(alsoKill: () => void = () => {}): void {
  onInterrupt(() => {
    alsoKill();
    return stopAllPrograms().finally(() => process.exit(130));
  }, alsoKill);
  // Output cut short (`| head`) ends the command too: its programs go with it.
  onEarlyExit(() => {
    alsoKill();
    return stopAllPrograms();
  });
}
