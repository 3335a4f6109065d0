// Benchmark (issue 16): 200 tenants booking the same 10 seats at once. One slot of 10 seats, 200
// households of its agency (each with a mobile: the confirmation goes to the outbox), 200
// `bookAppointment` calls started together on the app's pool (20 connections): exactly 10
// bookings, and no error other than « plus de place » (slot_full). Runs `--runs` rounds (a new
// slot each) and prints the wall time of a round and the p95 of one booking call, as one JSON line.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { bookAppointment } from '../server/modules/appointments/index.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { openBenchDatabase } from './database.ts';

const { values } = parseArgs({
  options: { tenants: { type: 'string', default: '200' }, seats: { type: 'string', default: '10' }, runs: { type: 'string', default: '5' } },
});
const tenants = Number(values.tenants);
const seats = Number(values.seats);
const runs = Number(values.runs);

const { config, runtime, jobs, q, close } = await openBenchDatabase('appointments', undefined, 0);
try {
  await jobs.start();
  const org = await createOrganisation(runtime.database, { slug: 'bench-appointments', name: 'Bench rendez-vous' });
  const agency = (await q(`insert into agencies (organisation_id, code, name) values ($1, 'A1', 'Vitry Nord') returning id`, [org])).rows[0].id as string;
  const residence = (
    await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, 'G1', 'Les Tilleuls', '12 rue Jean Jaurès', '94400', 'Vitry-sur-Seine') returning id`,
      [org, agency],
    )
  ).rows[0].id as string;
  await q(`insert into housing_units (organisation_id, residence_id, erp_ref) select $1, $2, 'L' || i from generate_series(1, $3) i`, [
    org,
    residence,
    tenants,
  ]);
  await q(`insert into households (organisation_id, unit_id, erp_ref) select $1, id, 'H' || erp_ref from housing_units where organisation_id = $1`, [org]);
  await q(
    `insert into persons (organisation_id, household_id, household_role, first_name, last_name, person_key)
     select $1, id, 'holder', 'Prénom', 'Nom ' || erp_ref, 'P' || erp_ref from households where organisation_id = $1`,
    [org],
  );
  await q(
    `insert into contact_points (organisation_id, person_id, kind, value)
     select $1, id, 'mobile', '+3361' || lpad((row_number() over (order by id))::text, 7, '0') from persons where organisation_id = $1`,
    [org],
  );
  const people = (await q(`select household_id, id from persons where organisation_id = $1`, [org])).rows as { household_id: string; id: string }[];
  const deps = { config, database: runtime.database, jobs };

  const rounds: { wallMs: number; booked: number; full: number; other: number }[] = [];
  const calls: number[] = [];
  for (let run = 0; run < runs; run++) {
    const slot = (
      await q(
        `insert into appointment_slots (organisation_id, agency_id, starts_at, ends_at, capacity, reasons, address)
         values ($1, $2, now() + ($4 + 2) * interval '1 day', now() + ($4 + 2) * interval '1 day' + interval '30 minutes', $3, '{documents}', '3 place de la Mairie') returning id`,
        [org, agency, seats, run],
      )
    ).rows[0].id as string;
    const start = performance.now();
    const results = await Promise.allSettled(
      people.map(async (p) => {
        const t0 = performance.now();
        try {
          return await bookAppointment(deps, { organisationId: org, householdId: p.household_id, personId: p.id }, { slotId: slot, reason: 'documents' });
        } finally {
          calls.push(performance.now() - t0);
        }
      }),
    );
    const wallMs = performance.now() - start;
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code?: string; message?: string });
    const inDb = (await q(`select count(*)::int as n from appointment_bookings where slot_id = $1 and status = 'booked'`, [slot])).rows[0].n as number;
    const full = errors.filter((e) => e.code === 'slot_full' && e.message?.includes('plus de place')).length;
    for (const e of errors.filter((x) => x.code !== 'slot_full').slice(0, 3)) process.stderr.write(`other error: ${e.code} ${e.message}\n`);
    rounds.push({ wallMs, booked: inDb, full, other: errors.length - full });
  }
  calls.sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x);
  const exact = rounds.every((r) => r.booked === seats && r.full === tenants - seats && r.other === 0);
  console.log(
    JSON.stringify({
      bench: 'appointments-race',
      tenants,
      seats,
      runs,
      poolConnections: 20,
      bookingsPerRound: rounds.map((r) => r.booked),
      slotFullPerRound: rounds.map((r) => r.full),
      otherErrors: rounds.reduce((n, r) => n + r.other, 0),
      roundWallMsMedian: ms(rounds.map((r) => r.wallMs).sort((a, b) => a - b)[Math.floor(rounds.length / 2)] ?? 0),
      callP95Ms: ms(calls[Math.floor(calls.length * 0.95)] ?? 0),
      exactlyTheSeats: exact,
      met: exact,
      cpus: os.cpus().length,
    }),
  );
  if (!exact) process.exitCode = 1;
} finally {
  await close();
}
