// A lesson's mutation score from Stryker's results, less the survivors its list sets aside.
import type { MutantKey, SetAside } from './set-aside.ts';
import { matches } from './set-aside.ts';

export type Status =
  'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

export interface Mutant extends MutantKey {
  status: Status;
  /** 1-based, as the mutation-testing-report schema has it. */
  line: number;
  /** The changed lines, `- before` then `+ after`. */
  diff: string[];
}

export interface Score {
  /** Mutants that ran: killed, timed out, survived or not covered. */
  tested: number;
  detected: number;
  setAside: Mutant[];
  survivors: Mutant[];
  /** detected / (tested - set aside), in percent. */
  percent: number;
  /** Entries of the list that match no survivor: stale, to be removed. */
  unused: SetAside[];
}

export const DETECTED: Status[] = ['Killed', 'Timeout'];
const UNDETECTED: Status[] = ['Survived', 'NoCoverage'];

/** The goal: 90% or more of what ran, with at most a fifth of it set aside. */
export const GOAL_PERCENT = 90;
export const MAX_SET_ASIDE_SHARE = 0.2;

export function score(mutants: Mutant[], list: SetAside[]): Score {
  const ran = mutants.filter((mutant) => DETECTED.includes(mutant.status) || UNDETECTED.includes(mutant.status));
  const undetected = ran.filter((mutant) => UNDETECTED.includes(mutant.status));
  const setAside = undetected.filter((mutant) => list.some((entry) => matches(entry, mutant)));
  const survivors = undetected.filter((mutant) => !setAside.includes(mutant));
  const detected = ran.length - undetected.length;
  const counted = ran.length - setAside.length;
  const unused = list.filter((entry) => !undetected.some((mutant) => matches(entry, mutant)));
  return {
    tested: ran.length,
    detected,
    setAside,
    survivors,
    percent: counted === 0 ? 100 : (100 * detected) / counted,
    unused,
  };
}

export function meetsGoal(result: Score): boolean {
  return result.percent >= GOAL_PERCENT && result.setAside.length <= MAX_SET_ASIDE_SHARE * result.tested;
}

export const formatPercent = (percent: number): string => `${percent.toFixed(1)}%`;
