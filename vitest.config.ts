// `npx vitest` on a Node below the floor stops with the same one line as every npm command.
import './scripts/cli/check-node.mjs';
import { defineConfig } from 'vitest/config';

/** The proof of the real course: every stage, mutant and alternative, and every reference solution graded. Minutes. */
const COURSE = ['test/commands/check-solutions.test.ts', 'test/commands/check-graded-solutions.test.ts'];

/** Real commands, programs and a browser over loopback: each test starts processes, so they take seconds each. */
const INTEGRATION = [
  'test/commands/**/*.test.ts',
  'test/web/{axe,browser,server}.test.ts',
  'test/scenario/{actions,scenario,steps}.test.ts',
  'test/run/{launch,program}.test.ts',
  'test/grade/{attacks,hostile,stage}.test.ts',
  'test/sandbox/learner.test.ts',
  'test/proof/**/*.test.ts',
  'test/load/**/*.test.ts',
  'test/preload/**/*.test.ts',
  'test/course/{watch,typescript,gone-before-accept}.test.ts',
  'test/bench/interrupt.test.ts',
];

export default defineConfig({
  test: {
    // A guard against hangs, not a speed target: integration tests start real programs.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // `npx vitest run --project unit` runs in seconds: everything in process, no command started.
    projects: [
      {
        extends: true,
        // In process and free of shared state: one module graph for all of them, so the project starts once.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...INTEGRATION, ...COURSE], isolate: false },
      },
      { extends: true, test: { name: 'integration', include: INTEGRATION, exclude: COURSE } },
      { extends: true, test: { name: 'course', include: COURSE } },
    ],
  },
});
