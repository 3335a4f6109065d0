// Benchmark: the retention purge (TRUST DP-02, issue 13) of one landlord with 500,000 households
// (the search benchmark's generator: two persons and a mobile each, real-looking French names),
// 10 % of them gone over the last eight years, and about a year of call history: thirteen monthly
// campaigns, each calling a sixth of the households (one attempt per household called, a note on
// one in ten, answers on all), the follow-ups, doorstep visits, SMS and audit events that go with
// them. The campaign rule is set to 6 months, so about half of the history expires; messages go
// after 3 months, the audit trail after 12, the rental file 5 years after the departure. Prints
// the purge's time (bar: 60 s) and the household search's p95 while the purge runs beside the
// quiet p95, as one JSON line. `--households N` for a smaller set; `--keep DIR` keeps the
// generated database (purged by the run: a second run on it measures a purge with nothing to do).
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { femaleNamesList, lastNamesList, maleNamesList } from '../server/modules/demo/index.ts';
import { benchSearch } from '../server/modules/registry/index.ts';
import { purgeOrganisation } from '../server/modules/retention/index.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { openOwnerPool } from '../server/platform/db/database.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';

const { values } = parseArgs({
  options: { households: { type: 'string', default: '500000' }, keep: { type: 'string' }, quiet: { type: 'string', default: '200' } },
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
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
const owner = openOwnerPool(runtime.ownerUrl, 1);
try {
  const q = (text: string, params: unknown[] = []) => owner.query(text, params);
  const reused = (await q(`select id from organisations where slug = 'bench-purge'`)).rows[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench-purge', name: 'Bench purge' }));
  if (!reused) {
    const t0 = performance.now();
    await generate(org);
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
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
  const lines = await purgeOrganisation(runtime.database, org, new Date());
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
      searchP95QuietMs: pct(quiet, 95),
      searchP95DuringPurgeMs: pct(during, 95),
      searchesDuringPurge: during.length,
      rowsAfter: after,
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    }),
  );
  if (values.keep) log(`The data set in ${dir} is purged now; delete the folder to generate it again.`);

  async function generate(org: string) {
    log(`Generating ${households} households, two persons each, and a year of calls…`);
    await q(`select setseed(0.42)`);
    await q(`insert into agencies (organisation_id, code, name) values ($1, 'A', 'Agence')`, [org]);
    const [{ id: userId }] = (
      await q(
        `insert into users (organisation_id, email, first_name, last_name, role, status) values ($1, 'appelant@bench.fr', 'Camille', 'Appel', 'staff', 'active') returning id`,
        [org],
      )
    ).rows;
    await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city)
    select $1, (select id from agencies where organisation_id = $1), 'R' || i, 'Résidence ' || i, i || ' rue ' || (array['Jean Jaurès','Victor Hugo','de la République','Gabriel Péri','des Lilas','Pasteur'])[1 + i % 6], '94' || lpad((i % 1000)::text, 3, '0'), 'Ville ' || (i % 50)
    from generate_series(1, 2000) i`,
      [org],
    );
    await q(
      `insert into housing_units (organisation_id, residence_id, erp_ref) select $1, r.id, 'L' || i from generate_series(1, $2::int) i join lateral (select id from residences where organisation_id = $1 and erp_code = 'R' || (1 + i % 2000)) r on true`,
      [org, households],
    );
    // One household in ten has left, at some point of the last eight years.
    await q(
      `insert into households (organisation_id, unit_id, erp_ref, status, left_at)
       select $1, u.id, 'M' || substr(u.erp_ref, 2), case when g then 'left' else 'active' end, case when g then now() - random() * interval '8 years' end
       from (select u.*, random() < 0.1 as g from housing_units u where u.organisation_id = $1) u`,
      [org],
    );
    await q(
      `insert into persons (organisation_id, household_id, person_key, first_name, last_name, birth_date, household_role)
    select $1, h.id, 'K' || k, (case when random() < 0.5 then $3::text[] else $4::text[] end)[1 + floor(random() * 24)::int], ($2::text[])[1 + floor(power(random(), 2) * array_length($2::text[], 1))::int],
      date '1930-01-01' + (random() * 30000)::int, case when k = 1 then 'holder' else 'occupant' end
    from households h cross join generate_series(1, 2) k where h.organisation_id = $1`,
      [org, lastNamesList, femaleNamesList, maleNamesList],
    );
    await q(
      `insert into contact_points (organisation_id, person_id, kind, value, source)
    select $1, p.id, 'mobile', '+336' || lpad((floor(random() * 100000000))::text, 8, '0'), 'demo' from persons p where p.organisation_id = $1`,
      [org],
    );
    await q(`select lien_refresh_household_summary(array(select id from households where organisation_id = $1))`, [org]);
    await q(
      `insert into vulnerability_indicators (organisation_id, household_id, kind, source, recorded_at)
    select $1, h.id, 'lives_alone', 'demo', now() - interval '9 years' from households h where h.organisation_id = $1 and random() < 0.3`,
      [org],
    );
    await q(
      `insert into household_balances (organisation_id, household_id, balance_cents, recorded_at)
       select $1, h.id, (random() * 100000)::int, now() - random() * interval '8 years' from households h where h.organisation_id = $1 and random() < 0.3`,
      [org],
    );
    // Thirteen monthly campaigns, the twelve oldest closed at the end of their month.
    log('Campaigns and calls…');
    await q(
      `insert into campaigns (organisation_id, name, status, segment, script, retry_policy, call_windows, created_at, launched_at, closed_at, created_by)
       select $1, 'Veille ' || m, case when m = 0 then 'active' else 'closed' end, '{}', '{}', '{}', '{}',
         now() - make_interval(months => m), now() - make_interval(months => m), case when m > 0 then now() - make_interval(months => m) + interval '25 days' end, $2
       from generate_series(0, 12) m`,
      [org, userId],
    );
    // Each campaign calls a sixth of the active households: 13/6 ≈ 2.2 calls per household and year.
    await q(
      `insert into campaign_targets (organisation_id, campaign_id, household_id, residence_id, agency_id, priority, status, attempts, updated_at)
       select $1, c.id, h.id, u.residence_id, (select id from agencies where organisation_id = $1), 1, 'done', 1, c.launched_at + random() * interval '20 days'
       from campaigns c join households h on h.organisation_id = $1 and h.status = 'active' and abs(hashtext(h.id::text || c.id::text)) % 6 = 0
       join housing_units u on u.id = h.unit_id where c.organisation_id = $1`,
      [org],
    );
    await q(
      `insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, outcome, slot, answers, note, recorded_at)
       select $1, t.campaign_id, t.id, t.household_id, $2, t.updated_at, (array['reached','no_answer','voicemail','busy'])[1 + (random() * 3)::int], 'morning',
         '{"isole": "non", "besoin": "aucun"}'::jsonb, case when random() < 0.1 then 'Rappeler en fin de matinée, voisine présente.' end, t.updated_at
       from campaign_targets t where t.organisation_id = $1`,
      [org, userId],
    );
    await q(
      `insert into followups (organisation_id, household_id, agency_id, attempt_id, campaign_id, label, need, status, created_at, closed_at, resolution)
       select $1, a.household_id, (select id from agencies where organisation_id = $1), a.id, a.campaign_id, 'Courses', 'daily_life',
         case when g then 'closed' else 'open' end, a.recorded_at, case when g then a.recorded_at + interval '10 days' end, case when g then 'Aide trouvée' end
       from (select a.*, random() < 0.7 as g from call_attempts a where a.organisation_id = $1 and random() < 0.02) a`,
      [org],
    );
    await q(
      `insert into doorstep_visits (organisation_id, household_id, campaign_id, target_id, residence_id, agency_id, status, result, note, created_at)
       select $1, t.household_id, t.campaign_id, t.id, t.residence_id, t.agency_id, 'done', 'met', 'Tout va bien.', t.updated_at
       from campaign_targets t where t.organisation_id = $1 and random() < 0.01`,
      [org],
    );
    log('Messages and audit trail…');
    await q(
      `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, created_at, sent_at)
       select $1, 'sms', '+33612345678', 'Bonjour, votre bailleur prend de vos nouvelles.', 'campaign', 'bench-' || t.id, 'sent', t.updated_at, t.updated_at
       from campaign_targets t where t.organisation_id = $1`,
      [org],
    );
    await q(
      `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, at, details)
       select $1, $2, 'staff', 'call.recorded', 'household', a.household_id, a.recorded_at, '{}' from call_attempts a where a.organisation_id = $1`,
      [org, userId],
    );
    await q(
      `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, at, details)
       select $1, $2, 'staff', 'household.viewed', 'household', h.id, now() - random() * interval '18 months', '{}' from households h where h.organisation_id = $1`,
      [org, userId],
    );
    // The bench organisation keeps its calls six months: about half of the year expires.
    await q(`insert into retention_rules (organisation_id, purpose, end_kind, months) values ($1, 'campaign', 'fixed', 6)`, [org]);
    await q('vacuum analyze');
  }
} finally {
  await owner.end();
  await jobs.stop();
  await runtime.shutdown();
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
