// Benchmark: import of an ERP export of N households (default 500,000 ≈ 1,000,000 persons)
// into an empty organisation, through the same code as `npm run import`, compared with a bare
// PostgreSQL COPY of the same file into a plain table (the physical limit). Prints JSON.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../server/config.ts';
import { erpExportCsv, exportHeaders } from '../server/modules/demo/index.ts';
import { importFile } from '../server/modules/registry/index.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';

const { values } = parseArgs({ options: { households: { type: 'string', default: '500000' } } });
const households = Number(values.households);
const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-bench-import-'));
await chmod(dir, 0o755);
const file = path.join(dir, 'export.csv');
const log = (m: string) => process.stderr.write(`${m}\n`);

log(`Generating an export of ${households} households…`);
await pipeline(Readable.from(erpExportCsv(households, 1)), createWriteStream(file));
const bytes = statSync(file).size;

const config = loadConfig({ LIEN_DATA_DIR: path.join(dir, 'data'), LIEN_PG_PORT: String(40000 + Math.floor(Math.random() * 20000)), LOG_LEVEL: 'silent' });
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
try {
  const organisationId = await createOrganisation(runtime.database, { slug: 'bench', name: 'Bench' });
  log('Importing…');
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 200);
  const t0 = performance.now();
  const result = await importFile({ config, database: runtime.database, jobs }, { organisationId }, createReadStream(file), { fileName: 'export.csv' });
  const importSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);

  log('Bare COPY of the same file…');
  const client = new pg.Client({ connectionString: runtime.ownerUrl });
  await client.connect();
  await client.query(`create table bench_raw (${exportHeaders.map((_, i) => `c${i} text`).join(', ')})`);
  const t1 = performance.now();
  await pipeline(createReadStream(file), client.query(copyFrom(`copy bench_raw from stdin with (format csv, delimiter ';', header true)`)));
  const copySeconds = (performance.now() - t1) / 1000;
  const persons = await client.query('select count(*)::int as n from persons');
  await client.end();

  console.log(
    JSON.stringify({
      benchmark: 'registry-import',
      households,
      persons: persons.rows[0].n,
      lines: result.summary.lines,
      fileMegabytes: Math.round(bytes / 1024 / 1024),
      importSeconds: Number(importSeconds.toFixed(1)),
      bareCopySeconds: Number(copySeconds.toFixed(1)),
      ratioToCopy: Number((importSeconds / copySeconds).toFixed(1)),
      peakRssMegabytes: Math.round(Math.max(...rss) / 1024 / 1024),
      targetSeconds: 60,
      targetRatio: 3,
    }),
  );
} finally {
  await jobs.stop();
  await runtime.shutdown();
  await rm(dir, { recursive: true, force: true });
}
