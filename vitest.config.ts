// `npx vitest` on a Node below the floor stops with the same one line as every npm command.
import './scripts/cli/check-node.mjs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against hangs, not a speed target: integration tests start real programs.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
