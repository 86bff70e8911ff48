// How long one learner's grading may take: what its transcripts allow at most, so only a grading that hangs is stopped.
import type { Lesson } from '../course/lessons.ts';
import { loadScenarios, MOST_GRADING_RETRIES, RETRY_SLOWDOWN, type TimingOptions } from '../grade/stage.ts';

/** Slack for starting the sandbox, copying, and a machine slower than the transcripts' timeouts assume. */
const SLACK_MS = 60_000;
/** What a scenario spends beyond its steps: starting, and stopping its programs (SIGTERM, then SIGKILL). */
const PER_SCENARIO_MS = 5_000;

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * The longest a learner's grading can take when every step waits out its timeout: each step its own (or a
 * `[timeout]`'s, if longer), each `silent` its wait, starting twice the start timeout, spread over the scenarios run at
 * once, and the few of each stage that may run again, slower. Generous on purpose: it stops a grading that hangs, not one that is slow.
 */
export function gradingLimitMs(lessons: Lesson[], repeat: number, timing: TimingOptions, concurrency: number): number {
  let total = 0;
  let longest = 0;
  for (const lesson of lessons) {
    const scenarios = loadScenarios(lesson).map(({ steps }) => {
      let step = timing.stepTimeoutMs;
      let scenario = 2 * timing.startTimeoutMs + PER_SCENARIO_MS;
      for (const item of steps) {
        if (item.kind === 'timeout') step = Math.max(step, item.ms);
        scenario += item.kind === 'client' && item.action.verb === 'silent' ? item.action.ms : step;
      }
      return scenario;
    });
    // A few scenarios of each graded stage may run again, slower: the longest ones, at worst.
    const retried = [...scenarios].sort((a, b) => b - a).slice(0, MOST_GRADING_RETRIES);
    total += (sum(scenarios) + RETRY_SLOWDOWN * sum(retried)) * repeat;
    longest = Math.max(longest, (1 + RETRY_SLOWDOWN) * retried[0]!);
  }
  return Math.ceil(Math.max(longest, total / Math.max(1, concurrency))) + SLACK_MS;
}
