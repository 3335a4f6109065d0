// `npm run seed:demo -- --households N [--seed S] [--org slug]`: fill an organisation with
// N generated households (created with its agencies and demo accounts if missing).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { demoBanner, seedDemo } from '../modules/demo/index.ts';
import { connectDatabase } from '../platform/db/bootstrap.ts';
import { createJobs } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';
import { progressBar } from './progress.ts';

const { values } = parseArgs({
  options: { households: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, org: { type: 'string', default: 'demo' } },
});
const households = Number(values.households);
const seed = Number(values.seed);
if (!Number.isInteger(households) || households < 1 || households > 2_000_000) {
  console.error('--households doit être un entier entre 1 et 2 000 000.');
  process.exit(2);
}
if (!Number.isInteger(seed)) {
  console.error('--seed doit être un entier.');
  process.exit(2);
}
const config = loadConfig();
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('warn'));
try {
  const bar = progressBar('Ménages');
  const result = await seedDemo(
    { config, database: runtime.database, jobs },
    { ownerUrl: runtime.ownerUrl, households, seed, slug: values.org, onProgress: (d, t) => bar.update(d, t) },
  );
  bar.done();
  console.log(`Organisme « ${values.org} » : ${result.households} ménages au total.`);
  if (result.created && values.org === 'demo') console.log(demoBanner(config.publicUrl, config.devMailbox ? path.join(config.LIEN_DATA_DIR, 'mail') : null));
} finally {
  await runtime.shutdown();
}
