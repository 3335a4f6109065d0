// The data sets the benchmarks share (search, purge, access export): one landlord's registry with
// real-looking French names (two persons and a mobile each), and optionally a year of call history.
// Reproducible (seeded), generated in SQL on the owner connection. A kept data set (`--keep DIR`)
// can be snapshotted once and restored before each run, so that a run that changes it (the purge)
// measures the same data every time.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { femaleNamesList, lastNamesList, maleNamesList } from '../server/modules/demo/index.ts';

export type Query = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * `households` households of two persons (holder and occupant) with a mobile each, in 2,000
 * residences of one agency, 30 % marked « lives alone ». With `departures`, one household in ten
 * has left at some point of the last eight years, the indicators are nine years old and 30 % of
 * households have a rent balance (the purge's shape); without, every household lives there (the
 * search's shape).
 */
export async function generateRegistry(q: Query, org: string, households: number, options: { departures: boolean }): Promise<void> {
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
  if (options.departures) {
    await q(
      `insert into households (organisation_id, unit_id, erp_ref, status, left_at)
       select $1, u.id, 'M' || substr(u.erp_ref, 2), case when g then 'left' else 'active' end, case when g then now() - random() * interval '8 years' end
       from (select u.*, random() < 0.1 as g from housing_units u where u.organisation_id = $1) u`,
      [org],
    );
  } else {
    await q(
      `insert into households (organisation_id, unit_id, erp_ref) select $1, u.id, 'M' || substr(u.erp_ref, 2) from housing_units u where u.organisation_id = $1`,
      [org],
    );
  }
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
    select $1, h.id, 'lives_alone', 'demo', now() - $2::interval from households h where h.organisation_id = $1 and random() < 0.3`,
    [org, options.departures ? '9 years' : '0 days'],
  );
  if (options.departures) {
    await q(
      `insert into household_balances (organisation_id, household_id, balance_cents, recorded_at)
       select $1, h.id, (random() * 100000)::int, now() - random() * interval '8 years' from households h where h.organisation_id = $1 and random() < 0.3`,
      [org],
    );
  }
}

/**
 * About a year of call history on the registry: thirteen monthly campaigns (the twelve oldest
 * closed), each calling a sixth of the active households (one attempt per household called,
 * answers on all, a note on one in ten), 2 % of attempts opening a follow-up (70 % closed), 1 % of
 * queue entries visited at the door, one SMS per queue entry, one audit event per call and one
 * file read per household over the last 18 months. Returns the caller's account id.
 */
export async function generateHistory(q: Query, org: string): Promise<string> {
  const { id: userId } = (
    await q(
      `insert into users (organisation_id, email, first_name, last_name, role, status) values ($1, 'appelant@bench.fr', 'Camille', 'Appel', 'staff', 'active') returning id`,
      [org],
    )
  ).rows[0] as { id: string };
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
  return userId;
}

const run = promisify(execFile);

/**
 * A kept data set's snapshot (`DIR/pristine`, the whole data folder, owners and modes kept), made
 * once after generation while PostgreSQL is stopped, and restored before each later run.
 */
export const snapshot = {
  exists: (dir: string) => existsSync(path.join(dir, 'pristine')),
  async save(dir: string) {
    await rm(path.join(dir, 'pristine'), { recursive: true, force: true });
    await run('cp', ['-a', path.join(dir, 'data'), path.join(dir, 'pristine')]);
  },
  async restore(dir: string) {
    await rm(path.join(dir, 'data'), { recursive: true, force: true });
    await run('cp', ['-a', path.join(dir, 'pristine'), path.join(dir, 'data')]);
  },
};
