// TRUST DP-02: retention per organisation × purpose and the daily purge. Two organisations get
// the same data, old and recent, in every table the purge knows; the purge of one leaves 0 expired
// rows there, keeps what has not expired, does not touch the other, writes « N purgés » to the
// audit, and removes exactly what the preview announced. The rules are edited by the DPO, bad
// input refused in French.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { purgeTargets } from './purge-targets.ts';
import { purgeOrganisation } from './retention.service.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
const one = async (text: string, values: unknown[] = []) => (await q(text, values))[0];
const OLD = `now() - interval '3 years'`;
const OLDER = `now() - interval '4 years'`;
/** Past the rental file's default: five years after the departure. */
const GONE = `now() - interval '6 years'`;

type Seeded = { org: TestOrg; userId: string; gone: string; live: string; livePerson: string; openCampaign: string };

/** One organisation's data: a household gone years ago with everything, a live household with recent data, old technical rows. */
async function seed(org: TestOrg): Promise<Seeded> {
  const o = org.id;
  const agency = org.agencyIds[0] as string;
  const user = await newUser(h, org, 'manager');
  const [res] = await q(
    `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, 'G1', 'Les Tilleuls', '1 rue A', '94400', 'Vitry') returning id`,
    [o, agency],
  );
  const household = async (ref: string, left: boolean) => {
    const [unit] = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, $3) returning id`, [o, res.id, `U-${ref}`]);
    const [hh] = await q(
      `insert into households (organisation_id, unit_id, erp_ref, holder_name, status, left_at, balance_cents, oldest_birth_date)
       values ($1, $2, $3, 'Jeanne Zébulon', $4, ${left ? GONE : 'null'}, 12000, '1940-01-01') returning id`,
      [o, unit.id, ref, left ? 'left' : 'active'],
    );
    const [p] = await q(
      `insert into persons (organisation_id, household_id, household_role, first_name, last_name, birth_date, person_key) values ($1, $2, 'holder', $3, $4, '1940-01-01', $5) returning id`,
      [o, hh.id, left ? 'Jeanne' : 'Paul', left ? 'Zébulon' : 'Martin', `K-${ref}`],
    );
    await q(`insert into contact_points (organisation_id, person_id, kind, value) values ($1, $2, 'mobile', '+33612345678')`, [o, p.id]);
    await q(`insert into leases (organisation_id, household_id, unit_id, erp_ref, start_date) values ($1, $2, $3, $4, '2000-01-01')`, [
      o,
      hh.id,
      unit.id,
      `B-${ref}`,
    ]);
    await q(`insert into household_balances (organisation_id, household_id, balance_cents, recorded_at) values ($1, $2, 12000, ${OLDER})`, [o, hh.id]);
    // Arrears (issue 14): a plan with an instalment and an FSL step in a rent case, a crisis pause (ended long ago for the household gone).
    const [rentCase] = await q(`insert into cases (organisation_id, household_id, agency_id, type, origin) values ($1, $2, $3, 'rent', 'staff') returning id`, [
      o,
      hh.id,
      agency,
    ]);
    const [plan] = await q(
      `insert into payment_plans (organisation_id, household_id, case_id, kind, amount_cents, start_on, months, signed_on, baseline_cents, created_at)
       values ($1, $2, $3, 'instalments', 12000, '2019-01-01', 1, '2019-01-01', 12000, ${OLDER}) returning id`,
      [o, hh.id, rentCase.id],
    );
    await q(`insert into plan_instalments (organisation_id, plan_id, seq, due_on, amount_cents) values ($1, $2, 1, '2019-01-01', 12000)`, [o, plan.id]);
    await q(
      `insert into arrears_steps (organisation_id, case_id, household_id, kind, filed_on, created_at) values ($1, $2, $3, 'fsl', '2019-02-01', ${OLDER})`,
      [o, rentCase.id, hh.id],
    );
    await q(
      `insert into arrears_pauses (organisation_id, household_id, until_on, reason, created_at) values ($1, $2, (${left ? GONE : 'now()'})::date, 'Confinement', ${OLDER})`,
      [o, hh.id],
    );
    await q(
      `insert into vulnerability_indicators (organisation_id, household_id, kind, source, recorded_at) values ($1, $2, 'lives_alone', 'call', ${OLDER})`,
      [o, hh.id],
    );
    return { id: hh.id as string, person: p.id as string };
  };
  const gone = await household('H-GONE', true);
  const live = await household('H-LIVE', false);

  // Fragility: a consent withdrawn long ago with its need and its ended enrolment; the live household's consent stands.
  const [withdrawn] = await q(
    `insert into consents (organisation_id, household_id, person_id, purpose, channel, wording_version, given_at, withdrawn_at)
     values ($1, $2, $3, 'regular_watch', 'phone', 'v1', ${OLDER}, ${OLD}) returning id`,
    [o, live.id, live.person],
  );
  await q(
    `insert into declared_needs (organisation_id, household_id, consent_id, category, label, source, recorded_at) values ($1, $2, $3, 'health', 'Diabète', 'call', ${OLDER})`,
    [o, live.id, withdrawn.id],
  );
  await q(
    `insert into watch_enrolments (organisation_id, household_id, consent_id, frequency, status, enrolled_at, ended_at) values ($1, $2, $3, 'weekly', 'ended', ${OLDER}, ${OLD})`,
    [o, live.id, withdrawn.id],
  );
  const [standing] = await q(
    `insert into consents (organisation_id, household_id, person_id, purpose, channel, wording_version, given_at) values ($1, $2, $3, 'regular_watch', 'phone', 'v1', ${OLDER}) returning id`,
    [o, live.id, live.person],
  );
  await q(`insert into watch_enrolments (organisation_id, household_id, consent_id, frequency, enrolled_at) values ($1, $2, $3, 'weekly', ${OLDER})`, [
    o,
    live.id,
    standing.id,
  ]);

  // Calls: a campaign closed years ago (two attempts, one whose follow-up is still open), a running one.
  const campaign = async (closed: boolean) =>
    (
      await one(
        `insert into campaigns (organisation_id, name, status, segment, script, retry_policy, call_windows, closed_at, created_by)
         values ($1, 'Canicule', $2, '{}', '{}', '{}', '{}', ${closed ? OLD : 'null'}, $3) returning id`,
        [o, closed ? 'closed' : 'active', user.id],
      )
    ).id as string;
  const closedCampaign = await campaign(true);
  const openCampaign = await campaign(false);
  const target = async (c: string, hh: string, when: string) =>
    (
      await one(
        `insert into campaign_targets (organisation_id, campaign_id, household_id, residence_id, agency_id, priority, status, updated_at) values ($1, $2, $3, $4, $5, 1, 'done', ${when}) returning id`,
        [o, c, hh, res.id, agency],
      )
    ).id as string;
  const attempt = async (c: string, t: string, hh: string, when: string) =>
    (
      await one(
        `insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, outcome, slot, answers, note, recorded_at)
         values ($1, $2, $3, $4, $5, ${when}, 'reached', 'morning', '{"isole": "oui"}', 'Voisine passée.', ${when}) returning id`,
        [o, c, t, hh, user.id],
      )
    ).id as string;
  const oldTarget = await target(closedCampaign, gone.id, OLD);
  await attempt(closedCampaign, oldTarget, gone.id, OLD);
  const oldTargetLive = await target(closedCampaign, live.id, OLD);
  const restedOn = await attempt(closedCampaign, oldTargetLive, live.id, OLD);
  await q(
    `insert into followups (organisation_id, household_id, agency_id, attempt_id, label, need, created_at) values ($1, $2, $3, $4, 'Courses', 'daily_life', ${OLD})`,
    [o, live.id, agency, restedOn],
  );
  await q(
    `insert into followups (organisation_id, household_id, agency_id, label, need, status, created_at, closed_at, resolution) values ($1, $2, $3, 'Aide', 'social', 'closed', ${OLDER}, ${OLD}, 'Orientée CCAS')`,
    [o, live.id, agency],
  );
  // The closed follow-up's case (issue 14) with a task and a health note, which only social workers and managers read.
  await q(
    `insert into case_tasks (organisation_id, case_id, title, due_on) select organisation_id, id, 'Rappeler', current_date from cases where organisation_id = $1 and status = 'closed'`,
    [o],
  );
  await q(
    `insert into case_notes (organisation_id, case_id, kind, body) select organisation_id, id, 'health', 'Passage infirmier' from cases where organisation_id = $1 and status = 'closed'`,
    [o],
  );
  // A referral of that case to a partner, reported back long ago (TRUST DP-09).
  const [partner] = await q(`insert into partners (organisation_id, name, kind) values ($1, 'CCAS de Vitry-sur-Seine', 'ccas') returning id`, [o]);
  const [agreement] = await q(
    `insert into consents (organisation_id, household_id, purpose, partner_id, channel, wording_version, given_at) values ($1, $2, 'referral', $3, 'phone', 'v1', ${OLDER}) returning id`,
    [o, live.id, partner.id],
  );
  await q(
    `insert into referrals (organisation_id, case_id, household_id, agency_id, partner_id, consent_id, fields, payload, status, outcome, sent_at, ack_due_at, acknowledged_at, reported_at)
     select organisation_id, id, household_id, agency_id, $2, $3, '{commune}', '{"commune": "Vitry-sur-Seine"}', 'reported', 'done', ${OLDER}, ${OLDER}, ${OLDER}, ${OLD}
     from cases where organisation_id = $1 and status = 'closed'`,
    [o, partner.id, agreement.id],
  );
  await q(
    `insert into doorstep_visits (organisation_id, household_id, campaign_id, target_id, residence_id, agency_id, note, created_at) values ($1, $2, $3, $4, $5, $6, 'Absent', ${OLD})`,
    [o, gone.id, closedCampaign, oldTarget, res.id, agency],
  );
  // A home lent as a shelter (issue 17), keys returned long ago: the request goes with its lending and the
  // offer with its unit row, which row-level security hides from the purge's transaction (no user): a cascade.
  const [lentUnit] = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, 'ABRI') returning id`, [o, res.id]);
  const [offer] = await q(
    `insert into lending_offers (organisation_id, audience, furnished, available_from, available_to, postal_code, city, capacity, status, keeper_id, created_at, closed_at)
     values ($1, 'violence_shelter', true, '2020-01-01', '2020-06-30', '94400', 'Vitry', 2, 'closed', $2, ${OLDER}, ${OLD}) returning id`,
    [o, user.id],
  );
  await q(`insert into lending_offer_units (offer_id, organisation_id, unit_id, confidential, keeper_id, released_at) values ($1, $2, $3, true, $4, ${OLD})`, [
    offer.id,
    o,
    lentUnit.id,
    user.id,
  ]);
  const [request] = await q(
    `insert into lending_requests (organisation_id, audience, requester_kind, requester_name, needed_from, needed_to, area, household_size, referent_id, status, created_at, closed_at)
     values ($1, 'violence_shelter', 'association', 'Solidarité Femmes', '2020-01-10', '2020-03-31', '94', 2, $2, 'closed', ${OLDER}, ${OLD}) returning id`,
    [o, user.id],
  );
  await q(
    `insert into lendings (organisation_id, offer_id, request_id, status, agreed_at, keys_handed_at, keys_returned_at) values ($1, $2, $3, 'ended', ${OLDER}, ${OLDER}, ${OLD})`,
    [o, offer.id, request.id],
  );
  // A request closed long ago on the tenant portal (issue 16) with its exchange and note, and an old code and session: all go.
  const [portalRequest] = await q(
    `insert into portal_requests (organisation_id, household_id, agency_id, person_id, category, description, status, due_at, created_at, updated_at, closed_at)
     values ($1, $2, $3, $4, 'technical', 'Fuite', 'closed', ${OLDER}, ${OLDER}, ${OLD}, ${OLD}) returning id`,
    [o, live.id, agency, live.person],
  );
  await q(
    `insert into portal_request_messages (organisation_id, request_id, household_id, author, person_id, body, created_at) values ($1, $2, $3, 'tenant', $4, 'Bonjour', ${OLDER})`,
    [o, portalRequest.id, live.id, live.person],
  );
  // Its photo (platform/files): the record goes with the exchange that held it.
  const [photo] = await q(
    `insert into files (organisation_id, storage_name, file_name, content_type, size_bytes, purpose, scan_status, created_at)
     values ($1, md5(random()::text), 'fuite.jpg', 'image/jpeg', 10, 'portal_request', 'clean', ${OLDER}) returning id`,
    [o],
  );
  await q(
    `insert into portal_request_messages (organisation_id, request_id, household_id, author, person_id, body, file_id, created_at) values ($1, $2, $3, 'tenant', $4, '', $5, ${OLDER})`,
    [o, portalRequest.id, live.id, live.person, photo.id],
  );
  await q(`insert into portal_request_notes (organisation_id, request_id, body, created_at) values ($1, $2, 'Note', ${OLDER})`, [o, portalRequest.id]);
  // Portal documents (issue 16): one withdrawn long ago, and a document asked for, sent and accepted long ago: their rows go.
  const [portalFile] = await q(
    `insert into files (organisation_id, storage_name, file_name, content_type, size_bytes, purpose, scan_status)
     values ($1, md5(random()::text), 'attestation.pdf', 'application/pdf', 100, 'portal_document', 'clean') returning id`,
    [o],
  );
  await q(
    `insert into portal_documents (organisation_id, household_id, kind, title, file_id, published_at, withdrawn_at) values ($1, $2, 'attestation', 'Attestation', $3, ${OLDER}, ${OLD})`,
    [o, live.id, portalFile.id],
  );
  const [documentRequest] = await q(
    `insert into portal_document_requests (organisation_id, household_id, label, status, asked_at, updated_at, closed_at) values ($1, $2, 'RIB', 'accepted', ${OLDER}, ${OLD}, ${OLD}) returning id`,
    [o, live.id],
  );
  await q(
    `insert into portal_document_uploads (organisation_id, request_id, household_id, file_id, person_id, uploaded_at) values ($1, $2, $3, $4, $5, ${OLDER})`,
    [o, documentRequest.id, live.id, portalFile.id, live.person],
  );
  await q(
    `insert into portal_codes (organisation_id, person_id, household_id, contact_point_id, code_hash, expires_at, used_at, created_at)
     values ($1, $2, $3, gen_random_uuid(), decode(md5(random()::text), 'hex'), ${OLD}, ${OLD}, ${OLD})`,
    [o, live.person, live.id],
  );
  await q(
    `insert into tenant_sessions (organisation_id, person_id, household_id, token_hash, created_at, last_seen_at, ended_at)
     values ($1, $2, $3, decode(md5(random()::text), 'hex'), ${OLD}, ${OLD}, ${OLD})`,
    [o, live.person, live.id],
  );
  // A delivery not handed over twice long ago (issue 17), with the doorstep visit it opened (made): both go.
  const [delivery] = await q(
    `insert into deliveries (organisation_id, household_id, agency_id, kind, due_on, assignee_id, status, not_home_count, done_at, created_at)
     values ($1, $2, $3, 'meal', '2020-01-01', $4, 'not_home', 2, ${OLD}, ${OLDER}) returning id`,
    [o, live.id, agency, user.id],
  );
  await q(
    `insert into doorstep_visits (organisation_id, household_id, delivery_id, residence_id, agency_id, status, result, created_at, visited_at) values ($1, $2, $3, $4, $5, 'done', 'met', ${OLD}, ${OLD})`,
    [o, live.id, delivery.id, res.id, agency],
  );
  // A food distribution held long ago, the household invited and present.
  const [distribution] = await q(
    `insert into distributions (organisation_id, partner_id, kind, held_on, place, capacity) values ($1, $2, 'food_parcel', (${OLD})::date, 'Salle commune', 50) returning id`,
    [o, partner.id],
  );
  await q(
    `insert into distribution_invitees (organisation_id, distribution_id, household_id, source, invited_at, attended) values ($1, $2, $3, 'food_case', ${OLDER}, true)`,
    [o, distribution.id, live.id],
  );
  // An appointment at the agency long ago (issue 16): the slot, the booking, a waiting entry.
  const [slot] = await q(
    `insert into appointment_slots (organisation_id, agency_id, starts_at, ends_at, capacity, reasons, address, created_at)
     values ($1, $2, ${OLD}, ${OLD} + interval '30 minutes', 1, '{documents}', '3 place de la Mairie', ${OLDER}) returning id`,
    [o, agency],
  );
  await q(
    `insert into appointment_bookings (organisation_id, slot_id, household_id, reason, status, created_at) values ($1, $2, $3, 'documents', 'attended', ${OLDER})`,
    [o, slot.id, live.id],
  );
  await q(
    `insert into appointment_waitlist (organisation_id, slot_id, household_id, reason, status, joined_at) values ($1, $2, $3, 'documents', 'left', ${OLDER})`,
    [o, slot.id, gone.id],
  );
  // A contact with the household at the foot of its building, long ago.
  const [event] = await q(`insert into outreach_events (organisation_id, residence_id, held_on) values ($1, $2, (${OLD})::date) returning id`, [o, res.id]);
  await q(`insert into outreach_contacts (organisation_id, event_id, household_id, topics, recorded_at) values ($1, $2, $3, '{isolation}', ${OLD})`, [
    o,
    event.id,
    live.id,
  ]);
  // A volunteer's sign-up declined long ago.
  await q(
    `insert into volunteer_applications (organisation_id, first_name, last_name, email, availability, skills, area, status, decided_at, created_at)
     values ($1, 'Paul', 'Durand', 'paul@example.fr', 'Le soir', '{calls}', 'Vitry', 'declined', ${OLD}, ${OLDER})`,
    [o],
  );
  // A call for help closed long ago, and the household's answer (issue 17).
  const [helpCall] = await q(
    `insert into help_calls (organisation_id, question, skill, audience, plan, status, created_at, sent_at, closed_at)
     values ($1, 'Savez-vous coudre des masques ?', 'sewing', 'segment', '{}', 'closed', ${OLDER}, ${OLDER}, ${OLD}) returning id`,
    [o],
  );
  await q(
    `insert into help_call_recipients (organisation_id, call_id, household_id, mobile, token_hash, answer, answered_via, answered_at, created_at)
     values ($1, $2, $3, '+33612345678', $4, 'yes', 'link', ${OLDER}, ${OLDER})`,
    [o, helpCall.id, live.id, randomBytes(32)],
  );
  const recentTarget = await target(openCampaign, live.id, 'now()');
  await attempt(openCampaign, recentTarget, live.id, 'now()');

  // Outbox, import files, sessions, tokens, recovery codes, audit trail: old and recent.
  for (const [key, when] of [
    ['old', OLD],
    ['new', 'now()'],
  ] as const) {
    await q(
      `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, created_at, sent_at) values ($1, 'sms', '+33612345678', 'Bonjour', 'campaign', $2, 'sent', ${when}, ${when})`,
      [o, `m-${key}-${o}`],
    );
    const [imp] = await q(
      `insert into imports (organisation_id, file_name, format, headers, status, created_at, updated_at) values ($1, 'export.csv', 'csv', '{}', 'applied', ${when}, ${when}) returning id`,
      [o],
    );
    await q(`insert into import_lines (organisation_id, import_id, line, last_name, first_name) values ($1, $2, 2, 'ZEBULON', 'Jeanne')`, [o, imp.id]);
    await q(`insert into import_cells (organisation_id, import_id, line, cells) values ($1, $2, 2, '{Zébulon,Jeanne}')`, [o, imp.id]);
    await q(
      `insert into balance_imports (organisation_id, file_name, status, total_lines, lines, errors, created_at, applied_at) values ($1, 'soldes.csv', 'applied', 1, '[]', '[]', ${when}, ${when})`,
      [o],
    );
    await q(
      `insert into sessions (organisation_id, user_id, token_hash, stage, created_at, last_seen_at, ended_at) values ($1, $2, decode(md5(random()::text), 'hex'), 'active', ${when}, ${when}, ${when})`,
      [o, user.id],
    );
    await q(
      `insert into user_tokens (organisation_id, user_id, purpose, token_hash, created_at, expires_at, used_at) values ($1, $2, 'invitation', decode(md5(random()::text), 'hex'), ${when}, ${when}, ${when})`,
      [o, user.id],
    );
    await q(
      `insert into user_recovery_codes (organisation_id, user_id, code_hash, created_at, used_at) values ($1, $2, decode(md5(random()::text), 'hex'), ${when}, ${when})`,
      [o, user.id],
    );
    // A send of a template to the household with its letter (messaging, issue 15).
    const [template] = await q(`insert into message_templates (organisation_id, name, channels, body) values ($1, $2, '{letter}', 'Bonjour') returning id`, [
      o,
      `Modèle ${key}`,
    ]);
    const [send] = await q(
      `insert into message_sends (organisation_id, template_id, audience, audience_ref, plan, status, created_at, finished_at) values ($1, $2, 'household', '{}', '{}', 'queued', ${when}, ${when}) returning id`,
      [o, template.id],
    );
    await q(
      `insert into message_letters (organisation_id, send_id, household_id, address, body, created_at) values ($1, $2, $3, '{Mme Jeanne}', 'Bonjour', ${when})`,
      [o, send.id, live.id],
    );
    await q(`insert into audit_events (organisation_id, action, object_type, object_id, at) values ($1, 'household.viewed', 'household', $2, ${when})`, [
      o,
      gone.id,
    ]);
  }
  // Requests about data: one answered six years ago (past the five years of proof), one answered
  // a month ago, one still open though received long ago (an open request is never purged).
  for (const [status, answered, received] of [
    ['answered', GONE, '2020-01-02'],
    ['answered', `now() - interval '1 month'`, '2026-10-01'],
    ['open', 'null', '2019-01-02'],
  ] as const) {
    await q(
      `insert into subject_requests (organisation_id, household_id, person_id, kind, received_on, due_on, status, recorded_at, answered_at)
       values ($1, $2, $3, 'access', $4::date, $4::date + 30, $5, ${GONE}, ${answered})`,
      [o, live.id, live.person, received, status],
    );
  }
  return { org, userId: user.id, gone: gone.id, live: live.id, livePerson: live.person, openCampaign };
}

