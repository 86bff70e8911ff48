// Waiting for something observable, never for a fixed time: every wait re-checks on a change, up to a timeout.
import type { EventEmitter } from 'node:events';

export type Outcome<T> = { value: T } | { timedOut: true; waitedMs: number };

/** Re-checks `probe` after every change until it returns a value or the time is up; never sleeps blindly. */
export function waitFor<T>(changes: EventEmitter, probe: () => T | undefined, timeoutMs: number): Promise<Outcome<T>> {
  const started = Date.now();
  return new Promise((resolve) => {
    const check = (): boolean => {
      const value = probe();
      if (value === undefined) return false;
      finish({ value });
      return true;
    };
    const finish = (outcome: Outcome<T>): void => {
      clearTimeout(timer);
      changes.off('change', check);
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ timedOut: true, waitedMs: Date.now() - started }), timeoutMs);
    changes.on('change', check);
    check();
  });
}
