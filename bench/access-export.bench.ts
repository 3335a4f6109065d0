// Benchmark: the right-of-access export of one person (TRUST DP-06, issue 13; bar: under 2 s) on a
// large landlord shaped like the purge benchmark's (bench/generate.ts: N households, two persons
// and a mobile each, 10 % gone, a year of call history — calls, queue entries, follow-ups, visits,
// SMS, one audit event per call and a file read per household). One holder of an active household
// gets data in every module on top of their share of the history (consents, declared needs, a
// regular watch, an objection, balances, calls with answers and notes, follow-ups, a visit, SMS to
// their mobile, reads of their file by staff, an ERP line). The org admin signs in (password and
// code) through the HTTP API, records the access request, then downloads the JSON, CSV and French
// PDF through `GET /api/privacy/requests/:id/export` (the real route: session, fresh sign-in,
// RLS, audit), `--runs` times each. Prints min / median / max per format beside the bar, as one
// JSON line. `--households N` for a smaller set; `--keep DIR` keeps (and reuses) the database —
// a copy of the purge bench's untouched folder (`DIR/pristine` → `DIR/data`) works too.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createActiveUser } from '../server/modules/identity/index.ts';
import { hashPassword } from '../server/platform/auth/password.ts';
import { currentTotp, newTotpSecret } from '../server/platform/auth/totp.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { openOwnerPool } from '../server/platform/db/database.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';
import { generateHistory, generateRegistry } from './generate.ts';

