// Benchmark: the retention purge (TRUST DP-02, issue 13) of one landlord with 500,000 households
// (the search benchmark's generator: two persons and a mobile each, real-looking French names),
// 10 % of them gone over the last eight years, and about a year of call history: thirteen monthly
// campaigns, each calling a sixth of the households (one attempt per household called, a note on
// one in ten, answers on all), the follow-ups, doorstep visits, SMS and audit events that go with
// them. The campaign rule is set to 6 months, so about half of the history expires; messages go
// after 3 months, the audit trail after 12, the rental file 5 years after the departure. Prints
// the purge's time (bar: 60 s) and the household search's p95 while the purge runs beside the
// quiet p95, as one JSON line, with each step's time. `--households N` for a smaller set;
// `--keep DIR` keeps the generated database: its untouched copy is saved once (`DIR/pristine`) and
// restored before every later run, so that each run purges the same data (`--no-restore` to run
// on what the last run left: a purge with nothing to do).
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { benchSearch } from '../server/modules/registry/index.ts';
import { purgeOrganisation } from '../server/modules/retention/index.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { openOwnerPool } from '../server/platform/db/database.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';
import { generateHistory, generateRegistry, snapshot } from './generate.ts';

const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '500000' },
    keep: { type: 'string' },
    'no-restore': { type: 'boolean', default: false },
    quiet: { type: 'string', default: '200' },
  },
});
const households = Number(values.households);
const dir = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'lien-bench-purge-')));
await mkdir(dir, { recursive: true });
await chmod(dir, 0o755);
const log = (m: string) => process.stderr.write(`${m}\n`);
const config = loadConfig({
  LIEN_DATA_DIR: path.join(dir, 'data'),
  LIEN_PG_PORT: values.keep ? '54411' : String(40000 + Math.floor(Math.random() * 20000)),
  LOG_LEVEL: 'silent',
});
if (values.keep && snapshot.exists(dir) && !values['no-restore']) {
  const t0 = performance.now();
  await snapshot.restore(dir);
  log(`Data set restored from ${path.join(dir, 'pristine')} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const open = async () => {
  const runtime = await connectDatabase(config);
  return { runtime, jobs: createJobs(runtime.ownerUrl, runtime.database, createLogger('silent')), owner: openOwnerPool(runtime.ownerUrl, 1) };
};
const close = async (c: Awaited<ReturnType<typeof open>>) => {
  await c.owner.end();
  await c.jobs.stop();
  await c.runtime.shutdown();
};
let c = await open();
try {
  const q = (text: string, params: unknown[] = []) => c.owner.query(text, params);
  const reused = (await q(`select id from organisations where slug = 'bench-purge'`)).rows[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(c.runtime.database, { slug: 'bench-purge', name: 'Bench purge' }));
  if (!reused) {
    const t0 = performance.now();
    await generate(org);
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    if (values.keep) {
      await close(c);
      await snapshot.save(dir);
      log(`Untouched copy saved in ${path.join(dir, 'pristine')}`);
      c = await open();
    }
  }
  const { runtime, jobs } = c;
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        ['households', 'persons', 'call_attempts', 'campaign_targets', 'followups', 'doorstep_visits', 'messages', 'audit_events'].map(async (t) => [
          t,
          (await q(`select count(*)::int as n from ${t} where organisation_id = $1`, [org])).rows[0].n as number,
        ]),
      ),
    ) as Record<string, number>;
  const before = await counts();
  log(`Data set: ${JSON.stringify(before)}`);

  const session = {
    organisationId: org,
    userId: '00000000-0000-7000-8000-000000000000',
    role: 'org_admin' as const,
    stage: 'active' as const,
    agencyIds: [],
    sessionId: '00000000-0000-7000-8000-000000000001',
    authenticatedAt: new Date(),
  };
  const deps = { config, database: runtime.database, jobs };
  const queries = ['martin', 'Bernadr', 'marie dubois', 'rue Jean Jaures', 'Résidence 12', 'thomas', 'Lefebre', 'M4242'];
  const search = async (i: number) => {
    const t0 = performance.now();
    await benchSearch(deps, session, queries[i % queries.length] as string);
    return performance.now() - t0;
  };
  for (let i = 0; i < queries.length; i++) await search(i); // warm-up
  const quiet: number[] = [];
  for (let i = 0; i < Number(values.quiet); i++) quiet.push(await search(i));

  // The purge, with searches one after the other while it runs.
  const during: number[] = [];
  let running = true;
  const searching = (async () => {
    for (let i = 0; running; i++) during.push(await search(i));
  })();
  const t0 = performance.now();
  const steps: Record<string, number> = {};
  const lines = await purgeOrganisation(runtime.database, org, new Date(), (line, ms) => {
    const key = `${line.table}:${line.action}`;
    steps[key] = Number(((steps[key] ?? 0) + ms / 1000).toFixed(2));
  });
  const purgeMs = performance.now() - t0;
  running = false;
  await searching;
  const after = await counts();
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number).toFixed(1)) : null;
  };
  console.log(
    JSON.stringify({
      benchmark: 'retention-purge',
      households,
      rows: before,
      purged: Object.fromEntries(lines.filter((l) => l.count > 0).map((l) => [`${l.table}:${l.action}`, l.count])),
      purgedTotal: lines.reduce((n, l) => n + l.count, 0),
      purgeSeconds: Number((purgeMs / 1000).toFixed(1)),
      targetSeconds: 60,
      stepSeconds: Object.fromEntries(Object.entries(steps).sort((a, b) => b[1] - a[1])),
      searchP95QuietMs: pct(quiet, 95),
      searchP95DuringPurgeMs: pct(during, 95),
      searchesDuringPurge: during.length,
      rowsAfter: after,
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    }),
  );
  if (values.keep) log(`The data set in ${dir}/data is purged now; the next run restores ${dir}/pristine (delete the folder to generate it again).`);

  async function generate(org: string) {
    log(`Generating ${households} households, two persons each, and a year of calls…`);
    await generateRegistry(q, org, households, { departures: true });
    log('Campaigns, calls, messages and audit trail…');
    await generateHistory(q, org);
    // The bench organisation keeps its calls six months: about half of the year expires.
    await q(`insert into retention_rules (organisation_id, purpose, end_kind, months) values ($1, 'campaign', 'fixed', 6)`, [org]);
    await q('vacuum analyze');
  }
} finally {
  await close(c);
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
