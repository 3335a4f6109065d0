// The embedded database a benchmark runs on: a fresh folder (deleted at the end) or a kept one
// (`--keep DIR`, on a fixed port so that a later run reuses it), the app's runtime, its jobs and
// one owner connection for generating data behind RLS.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { openOwnerPool } from '../server/platform/db/database.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';

export async function openBenchDatabase(name: string, keep: string | undefined, keptPort: number) {
  const dir = keep ?? (await mkdtemp(path.join(os.tmpdir(), `lien-bench-${name}-`)));
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const config = loadConfig({
    LIEN_DATA_DIR: path.join(dir, 'data'),
    LIEN_PG_PORT: keep ? String(keptPort) : String(40000 + Math.floor(Math.random() * 20000)),
    LOG_LEVEL: 'silent',
  });
  const runtime = await connectDatabase(config);
  const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
  const owner = openOwnerPool(runtime.ownerUrl, 1);
  return {
    config,
    runtime,
    jobs,
    q: (text: string, params: unknown[] = []) => owner.query(text, params),
    async close() {
      await owner.end();
      await jobs.stop();
      await runtime.shutdown();
      if (!keep) await rm(dir, { recursive: true, force: true });
    },
  };
}
