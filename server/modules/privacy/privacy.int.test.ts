import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { admin, at, callers, h, ids, inject, newCampaign, next, org, outcome, setUpCampaignWorld } from '../../test/campaign-world.ts';
import { newOrganisation, newUser, signIn } from '../../test/harness.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { importFile } from '../registry/index.ts';
import { exportedTables } from './access-export.ts';

setUpCampaignWorld();

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;

/** Gives household H1 (Jeanne Martin) data in every module, through the API where one exists. */
async function seedEverywhere() {
  const hh = ids.H1 as string;
  const [person] = await q('select id from persons where household_id = $1', [hh]);
  const personId = person.id as string;
  // Calls and a follow-up: a call that reaches her and finds an emergency.
  const c = callers[0] as { cookie: string };
  const campaignId = await newCampaign({ name: 'Accès', segment: { status: 'active', agencyId: org.agencyIds[0] } }, [callers[0]?.user.id as string]);
  const call = (await next(c.cookie, campaignId)).json().call;
  expect(call.householdId ?? (await q('select household_id from campaign_targets where id = $1', [call.targetId]))[0].household_id).toBe(hh);
  expect((await outcome(c.cookie, call.targetId, { outcome: 'reached', answers: { urgence: 'yes' }, note: 'Voisine passée.' })).statusCode).toBe(200);
  // The emergency's case (issue 14): a task through the API, and a health note (which the DPO may
  // not read in the app, only social workers and managers) that the export must still hold.
  const [kase] = await q('select id from cases where household_id = $1', [hh]);
  expect((await inject(admin, 'POST', `/api/cases/${kase.id}/tasks`, { title: 'Rappeler demain', dueOn: '2026-12-01' })).statusCode).toBe(200);
  await q(`insert into case_notes (organisation_id, case_id, kind, body) values ($1, $2, 'health', 'Passage infirmier le mardi')`, [org.id, kase.id]);
  // The case referred to a partner with her agreement (TRUST DP-09): the snapshot sent is hers too.
  const partnerId = (await inject(admin, 'POST', '/api/partners', { name: 'CCAS de Vitry-sur-Seine', kind: 'ccas' })).json().id as string;
  const agreed = await inject(admin, 'POST', `/api/cases/${kase.id}/referral-consents`, { partnerId, purpose: 'referral', channel: 'phone' });
  expect(agreed.statusCode, agreed.body).toBe(200);
  const referred = await inject(admin, 'POST', '/api/referrals', { caseId: kase.id, partnerId });
  expect(referred.statusCode, referred.body).toBe(200);
  // Meals brought to her by a caretaker (issue 17), through the API.
  const caretakerId = (await newUser(h, org, 'caretaker')).id;
  const delivered = await inject(admin, 'POST', '/api/solidarity/deliveries', {
    householdId: hh,
    kind: 'meal',
    detail: '2 repas',
    dueOn: '2026-12-01',
    assigneeId: caretakerId,
  });
  expect(delivered.statusCode, delivered.body).toBe(200);
  // Invited to a food distribution with the CCAS (issue 17), through the API.
  const distribution = await inject(admin, 'POST', '/api/solidarity/distributions', {
    partnerId,
    kind: 'food_parcel',
    heldOn: '2026-12-05',
    place: 'Salle commune',
    capacity: 10,
  });
  expect(distribution.statusCode, distribution.body).toBe(200);
  await q(`insert into distribution_invitees (organisation_id, distribution_id, household_id, source) values ($1, $2, $3, 'segment')`, [
    org.id,
    distribution.json().id,
    hh,
  ]);
  // Met at the foot of her building (issue 17), through the API.
  const [residence] = await q('select residence_id from campaign_targets where household_id = $1 limit 1', [hh]);
  const event = await inject(admin, 'POST', '/api/solidarity/outreach', { residenceId: residence.residence_id, heldOn: '2026-12-04' });
  expect(event.statusCode, event.body).toBe(200);
  expect((await inject(admin, 'POST', `/api/solidarity/outreach/${event.json().id}/contacts`, { householdId: hh, topics: ['isolation'] })).statusCode).toBe(
    200,
  );
  // Asked by SMS whether she could sew masks (issue 17), she answered « oui ».
  const [helpCall] = await q(
    `insert into help_calls (organisation_id, question, skill, audience, plan, status) values ($1, 'Savez-vous coudre des masques ?', 'sewing', 'segment', '{}', 'sent') returning id`,
    [org.id],
  );
  await q(
    `insert into help_call_recipients (organisation_id, call_id, household_id, mobile, token_hash, answer, answered_via, answered_at)
     values ($1, $2, $3, '+33612345601', sha256($4::bytea), 'yes', 'link', now())`,
    [org.id, helpCall.id, hh, Buffer.from(`privacy-${hh}`)],
  );
  // An appointment at her agency and a waiting entry for a full slot (issue 16): the portal's rows.
  const [slot] = await q(
    `insert into appointment_slots (organisation_id, agency_id, starts_at, ends_at, capacity, reasons, address)
     values ($1, $2, now() + interval '3 days', now() + interval '3 days 30 minutes', 1, '{documents}', '3 place de la Mairie') returning id`,
    [org.id, org.agencyIds[0]],
  );
  await q(`insert into appointment_bookings (organisation_id, slot_id, household_id, person_id, reason) values ($1, $2, $3, $4, 'documents')`, [
    org.id,
    slot.id,
    hh,
    personId,
  ]);
  await q(`insert into appointment_waitlist (organisation_id, slot_id, household_id, person_id, reason, status) values ($1, $2, $3, $4, 'documents', 'left')`, [
    org.id,
    slot.id,
    hh,
    personId,
  ]);
  // A read of her file by the admin (audit trail).
  expect((await inject(admin, 'GET', `/api/households/${hh}`)).statusCode).toBe(200);
  // Registry rows no route of the test world writes yet.
  const [consent] = await q(
    `insert into consents (organisation_id, household_id, person_id, purpose, channel, wording_version) values ($1, $2, $3, 'regular_watch', 'phone', 'v1') returning id`,
    [org.id, hh, personId],
  );
  await q(`insert into declared_needs (organisation_id, household_id, category, label, source) values ($1, $2, 'daily_life', 'Courses', 'call')`, [org.id, hh]);
  await q(`insert into watch_enrolments (organisation_id, household_id, consent_id, frequency) values ($1, $2, $3, 'weekly')`, [org.id, hh, consent.id]);
  await q(`insert into household_balances (organisation_id, household_id, balance_cents) values ($1, $2, 12345)`, [org.id, hh]);
  // Arrears (issue 14): a plan with its instalment, an FSL step, a crisis pause.
  const [plan] = await q(
    `insert into payment_plans (organisation_id, household_id, case_id, kind, amount_cents, start_on, months, signed_on, baseline_cents)
     values ($1, $2, $3, 'clearance', 12345, '2026-01-05', 1, '2026-01-02', 12345) returning id`,
    [org.id, hh, kase.id],
  );
  await q(`insert into plan_instalments (organisation_id, plan_id, seq, due_on, amount_cents) values ($1, $2, 1, '2026-01-05', 12345)`, [org.id, plan.id]);
  await q(`insert into arrears_steps (organisation_id, case_id, household_id, kind, filed_on) values ($1, $2, $3, 'fsl', '2026-01-10')`, [org.id, kase.id, hh]);
  await q(`insert into arrears_pauses (organisation_id, household_id, until_on, reason) values ($1, $2, '2026-03-31', 'Confinement')`, [org.id, hh]);
  await q(`insert into objections (organisation_id, household_id, kind) values ($1, $2, 'no_sms')`, [org.id, hh]);
  // A request from the tenant portal (issue 16): its exchange and a staff member's internal note.
  const [portalRequest] = await q(
    `insert into portal_requests (organisation_id, household_id, agency_id, person_id, category, description, due_at)
     select $1, h.id, h.agency_id, $3, 'technical', 'Fuite dans la salle de bains', now() + interval '3 days' from households h where h.id = $2 returning id`,
    [org.id, hh, personId],
  );
  await q(
    `insert into portal_request_messages (organisation_id, request_id, household_id, author, body) values ($1, $2, $3, 'landlord', 'Le plombier passe jeudi.')`,
    [org.id, portalRequest.id, hh],
  );
  await q(`insert into portal_request_notes (organisation_id, request_id, body) values ($1, $2, 'Prévenir le gardien.')`, [org.id, portalRequest.id]);
  // Portal documents: one made available, one asked for and sent.
  const [portalFile] = await q(
    `insert into files (organisation_id, storage_name, file_name, content_type, size_bytes, purpose, scan_status)
     values ($1, md5(random()::text), 'attestation.pdf', 'application/pdf', 100, 'portal_document', 'clean') returning id`,
    [org.id],
  );
  await q(`insert into portal_documents (organisation_id, household_id, kind, title, file_id) values ($1, $2, 'attestation', 'Attestation de loyer', $3)`, [
    org.id,
    hh,
    portalFile.id,
  ]);
  const [documentRequest] = await q(
    `insert into portal_document_requests (organisation_id, household_id, label, status) values ($1, $2, 'Avis d’imposition', 'received') returning id`,
    [org.id, hh],
  );
  await q(`insert into portal_document_uploads (organisation_id, request_id, household_id, file_id, person_id) values ($1, $2, $3, $4, $5)`, [
    org.id,
    documentRequest.id,
    hh,
    portalFile.id,
    personId,
  ]);
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
    `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key) values ($1, 'sms', $2, 'Bonjour Mme Martin', 'campaign', $3)`,
    [org.id, contact.value, `privacy-${personId}`],
  );
  // A letter of a send to her household (messaging, issue 15).
  const [template] = await q(
    `insert into message_templates (organisation_id, name, channels, body) values ($1, 'Courrier grand froid', '{letter}', 'Bonjour') returning id`,
    [org.id],
  );
  const [send] = await q(
    `insert into message_sends (organisation_id, template_id, audience, audience_ref, plan, status) values ($1, $2, 'household', '{}', '{}', 'queued') returning id`,
    [org.id, template.id],
  );
  await q(
    `insert into message_letters (organisation_id, send_id, household_id, address, body) values ($1, $2, $3, '{Mme Jeanne MARTIN,chez Mme Ayşe Şahin}', 'Bonjour Madame Martin')`,
    [org.id, send.id, hh],
  );
  // She answered STOP to it (issue 15): the number is opted out.
  await q(`insert into sms_opt_outs (organisation_id, phone, source) values ($1, $2, 'sms_reply')`, [org.id, contact.value]);
  // An ERP import in progress whose staged line describes her (staging is deleted once applied).
  const [{ person_key }] = await q('select person_key from persons where id = $1', [personId]);
  const [imp] = await q(
    `insert into imports (organisation_id, file_name, format, headers, status) values ($1, 'suivant.csv', 'csv', '{}', 'previewed') returning id`,
    [org.id],
  );
  await q(
    `insert into import_lines (organisation_id, import_id, line, household_ref, person_key, last_name, first_name) values ($1, $2, 2, 'H1', $3, 'MARTIN', 'Jeanne')`,
    [org.id, imp.id, person_key],
  );
  return { hh, personId };
}