/** Rows past every default rule (3 years and more), table by table, in an organisation; anonymised rows are not expired. */
async function expiredRows(o: string): Promise<Record<string, number>> {
  const old = `< now() - interval '2 years'`;
  const checks: Record<string, string> = {
    followups: `select count(*) from followups where organisation_id = $1 and closed_at ${old}`,
    cases: `select count(*) from cases where organisation_id = $1 and closed_at ${old}`,
    referrals: `select count(*) from referrals where organisation_id = $1 and reported_at ${old}`,
    case_tasks: `select count(*) from case_tasks t join cases c on c.id = t.case_id where t.organisation_id = $1 and c.closed_at ${old}`,
    case_notes: `select count(*) from case_notes n join cases c on c.id = n.case_id where n.organisation_id = $1 and c.closed_at ${old}`,
    doorstep_visits: `select count(*) from doorstep_visits where organisation_id = $1 and created_at ${old}`,
    call_attempts: `select count(*) from call_attempts where organisation_id = $1 and recorded_at ${old} and (note is not null or answers <> '{}')`,
    // A queue entry stays while the anonymised attempt of a kept follow-up hangs on it.
    campaign_targets: `select count(*) from campaign_targets t where organisation_id = $1 and updated_at ${old}
      and not exists (select 1 from call_attempts a join followups f on f.attempt_id = a.id where a.target_id = t.id)`,
    watch_enrolments: `select count(*) from watch_enrolments where organisation_id = $1 and ended_at ${old}`,
    declared_needs: `select count(*) from declared_needs d where organisation_id = $1 and exists (select 1 from consents c where c.id = d.consent_id and c.withdrawn_at is not null)`,
    consents: `select count(*) from consents where organisation_id = $1 and withdrawn_at ${old}`,
    vulnerability_indicators: `select count(*) from vulnerability_indicators v join households h on h.id = v.household_id where v.organisation_id = $1 and h.left_at ${old}`,
    household_balances: `select count(*) from household_balances b join households h on h.id = b.household_id where b.organisation_id = $1 and h.left_at ${old}`,
    balance_imports: `select count(*) from balance_imports where organisation_id = $1 and coalesce(applied_at, created_at) ${old}`,
    payment_plans: `select count(*) from payment_plans p join households h on h.id = p.household_id where p.organisation_id = $1 and h.left_at ${old}`,
    plan_instalments: `select count(*) from plan_instalments i join payment_plans p on p.id = i.plan_id join households h on h.id = p.household_id where i.organisation_id = $1 and h.left_at ${old}`,
    arrears_steps: `select count(*) from arrears_steps s join households h on h.id = s.household_id where s.organisation_id = $1 and h.left_at ${old}`,
    arrears_pauses: `select count(*) from arrears_pauses where organisation_id = $1 and until_on < now() - interval '2 years'`,
    contact_points: `select count(*) from contact_points c join persons p on p.id = c.person_id join households h on h.id = p.household_id where c.organisation_id = $1 and h.left_at ${old}`,
    persons: `select count(*) from persons p join households h on h.id = p.household_id where p.organisation_id = $1 and h.left_at ${old} and p.last_name <> 'Anonyme'`,
    leases: `select count(*) from leases l join households h on h.id = l.household_id where l.organisation_id = $1 and h.left_at ${old} and l.erp_ref not like 'anonyme-%'`,
    households: `select count(*) from households where organisation_id = $1 and left_at ${old} and (holder_name is not null or erp_ref not like 'anonyme-%')`,
    person_names: `select count(*) from person_names where organisation_id = $1 and name in ('zebulon', 'jeanne')`,
    imports: `select count(*) from imports where organisation_id = $1 and created_at ${old}`,
    import_lines: `select count(*) from import_lines where organisation_id = $1 and last_name = 'ZEBULON' and import_id in (select id from imports where created_at ${old})`,
    import_cells: `select count(*) from import_cells where organisation_id = $1 and import_id in (select id from imports where created_at ${old})`,
    messages: `select count(*) from messages where organisation_id = $1 and created_at ${old}`,
    message_letters: `select count(*) from message_letters where organisation_id = $1 and created_at ${old}`,
    message_sends: `select count(*) from message_sends where organisation_id = $1 and created_at ${old}`,
    sessions: `select count(*) from sessions where organisation_id = $1 and created_at ${old}`,
    user_tokens: `select count(*) from user_tokens where organisation_id = $1 and created_at ${old}`,
    user_recovery_codes: `select count(*) from user_recovery_codes where organisation_id = $1 and created_at ${old}`,
    audit_events: `select count(*) from audit_events where organisation_id = $1 and at ${old}`,
    subject_requests: `select count(*) from subject_requests where organisation_id = $1 and answered_at < now() - interval '5 years'`,
    lending_requests: `select count(*) from lending_requests where organisation_id = $1 and closed_at ${old}`,
    portal_requests: `select count(*) from portal_requests where organisation_id = $1 and closed_at ${old}`,
    portal_request_messages: `select count(*) from portal_request_messages m join portal_requests q on q.organisation_id = m.organisation_id and q.id = m.request_id
      where m.organisation_id = $1 and q.closed_at ${old}`,
    portal_request_notes: `select count(*) from portal_request_notes n join portal_requests q on q.organisation_id = n.organisation_id and q.id = n.request_id
      where n.organisation_id = $1 and q.closed_at ${old}`,
    // A request's file held by no exchange, or only by exchanges of requests closed long ago.
    files: `select count(*) from files f where organisation_id = $1 and purpose = 'portal_request' and not exists (select 1 from portal_request_messages m
      join portal_requests q on q.organisation_id = m.organisation_id and q.id = m.request_id where m.file_id = f.id and not q.closed_at ${old})`,
    portal_codes: `select count(*) from portal_codes where organisation_id = $1 and created_at ${old}`,
    portal_documents: `select count(*) from portal_documents where organisation_id = $1 and withdrawn_at ${old}`,
    portal_document_requests: `select count(*) from portal_document_requests where organisation_id = $1 and closed_at ${old}`,
    portal_document_uploads: `select count(*) from portal_document_uploads u join portal_document_requests d on d.organisation_id = u.organisation_id and d.id = u.request_id
      where u.organisation_id = $1 and d.closed_at ${old}`,
    tenant_sessions: `select count(*) from tenant_sessions where organisation_id = $1 and created_at ${old}`,
    deliveries: `select count(*) from deliveries where organisation_id = $1 and done_at ${old}`,
    outreach_contacts: `select count(*) from outreach_contacts where organisation_id = $1 and recorded_at ${old}`,
    distribution_invitees: `select count(*) from distribution_invitees i join distributions d on d.id = i.distribution_id where i.organisation_id = $1 and d.held_on ${old}`,
    appointment_slots: `select count(*) from appointment_slots where organisation_id = $1 and ends_at ${old}`,
    appointment_bookings: `select count(*) from appointment_bookings b join appointment_slots s on s.id = b.slot_id where b.organisation_id = $1 and s.ends_at ${old}`,
    appointment_waitlist: `select count(*) from appointment_waitlist w join appointment_slots s on s.id = w.slot_id where w.organisation_id = $1 and s.ends_at ${old}`,
    volunteer_applications: `select count(*) from volunteer_applications where organisation_id = $1 and status = 'declined' and decided_at ${old}`,
    help_calls: `select count(*) from help_calls where organisation_id = $1 and closed_at ${old}`,
    help_call_recipients: `select count(*) from help_call_recipients r join help_calls c on c.id = r.call_id where r.organisation_id = $1 and c.closed_at ${old}`,
    lending_offers: `select count(*) from lending_offers o where organisation_id = $1 and closed_at ${old}
      and not exists (select 1 from lending_offer_units u where u.offer_id = o.id and u.released_at is null)`,
  };
  const counts: Record<string, number> = {};
  for (const [table, text] of Object.entries(checks)) counts[table] = Number((await one(text, [o])).count);
  return counts;
}

