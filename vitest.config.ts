import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against hangs, not a speed target: integration tests start real programs.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
