// Benchmark: import of an export shaped like real ones (bench/real-shaped-export.ts: few large
// residences, 1–6 persons per household, defects, a duplicate line, a formula cell,
// Windows-1252 `;` CRLF) of N households (default 100,000), through the same code as
// `npm run import -- --valid-only`, into an empty organisation. Bar (issue 12): under 30 s at
// 100,000 households. Run by `npm run bench -- import` after import.bench.ts; its own options
// (`--real-households`) so both benchmarks take their arguments from the same command line.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../server/config.ts';
import { importFile } from '../server/modules/registry/index.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';
import { realShapedCsv } from './real-shaped-export.ts';

const { values } = parseArgs({ options: { 'real-households': { type: 'string', default: '100000' } }, strict: false });
const households = Number(values['real-households']);
const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-bench-real-'));
await chmod(dir, 0o755);
const file = path.join(dir, 'export.csv');
const log = (m: string) => process.stderr.write(`${m}\n`);

log(`Generating a real-shaped export of ${households} households…`);
const shape = { lines: 0, households: 0, residences: 0, defective: 0, duplicates: 0, formulas: 0 };
await pipeline(Readable.from(realShapedCsv(households, 12, shape)), createWriteStream(file));
const bytes = statSync(file).size;

const config = loadConfig({ LIEN_DATA_DIR: path.join(dir, 'data'), LIEN_PG_PORT: String(40000 + Math.floor(Math.random() * 20000)), LOG_LEVEL: 'silent' });
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
try {
  const organisationId = await createOrganisation(runtime.database, { slug: 'bench-real', name: 'Bench' });
  const deps = { config, database: runtime.database, jobs };
  const timed = async (label: string, options: Parameters<typeof importFile>[3]) => {
    log(`${label}…`);
    const t0 = performance.now();
    const result = await importFile(deps, { organisationId }, createReadStream(file), options);
    return { result, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)) };
  };
  // The dry run first, as staff do: the import that follows finds the staging table with the
  // statistics an earlier import left (the case that cost 204 s before issue 12).
  const dry = await timed('Dry run', { fileName: 'export.csv', dryRun: true });
  const imported = await timed('Importing the valid lines', { fileName: 'export.csv', validOnly: true });
  const again = await timed('Importing the same file again', { fileName: 'export.csv', validOnly: true });

  const client = new pg.Client({ connectionString: runtime.ownerUrl });
  await client.connect();
  const persons = await client.query('select count(*)::int as n from persons');
  await client.end();
  const s = imported.result.summary;
  console.log(
    JSON.stringify({
      benchmark: 'registry-import-real-shaped',
      households,
      residences: shape.residences,
      lines: s.lines,
      rejectedLines: s.rejected_lines,
      warningLines: s.warning_lines,
      persons: persons.rows[0].n,
      fileMegabytes: Number((bytes / 1024 / 1024).toFixed(1)),
      dryRunSeconds: dry.seconds,
      importSeconds: imported.seconds,
      reimportSeconds: again.seconds,
      targetSeconds: 30,
    }),
  );
} finally {
  await jobs.stop();
  await runtime.shutdown();
  await rm(dir, { recursive: true, force: true });
}
