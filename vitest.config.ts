import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Training-based tests run real TF.js on a 2-core machine: give them room, run files in forks.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // On CI also write a JSON summary; .ci/run turns it into a plain 'N passed, N failed' line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-artifacts/vitest.json' },
  },
});