/** Every row of an organisation in every table the purge knows, as text: to prove nothing changed. */
async function snapshot(o: string): Promise<string> {
  const tables = [...new Set(purgeTargets.map((t) => t.table))].sort();
  const parts: string[] = [];
  for (const t of tables) parts.push(JSON.stringify(await q(`select * from ${t} where organisation_id = $1 order by 1, 2, 3`, [o])));
  return parts.join('\n');
}

describe('the retention purge (TRUST DP-02)', () => {
  let a: Seeded;
  let b: Seeded;
  beforeAll(async () => {
    a = await seed(await newOrganisation(h));
    b = await seed(await newOrganisation(h));
  });

  it('the preview counts what the purge then removes, 0 expired rows are left, recent data and the other organisation are untouched, « N purgés » is audited', async () => {
    // Before: every table the test checks has expired rows in both organisations.
    const before = await expiredRows(a.org.id);
    const empty = Object.entries(before).filter(([, n]) => n === 0);
    expect(empty, `tables without expired seed rows: ${empty.map(([t]) => t).join(', ')}`).toEqual([]);
    expect(new Set(Object.keys(before))).toEqual(new Set(purgeTargets.map((t) => t.table)));

    const admin = await newUser(h, a.org, 'org_admin');
    const cookie = await signIn(h, admin);
    const preview = await h.app.inject({ method: 'GET', url: '/api/retention/preview', headers: { cookie } });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(new Date(p.nextPurgeAt).getTime()).toBeGreaterThan(Date.now());
    expect(p.total).toBeGreaterThan(0);

    const otherBefore = await snapshot(b.org.id);
    const lines = await purgeOrganisation(h.database, a.org.id, new Date(p.nextPurgeAt));
    // The preview announced exactly what the purge removed, line by line.
    expect(lines.map((l) => [l.table, l.action, l.count])).toEqual(
      p.lines.map((l: { table: string; action: string; count: number }) => [l.table, l.action, l.count]),
    );

    const after = await expiredRows(a.org.id);
    const left = Object.entries(after).filter(([, n]) => n > 0);
    expect(left, `expired rows left: ${JSON.stringify(left)}`).toEqual([]);
    // The shelter's unit row, hidden from the purge's transaction by its policy, went with its offer.
    expect((await one(`select count(*)::int as n from lending_offer_units where organisation_id = $1`, [a.org.id])).n).toBe(0);
    // The other organisation: not one row changed.
    expect(await snapshot(b.org.id)).toBe(otherBefore);
    expect(await expiredRows(b.org.id)).toEqual(before);

    // What has not expired stays: the live household, its standing consent and enrolment, the open follow-up, recent rows.
    expect(await one(`select first_name, last_name from persons where id = $1`, [a.livePerson])).toEqual({ first_name: 'Paul', last_name: 'Martin' });
    expect(Number((await one(`select count(*) from contact_points where person_id = $1`, [a.livePerson])).count)).toBe(1);
    expect(Number((await one(`select count(*) from watch_enrolments where organisation_id = $1 and ended_at is null`, [a.org.id])).count)).toBe(1);
    expect(Number((await one(`select count(*) from followups where organisation_id = $1 and status = 'open'`, [a.org.id])).count)).toBe(1);
    expect(Number((await one(`select count(*) from call_attempts where campaign_id = $1 and note is not null`, [a.openCampaign])).count)).toBe(1);
    expect(Number((await one(`select count(*) from messages where organisation_id = $1`, [a.org.id])).count)).toBe(1);
    expect(Number((await one(`select count(*) from person_names where organisation_id = $1 and name = 'martin'`, [a.org.id])).count)).toBe(1);
    // The request answered a month ago and the one still open stay.
    expect((await q(`select status from subject_requests where organisation_id = $1 order by status`, [a.org.id])).map((r) => r.status)).toEqual([
      'answered',
      'open',
    ]);
    // The attempt the open follow-up rests on is kept, emptied of its answers and note.
    expect(await one(`select a.note, a.answers from call_attempts a join followups f on f.attempt_id = a.id where f.organisation_id = $1`, [a.org.id])).toEqual(
      {
        note: null,
        answers: {},
      },
    );

    // « N purgés », with the count per table and purpose, in the audit trail of this organisation only.
    const audited = await q(`select organisation_id, details from audit_events where action = 'retention.purged' and organisation_id in ($1, $2)`, [
      a.org.id,
      b.org.id,
    ]);
    expect(audited).toHaveLength(1);
    const total = lines.reduce((n, l) => n + l.count, 0);
    expect(audited[0]).toMatchObject({ organisation_id: a.org.id, details: { total, summary: `${total} purgés` } });
    expect(audited[0].details.lines).toContainEqual({ table: 'followups', purpose: 'fragility_register', action: 'delete', count: 1 });

    // A second run finds nothing more.
    const again = await purgeOrganisation(h.database, a.org.id, new Date(p.nextPurgeAt));
    expect(again.reduce((n, l) => n + l.count, 0)).toBe(0);
    const journal = await h.app.inject({ method: 'GET', url: '/api/retention/preview', headers: { cookie } });
    expect(journal.json().total).toBe(0);
  });

  it('the database refuses to purge the audit trail younger than the organisation’s rule (12 months by default, 6 at least), even through the function', async () => {
    const { sql } = await import('kysely');
    const org = await newOrganisation(h);
    const [{ id: eventId }] = await q(
      `insert into audit_events (organisation_id, action, object_type, at) values ($1, 'household.viewed', 'household', now() - interval '9 months') returning id`,
      [org.id],
    );
    const purgeAudit = (before: string) =>
      h.database.withOrg({ organisationId: org.id }, async (trx) =>
        Number((await sql<{ n: string }>`select lien_purge_audit(now() - ${before}::interval) as n`.execute(trx)).rows[0]?.n),
      );
    const rule = (months: number) =>
      q(
        `insert into retention_rules (organisation_id, purpose, end_kind, months) values ($1, 'security', 'fixed', $2)
         on conflict (organisation_id, purpose) do update set months = excluded.months`,
        [org.id, months],
      );
    // No rule of its own: twelve months; a cut-off of eight months ago is refused, the event stays.
    await expect(purgeAudit('8 months')).rejects.toThrow(/organisation's rule/);
    await expect(purgeAudit('1 month')).rejects.toThrow(/organisation's rule/);
    // Its rule says twelve: same refusal.
    await rule(12);
    await expect(purgeAudit('11 months')).rejects.toThrow(/organisation's rule/);
    expect(await q(`select id from audit_events where id = $1`, [eventId])).toHaveLength(1);
    // A rule written below the floor straight into the table (the API refuses it): six months still hold.
    await rule(3);
    await expect(purgeAudit('4 months')).rejects.toThrow(/never less than six months/);
    expect(await q(`select id from audit_events where id = $1`, [eventId])).toHaveLength(1);
    // Its rule says six: eight months ago is allowed, and deletes the nine-month-old event.
    await rule(6);
    expect(await purgeAudit('8 months')).toBe(1);
    expect(await q(`select id from audit_events where id = $1`, [eventId])).toHaveLength(0);
  });
});

describe('retention rules (TRUST DP-02)', () => {
  it('lists the defaults, lets the DPO change and reset one (audited), refuses bad input in French', async () => {
    const org = await newOrganisation(h);
    const admin = await newUser(h, org, 'org_admin');
    const cookie = await signIn(h, admin);
    const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      h.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

    const rules = await call('GET', '/api/retention/rules');
    expect(rules.statusCode, rules.body).toBe(200);
    expect(rules.json()).toContainEqual(expect.objectContaining({ purpose: 'fragility_register', endKind: 'end_of_followup', months: 0, isDefault: true }));
    expect(rules.json()).toContainEqual(expect.objectContaining({ purpose: 'security', endKind: 'fixed', months: 12, isDefault: true }));

    const changed = await call('PUT', '/api/retention/rules/campaign', { endKind: 'fixed', months: 6 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toContainEqual(expect.objectContaining({ purpose: 'campaign', endKind: 'fixed', months: 6, isDefault: false, defaultMonths: 12 }));
    const audit = await one(`select details from audit_events where organisation_id = $1 and action = 'retention.rule_changed'`, [org.id]);
    expect(audit.details).toEqual({ purpose: 'campaign', endKind: 'fixed', months: 6 });

    // Bad input: refused with a French message, nothing written.
    const cases: [string, object, RegExp][] = [
      ['/api/retention/rules/campaign', { endKind: 'fixed', months: -1 }, /ne peut pas être négative/],
      ['/api/retention/rules/campaign', { endKind: 'fixed', months: 500 }, /120 mois au plus/],
      ['/api/retention/rules/campaign', { endKind: 'forever', months: 3 }, /Type de fin invalide/],
      ['/api/retention/rules/campaign', { endKind: 'fixed', months: 2.5 }, /nombre entier de mois/],
      ['/api/retention/rules/nothing', { endKind: 'fixed', months: 3 }, /Finalité inconnue/],
      ['/api/retention/rules/security', { endKind: 'fixed', months: 3 }, /entre 6 et 12 mois/],
      ['/api/retention/rules/security', { endKind: 'purpose_lasts', months: 12 }, /durée fixe/],
      ['/api/retention/rules/arrears', { endKind: 'end_of_followup', months: 0 }, /fin du suivi/],
    ];
    for (const [url, body, message] of cases) {
      const res = await call('PUT', url, body);
      expect([400, 422], `${url} ${JSON.stringify(body)}: ${res.body}`).toContain(res.statusCode);
      expect(res.json().detail).toMatch(message);
    }
    const [{ count }] = await q(`select count(*) from retention_rules where organisation_id = $1`, [org.id]);
    expect(Number(count)).toBe(1);
    expect((await q(`select months from retention_rules where organisation_id = $1`, [org.id]))[0].months).toBe(6);

    // The shortest audit trail allowed: the preview, run at the next purge's time, still works.
    expect((await call('PUT', '/api/retention/rules/security', { endKind: 'fixed', months: 6 })).statusCode).toBe(200);
    const preview = await call('GET', '/api/retention/preview');
    expect(preview.statusCode, preview.body).toBe(200);
    expect((await call('DELETE', '/api/retention/rules/security')).statusCode).toBe(200);

    const reset = await call('DELETE', '/api/retention/rules/campaign');
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toContainEqual(expect.objectContaining({ purpose: 'campaign', months: 12, isDefault: true }));

    // Only the DPO's role: a manager gets 403.
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    const denied = await h.app.inject({ method: 'GET', url: '/api/retention/rules', headers: { cookie: manager } });
    expect(denied.statusCode).toBe(403);
  });
});
