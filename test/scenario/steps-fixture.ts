// The fixture programs the scenario tests run, and the options they are run with.
import { join } from 'node:path';
import { ROOT } from '../support.ts';

export const STEPS = join(ROOT, 'test/fixtures/steps');

export const OPTIONS = {
  programDir: STEPS,
  courseRoot: ROOT,
  cwd: STEPS,
  stepTimeoutMs: 2000,
  startTimeoutMs: 10_000,
  outputCap: 256 * 1024,
};
