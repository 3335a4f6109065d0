// Benchmark: the arrears view « nouveaux ou aggravés depuis le … » (issue 14) over 500,000
// households with two balance files (1 March and 1 June 2020; 40 % of households have a balance,
// about half of them in debt, a third of those grown since the first file; every one with a
// monthly rent). Prints the p50 and p95 of the view (since 17 March 2020, first page of 50, by
// amount; by growth; one agency's) through the service with RLS, as one JSON line (target: under
// 500 ms). `--households N` for a smaller set; `--keep DIR` keeps the generated database for
// another run; `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of the view's statement (whole organisation, then one agency).
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { arrearsView } from '../server/modules/arrears/index.ts';
import { arrearsSinceQuery, planForArrears } from '../server/modules/registry/index.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { openBenchDatabase } from './database.ts';
import { generateRegistry } from './generate.ts';

const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '500000' },
    keep: { type: 'string' },
    runs: { type: 'string', default: '30' },
    explain: { type: 'boolean' },
  },
});
const households = Number(values.households);
const log = (m: string) => process.stderr.write(`${m}\n`);
const { config, runtime, jobs, q, close } = await openBenchDatabase('arrears', values.keep, 54413);
try {
  const reused = (await q(`select id from organisations where slug = 'bench-arrears'`)).rows[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench-arrears', name: 'Bench impayés' }));
  if (!reused) {
    const t0 = performance.now();
    await generateRegistry(q, org, households, { departures: false });
    // A second agency: half of the residences move to it.
    await q(`insert into agencies (organisation_id, code, name) values ($1, 'B', 'Agence B')`, [org]);
    await q(
      `update residences set agency_id = (select id from agencies where organisation_id = $1 and code = 'B') where organisation_id = $1 and substr(erp_code, 2)::int % 2 = 0`,
      [org],
    );
    // Two balance files: 1 March 2020 for 40 % of households (balances from -200 € to 1,800 €), 1 June 2020 for the same ones.
    await q(
      `create temporary table bench_balances as
       select h.id, (random() * 200000)::int - 20000 as first, (random() * 60000)::int + 35000 as rent, random() as r
       from households h where h.organisation_id = $1 and random() < 0.4`,
      [org],
    );
    await q(
      `insert into household_balances (organisation_id, household_id, balance_cents, balance_on, monthly_rent_cents, recorded_at)
       select $1, id, first, '2020-03-01', rent, '2020-03-02' from bench_balances`,
      [org],
    );
    await q(
      `insert into household_balances (organisation_id, household_id, balance_cents, balance_on, monthly_rent_cents, recorded_at)
       select $1, id, case when r < 0.33 then first + (random() * 50000)::int when r < 0.66 then first else first - (random() * 50000)::int end, '2020-06-01', rent, '2020-06-02'
       from bench_balances`,
      [org],
    );
    await q(
      `update households h set balance_cents = b.balance_cents, monthly_rent_cents = b.monthly_rent_cents, balance_at = '2020-06-02'
       from household_balances b where b.household_id = h.id and b.balance_on = '2020-06-01' and h.organisation_id = $1`,
      [org],
    );
    await q(
      `insert into users (organisation_id, email, first_name, last_name, role, status) values ($1, 'manager@bench.fr', 'Prénom', 'Nom', 'manager', 'active')`,
      [org],
    );
    // What autovacuum does within a minute of a real import: statistics and the visibility map
    // (without it no index-only scan is planned, and the first runs set hint bits).
    await q('vacuum analyze');
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const count = async (t: string) => (await q(`select count(*)::int as n from ${t} where organisation_id = $1`, [org])).rows[0].n as number;
  const [manager] = (await q(`select id from users where organisation_id = $1 and role = 'manager'`, [org])).rows;
  const [agency] = (await q(`select id from agencies where organisation_id = $1 and code = 'B'`, [org])).rows;
  const session = {
    organisationId: org,
    userId: manager.id as string,
    role: 'manager' as const,
    stage: 'active' as const,
    agencyIds: [],
    sessionId: '00000000-0000-7000-8000-000000000001',
    authenticatedAt: new Date(),
  };
  const deps = { config, database: runtime.database, jobs };
  const since = '2020-03-17';
  if (values.explain) {
    for (const agencyId of [undefined, agency.id as string]) {
      const plan = await runtime.database.withOrg({ organisationId: org }, async (trx) => {
        await planForArrears(trx);
        const compiled = arrearsSinceQuery({ since, sort: 'amount', limit: 50, offset: 0, agencyId }, null, false).compile(trx);
        const inlined = compiled.sql.replace(/\$(\d+)/g, (_, n) => `'${String(compiled.parameters[Number(n) - 1])}'`);
        return sql.raw(`explain (analyze, buffers) ${inlined}`).execute(trx);
      });
      log(agencyId ? '-- one agency' : '-- whole organisation');
      log((plan.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n'));
    }
  }
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
  let listed = 0;
  const byAmount = await time(async () => {
    listed = (await arrearsView(deps, session, { since, sort: 'amount', limit: 50 }, '127.0.0.1')).total;
  });
  const byGrowth = await time(() => arrearsView(deps, session, { since, sort: 'growth', limit: 50 }, '127.0.0.1'));
  const oneAgency = await time(() => arrearsView(deps, session, { since, sort: 'amount', limit: 50, agencyId: agency.id as string }, '127.0.0.1'));
  console.log(
    JSON.stringify({
      bench: 'arrears',
      households: await count('households'),
      balances: await count('household_balances'),
      listed,
      viewP50Ms: byAmount.p50,
      viewP95Ms: byAmount.p95,
      byGrowthP50Ms: byGrowth.p50,
      byGrowthP95Ms: byGrowth.p95,
      agencyP50Ms: oneAgency.p50,
      agencyP95Ms: oneAgency.p95,
    }),
  );
} finally {
  await close();
}
