// Test runner settings: unit and integration tests beside the code, end-to-end tests under test/e2e.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'backend/**/*.test.ts', 'extension/**/*.test.{ts,tsx}', 'supabase/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Finds Chromium and builds the current extension for test/e2e (or says loudly that the browser tests are skipped).
    globalSetup: ['test/e2e/global-setup.ts'],
    // Stops what test helpers started on first use (a PostgreSQL server) when each file's tests are done.
    setupFiles: ['test/support/vitest-setup.ts'],
    // Two cores: database-heavy files run better side by side than eight at once.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
