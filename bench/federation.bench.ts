// Benchmark (issue 18): a federation of 51 landlords and 504,000 persons (280,000 households, as
// USH Occitanie), with one crisis's calls (a heat-wave campaign over the last two months: 60 % of
// households called, 40 % of them twice), its SMS before the first call, cases, needs, debts and payment plans, every member
// sharing every indicator. Measures the refresh of every member's aggregates (one transaction per
// member, in its own RLS context; target under 2 minutes) and the p95 of the analyst's dashboard
// for each indicator through the service (target under 200 ms). Prints one JSON line.
// `--orgs N --persons N` for a smaller federation; `--keep DIR` keeps the generated database.
import { parseArgs } from 'node:util';
import { indicatorIds } from '../contracts/indicators.ts';
import { dashboard, runRefresh } from '../server/modules/federation/index.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { openBenchDatabase } from './database.ts';

const { values } = parseArgs({
  options: {
    orgs: { type: 'string', default: '51' },
    persons: { type: 'string', default: '504000' },
    keep: { type: 'string' },
    runs: { type: 'string', default: '100' },
  },
});
const orgCount = Number(values.orgs);
const persons = Number(values.persons);
// 1.8 persons per household: 504,000 persons in 280,000 households.
const householdsPerOrg = Math.round(persons / 1.8 / orgCount);
const log = (m: string) => process.stderr.write(`${m}\n`);
const { config, runtime, jobs, q, close } = await openBenchDatabase('federation', values.keep, 54431);
// Occitanie's departments; one residence in five in a QPV.
const departments = ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'];

