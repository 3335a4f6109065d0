// Benchmark: the household search box on 1,000,000 persons with real-looking French names,
// through the service (RLS, organisation context, audit) — name, first name, typo, phone, street,
// residence and reference queries. Prints p50/p95/p99 in milliseconds as JSON.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { femaleNamesList, lastNamesList, maleNamesList } from '../server/modules/demo/index.ts';
import { benchList, benchSearch } from '../server/modules/registry/index.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { openOwnerPool } from '../server/platform/db/database.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';

const { values } = parseArgs({
  options: { persons: { type: 'string', default: '1000000' }, iterations: { type: 'string', default: '300' }, keep: { type: 'string' } },
});
const persons = Number(values.persons);
const households = Math.ceil(persons / 2);
// --keep DIR keeps (and reuses) the generated database, for diagnosis.
const dir = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'lien-bench-search-')));
await mkdir(dir, { recursive: true });
await chmod(dir, 0o755);
const log = (m: string) => process.stderr.write(`${m}\n`);
const config = loadConfig({
  LIEN_DATA_DIR: path.join(dir, 'data'),
  LIEN_PG_PORT: values.keep ? '54401' : String(40000 + Math.floor(Math.random() * 20000)),
  LOG_LEVEL: 'silent',
});
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
const owner = openOwnerPool(runtime.ownerUrl, 1);
try {
  const q = (text: string, params: unknown[] = []) => owner.query(text, params);
  const reused = (await q(`select id from organisations where slug = 'bench'`)).rows[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench', name: 'Bench' }));
  if (!reused) await generate(org);
  async function generate(org: string) {
    log(`Generating ${persons} persons in ${households} households…`);
    await q(`select setseed(0.42)`);
    await q(`insert into agencies (organisation_id, code, name) values ($1, 'A', 'Agence')`, [org]);
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
    await q(
      `insert into households (organisation_id, unit_id, erp_ref) select $1, u.id, 'M' || substr(u.erp_ref, 2) from housing_units u where u.organisation_id = $1`,
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
      `insert into vulnerability_indicators (organisation_id, household_id, kind, source)
    select $1, h.id, 'lives_alone', 'demo' from households h where h.organisation_id = $1 and random() < 0.3`,
      [org],
    );
    await q('vacuum analyze');
  }
  const sample = await q(`select value from contact_points where organisation_id = $1 limit 20`, [org]);
  const phones = sample.rows.map(
    (r) =>
      `0${String(r.value)
        .slice(3)
        .replace(/(\d{1})(\d{2})(\d{2})(\d{2})(\d{2})/, '$1 $2 $3 $4 $5')}`,
  );
  const queries = [
    'martin',
    'MARTIN',
    'bernard',
    'Martn',
    'Bernadr',
    'Lefebre',
    'Benoit Lefevre',
    'marie dubois',
    'jean petit',
    'Helene Rousseau',
    'thomas',
    'robert',
    'rue Jean Jaures',
    'avenue inconnue',
    // Issue 11: a first name alone, a street without its number (nor « rue »), a residence name.
    'marie',
    'Jaures',
    'Résidence 12',
    'L123456',
    'M4242',
    ...phones.slice(0, 6),
  ];
  log(`Running ${values.iterations} iterations of ${queries.length} queries…`);
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
  for (const query of queries) await benchSearch(deps, session, query); // warm-up
  const times: number[] = [];
  const perQuery = new Map<string, number[]>();
  for (let i = 0; i < Number(values.iterations); i++) {
    const query = queries[i % queries.length] as string;
    const t0 = performance.now();
    await benchSearch(deps, session, query);
    const ms = performance.now() - t0;
    times.push(ms);
    perQuery.set(query, [...(perQuery.get(query) ?? []), ms]);
  }
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number).toFixed(1));
  };
  const slowest = [...perQuery.entries()]
    .map(([query, xs]) => ({ query: /^0\d/.test(query) ? 'phone' : query, p95: pct(xs, 95) }))
    .sort((a, b) => b.p95 - a.p95)
    .slice(0, 5);
  // Lists (the future campaign segments) on the same data: first page of 50 with its total.
  const listCases = [
    { name: 'all', filters: { status: 'active' as const } },
    { name: 'age>=70', filters: { status: 'active' as const, minAge: 70 } },
    { name: 'age>=70+lives_alone', filters: { status: 'active' as const, minAge: 70, indicators: ['lives_alone' as const] } },
  ];
  const lists: Record<string, number> = {};
  for (const c of listCases) {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await benchList(deps, session, { fragilityMatch: 'all', ...c.filters });
      xs.push(performance.now() - t0);
    }
    lists[c.name] = pct(xs, 50);
  }
  console.log(JSON.stringify({ benchmark: 'household-list', persons, medianMsByFilter: lists }));
  console.log(
    JSON.stringify({
      benchmark: 'household-search',
      persons,
      households,
      queries: times.length,
      p50Ms: pct(times, 50),
      p95Ms: pct(times, 95),
      p99Ms: pct(times, 99),
      targetP95Ms: 100,
      aimP95Ms: 30,
      slowest,
    }),
  );
} finally {
  await owner.end();
  await jobs.stop();
  await runtime.shutdown();
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
