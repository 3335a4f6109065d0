import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { storeFile } from '../../platform/files/files.ts';
import { admin, at, callers, h, ids, inject, manager, newCampaign, next, org, outcome, setUpCampaignWorld } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';
import { pdfText } from '../../test/pdf-text.ts';

setUpCampaignWorld();

// Executing needs a sign-in less than 5 minutes old: each test starts from one, however long the run.
beforeEach(async () => {
  await h.owner.query(`update sessions set authenticated_at = now() where ended_at is null and organisation_id = $1`, [org.id]);
});

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
const count = async (table: string, where: string, values: unknown[]) =>
  (await q(`select count(*)::int as n from ${table} where ${where}`, values))[0].n as number;
const personOf = async (hh: string) => (await q('select id from persons where household_id = $1', [hh]))[0].id as string;

/** Gives a household data of every purpose: a reached call and its follow-up, the fragility register, balances, a doorstep visit, a campaign SMS. */
async function seed(hh: string, balanceCents: number) {
  const personId = await personOf(hh);
  const c = callers[0] as { cookie: string; user: { id: string } };
  const campaignId = await newCampaign({ name: `Effacement ${hh.slice(-4)}`, segment: { status: 'active' } }, [c.user.id]);
  // Call the queue until this household comes (the others are answered « no answer »).
  for (let i = 0; i < 10; i++) {
    const call = (await next(c.cookie, campaignId)).json().call;
    const [{ household_id }] = await q('select household_id from campaign_targets where id = $1', [call.targetId]);
    if (household_id === hh) {
      expect((await outcome(c.cookie, call.targetId, { outcome: 'reached', answers: { urgence: 'yes' }, note: 'Voisine passée.' })).statusCode).toBe(200);
      break;
    }
    expect((await outcome(c.cookie, call.targetId, { outcome: 'no_answer' })).statusCode).toBe(200);
  }
  expect(await count('call_attempts', 'household_id = $1', [hh])).toBe(1);
  const [consent] = await q(
    `insert into consents (organisation_id, household_id, person_id, purpose, channel, wording_version) values ($1, $2, $3, 'regular_watch', 'phone', 'v1') returning id`,
    [org.id, hh, personId],
  );
  await q(`insert into declared_needs (organisation_id, household_id, category, label, source) values ($1, $2, 'daily_life', 'Courses', 'call')`, [org.id, hh]);
  await q(`insert into watch_enrolments (organisation_id, household_id, consent_id, frequency) values ($1, $2, $3, 'weekly')`, [org.id, hh, consent.id]);
  await q(`insert into vulnerability_indicators (organisation_id, household_id, kind, source) values ($1, $2, 'financial_fragility', 'staff')`, [org.id, hh]);
  await q(`insert into household_balances (organisation_id, household_id, balance_cents) values ($1, $2, $3)`, [org.id, hh, balanceCents]);
  await q('update households set balance_cents = $2 where id = $1', [hh, balanceCents]);
  // A payment plan in a rent case (issue 14): arrears data, kept while the debt is owed.
  const [agency] = await q(
    'select r.agency_id from households h join housing_units u on u.id = h.unit_id join residences r on r.id = u.residence_id where h.id = $1',
    [hh],
  );
  const [rentCase] = await q(`insert into cases (organisation_id, household_id, agency_id, type, origin) values ($1, $2, $3, 'rent', 'staff') returning id`, [
    org.id,
    hh,
    agency.agency_id,
  ]);
  await q(
    `insert into payment_plans (organisation_id, household_id, case_id, kind, amount_cents, start_on, months, signed_on, baseline_cents)
     values ($1, $2, $3, 'clearance', 1000, '2026-01-05', 1, '2026-01-02', 1000)`,
    [org.id, hh, rentCase.id],
  );
  const [target] = await q('select id, residence_id, agency_id from campaign_targets where household_id = $1', [hh]);
  await q(`insert into doorstep_visits (organisation_id, household_id, campaign_id, target_id, residence_id, agency_id) values ($1, $2, $3, $4, $5, $6)`, [
    org.id,
    hh,
    campaignId,
    target.id,
    target.residence_id,
    target.agency_id,
  ]);
  const [contact] = await q('select value from contact_points where person_id = $1', [personId]);
  await q(
    `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status) values ($1, 'sms', $2, 'Bonjour', 'campaign', $3, 'sent')`,
    [org.id, contact.value, `erase-${personId}`],
  );
  // A send to the household (messaging, issue 15): its SMS and a letter.
  const [template] = await q(
    `insert into message_templates (organisation_id, name, channels, body) values ($1, 'Relance ' || $2, '{sms,letter}', 'Bonjour') returning id`,
    [org.id, personId],
  );
  const [send] = await q(
    `insert into message_sends (organisation_id, template_id, audience, audience_ref, plan, status) values ($1, $2, 'household', '{}', '{}', 'queued') returning id`,
    [org.id, template.id],
  );
  await q(
    `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, send_id, household_id) values ($1, 'sms', $2, 'Bonjour', 'messaging', $3, 'sent', $4, $5)`,
    [org.id, contact.value, `send-${personId}`, send.id, hh],
  );
  await q(`insert into message_letters (organisation_id, send_id, household_id, address, body) values ($1, $2, $3, '{Mme MARTIN}', 'Bonjour')`, [
    org.id,
    send.id,
    hh,
  ]);
  return { personId, contact: contact.value as string };
}

