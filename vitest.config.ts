import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/dist/**', '.talad/**'];

/** The test tier is in the file name: `.unit.spec.ts`, `.int.spec.ts`, `.e2e.spec.ts`. */
export default defineConfig({
  test: {
    reporters: ['default', './tools/vitest/summary-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['**/*.unit.spec.ts'], exclude } },
      // The storefront's components, rendered in a simulated DOM.
      { test: { name: 'web', include: ['web/**/*.component.spec.tsx'], exclude, environment: 'jsdom' } },
      {
        test: {
          name: 'int',
          include: ['**/*.int.spec.ts'],
          exclude,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.spec.ts'],
          exclude,
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