describe('right of access (TRUST DP-06)', () => {
  it('records a request due one month later, exports everything held about the person in JSON, CSV and PDF, audited, then answers it', async () => {
    const { hh, personId } = await seedEverywhere();
    at('2026-12-03T09:00:00Z');
    const recorded = await inject(admin, 'POST', '/api/privacy/requests', { personId, receivedOn: '2026-11-30', notes: 'Courrier reçu à l’agence' });
    expect(recorded.statusCode, recorded.body).toBe(200);
    const request = recorded.json();
    expect(request).toMatchObject({
      personId,
      householdId: hh,
      kind: 'access',
      receivedOn: '2026-11-30',
      dueOn: '2026-12-30',
      daysLeft: 27,
      overdue: false,
      status: 'open',
    });
    expect(request.personName).toBe('Jeanne Martin');

    const json = await inject(admin, 'GET', `/api/privacy/requests/${request.id}/export?format=json`);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.headers['content-disposition']).toMatch(/attachment; filename="donnees-.*\.json"/);
    const e = json.json();
    expect(e.person).toMatchObject({ id: personId, first_name: 'Jeanne', last_name: 'Martin' });
    expect(e.household).toMatchObject({ id: hh, erp_ref: 'H1' });
    expect(Object.keys(e.sections)).toEqual([...exportedTables]);
    const empty = exportedTables.filter((t) => !e.sections[t].length);
    expect(empty, `empty sections: ${empty.join(', ')}`).toEqual([]);
    expect(e.sections.call_attempts[0]).toMatchObject({ outcome: 'reached', note: 'Voisine passée.' });
    expect(e.sections.messages[0]).toMatchObject({ body: 'Bonjour Mme Martin' });
    expect(e.sections.message_letters[0]).toMatchObject({ body: 'Bonjour Madame Martin', address: ['Mme Jeanne MARTIN', 'chez Mme Ayşe Şahin'] });
    expect(e.sections.messages[0]).not.toHaveProperty('sealed_body');
    expect(e.sections.audit_events.some((a: { action: string }) => a.action === 'household.viewed')).toBe(true);
    expect(e.sections.audit_events[0]).not.toHaveProperty('ip');
    // The file is about H1 only: no other household's rows.
    for (const t of ['call_attempts', 'followups', 'doorstep_visits', 'consents', 'leases'] as const) {
      expect(
        e.sections[t].every((r: { household_id: string }) => r.household_id === hh),
        t,
      ).toBe(true);
    }

    const csv = await inject(admin, 'GET', `/api/privacy/requests/${request.id}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toBe('section;ligne;champ;valeur');
    expect(lines).toContain('persons;1;first_name;Jeanne');
    for (const t of exportedTables)
      expect(
        lines.some((l) => l.startsWith(`${t};`)),
        t,
      ).toBe(true);

    const pdf = await inject(admin, 'GET', `/api/privacy/requests/${request.id}/export?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(2000);
    // Readable as printed, a name outside WinAnsi included (the PDF embeds its font).
    const printed = pdfText(pdf.rawPayload);
    for (const shown of ['Vos données personnelles', 'Jeanne', 'Bonjour Madame Martin', 'chez Mme Ayşe Şahin']) expect(printed).toContain(shown);

    // Everything about a person: a session signed in more than 5 minutes ago confirms its identity first, and nothing is audited.
    await q(
      `update sessions set authenticated_at = now() - interval '10 minutes' where ended_at is null and user_id = (select actor_id from audit_events where action = 'privacy.request_recorded' and object_id = $1)`,
      [personId],
    );
    const stale = await inject(admin, 'GET', `/api/privacy/requests/${request.id}/export?format=pdf`);
    expect(stale.statusCode).toBe(403);
    expect(stale.json().code).toBe('reauthentication_required');
    expect(stale.json().detail).toContain('confirmez votre identité');
    await q(
      `update sessions set authenticated_at = now() where ended_at is null and user_id = (select actor_id from audit_events where action = 'privacy.request_recorded' and object_id = $1)`,
      [personId],
    );
    // Every export is audited: who exported whose data, in which format.
    const audited = await q(`select actor_id, details from audit_events where action = 'privacy.exported' and object_id = $1 order by at`, [personId]);
    expect(audited.map((a) => a.details.format)).toEqual(['json', 'csv', 'pdf']);
    expect(new Set(audited.map((a) => a.actor_id)).size).toBe(1);

    const answered = await inject(admin, 'POST', `/api/privacy/requests/${request.id}/answer`);
    expect(answered.statusCode, answered.body).toBe(200);
    const again = await inject(admin, 'POST', `/api/privacy/requests/${request.id}/answer`);
    expect(again.statusCode).toBe(422);
    expect(again.json().detail ?? again.body).toContain('déjà reçu sa réponse');
    const listed = (await inject(admin, 'GET', '/api/privacy/requests')).json();
    expect(listed.find((r: { id: string }) => r.id === request.id)).toMatchObject({ status: 'answered', overdue: false });
  });

  it('shows a late request as overdue with negative days left', async () => {
    const [p] = await q('select id from persons where household_id = $1', [ids.H2]);
    const r = (await inject(admin, 'POST', '/api/privacy/requests', { personId: p.id, receivedOn: '2026-10-20' })).json();
    expect(r).toMatchObject({ dueOn: '2026-11-20', daysLeft: -10, overdue: true });
    const listed = (await inject(admin, 'GET', '/api/privacy/requests')).json();
    expect(listed[0].id).toBe(r.id); // open ones first, the most urgent first
  });

  it('refuses bad input in French and writes nothing', async () => {
    const before = (await q('select count(*)::int as n from subject_requests'))[0].n;
    const [p] = await q('select id from persons where household_id = $1', [ids.H3]);
    const future = await inject(admin, 'POST', '/api/privacy/requests', { personId: p.id, receivedOn: '2027-01-01' });
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('futur');
    const badDay = await inject(admin, 'POST', '/api/privacy/requests', { personId: p.id, receivedOn: '2026-02-30' });
    expect(badDay.statusCode).toBe(422);
    expect(badDay.body).toContain('Date de réception invalide');
    expect((await q('select count(*)::int as n from subject_requests'))[0].n).toBe(before);
  });

  it('never reaches another organisation’s person or request (404), and is for the org admin only', async () => {
    const other = await newOrganisation(h);
    const header = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
    const line = 'A1;G9;Les Pins;1 rue Haute;75001;Paris;L1;X1;Q1;Autre;Personne;01/01/1960;06 99 99 99 99';
    await importFile(h.deps, { organisationId: other.id }, Readable.from([Buffer.from(`${header}\n${line}`)]), { fileName: 'autre.csv' });
    const [stranger] = await q('select id from persons where organisation_id = $1', [other.id]);
    const res = await inject(admin, 'POST', '/api/privacy/requests', { personId: stranger.id, receivedOn: '2026-11-30' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Personne introuvable');
    const otherAdmin = await signIn(h, await newUser(h, other, 'org_admin'));
    const theirs = (await inject(otherAdmin, 'POST', '/api/privacy/requests', { personId: stranger.id, receivedOn: '2026-11-30' })).json();
    expect((await inject(admin, 'GET', `/api/privacy/requests/${theirs.id}/export?format=json`)).statusCode).toBe(404);
    expect((await inject(admin, 'POST', `/api/privacy/requests/${theirs.id}/answer`)).statusCode).toBe(404);
    expect((await inject(admin, 'GET', '/api/privacy/requests')).json().some((r: { id: string }) => r.id === theirs.id)).toBe(false);
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    expect((await inject(manager, 'GET', '/api/privacy/requests')).statusCode).toBe(403);
  });
});
