import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A page under load can take seconds to answer: `expect.poll` waits up to 15 s (Vitest's default is 1 s).
    expect: { poll: { timeout: 15_000, interval: 200 } },
  },
});