const { values } = parseArgs({
  options: { households: { type: 'string', default: '500000' }, keep: { type: 'string' }, runs: { type: 'string', default: '10' } },
});
const households = Number(values.households);
const runs = Number(values.runs);
const dir = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'lien-bench-access-')));
await mkdir(dir, { recursive: true });
await chmod(dir, 0o755);
const log = (m: string) => process.stderr.write(`${m}\n`);
const config = loadConfig({
  LIEN_DATA_DIR: path.join(dir, 'data'),
  LIEN_PG_PORT: values.keep ? '54421' : String(40000 + Math.floor(Math.random() * 20000)),
  LOG_LEVEL: 'silent',
  DEMO_SEED: 'false',
  WORKERS: 'false',
});
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
const owner = openOwnerPool(runtime.ownerUrl, 1);
const deps = { config, database: runtime.database, jobs };
const app = await buildApp(deps, false);
await app.ready();
try {
  const raw = (text: string, params: unknown[] = []) => owner.query(text, params);
  const q = async (text: string, params: unknown[] = []) => (await raw(text, params)).rows;
  // The purge bench's data set has the same shape: its folder can be reused.
  const reused = (await q(`select id from organisations where slug in ('bench-access', 'bench-purge') order by slug limit 1`))[0]?.id as string | undefined;
  const org = reused ?? (await createOrganisation(runtime.database, { slug: 'bench-access', name: 'Bench accès' }));
  if (!reused) {
    const t0 = performance.now();
    log(`Generating ${households} households, two persons each, and a year of calls…`);
    await generateRegistry(raw, org, households, { departures: true });
    await generateHistory(raw, org);
    await q('vacuum analyze');
    log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const rows = Object.fromEntries(
    await Promise.all(
      ['households', 'persons', 'call_attempts', 'followups', 'messages', 'audit_events'].map(async (t) => [
        t,
        (await q(`select count(*)::int as n from ${t} where organisation_id = $1`, [org]))[0]?.n as number,
      ]),
    ),
  );
  log(`Data set: ${JSON.stringify(rows)}`);

  // The person: the holder of an active household already called by the history's campaigns
  // (a kept data set already has them, with their request: the same person each run).
  const kept = (await q(`select person_id from subject_requests where organisation_id = $1 order by recorded_at limit 1`, [org]))[0];
  const subject = kept ? { personId: kept.person_id as string } : await personWithDataEverywhere(org);

  // The DPO (org admin) signs in through the API with password and code: the export needs a fresh sign-in.
  const password = 'bench-access-export-2026';
  const totpSecret = newTotpSecret();
  const email = `dpo-${Date.now()}@bench.fr`;
  const passwordHash = await hashPassword(password);
  await runtime.database.withOrg({ organisationId: org }, (trx) =>
    createActiveUser(trx, { email, firstName: 'Dominique', lastName: 'DPO', role: 'org_admin', endDate: null, passwordHash, totpSecret }),
  );
  const cookieOf = (raw: string | string[] | undefined) => String(Array.isArray(raw) ? raw[0] : raw).split(';')[0] as string;
  const signIn = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
  if (signIn.statusCode !== 200) throw new Error(`sign-in: ${signIn.body}`);
  const second = await app.inject({
    method: 'POST',
    url: '/api/auth/second-factor',
    payload: { code: currentTotp(totpSecret) },
    headers: { cookie: cookieOf(signIn.headers['set-cookie']) },
  });
  if (second.statusCode !== 200) throw new Error(`second factor: ${second.body}`);
  const cookie = cookieOf(second.headers['set-cookie']);
  const recorded = await app.inject({
    method: 'POST',
    url: '/api/privacy/requests',
    headers: { cookie },
    payload: { personId: subject.personId, kind: 'access', receivedOn: new Date().toISOString().slice(0, 10) },
  });
  if (recorded.statusCode !== 200) throw new Error(`request: ${recorded.body}`);
  const requestId = recorded.json().id as string;

  const exportOnce = async (format: 'json' | 'csv' | 'pdf') => {
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url: `/api/privacy/requests/${requestId}/export?format=${format}`, headers: { cookie } });
    const ms = performance.now() - t0;
    if (res.statusCode !== 200) throw new Error(`export ${format}: ${res.statusCode} ${res.body}`);
    return { ms, bytes: res.rawPayload.length, body: res.body };
  };
  const sections = JSON.parse((await exportOnce('json')).body).sections as Record<string, unknown[]>; // warm-up, and what it holds
  await exportOnce('csv');
  await exportOnce('pdf');
  const figures: Record<string, { minMs: number; medianMs: number; maxMs: number; bytes: number }> = {};
  const times: Record<'json' | 'csv' | 'pdf', number[]> = { json: [], csv: [], pdf: [] };
  let bytes: Record<string, number> = {};
  for (let i = 0; i < runs; i++) {
    for (const format of ['json', 'csv', 'pdf'] as const) {
      const r = await exportOnce(format);
      times[format].push(r.ms);
      bytes = { ...bytes, [format]: r.bytes };
    }
  }
  for (const format of ['json', 'csv', 'pdf'] as const) {
    const s = [...times[format]].sort((a, b) => a - b);
    const round = (x: number) => Number(x.toFixed(1));
    figures[format] = {
      minMs: round(s[0] as number),
      medianMs: round(s[Math.floor(s.length / 2)] as number),
      maxMs: round(s[s.length - 1] as number),
      bytes: bytes[format] as number,
    };
  }
  console.log(
    JSON.stringify({
      benchmark: 'access-export',
      households,
      rows,
      runs,
      exportedRows: Object.fromEntries(Object.entries(sections).map(([t, r]) => [t, r.length])),
      ...figures,
      targetMs: 2000,
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    }),
  );

  /** An active household's holder, called by the history, given data in every module (owner SQL: set-up, not measured). */
  async function personWithDataEverywhere(org: string) {
    const [h] = await q(
      `select t.household_id, p.id as person_id, c.value as phone, t.id as target_id, t.campaign_id, t.residence_id, t.agency_id,
         (select a.id from call_attempts a where a.target_id = t.id limit 1) as attempt_id
       from campaign_targets t join persons p on p.household_id = t.household_id and p.household_role = 'holder'
       join contact_points c on c.person_id = p.id
       where t.organisation_id = $1 and exists (select 1 from call_attempts a where a.target_id = t.id) order by t.id limit 1`,
      [org],
    );
    if (!h) throw new Error('no called household in the data set');
    const [user] = await q(`select id from users where organisation_id = $1 and email = 'appelant@bench.fr'`, [org]);
    const [consent] = await q(
      `insert into consents (organisation_id, household_id, person_id, purpose, channel, wording_version) values ($1, $2, $3, 'regular_watch', 'phone', 'v1') returning id`,
      [org, h.household_id, h.person_id],
    );
    await q(
      `insert into declared_needs (organisation_id, household_id, consent_id, category, label, source) values ($1, $2, $3, 'daily_life', 'Courses', 'call')`,
      [org, h.household_id, consent?.id],
    );
    await q(`insert into watch_enrolments (organisation_id, household_id, consent_id, frequency) values ($1, $2, $3, 'weekly')`, [
      org,
      h.household_id,
      consent?.id,
    ]);
    await q(`insert into objections (organisation_id, household_id, kind) values ($1, $2, 'no_sms') on conflict do nothing`, [org, h.household_id]);
    await q(
      `insert into household_balances (organisation_id, household_id, balance_cents, recorded_at) select $1, $2, 1000 * m, now() - make_interval(months => m) from generate_series(0, 11) m`,
      [org, h.household_id],
    );
    await q(
      `insert into vulnerability_indicators (organisation_id, household_id, kind, source) values ($1, $2, 'lives_alone', 'call') on conflict do nothing`,
      [org, h.household_id],
    );
    // A year of monthly calls with answers and a note, each with a follow-up, and a visit.
    await q(
      `insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, outcome, slot, answers, note, recorded_at)
       select $1, $2, $3, $4, $5, now() - make_interval(months => m), 'reached', 'morning', '{"isole": "oui", "besoin": "courses"}', 'Voisine passée, rappeler lundi.', now() - make_interval(months => m)
       from generate_series(0, 11) m`,
      [org, h.campaign_id, h.target_id, h.household_id, user?.id],
    );
    await q(
      `insert into followups (organisation_id, household_id, agency_id, attempt_id, campaign_id, label, need, created_at)
       select $1, a.household_id, $3, a.id, a.campaign_id, 'Courses', 'daily_life', a.recorded_at from call_attempts a where a.household_id = $2 and a.organisation_id = $1
       on conflict do nothing`,
      [org, h.household_id, h.agency_id],
    );
    await q(
      `insert into doorstep_visits (organisation_id, household_id, campaign_id, target_id, residence_id, agency_id, status, result, note) values ($1, $2, $3, $4, $5, $6, 'done', 'met', 'Tout va bien.')`,
      [org, h.household_id, h.campaign_id, h.target_id, h.residence_id, h.agency_id],
    );
    await q(
      `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, created_at, sent_at)
       select $1, 'sms', $2, 'Bonjour, votre bailleur prend de vos nouvelles.', 'campaign', 'access-' || $3 || '-' || m, 'sent', now() - make_interval(months => m), now() - make_interval(months => m)
       from generate_series(0, 11) m`,
      [org, h.phone, h.person_id],
    );
    // Staff read the file: fifty reads over the year.
    await q(
      `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, at, details)
       select $1, $2, 'staff', 'household.viewed', 'household', $3, now() - make_interval(days => 7 * i), '{}' from generate_series(1, 50) i`,
      [org, user?.id, h.household_id],
    );
    const [{ person_key, erp_ref, unit_id }] = (await q(
      `select p.person_key, hh.erp_ref, hh.unit_id from persons p join households hh on hh.id = p.household_id where p.id = $1`,
      [h.person_id],
    )) as [{ person_key: string; erp_ref: string; unit_id: string }];
    await q(`insert into leases (organisation_id, household_id, unit_id, erp_ref, start_date) values ($1, $2, $3, 'B-' || $4, '2015-03-01')`, [
      org,
      h.household_id,
      unit_id,
      erp_ref,
    ]);
    const [imp] = await q(
      `insert into imports (organisation_id, file_name, format, headers, status) values ($1, 'suivant.csv', 'csv', '{}', 'previewed') returning id`,
      [org],
    );
    await q(
      `insert into import_lines (organisation_id, import_id, line, household_ref, person_key, last_name, first_name) values ($1, $2, 2, $3, $4, 'MARTIN', 'Jeanne')`,
      [org, imp?.id, erp_ref, person_key],
    );
    return { householdId: h.household_id as string, personId: h.person_id as string };
  }
} finally {
  await app.close();
  await owner.end();
  await jobs.stop();
  await runtime.shutdown();
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