type Line = { table: string; action: string; rows: number; reason: string; purpose: string };
const lineOf = (plan: { lines: Line[] }, table: string) => plan.lines.find((l) => l.table === table);

async function record(personId: string, body: Record<string, unknown> = { kind: 'erasure' }) {
  const res = await inject(admin, 'POST', '/api/privacy/requests', { personId, receivedOn: '2026-11-30', ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('erasure per purpose (TRUST DP-07)', () => {
  it('deletes the register and campaign data, restricts the lease and the arrears still owed with the reason, keeps the audit trail; logged once', async () => {
    const hh = ids.H1 as string;
    const { personId, contact } = await seed(hh, 45_000);
    // The emergency's case referred to a partner with the tenant's agreement (TRUST DP-09).
    const [kase] = await q(`select id from cases where household_id = $1 and status <> 'closed'`, [hh]);
    const partnerId = (await inject(admin, 'POST', '/api/partners', { name: 'CCAS de Vitry-sur-Seine', kind: 'ccas' })).json().id as string;
    expect((await inject(admin, 'POST', `/api/cases/${kase.id}/referral-consents`, { partnerId, purpose: 'referral', channel: 'phone' })).statusCode).toBe(200);
    expect((await inject(admin, 'POST', '/api/referrals', { caseId: kase.id, partnerId })).statusCode).toBe(200);
    // A request from the tenant portal (issue 16) with a photo and a staff member's internal note.
    const [home] = await q(
      'select r.agency_id from households x join housing_units u on u.id = x.unit_id join residences r on r.id = u.residence_id where x.id = $1',
      [hh],
    );
    const [portalRequest] = await q(
      `insert into portal_requests (organisation_id, household_id, agency_id, person_id, category, description, due_at)
       values ($1, $2, $3, $4, 'technical', 'Fuite sous l’évier', now() + interval '7 days') returning id`,
      [org.id, hh, home.agency_id, personId],
    );
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    const photoId = await h.database.withOrg({ organisationId: org.id }, async (trx) => {
      const id = await storeFile(trx, h.jobs, h.deps.config, org.id, { fileName: 'devis.pdf', purpose: 'portal_request', bytes: pdf, createdBy: null });
      await trx
        .insertInto('portal_request_messages')
        .values({ organisation_id: org.id, request_id: portalRequest.id, household_id: hh, author: 'tenant', person_id: personId, body: '', file_id: id })
        .execute();
      return id;
    });
    await q(`insert into portal_request_notes (organisation_id, request_id, body) values ($1, $2, 'Prévenir le gardien.')`, [org.id, portalRequest.id]);
    // An attestation made available to the household, and a document asked of it with the file it sent.
    const [attestationId, sentId] = await h.database.withOrg({ organisationId: org.id }, async (trx) => {
      const attestation = await storeFile(trx, h.jobs, h.deps.config, org.id, {
        fileName: 'attestation.pdf',
        purpose: 'portal_document',
        bytes: pdf,
        createdBy: null,
      });
      const sent = await storeFile(trx, h.jobs, h.deps.config, org.id, {
        fileName: 'avis.pdf',
        purpose: 'portal_document_request',
        bytes: pdf,
        createdBy: null,
      });
      await trx
        .insertInto('portal_documents')
        .values({ organisation_id: org.id, household_id: hh, kind: 'attestation', title: 'Attestation de loyer', file_id: attestation })
        .execute();
      const asked = await trx
        .insertInto('portal_document_requests')
        .values({ organisation_id: org.id, household_id: hh, label: 'Avis d’imposition', status: 'received' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('portal_document_uploads')
        .values({ organisation_id: org.id, request_id: asked.id, household_id: hh, file_id: sent, person_id: personId })
        .execute();
      return [attestation, sent];
    });
    const photoBytes = path.join(
      h.deps.config.LIEN_DATA_DIR,
      'files',
      org.id,
      (await q('select storage_name from files where id = $1', [photoId]))[0].storage_name,
    );
    expect(existsSync(photoBytes)).toBe(true);

    const request = await record(personId);
    expect(request).toMatchObject({ kind: 'erasure', dueOn: '2026-12-30', status: 'open', purposes: [], executedAt: null });

    // The preview says what will happen, and why, and changes nothing.
    const preview = await inject(admin, 'GET', `/api/privacy/requests/${request.id}/plan`);
    expect(preview.statusCode, preview.body).toBe(200);
    const plan = preview.json();
    expect(lineOf(plan, 'vulnerability_indicators')).toMatchObject({ action: 'delete', purpose: 'fragility_register', rows: 2 });
    expect(lineOf(plan, 'call_attempts')).toMatchObject({ action: 'delete', purpose: 'campaign', rows: 1 });
    expect(lineOf(plan, 'referrals')).toMatchObject({ action: 'delete', purpose: 'referral', rows: 1 });
    expect(lineOf(plan, 'household_balances')).toMatchObject({ action: 'restrict', purpose: 'arrears', rows: 1 });
    expect(lineOf(plan, 'household_balances')?.reason).toContain('dette locative reste due');
    expect(lineOf(plan, 'payment_plans')).toMatchObject({ action: 'restrict', purpose: 'arrears', rows: 1 });
    expect(lineOf(plan, 'leases')).toMatchObject({ action: 'restrict', purpose: 'rental_management' });
    expect(lineOf(plan, 'leases')?.reason).toContain('gestion de votre bail');
    expect(lineOf(plan, 'audit_events')).toMatchObject({ action: 'keep', purpose: 'security' });
    expect(plan.restriction.seenBy).toBe('Chargé·e de clientèle');
    expect(plan.executedAt).toBeNull();
    expect(await count('vulnerability_indicators', 'household_id = $1', [hh])).toBe(2);
    expect(await count('call_attempts', 'household_id = $1', [hh])).toBe(1);

    // Irreversible: a session signed in more than 5 minutes ago confirms its identity first (like the access export); nothing is done meanwhile.
    const adminSessions = `update sessions set authenticated_at = $2 where ended_at is null
      and user_id = (select actor_id from audit_events where action = 'privacy.request_recorded' and details->>'requestId' = $1)`;
    await q(adminSessions, [request.id, new Date(Date.now() - 10 * 60_000)]);
    const stale = await inject(admin, 'POST', `/api/privacy/requests/${request.id}/execute`);
    expect(stale.statusCode, stale.body).toBe(403);
    expect(stale.json().code).toBe('reauthentication_required');
    expect(stale.json().detail).toBe('Pour exécuter un effacement ou une opposition, confirmez votre identité (mot de passe et code).');
    expect(await count('call_attempts', 'household_id = $1', [hh])).toBe(1);
    expect((await q('select status, executed_at from subject_requests where id = $1', [request.id]))[0]).toEqual({ status: 'open', executed_at: null });
    await q(adminSessions, [request.id, new Date()]);

    const done = await inject(admin, 'POST', `/api/privacy/requests/${request.id}/execute`);
    expect(done.statusCode, done.body).toBe(200);
    const result = done.json();
    expect(result.executedAt).not.toBeNull();
    expect(lineOf(result, 'call_attempts')).toMatchObject({ action: 'delete', rows: 1 });
    expect(lineOf(result, 'messages')).toMatchObject({ action: 'delete', rows: 2 });
    expect(lineOf(result, 'message_letters')).toMatchObject({ action: 'delete', rows: 1 });
    expect(lineOf(result, 'referrals')).toMatchObject({ action: 'delete', rows: 1 });
    // The portal's request goes with its exchange, its note and its file: record and bytes.
    expect(lineOf(result, 'portal_requests')).toMatchObject({ action: 'delete', purpose: 'portal', rows: 1 });
    expect(lineOf(result, 'portal_request_messages')).toMatchObject({ action: 'delete', rows: 1 });
    expect(lineOf(result, 'portal_request_notes')).toMatchObject({ action: 'delete', rows: 1 });
    expect(await count('portal_requests', 'household_id = $1', [hh])).toBe(0);
    expect(await count('portal_request_notes', 'request_id = $1', [portalRequest.id])).toBe(0);
    expect(await count('files', 'id = $1', [photoId])).toBe(0);
    expect(existsSync(photoBytes)).toBe(false);
    // Its documents too: the one made available, the one asked with what was sent, and both files.
    expect(lineOf(result, 'portal_documents')).toMatchObject({ action: 'delete', purpose: 'portal', rows: 1 });
    expect(lineOf(result, 'portal_document_requests')).toMatchObject({ action: 'delete', rows: 1 });
    expect(lineOf(result, 'portal_document_uploads')).toMatchObject({ action: 'delete', rows: 1 });
    expect(await count('files', 'id = any($1::uuid[])', [[attestationId, sentId]])).toBe(0);

    // Deleted: the register, the campaigns, the follow-ups, the campaign messages.
    for (const table of [
      'vulnerability_indicators',
      'consents',
      'declared_needs',
      'watch_enrolments',
      'campaign_targets',
      'call_attempts',
      'followups',
      'referrals',
      'doorstep_visits',
      'message_letters',
    ])
      expect(await count(table, 'household_id = $1', [hh]), table).toBe(0);
    // (Scoped to this organisation: the test files share one cluster, and another file's world has the same phone numbers.)
    expect(await q('select purpose, status, body from messages where organisation_id = $1 and recipient = $2', [org.id, contact])).toEqual([]);
    // Restricted: the household, its members, its lease and its arrears stay, with the reason.
    expect(await count('household_balances', 'household_id = $1', [hh])).toBe(1);
    // The plan stays too, without its case (cases are the fragility register's, erased).
    expect(await q('select case_id from payment_plans where household_id = $1', [hh])).toEqual([{ case_id: null }]);
    expect(await count('leases', 'household_id = $1', [hh])).toBe(1);
    expect(await count('persons', 'household_id = $1', [hh])).toBe(1);
    const [household] = await q('select restricted_at, restricted_reason, balance_cents, oldest_birth_date from households where id = $1', [hh]);
    expect(household.restricted_at).not.toBeNull();
    expect(household.restricted_reason).toContain('prévention et suivi des impayés');
    expect(household.oldest_birth_date).toBeNull();
    expect(Number(household.balance_cents)).toBe(45_000);

    // The request is answered with its outcome; the audit line says what was done (counts, no personal data).
    const [row] = await q('select status, outcome, executed_at from subject_requests where id = $1', [request.id]);
    expect(row.status).toBe('answered');
    expect(row.outcome.lines.find((l: Line) => l.table === 'call_attempts').rows).toBe(1);
    const [audit] = await q(`select details from audit_events where action = 'privacy.erasure_executed' and object_id = $1`, [personId]);
    expect(audit.details).toMatchObject({
      requestId: request.id,
      deleted: { call_attempts: 1, vulnerability_indicators: 2 },
      restricted: { household_balances: 1 },
    });
    expect(JSON.stringify(audit.details)).not.toContain('Martin');

    // Once only; the plan now shows the outcome.
    const again = await inject(admin, 'POST', `/api/privacy/requests/${request.id}/execute`);
    expect(again.statusCode).toBe(422);
    expect(again.json().detail).toContain('déjà reçu sa réponse');
    expect((await inject(admin, 'GET', `/api/privacy/requests/${request.id}/plan`)).json().executedAt).toBe(result.executedAt);
    const listed = (await inject(admin, 'GET', '/api/privacy/requests')).json().find((r: { id: string }) => r.id === request.id);
    expect(listed).toMatchObject({ kind: 'erasure', status: 'answered', executedAt: result.executedAt });

    // The French letter to the requester.
    const letter = await inject(admin, 'GET', `/api/privacy/requests/${request.id}/letter`);
    expect(letter.statusCode, letter.body).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.headers['content-disposition']).toMatch(/reponse-effacement-/);
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const printed = pdfText(letter.rawPayload);
    expect(printed).toContain(`Madame, Monsieur ${request.personName},`);
    expect(printed).toContain('Objet : réponse à votre demande d’effacement');
  });

  it('deletes the arrears history when no debt is owed', async () => {
    const hh = ids.H2 as string;
    const { personId } = await seed(hh, 0);
    const request = await record(personId);
    const plan = (await inject(admin, 'GET', `/api/privacy/requests/${request.id}/plan`)).json();
    expect(lineOf(plan, 'household_balances')).toMatchObject({ action: 'delete', purpose: 'arrears' });
    expect(lineOf(plan, 'household_balances')?.reason).toContain('Aucune dette');
    expect((await inject(admin, 'POST', `/api/privacy/requests/${request.id}/execute`)).statusCode).toBe(200);
    expect(await count('household_balances', 'household_id = $1', [hh])).toBe(0);
    expect(await count('payment_plans', 'household_id = $1', [hh])).toBe(0);
    expect(await count('leases', 'household_id = $1', [hh])).toBe(1);
  });
});

describe('a restricted household is hidden from every role but the customer officers (DP-07)', () => {
  it('search, list, file and campaign targets, per role through the API', async () => {
    const hh = ids.H3 as string;
    const personId = await personOf(hh);
    const request = await record(personId);
    expect((await inject(admin, 'POST', `/api/privacy/requests/${request.id}/execute`)).statusCode).toBe(200);

    const staff = callers[1]?.cookie as string;
    const socialWorker = await signIn(h, await newUser(h, org, 'social_worker'));
    const caretakerUser = await newUser(h, org, 'caretaker');
    const caretaker = await signIn(h, caretakerUser);
    await q(
      `update residences set caretaker_id = $1 where id = (select u.residence_id from housing_units u join households h on h.unit_id = u.id where h.id = $2)`,
      [caretakerUser.id, hh],
    );
    const sees = async (cookie: string) => {
      const file = await inject(cookie, 'GET', `/api/households/${hh}`);
      const found = (await inject(cookie, 'POST', '/api/households/search', { query: 'Petit Sarah' })).json();
      const list = await inject(cookie, 'POST', '/api/households/list', { limit: 200 });
      return {
        file: file.statusCode,
        search: Array.isArray(found) && found.some((x: { id: string }) => x.id === hh),
        list: list.statusCode === 200 && list.json().rows.some((x: { id: string }) => x.id === hh),
        restriction: file.statusCode === 200 ? file.json().restriction : undefined,
      };
    };
    // The customer officer (lease and arrears) still sees it, with the reason.
    const officer = await sees(staff);
    expect(officer).toMatchObject({ file: 200, search: true, list: true });
    expect(officer.restriction.reason).toContain('Effacement demandé');
    // Every other role that reads households does not, as if it did not exist (404).
    for (const [role, cookie] of [
      ['org_admin', admin],
      ['manager', manager],
      ['social_worker', socialWorker],
      ['caretaker', caretaker],
    ] as const) {
      expect(await sees(cookie), role).toMatchObject({ file: 404, search: false, list: false });
    }
    // The lists' totals leave the hidden households out (counted apart, by subtraction).
    const total = async (cookie: string) => (await inject(cookie, 'POST', '/api/households/list', { limit: 1 })).json().total as number;
    const restricted = await count('households', `organisation_id = $1 and status = 'active' and restricted_at is not null`, [org.id]);
    expect(restricted).toBeGreaterThan(0);
    expect(await total(manager)).toBe((await total(staff)) - restricted);
    // Before the erasure, the caretaker did see the household of the residence they keep: the check above is not vacuous.
    expect((await inject(caretaker, 'GET', `/api/households/${ids.H6}`)).statusCode).toBe(200);
    // A campaign launched afterwards leaves it out.
    const campaignId = await newCampaign({ name: 'Après effacement', segment: { status: 'active' } });
    expect(await count('campaign_targets', 'campaign_id = $1 and household_id = $2', [campaignId, hh])).toBe(0);
    expect(await count('campaign_targets', 'campaign_id = $1', [campaignId])).toBeGreaterThan(0);
    // The register refuses new fragility data for it, in French, and writes nothing.
    const indicator = await inject(staff, 'POST', `/api/households/${hh}/indicators`, { kind: 'lives_alone' });
    expect(indicator.statusCode).toBe(422);
    expect(indicator.json().detail).toContain('effacement de ses données');
    expect(await count('vulnerability_indicators', 'household_id = $1', [hh])).toBe(0);
  });
});

describe('objection (DP-07)', () => {
  it('to the campaigns: no more calls, the campaign data deleted, the household still visible', async () => {
    const hh = ids.H4 as string;
    const personId = await personOf(hh);
    const before = await newCampaign({ name: 'Avant opposition', segment: { status: 'active' } });
    expect(await count('campaign_targets', 'campaign_id = $1 and household_id = $2', [before, hh])).toBe(1);
    const request = await record(personId, { kind: 'objection', purposes: ['campaign'] });
    expect(request.purposes).toEqual(['campaign']);
    const plan = (await inject(admin, 'GET', `/api/privacy/requests/${request.id}/plan`)).json();
    expect(lineOf(plan, 'campaign_targets')).toMatchObject({ action: 'delete', purpose: 'campaign' });
    expect(lineOf(plan, 'leases')).toBeUndefined();
    expect(plan.objections).toEqual(['no_call', 'no_sms']);
    const done = await inject(admin, 'POST', `/api/privacy/requests/${request.id}/execute`);
    expect(done.statusCode, done.body).toBe(200);
    expect((await q('select kind from objections where household_id = $1 order by kind', [hh])).map((o) => o.kind)).toEqual(['no_call', 'no_sms']);
    expect(lineOf(done.json(), 'objections')).toMatchObject({ action: 'keep', rows: 2 });
    expect(await count('campaign_targets', 'household_id = $1', [hh])).toBe(0);
    const after = await newCampaign({ name: 'Après opposition', segment: { status: 'active' } });
    expect(await count('campaign_targets', 'campaign_id = $1 and household_id = $2', [after, hh])).toBe(0);
    expect((await q('select restricted_at from households where id = $1', [hh]))[0].restricted_at).toBeNull();
    expect((await inject(manager, 'GET', `/api/households/${hh}`)).statusCode).toBe(200);
    const [audit] = await q(`select details from audit_events where action = 'privacy.objection_executed' and object_id = $1`, [personId]);
    expect(audit.details.objections).toEqual(['no_call', 'no_sms']);
  });

  it('to the fragility register: its data deleted, new ones refused in French', async () => {
    const hh = ids.H7 as string;
    const personId = await personOf(hh);
    expect(await count('vulnerability_indicators', 'household_id = $1', [hh])).toBe(1);
    const request = await record(personId, { kind: 'objection', purposes: ['fragility_register'] });
    expect((await inject(admin, 'POST', `/api/privacy/requests/${request.id}/execute`)).statusCode).toBe(200);
    expect(await count('vulnerability_indicators', 'household_id = $1', [hh])).toBe(0);
    const refused = await inject(manager, 'POST', `/api/households/${hh}/indicators`, { kind: 'lives_alone' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('opposé au registre des fragilités');
    expect(await count('vulnerability_indicators', 'household_id = $1', [hh])).toBe(0);
  });
});

describe('bad input (DP-07)', () => {
  it('is refused in French and writes nothing', async () => {
    at('2026-11-30T10:00:00Z');
    const personId = await personOf(ids.H6 as string);
    const before = await count('subject_requests', 'organisation_id = $1', [org.id]);
    const noPurpose = await inject(admin, 'POST', '/api/privacy/requests', { personId, receivedOn: '2026-11-30', kind: 'objection' });
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.body).toContain('à quelle finalité');
    const lease = await inject(admin, 'POST', '/api/privacy/requests', {
      personId,
      receivedOn: '2026-11-30',
      kind: 'objection',
      purposes: ['rental_management'],
    });
    expect(lease.statusCode).toBe(400);
    expect(lease.body).toContain('Finalité invalide');
    const accessWithPurpose = await inject(admin, 'POST', '/api/privacy/requests', {
      personId,
      receivedOn: '2026-11-30',
      kind: 'access',
      purposes: ['campaign'],
    });
    expect(accessWithPurpose.statusCode).toBe(400);
    expect(accessWithPurpose.body).toContain('Seule une opposition');
    expect(await count('subject_requests', 'organisation_id = $1', [org.id])).toBe(before);
    // An access request is not executed, and a letter needs an executed request.
    const access = await record(personId, { kind: 'access' });
    const executed = await inject(admin, 'POST', `/api/privacy/requests/${access.id}/execute`);
    expect(executed.statusCode).toBe(422);
    expect(executed.json().detail).toContain('demande d’accès');
    const erasure = await record(personId);
    const letter = await inject(admin, 'GET', `/api/privacy/requests/${erasure.id}/letter`);
    expect(letter.statusCode).toBe(422);
    expect(letter.json().detail).toContain('Exécutez d’abord');
    expect((await q('select restricted_at from households where id = $1', [ids.H6]))[0].restricted_at).toBeNull();
    // Only the DPO's role reaches these routes.
    const staff = callers[2]?.cookie as string;
    expect((await inject(staff, 'POST', `/api/privacy/requests/${erasure.id}/execute`)).statusCode).toBe(403);
    expect((await q('select executed_at from subject_requests where id = $1', [erasure.id]))[0].executed_at).toBeNull();
  });

  it('refuses an erasure or an objection with a reason in French (required), answers it, changes no data, and it can no longer be executed', async () => {
    const hh = ids.H8 as string;
    const personId = await personOf(hh);
    const erasure = await record(personId);
    const objection = await record(personId, { kind: 'objection', purposes: ['campaign'] });
    const contacts = await count('contact_points', 'person_id = $1', [personId]);

    // Neither is answered without its outcome or a reason: « Marquer comme répondue » is for access requests only.
    for (const r of [erasure, objection]) {
      const plain = await inject(admin, 'POST', `/api/privacy/requests/${r.id}/answer`);
      expect(plain.statusCode, plain.body).toBe(409);
      expect(plain.json().detail).toContain('refus motivé');
    }
    expect((await q('select status from subject_requests where id = $1', [erasure.id]))[0].status).toBe('open');

    // The reason is required, in French; nothing is written without it.
    for (const payload of [{}, { reason: '   ' }]) {
      const bad = await inject(admin, 'POST', `/api/privacy/requests/${erasure.id}/refuse`, payload);
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().detail).toContain('motif du refus');
    }
    expect((await q('select status, refusal_reason from subject_requests where id = $1', [erasure.id]))[0]).toEqual({ status: 'open', refusal_reason: null });

    const reason = 'Le bail est en cours : ses données sont nécessaires à sa gestion (RGPD art. 17.3.b).';
    const refused = await inject(admin, 'POST', `/api/privacy/requests/${erasure.id}/refuse`, { reason });
    expect(refused.statusCode, refused.body).toBe(200);
    const listed = (await inject(admin, 'GET', '/api/privacy/requests')).json().find((r: { id: string }) => r.id === erasure.id);
    expect(listed).toMatchObject({ status: 'answered', refusalReason: reason, executedAt: null });
    expect(listed.answeredAt).not.toBeNull();
    const [audit] = await q(`select details from audit_events where action = 'privacy.request_refused' and object_id = $1`, [personId]);
    expect(audit.details).toEqual({ requestId: erasure.id, kind: 'erasure' });
    // Nothing of the person's data changed, and the refused request is neither executed nor refused again.
    expect(await count('contact_points', 'person_id = $1', [personId])).toBe(contacts);
    expect((await q('select restricted_at from households where id = $1', [hh]))[0].restricted_at).toBeNull();
    const executed = await inject(admin, 'POST', `/api/privacy/requests/${erasure.id}/execute`);
    expect(executed.statusCode).toBe(422);
    expect(executed.json().detail).toContain('déjà reçu sa réponse');
    const twice = await inject(admin, 'POST', `/api/privacy/requests/${erasure.id}/refuse`, { reason: 'Autre motif.' });
    expect(twice.statusCode).toBe(422);
    expect((await q('select refusal_reason from subject_requests where id = $1', [erasure.id]))[0].refusal_reason).toBe(reason);

    // An objection is refused the same way; an access request is not refused here.
    expect((await inject(admin, 'POST', `/api/privacy/requests/${objection.id}/refuse`, { reason: 'Demande manifestement excessive.' })).statusCode).toBe(200);
    expect(await count('objections', 'household_id = $1', [hh])).toBe(0);
    const access = await record(personId, { kind: 'access' });
    const notHere = await inject(admin, 'POST', `/api/privacy/requests/${access.id}/refuse`, { reason: 'Non.' });
    expect(notHere.statusCode).toBe(422);
    expect(notHere.json().detail).toContain('demande d’accès');
    // Only the DPO's role.
    const other = await record(personId);
    expect((await inject(callers[2]?.cookie as string, 'POST', `/api/privacy/requests/${other.id}/refuse`, { reason: 'Non.' })).statusCode).toBe(403);
  });
});
