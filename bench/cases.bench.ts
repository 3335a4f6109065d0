// Benchmark: the manager's board of cases and « mes dossiers » (issue 14) of one landlord with
// 200,000 cases (a third still open, over two agencies and 40,000 households) and 1,000,000
// tasks (five per case, half done, due dates around today), 50 staff members sharing the open
// cases. Prints the p95 of the board (open cases of the organisation, overdue first, 100 rows),
// of the board of one agency and of « mes dossiers » (one staff member's), through the service
// with RLS, as one JSON line (target: p95 under 100 ms). `--cases N` for a smaller set (tasks: 5
// per case); `--keep DIR` keeps the generated database for another run.
import { parseArgs } from 'node:util';
import { caseBoard } from '../server/modules/followups/cases.service.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { openBenchDatabase } from './database.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '200000' }, keep: { type: 'string' }, runs: { type: 'string', default: '100' } } });
const cases = Number(values.cases);
const households = Math.max(100, Math.floor(cases / 5));
const log = (m: string) => process.stderr.write(`${m}\n`);
// --keep DIR keeps (and reuses) the generated database.
const { config, runtime, jobs, q, close } = await openBenchDatabase('cases', values.keep, 54412);
try {
  const reused = (await q(`select id from organisations where slug = 'bench-cases'`)).rows[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench-cases', name: 'Bench dossiers' }));
  if (!reused) {
    const t0 = performance.now();
    await q(`insert into agencies (organisation_id, code, name) values ($1, 'A1', 'Nord'), ($1, 'A2', 'Sud')`, [org]);
    await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city)
       select $1, a.id, 'G' || a.code, 'Résidence ' || a.code, '1 rue', '94400', 'Vitry' from agencies a where a.organisation_id = $1`,
      [org],
    );
    await q(
      `insert into housing_units (organisation_id, residence_id, erp_ref)
       select $1, (select id from residences where organisation_id = $1 order by erp_code offset (i % 2) limit 1), 'L' || i from generate_series(1, $2) i`,
      [org, households],
    );
    await q(`insert into households (organisation_id, unit_id, erp_ref) select $1, id, 'H' || erp_ref from housing_units where organisation_id = $1`, [org]);
    await q(
      `insert into users (organisation_id, email, first_name, last_name, role, status)
       select $1, 'staff' || i || '@bench.fr', 'Prénom', 'Nom ' || i, case when i = 0 then 'manager' else 'staff' end, 'active' from generate_series(0, 50) i`,
      [org],
    );
    // Cases: 7 types per household at most; the first third of the rows open (one open case per household and type).
    await q(
      `with h as (select id, row_number() over (order by id) - 1 as n, (select r.agency_id from housing_units u join residences r on r.id = u.residence_id where u.id = households.unit_id) as agency_id
                  from households where organisation_id = $1),
            staff as (select array_agg(id order by email) as ids from users where organisation_id = $1 and role = 'staff')
       insert into cases (organisation_id, household_id, agency_id, type, origin, status, outcome, assigned_to, created_at, updated_at, closed_at)
       select $1, h.id, h.agency_id, (array['isolation','food','health','rent','technical','violence','other'])[1 + (i / $3) % 7], 'call',
         case when i < $2 / 3 then (array['open','waiting_partner','waiting_tenant'])[1 + i % 3] else 'closed' end,
         case when i < $2 / 3 then null else 'resolved' end,
         case when i % 4 = 0 then null else (select ids[1 + i % 50] from staff) end,
         now() - (i % 365) * interval '1 day', now(), case when i < $2 / 3 then null else now() - (i % 300) * interval '1 day' end
       from generate_series(0, $2 - 1) i join h on h.n = i % $3`,
      [org, cases, households],
    );
    await q(
      `insert into case_tasks (organisation_id, case_id, title, due_on, done_at)
       select $1, c.id, 'Tâche ' || k, current_date + ((hashtext(c.id::text || k) % 60) - 20), case when k % 2 = 0 then now() end
       from cases c cross join generate_series(1, 5) k where c.organisation_id = $1`,
      [org],
    );
    await q('analyze');
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const count = async (t: string) => (await q(`select count(*)::int as n from ${t} where organisation_id = $1`, [org])).rows[0].n as number;
  log(`Data set: ${JSON.stringify({ cases: await count('cases'), case_tasks: await count('case_tasks') })}`);
  const [manager] = (await q(`select id from users where organisation_id = $1 and role = 'manager'`, [org])).rows;
  const [staff] = (await q(`select id from users where organisation_id = $1 and role = 'staff' order by email limit 1`, [org])).rows;
  const [agency] = (await q(`select id from agencies where organisation_id = $1 and code = 'A1'`, [org])).rows;
  const session = (userId: string, role: 'manager' | 'staff', agencyIds: string[]) => ({
    organisationId: org,
    userId,
    role,
    stage: 'active' as const,
    agencyIds,
    sessionId: '00000000-0000-7000-8000-000000000001',
    authenticatedAt: new Date(),
  });
  const deps = { config, database: runtime.database, jobs };
  const p95 = async (run: () => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await run(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return Math.round(times[Math.floor(times.length * 0.95)] as number);
  };
  const board = { status: 'active' as const, limit: 100 };
  const figures = {
    cases: await count('cases'),
    tasks: await count('case_tasks'),
    boardP95Ms: await p95(() => caseBoard(deps, session(manager.id, 'manager', []), board, '127.0.0.1')),
    agencyBoardP95Ms: await p95(() => caseBoard(deps, session(manager.id, 'manager', [agency.id]), board, '127.0.0.1')),
    mineP95Ms: await p95(() => caseBoard(deps, session(staff.id, 'staff', []), { ...board, assignee: 'me' }, '127.0.0.1')),
  };
  console.log(JSON.stringify({ bench: 'cases', ...figures }));
} finally {
  await close();
}