try {
  let fed = (await q(`select id from organisations where slug = 'bench-federation'`)).rows[0]?.id as string | undefined;
  if (!fed) {
    const t0 = performance.now();
    fed = await createOrganisation(runtime.database, { slug: 'bench-federation', name: 'Fédération bench', kind: 'federation' });
    const orgs: string[] = [];
    for (let i = 0; i < orgCount; i++) orgs.push(await createOrganisation(runtime.database, { slug: `bench-member-${i}`, name: `Bailleur ${i + 1}` }));
    await q(`select setseed(0.18)`);
    await q(`insert into agencies (organisation_id, code, name) select o, 'A', 'Agence' from unnest($1::uuid[]) o`, [orgs]);
    await q(
      `insert into users (organisation_id, email, first_name, last_name, role, status)
       select o, 'appelant-' || n || '@bench-federation.fr', 'Camille', 'Appel', 'staff', 'active' from unnest($1::uuid[]) with ordinality as x(o, n)`,
      [orgs],
    );
    // 50 residences per member, over two or three departments of the region.
    await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, postal_code, qpv)
       select x.o, a.id, 'R' || i, 'Résidence ' || i, ($2::text[])[1 + (x.n + i % 3) % array_length($2::text[], 1)] || lpad(((i * 7) % 1000)::text, 3, '0'), i % 5 = 0
       from unnest($1::uuid[]) with ordinality as x(o, n) join agencies a on a.organisation_id = x.o cross join generate_series(1, 50) i`,
      [orgs, departments],
    );
    await q(
      `insert into housing_units (organisation_id, residence_id, erp_ref)
       select r.organisation_id, r.id, r.erp_code || '-' || k from residences r cross join generate_series(1, $2::int) k where r.organisation_id = any($1::uuid[])`,
      [orgs, Math.ceil(householdsPerOrg / 50)],
    );
    await q(
      `insert into households (organisation_id, unit_id, erp_ref, agency_id)
       select u.organisation_id, u.id, 'M' || u.erp_ref, r.agency_id from housing_units u join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
       where u.organisation_id = any($1::uuid[])`,
      [orgs],
    );
    // The holder, and an occupant in four households of five: 1.8 persons per household.
    await q(
      `insert into persons (organisation_id, household_id, person_key, first_name, last_name, birth_date, household_role)
       select h.organisation_id, h.id, 'K' || k, 'Prénom', 'Nom', date '1930-01-01' + (random() * 30000)::int, case when k = 1 then 'holder' else 'occupant' end
       from households h cross join generate_series(1, 2) k where h.organisation_id = any($1::uuid[]) and (k = 1 or abs(hashtext(h.id::text)) % 5 <> 0)`,
      [orgs],
    );
    log(`Registry generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // The crisis: one campaign per member over the last two months.
    await q(
      `insert into campaigns (organisation_id, name, status, segment, script, retry_policy, call_windows, created_at, launched_at, created_by)
       select u.organisation_id, 'Canicule', 'active', '{}', '{}', '{}', '{}', now() - interval '60 days', now() - interval '60 days', u.id
       from users u where u.organisation_id = any($1::uuid[])`,
      [orgs],
    );
    await q(
      `insert into campaign_targets (organisation_id, campaign_id, household_id, residence_id, agency_id, priority, status, attempts, updated_at)
       select h.organisation_id, c.id, h.id, u.residence_id, h.agency_id, 1, 'done', 1, now() - random() * interval '59 days'
       from households h join campaigns c on c.organisation_id = h.organisation_id join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id
       where h.organisation_id = any($1::uuid[]) and random() < 0.6`,
      [orgs],
    );
    await q(
      `insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, outcome, slot, recorded_at)
       select t.organisation_id, t.campaign_id, t.id, t.household_id, c.created_by, t.updated_at - k * interval '1 day',
         case when k = 1 or random() < 0.6 then 'reached' else (array['no_answer','voicemail','busy'])[1 + (random() * 2)::int] end, 'morning', t.updated_at - k * interval '1 day'
       from campaign_targets t join campaigns c on c.organisation_id = t.organisation_id and c.id = t.campaign_id cross join generate_series(0, 1) k
       where t.organisation_id = any($1::uuid[]) and (k = 0 or abs(hashtext(t.id::text)) % 5 < 2)`,
      [orgs],
    );
    // The crisis's messages: the ladder's SMS before the first call, one per household queued, delivered.
    await q(
      `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, household_id, sms_type, created_at, sent_at, delivered_at)
       select t.organisation_id, 'sms', '+336' || lpad((abs(hashtext(t.id::text)) % 100000000)::text, 8, '0'),
         'Votre bailleur va vous appeler dans les prochains jours. STOP au 36111', 'messaging', 'bench:' || t.id, 'delivered', t.household_id, 'marketing',
         t.updated_at - interval '3 days', t.updated_at - interval '3 days', t.updated_at - interval '3 days' + interval '20 seconds'
       from campaign_targets t where t.organisation_id = any($1::uuid[])`,
      [orgs],
    );
    // Needs found on 6 % of the households reached, each in a case (half closed since).
    await q(
      `with reached as (select distinct on (a.household_id) a.organisation_id, a.household_id, a.recorded_at from call_attempts a
                        where a.organisation_id = any($1::uuid[]) and a.outcome = 'reached' and random() < 0.06 order by a.household_id, a.recorded_at),
            c as (insert into cases (organisation_id, household_id, agency_id, type, origin, status, outcome, created_at, updated_at, closed_at)
                  select r.organisation_id, r.household_id, h.agency_id, (array['isolation','food','health'])[1 + (random() * 2)::int], 'call',
                    case when g then 'closed' else 'open' end, case when g then 'resolved' end, r.recorded_at, r.recorded_at, case when g then r.recorded_at + interval '5 days' end
                  from (select r.*, random() < 0.5 as g from reached r) r join households h on h.organisation_id = r.organisation_id and h.id = r.household_id
                  returning organisation_id, id, household_id, agency_id, created_at)
       insert into followups (organisation_id, household_id, agency_id, case_id, label, need, created_at)
       select organisation_id, household_id, agency_id, id, 'Courses', 'daily_life', created_at from c`,
      [orgs],
    );
    // Debts: 12 % of households with a positive balance dated in the crisis; a plan for one in ten of them.
    await q(
      `insert into household_balances (organisation_id, household_id, balance_cents, balance_on)
       select h.organisation_id, h.id, 10000 + (random() * 200000)::int, current_date - (random() * 59)::int from households h
       where h.organisation_id = any($1::uuid[]) and random() < 0.12`,
      [orgs],
    );
    await q(
      `insert into payment_plans (organisation_id, household_id, kind, amount_cents, start_on, months, signed_on, baseline_cents)
       select b.organisation_id, b.household_id, 'instalments', b.balance_cents, b.balance_on + 30, 6, b.balance_on + 5, b.balance_cents
       from household_balances b where b.organisation_id = any($1::uuid[]) and random() < 0.1 and b.balance_on + 5 <= current_date`,
      [orgs],
    );
    await q(
      `insert into federation_members (organisation_id, member_id, member_name, federation_name)
       select $2, o.id, o.name, 'Fédération bench' from organisations o where o.id = any($1::uuid[])`,
      [orgs, fed],
    );
    await q(
      `insert into federation_agreements (organisation_id, federation_id, federation_name, indicators)
       select o, $2, 'Fédération bench', $3::text[] from unnest($1::uuid[]) o`,
      [orgs, fed, [...indicatorIds]],
    );
    await q('analyze');
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const one = async (text: string) => (await q(text)).rows[0]?.n as number;
  const dataSet = {
    members: await one(`select count(*)::int as n from organisations where slug like 'bench-member-%'`),
    households: await one('select count(*)::int as n from households'),
    persons: await one('select count(*)::int as n from persons'),
    calls: await one('select count(*)::int as n from call_attempts'),
    cases: await one('select count(*)::int as n from cases'),
    messages: await one('select count(*)::int as n from messages'),
  };
  log(`Data set: ${JSON.stringify(dataSet)}`);

  const t0 = performance.now();
  await runRefresh(runtime.database, fed, null);
  const refreshMs = Math.round(performance.now() - t0);
  const cells = await one(`select count(*)::int as n from federation_aggregates`);
  const suppressed = await one(`select count(*)::int as n from federation_aggregates where suppressed`);
  log(`Refresh: ${refreshMs} ms, ${cells} cells (${suppressed} hidden)`);

  await q(
    `insert into users (organisation_id, email, first_name, last_name, role, status)
     select $1, 'analyste@bench-federation.fr', 'Hugo', 'Analyste', 'federation_analyst', 'active' where not exists (select 1 from users where email = 'analyste@bench-federation.fr')`,
    [fed],
  );
  const analyst = (await q(`select id from users where email = 'analyste@bench-federation.fr'`)).rows[0]?.id as string;
  const session = {
    organisationId: fed,
    userId: analyst,
    role: 'federation_analyst' as const,
    stage: 'active' as const,
    agencyIds: [],
    sessionId: '00000000-0000-7000-8000-000000000001',
    authenticatedAt: new Date(),
  };
  const deps = { config, database: runtime.database, jobs };
  const now = new Date();
  const month = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' }).slice(0, 7);
  const from = month(new Date(now.getFullYear(), now.getMonth() - 12, 15));
  const to = month(now);
  const p95 = async (run: () => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await run(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return Math.round(times[Math.floor(times.length * 0.95)] as number);
  };
  const dashboardP95Ms: Record<string, number> = {};
  for (const indicatorId of indicatorIds) dashboardP95Ms[indicatorId] = await p95(() => dashboard(deps, session, { indicatorId, from, to }));
  const sample = await dashboard(deps, session, { indicatorId: 'households_reached', from, to });
  console.log(
    JSON.stringify({
      bench: 'federation',
      ...dataSet,
      refreshMs,
      refreshTargetMs: 120_000,
      cells,
      hiddenCells: suppressed,
      dashboardP95Ms,
      dashboardWorstP95Ms: Math.max(...Object.values(dashboardP95Ms)),
      dashboardTargetMs: 200,
      householdsReached: sample.total,
    }),
  );
} finally {
  await close();
}
