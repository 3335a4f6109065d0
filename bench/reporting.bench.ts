// Benchmark: a landlord's dashboard (issue 18) — every table of the page for a quarter, computed
// by each module through the service with RLS — on one landlord of 200,000 households in two
// agencies with a year of call history (13 campaigns, about 430,000 calls, needs and their cases,
// one SMS per queued household), two balance files (40 % of households) and payment plans with
// instalments. Prints the p50 and p95 of the organisation's dashboard, of the same compared with
// a segment (70 and over living alone), of one agency's manager, and of a whole year, as one JSON
// line (target: p95 under 300 ms). `--households N` for a smaller set; `--keep DIR` keeps the
// generated database for another run.
import { parseArgs } from 'node:util';
import { dashboardOf } from '../server/modules/reporting/index.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { openBenchDatabase } from './database.ts';
import { generateHistory, generateRegistry } from './generate.ts';

const { values } = parseArgs({
  options: { households: { type: 'string', default: '200000' }, keep: { type: 'string' }, runs: { type: 'string', default: '30' } },
});
const households = Number(values.households);
const log = (m: string) => process.stderr.write(`${m}\n`);
const { config, runtime, jobs, q, close } = await openBenchDatabase('reporting', values.keep, 54419);
try {
  const reused = (await q(`select id from organisations where slug = 'bench-reporting'`)).rows[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench-reporting', name: 'Bench pilotage' }));
  if (!reused) {
    const t0 = performance.now();
    await generateRegistry(q, org, households, { departures: false });
    // A year of calls, needs (and their cases), SMS; then the agencies they belong to are moved with their households.
    await generateHistory(q, org);
    // A second agency: half of the residences, and their households, move to it.
    await q(`insert into agencies (organisation_id, code, name) values ($1, 'B', 'Agence B')`, [org]);
    await q(
      `update residences set agency_id = (select id from agencies where organisation_id = $1 and code = 'B') where organisation_id = $1 and substr(erp_code, 2)::int % 2 = 0`,
      [org],
    );
    await q(
      `update households h set agency_id = r.agency_id from housing_units u join residences r on r.id = u.residence_id where u.id = h.unit_id and h.organisation_id = $1`,
      [org],
    );
    await q(`update campaign_targets t set agency_id = h.agency_id from households h where h.id = t.household_id and t.organisation_id = $1`, [org]);
    await q(`update followups f set agency_id = h.agency_id from households h where h.id = f.household_id and f.organisation_id = $1`, [org]);
    await q(`update cases c set agency_id = h.agency_id from households h where h.id = c.household_id and c.organisation_id = $1`, [org]);
    // Balances: 40 % of households on 1 March and 1 September of this year, a third of them grown.
    await q(
      `create temporary table bench_balances as
       select h.id, (random() * 200000)::int - 20000 as first, (random() * 60000)::int + 35000 as rent, random() as r
       from households h where h.organisation_id = $1 and random() < 0.4`,
      [org],
    );
    for (const [on, expr] of [
      ["date_trunc('year', now())::date + 59", 'first'],
      [
        "date_trunc('year', now())::date + 243",
        'case when r < 0.33 then first + (random() * 50000)::int when r < 0.66 then first else first - (random() * 50000)::int end',
      ],
    ])
      await q(
        `insert into household_balances (organisation_id, household_id, balance_cents, balance_on, monthly_rent_cents)
         select $1, id, ${expr}, ${on}, rent from bench_balances`,
        [org],
      );
    await q(
      `update households h set balance_cents = b.balance_cents, monthly_rent_cents = b.monthly_rent_cents, balance_at = now()
       from household_balances b where b.household_id = h.id and b.balance_on = date_trunc('year', now())::date + 243 and h.organisation_id = $1`,
      [org],
    );
    // Payment plans: one household in debt out of ten, 12 monthly instalments from its signature (last 12 months).
    await q(
      `insert into payment_plans (organisation_id, household_id, kind, amount_cents, baseline_cents, months, start_on, signed_on)
       select $1, h.id, 'instalments', h.balance_cents, h.balance_cents, 12, s + 30, s
       from (select h.*, (now() - random() * interval '365 days')::date as s from households h where h.organisation_id = $1 and h.balance_cents > 0 and random() < 0.1) h`,
      [org],
    );
    await q(
      `insert into plan_instalments (organisation_id, plan_id, seq, due_on, amount_cents, status)
       select $1, p.id, k, (p.start_on + make_interval(months => k - 1))::date, p.amount_cents / 12,
         case when (p.start_on + make_interval(months => k - 1))::date > now()::date then 'pending' when random() < 0.8 then 'met' else 'missed' end
       from payment_plans p cross join generate_series(1, 12) k where p.organisation_id = $1`,
      [org],
    );
    await q(
      `insert into users (organisation_id, email, first_name, last_name, role, status) values ($1, 'manager@bench.fr', 'Prénom', 'Nom', 'manager', 'active'),
       ($1, 'agence-b@bench.fr', 'Prénom', 'Agence', 'manager', 'active')`,
      [org],
    );
    await q(
      `insert into user_agencies (organisation_id, user_id, agency_id)
       select $1, u.id, a.id from users u, agencies a where u.email = 'agence-b@bench.fr' and a.organisation_id = $1 and a.code = 'B'`,
      [org],
    );
    await q('vacuum analyze');
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const count = async (t: string) => (await q(`select count(*)::int as n from ${t} where organisation_id = $1`, [org])).rows[0].n as number;
  const userOf = async (email: string) => (await q(`select id from users where organisation_id = $1 and email = $2`, [org, email])).rows[0].id as string;
  const [agencyB] = (await q(`select id from agencies where organisation_id = $1 and code = 'B'`, [org])).rows;
  const session = (userId: string, agencyIds: string[]) => ({
    organisationId: org,
    userId,
    role: 'manager' as const,
    stage: 'active' as const,
    agencyIds,
    sessionId: '00000000-0000-7000-8000-000000000001',
    authenticatedAt: new Date(),
  });
  const manager = session(await userOf('manager@bench.fr'), []);
  const agencyManager = session(await userOf('agence-b@bench.fr'), [agencyB.id as string]);
  const deps = { config, database: runtime.database, jobs };
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const quarter = { from: day(91), to: day(0) };
  const segment = { minAge: 70, indicators: ['lives_alone' as const], fragilityMatch: 'all' as const, status: 'active' as const };
  const time = async (run: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) await run(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * p))] as number);
    return { p50: at(0.5), p95: at(0.95) };
  };
  let reached = 0;
  const organisation = await time(async () => {
    const d = await dashboardOf(deps, manager, quarter);
    reached = d.tables.find((t) => t.id === 'calls')?.rows.find((r) => r.key === 'households_reached')?.value ?? 0;
  });
  const compared = await time(() => dashboardOf(deps, manager, { ...quarter, segment }));
  const oneAgency = await time(() => dashboardOf(deps, agencyManager, quarter));
  const year = await time(() => dashboardOf(deps, manager, { from: day(365), to: day(0) }));
  console.log(
    JSON.stringify({
      bench: 'reporting',
      households: await count('households'),
      callAttempts: await count('call_attempts'),
      followups: await count('followups'),
      cases: await count('cases'),
      messages: await count('messages'),
      balances: await count('household_balances'),
      instalments: await count('plan_instalments'),
      quarterReached: reached,
      organisationP50Ms: organisation.p50,
      organisationP95Ms: organisation.p95,
      segmentP50Ms: compared.p50,
      segmentP95Ms: compared.p95,
      agencyP50Ms: oneAgency.p50,
      agencyP95Ms: oneAgency.p95,
      yearP50Ms: year.p50,
      yearP95Ms: year.p95,
    }),
  );
} finally {
  await close();
}
