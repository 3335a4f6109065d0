// Partners and referrals (issue 14; TRUST DP-09): the administrator's partners, routing, the
// tenant's agreement (409 without it), the snapshot, the audit, art. 9 fields only under explicit
// consent, what each role sees (a partner's user only their partner's referrals, by the database
// too), the partner's answers and report and what they do to the case, the overdue flag.
import { describe, expect, it } from 'vitest';
import { admin, at, callers, h, ids, inject, manager, managerUser, org, setUpCampaignWorld, volunteer } from '../../test/campaign-world.ts';
import { newUser, signIn, type TestUser } from '../../test/harness.ts';

setUpCampaignWorld();

const ok = async (res: Awaited<ReturnType<typeof inject>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const referralCount = async () => Number((await h.owner.query('select count(*)::int as n from referrals where organisation_id = $1', [org.id])).rows[0].n);
const caseRow = async (id: string) =>
  (await h.owner.query('select status, outcome from cases where id = $1', [id])).rows[0] as { status: string; outcome: string | null };

describe('partners and referrals', () => {
  const partnerIds: Record<string, string> = {};
  let ccasUser: { user: TestUser; cookie: string };
  let secoursUser: { user: TestUser; cookie: string };
  let caretaker: string;
  let foodCase = '';
  let firstReferral = '';

  it('the administrator sets up partners and links the partners’ accounts; others may not', async () => {
    for (const p of [
      { name: 'CCAS de Vitry-sur-Seine', kind: 'ccas', communes: ['Vitry-sur-Seine'], needTypes: ['food', 'isolation'], ackDays: 3 },
      { name: 'Soliha Val-de-Marne', kind: 'soliha', communes: [], needTypes: ['technical'] },
      { name: 'Secours populaire d’Orly', kind: 'association', communes: ['Orly'], needTypes: [] },
    ]) {
      partnerIds[p.name] = (await ok(await inject(admin, 'POST', '/api/partners', p))).id;
    }
    const clash = await inject(admin, 'POST', '/api/partners', { name: 'Soliha Val-de-Marne', kind: 'other' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().detail).toContain('porte déjà ce nom');
    expect((await inject(manager, 'POST', '/api/partners', { name: 'Intrus', kind: 'other' })).statusCode).toBe(403);

    const pa = await newUser(h, org, 'partner');
    const pb = await newUser(h, org, 'partner');
    ccasUser = { user: pa, cookie: await signIn(h, pa) };
    secoursUser = { user: pb, cookie: await signIn(h, pb) };
    caretaker = await signIn(h, await newUser(h, org, 'caretaker'));
    await ok(await inject(admin, 'POST', '/api/partners/users', { userId: pa.id, partnerId: partnerIds['CCAS de Vitry-sur-Seine'] }));
    await ok(await inject(admin, 'POST', '/api/partners/users', { userId: pb.id, partnerId: partnerIds['Secours populaire d’Orly'] }));
    // Only accounts of role « partenaire » may be linked.
    const staff = await inject(admin, 'POST', '/api/partners/users', { userId: callers[0]?.user.id, partnerId: partnerIds['Soliha Val-de-Marne'] });
    expect(staff.statusCode).toBe(422);
    const list = (await ok(await inject(admin, 'GET', '/api/partners'))) as { name: string; members: { id: string }[] }[];
    expect(list.find((p) => p.name === 'CCAS de Vitry-sur-Seine')?.members.map((m) => m.id)).toEqual([pa.id]);
  });

  it('routing suggests the partners that take the need and serve the household’s commune', async () => {
    foodCase = (await ok(await inject(manager, 'POST', '/api/cases', { householdId: ids.H1, type: 'food', origin: 'staff' }))).id;
    await ok(await inject(manager, 'POST', '/api/cases/assign', { ids: [foodCase], userId: managerUser.id }));
    const options = await ok(await inject(manager, 'GET', `/api/cases/${foodCase}/referral-options`));
    // H1 lives in Vitry-sur-Seine: the CCAS (food, Vitry) first; Soliha (technical) and the Secours (Orly) after.
    expect(options.partners.map((p: { name: string; suggested: boolean }) => [p.name, p.suggested])).toEqual([
      ['CCAS de Vitry-sur-Seine', true],
      ['Secours populaire d’Orly', false],
      ['Soliha Val-de-Marne', false],
    ]);
    expect(options.partners[0]).toMatchObject({ agreement: false, healthConsent: false });
    const field = (name: string) => options.fields.find((f: { field: string }) => f.field === name);
    expect(field('commune')).toMatchObject({ value: 'Vitry-sur-Seine', art9: false });
    expect(field('health_details')).toMatchObject({ art9: true });
  });

  it('without the tenant’s recorded agreement for that partner the API answers 409 and nothing is sent', async () => {
    const ccas = partnerIds['CCAS de Vitry-sur-Seine'];
    const res = await inject(manager, 'POST', '/api/referrals', { caseId: foodCase, partnerId: ccas, message: 'Colis alimentaire à prévoir' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('n’a pas donné son accord');
    // An agreement for another partner does not count.
    await ok(
      await inject(manager, 'POST', `/api/cases/${foodCase}/referral-consents`, {
        partnerId: partnerIds['Soliha Val-de-Marne'],
        purpose: 'referral',
        channel: 'phone',
      }),
    );
    expect((await inject(manager, 'POST', '/api/referrals', { caseId: foodCase, partnerId: ccas })).statusCode).toBe(409);
    expect(await referralCount()).toBe(0);
    expect((await caseRow(foodCase)).status).toBe('open');
  });

  it('with the agreement: the snapshot holds exactly the template’s fields, the case waits, the audit names recipient and fields', async () => {
    const ccas = partnerIds['CCAS de Vitry-sur-Seine'] as string;
    await ok(await inject(manager, 'POST', `/api/cases/${foodCase}/referral-consents`, { partnerId: ccas, purpose: 'referral', channel: 'phone' }));
    // Health details need the explicit consent for this partner: 409, nothing sent.
    const health = await inject(manager, 'POST', '/api/referrals', { caseId: foodCase, partnerId: ccas, healthDetails: 'Diabète, insuline' });
    expect(health.statusCode).toBe(409);
    expect(health.json().detail).toContain('consentement explicite');
    expect(await referralCount()).toBe(0);

    firstReferral = (await ok(await inject(manager, 'POST', '/api/referrals', { caseId: foodCase, partnerId: ccas, message: 'Colis alimentaire à prévoir' })))
      .id;
    const row = (await h.owner.query('select fields, payload, health_consent_id from referrals where id = $1', [firstReferral])).rows[0];
    expect(row.fields).toEqual(['holder_name', 'phone', 'address', 'commune', 'need_type', 'message']);
    expect(Object.keys(row.payload).sort()).toEqual([...row.fields].sort());
    expect(row.payload).toMatchObject({ commune: 'Vitry-sur-Seine', need_type: 'Alimentation et vie quotidienne', message: 'Colis alimentaire à prévoir' });
    expect(row.payload.address).toContain('12 rue Jean Jaurès');
    expect(row.health_consent_id).toBeNull();
    expect((await caseRow(foodCase)).status).toBe('waiting_partner');
    const audit = (
      await h.owner.query(`select actor_id, details from audit_events where organisation_id = $1 and action = 'referral.sent' and object_id = $2`, [
        org.id,
        firstReferral,
      ])
    ).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(managerUser.id);
    expect(audit[0].details).toMatchObject({ partnerId: ccas, fields: row.fields, householdIds: [ids.H1] });
    // Never the values in the trail.
    expect(JSON.stringify(audit[0].details)).not.toContain('Colis');
  });

  it('health details (art. 9) go only under an explicit consent for that partner', async () => {
    const ccas = partnerIds['CCAS de Vitry-sur-Seine'] as string;
    const consent = await ok(
      await inject(manager, 'POST', `/api/cases/${foodCase}/referral-consents`, { partnerId: ccas, purpose: 'referral_health', channel: 'in_person' }),
    );
    const id = (await ok(await inject(manager, 'POST', '/api/referrals', { caseId: foodCase, partnerId: ccas, healthDetails: 'Régime sans sel' }))).id;
    const row = (await h.owner.query('select fields, payload, health_consent_id from referrals where id = $1', [id])).rows[0];
    expect(row.fields).toContain('health_details');
    expect(row.payload.health_details).toBe('Régime sans sel');
    expect(row.health_consent_id).toBe(consent.id);
    // The explicit consent covers that partner only.
    const soliha = partnerIds['Soliha Val-de-Marne'];
    const other = await inject(manager, 'POST', '/api/referrals', { caseId: foodCase, partnerId: soliha, healthDetails: 'Régime sans sel' });
    expect(other.statusCode).toBe(409);
  });

  it('a partner’s user sees only the referrals addressed to their partner — the database enforces it; volunteers and caretakers none', async () => {
    const mine = (await ok(await inject(ccasUser.cookie, 'POST', '/api/referrals/list', {}))) as { id: string; caseId: string | null }[];
    expect(mine).toHaveLength(2);
    // The snapshot, never the case or the household file.
    expect(mine.every((r) => r.caseId === null)).toBe(true);
    const detail = await ok(await inject(ccasUser.cookie, 'GET', `/api/referrals/${firstReferral}`));
    expect(detail.payload.message).toBe('Colis alimentaire à prévoir');
    expect((await inject(ccasUser.cookie, 'GET', `/api/cases/${foodCase}`)).statusCode).toBe(403);
    expect((await inject(ccasUser.cookie, 'GET', `/api/households/${ids.H1}`)).statusCode).toBe(403);

    expect(await ok(await inject(secoursUser.cookie, 'POST', '/api/referrals/list', {}))).toEqual([]);
    expect((await inject(secoursUser.cookie, 'GET', `/api/referrals/${firstReferral}`)).statusCode).toBe(404);
    expect((await inject(secoursUser.cookie, 'POST', `/api/referrals/${firstReferral}/acknowledge`)).statusCode).toBe(404);
    for (const cookie of [volunteer.cookie, caretaker]) {
      expect((await inject(cookie, 'GET', `/api/referrals/${firstReferral}`)).statusCode).toBe(403);
      expect((await inject(cookie, 'POST', '/api/referrals/list', {})).statusCode).toBe(403);
    }
    // The row-level policy itself: the other partner's user reads no row, whatever the statement.
    const seen = (user: TestUser) =>
      h.database.withOrg({ organisationId: org.id, userId: user.id }, async (trx) => (await trx.selectFrom('referrals').select('id').execute()).length);
    expect(await seen(ccasUser.user)).toBe(2);
    expect(await seen(secoursUser.user)).toBe(0);
    expect(await seen(managerUser)).toBe(2);
  });

  it('a referral not acknowledged within the partner’s delay is flagged, until it is acknowledged', async () => {
    // The CCAS has 3 days; four days later both referrals are overdue.
    at('2026-12-04T10:00:00Z');
    const overdue = (await ok(await inject(manager, 'POST', '/api/referrals/list', { overdue: true }))) as { id: string; overdue: boolean }[];
    expect(overdue.map((r) => r.id)).toContain(firstReferral);
    expect(overdue.every((r) => r.overdue)).toBe(true);
    await ok(await inject(ccasUser.cookie, 'POST', `/api/referrals/${firstReferral}/acknowledge`));
    const after = (await ok(await inject(manager, 'POST', '/api/referrals/list', { overdue: true }))) as { id: string }[];
    expect(after.map((r) => r.id)).not.toContain(firstReferral);
    expect(after).toHaveLength(1);
    // Acknowledged once only.
    expect((await inject(ccasUser.cookie, 'POST', `/api/referrals/${firstReferral}/acknowledge`)).statusCode).toBe(409);
  });

  it('the partner’s report « fait » closes the case, writes its note and queues the assignee’s e-mail', async () => {
    const flagged = await inject(ccasUser.cookie, 'POST', `/api/referrals/${firstReferral}/report`, { outcome: 'done', note: 'Il est dépressif' });
    expect(flagged.statusCode).toBe(422);
    await ok(await inject(ccasUser.cookie, 'POST', `/api/referrals/${firstReferral}/report`, { outcome: 'done', note: 'Colis livré le 4 décembre' }));
    expect(await caseRow(foodCase)).toEqual({ status: 'closed', outcome: 'referred' });
    const notes = (await h.owner.query('select body from case_notes where case_id = $1', [foodCase])).rows.map((r) => r.body);
    expect(notes).toContain('Retour de CCAS de Vitry-sur-Seine : Fait — Colis livré le 4 décembre');
    const mail = (await h.owner.query(`select recipient, body from messages where organisation_id = $1 and purpose = 'referral_feedback'`, [org.id])).rows;
    expect(mail.map((m) => m.recipient)).toEqual([managerUser.email]);
    expect(mail[0].body).not.toContain('Jeanne');
    const list = (await ok(await inject(manager, 'GET', `/api/cases/${foodCase}/referrals`))) as { id: string; status: string; outcome: string | null }[];
    expect(list.find((r) => r.id === firstReferral)).toMatchObject({ status: 'reported', outcome: 'done' });
  });

  it('a decline gives the case back to its assignee, with the reason; the household timeline shows the referrals', async () => {
    const isolation = (await ok(await inject(manager, 'POST', '/api/cases', { householdId: ids.H4, type: 'isolation', origin: 'staff' }))).id;
    await ok(await inject(manager, 'POST', '/api/cases/assign', { ids: [isolation], userId: managerUser.id }));
    const secours = partnerIds['Secours populaire d’Orly'];
    await ok(await inject(manager, 'POST', `/api/cases/${isolation}/referral-consents`, { partnerId: secours, purpose: 'referral', channel: 'phone' }));
    const id = (await ok(await inject(manager, 'POST', '/api/referrals', { caseId: isolation, partnerId: secours }))).id;
    expect((await caseRow(isolation)).status).toBe('waiting_partner');
    await ok(await inject(secoursUser.cookie, 'POST', `/api/referrals/${id}/answer`, { accept: false, reason: 'no_capacity' }));
    expect((await caseRow(isolation)).status).toBe('open');
    const mails = (await h.owner.query(`select count(*)::int as n from messages where organisation_id = $1 and purpose = 'referral_feedback'`, [org.id]))
      .rows[0].n;
    expect(mails).toBe(2);
    const file = await ok(await inject(manager, 'GET', `/api/households/${ids.H4}`));
    const labels = (file.timeline as { type: string; label: string }[]).filter((e) => e.type === 'referral').map((e) => e.label);
    expect(labels).toEqual(expect.arrayContaining(['Orientation envoyée à Secours populaire d’Orly', 'Orientation refusée par Secours populaire d’Orly']));
  });

  it('accepted, then reported « locataire injoignable »: the case goes back open to its assignee, with the note and an e-mail; a second report is refused', async () => {
    // H4's agreement for the Secours populaire was recorded above (one per household and partner).
    const technical = (await ok(await inject(manager, 'POST', '/api/cases', { householdId: ids.H4, type: 'technical', origin: 'staff' }))).id;
    await ok(await inject(manager, 'POST', '/api/cases/assign', { ids: [technical], userId: managerUser.id }));
    const id = (await ok(await inject(manager, 'POST', '/api/referrals', { caseId: technical, partnerId: partnerIds['Secours populaire d’Orly'] }))).id;
    const mails = async () =>
      Number((await h.owner.query(`select count(*)::int as n from messages where organisation_id = $1 and purpose = 'referral_feedback'`, [org.id])).rows[0].n);
    const mailsBefore = await mails();
    await ok(await inject(secoursUser.cookie, 'POST', `/api/referrals/${id}/answer`, { accept: true }));
    // Accepting changes neither the case nor the assignee's mailbox.
    expect(await caseRow(technical)).toEqual({ status: 'waiting_partner', outcome: null });
    expect(await mails()).toBe(mailsBefore);
    // Declining after accepting is refused: the answer is given once.
    expect((await inject(secoursUser.cookie, 'POST', `/api/referrals/${id}/answer`, { accept: false, reason: 'no_capacity' })).statusCode).toBe(409);
    await ok(await inject(secoursUser.cookie, 'POST', `/api/referrals/${id}/report`, { outcome: 'unreachable', note: 'Trois appels sans réponse' }));
    expect(await caseRow(technical)).toEqual({ status: 'open', outcome: null });
    const notes = (await h.owner.query('select body from case_notes where case_id = $1', [technical])).rows.map((r) => r.body);
    expect(notes).toEqual(['Retour de Secours populaire d’Orly : Locataire injoignable — Trois appels sans réponse']);
    expect(await mails()).toBe(mailsBefore + 1);
    const list = (await ok(await inject(manager, 'GET', `/api/cases/${technical}/referrals`))) as { id: string; status: string; outcome: string | null }[];
    expect(list.find((r) => r.id === id)).toMatchObject({ status: 'reported', outcome: 'unreachable' });
    expect((await inject(secoursUser.cookie, 'POST', `/api/referrals/${id}/report`, { outcome: 'done' })).statusCode).toBe(409);
    expect(await caseRow(technical)).toEqual({ status: 'open', outcome: null });
  });
});
