import { defineConfig } from '@playwright/test';

// Runs only where the Electron binary is installed (scripts/test.mjs checks and reports a skip otherwise).
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json']],
  outputDir: '../../test-results/electron',
});
