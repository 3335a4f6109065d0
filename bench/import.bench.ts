// Benchmark: import of an ERP export of N households (default 500,000 ≈ 1,000,000 persons)
// into an empty organisation, through the same code as `npm run import`, compared with a bare
// PostgreSQL COPY of the same file into a plain table (the physical limit); then the same file
// again (a re-import that changes nothing) and a monthly delta (1 % of households changed, 0.5 %
// left, 0.5 % new) as a full export. Prints one JSON line per case, with the machine's load.
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
import { erpExportCsv, erpExportLines, exportHeaders } from '../server/modules/demo/index.ts';
import { importFile } from '../server/modules/registry/index.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';
import { postgresCpu } from './process-cpu.ts';

const { values } = parseArgs({ options: { households: { type: 'string', default: '500000' } } });
const households = Number(values.households);
const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-bench-import-'));
await chmod(dir, 0o755);
const file = path.join(dir, 'export.csv');
const log = (m: string) => process.stderr.write(`${m}\n`);

log(`Generating an export of ${households} households…`);
await pipeline(Readable.from(erpExportCsv(households, 1)), createWriteStream(file));
const bytes = statSync(file).size;
const deltaFile = path.join(dir, 'delta.csv');
await pipeline(Readable.from(monthlyDelta(households)), createWriteStream(deltaFile));

/**
 * The same landlord a month later: every 100th household (from the 1st) changes a mobile number
 * and its balance, every 200th has left (absent from the file), and 0.5 % new households come
 * in (new references, from another seed).
 */
function* monthlyDelta(n: number): Generator<string> {
  const quote = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  yield `${exportHeaders.map(quote).join(';')}\r\n`;
  for (const cells of erpExportLines(n, 1)) {
    const i = Number(cells[9]?.slice(3));
    if (i % 200 === 0) continue;
    if (i % 100 === 1) {
      cells[21] = `07 ${String(i % 100_000_000)
        .padStart(8, '0')
        .replace(/(\d{2})(?=\d)/g, '$1 ')}`;
      cells[23] = '-123,45';
    }
    yield `${cells.map(quote).join(';')}\r\n`;
  }
  for (const cells of erpExportLines(Math.ceil(n / 200), 2)) {
    const renumber = (v: string) => v.replace(/\d{7}/, (d) => String(Number(d) + n).padStart(7, '0'));
    for (const c of [9, 13, 15]) cells[c] = renumber(cells[c] as string);
    yield `${cells.map(quote).join(';')}\r\n`;
  }
}
const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));

const config = loadConfig({ LIEN_DATA_DIR: path.join(dir, 'data'), LIEN_PG_PORT: String(40000 + Math.floor(Math.random() * 20000)), LOG_LEVEL: 'silent' });
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
try {
  const organisationId = await createOrganisation(runtime.database, { slug: 'bench', name: 'Bench' });
  log('Importing…');
  const pgCpu = await postgresCpu(runtime.ownerUrl);
  const cpu = () => ({ node: process.cpuUsage(), postgres: pgCpu() });
  const cpuSince = (start: ReturnType<typeof cpu>) => {
    const node = process.cpuUsage(start.node);
    const postgres = pgCpu();
    return {
      nodeCpuSeconds: Number(((node.user + node.system) / 1e6).toFixed(1)),
      postgresCpuSeconds: postgres === null || start.postgres === null ? null : Number((postgres - start.postgres).toFixed(1)),
    };
  };
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 200);
  const c0 = cpu();
  const t0 = performance.now();
  const result = await importFile({ config, database: runtime.database, jobs }, { organisationId }, createReadStream(file), { fileName: 'export.csv' });
  const importSeconds = (performance.now() - t0) / 1000;
  const importCpu = cpuSince(c0);
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
  const loadAfterFirst = load();

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
      ...importCpu,
      peakRssMegabytes: Math.round(Math.max(...rss) / 1024 / 1024),
      targetSeconds: 90,
      aimSeconds: 60,
      targetRatio: 3,
      loadAverage: loadAfterFirst,
    }),
  );

  log('Re-importing the same file…');
  const c2 = cpu();
  const t2 = performance.now();
  const again = await importFile({ config, database: runtime.database, jobs }, { organisationId }, createReadStream(file), { fileName: 'export.csv' });
  const againSeconds = (performance.now() - t2) / 1000;
  console.log(
    JSON.stringify({
      benchmark: 'registry-reimport',
      households,
      seconds: Number(againSeconds.toFixed(1)),
      ...cpuSince(c2),
      householdsUpdated: again.summary.households_updated,
      personsUpdated: again.summary.persons_updated,
      targetSeconds: 30,
      loadAverage: load(),
    }),
  );

  log('Monthly delta (1 % changed, 0.5 % left, 0.5 % new) as a full export…');
  const c3 = cpu();
  const t3 = performance.now();
  const delta = await importFile({ config, database: runtime.database, jobs }, { organisationId }, createReadStream(deltaFile), {
    fileName: 'delta.csv',
    fullExport: true,
  });
  const deltaSeconds = (performance.now() - t3) / 1000;
  console.log(
    JSON.stringify({
      benchmark: 'registry-monthly-delta',
      households,
      seconds: Number(deltaSeconds.toFixed(1)),
      ...cpuSince(c3),
      summary: delta.summary,
      targetSeconds: 45,
      loadAverage: load(),
    }),
  );
} finally {
  await jobs.stop();
  await runtime.shutdown();
  await rm(dir, { recursive: true, force: true });
}
