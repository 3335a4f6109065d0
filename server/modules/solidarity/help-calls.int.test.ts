// Calls for help by SMS (issue 17): the dry run with messaging's rules (a mobile, no « pas de
// SMS »; a paused volunteer is not asked), the send (one SMS each with a personal link, sealed in the outbox), the answers by the
// public page (once, or changed while the call is open; a token answers its own call only) and by
// an SMS « OUI » / « NON » through Brevo's webhook (the latest open call sent to the number), the
// counts and the « oui » to follow up, a tenant's « oui » turned into a volunteer sign-up.
import { beforeAll, describe, expect, it } from 'vitest';
import { messageKey, openSealed, sealContext } from '../../platform/outbox/sealing.ts';
import { admin, at, h, ids, inject, manager, org, setUpCampaignWorld, volunteer } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';
import { yesOrNo } from './help-calls.service.ts';

const secret = 'webhook-secret-help-calls-0123456789';
setUpCampaignWorld({ BREVO_WEBHOOK_SECRET: secret });

const ok = (res: Awaited<ReturnType<typeof inject>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const q = async (text: string, params: unknown[]) => (await h.owner.query(text, params)).rows;
let address = 0;
/** The public page, from a fresh address (the rate limit counts per address). */
const publicCall = (method: 'GET' | 'POST', url: string, payload?: unknown, ip = `198.51.100.${++address % 250}`) =>
  h.app.inject({ method, url, remoteAddress: ip, ...(payload ? { payload: payload as object } : {}) });
const brevoReply = (mobile: string, text: string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/outbox/callbacks/brevo-sms?token=${secret}`,
    payload: { msg_status: 'replied', to: mobile.slice(1), reply: text, ts_event: Math.floor(Date.now() / 1000), messageId: 1, type: 'transactional' },
  });

/** The SMS of a call, opened as the sending adapter would (the personal link is sealed in the outbox). */
async function smsOf(callId: string) {
  const rows = await q(
    `select m.organisation_id, m.recipient, m.idempotency_key, m.body, m.sealed_body from messages m
     where m.organisation_id = $1 and m.purpose = 'help_call' and m.idempotency_key like $2 order by m.recipient`,
    [org.id, `help-call:${callId}:%`],
  );
  const key = messageKey(h.deps.config);
  return rows.map((m) => {
    const text = openSealed(key, { body: m.sealed_body, context: sealContext(m) });
    return { recipient: m.recipient as string, stored: m.body as string, text, token: /\/aide\/([A-Za-z0-9_-]{12})/.exec(text)?.[1] as string };
  });
}

let staffOfOneAgency: string;
beforeAll(async () => {
  // Two accepted volunteers who sew: the campaign world's volunteer with a mobile, another without; a third only calls.
  const sewerWithout = await newUser(h, org, 'volunteer', { endDate: '2027-06-30' });
  const caller = await newUser(h, org, 'volunteer', { endDate: '2027-06-30' });
  const pausedSewer = await newUser(h, org, 'volunteer', { endDate: '2027-06-30' });
  for (const [user, phone, skills, first] of [
    [volunteer.user.id, '+33611223344', '{sewing,calls}', 'Nadia'],
    [sewerWithout.id, null, '{sewing}', 'Marc'],
    [caller.id, '+33655667788', '{calls}', 'Ali'],
    [pausedSewer.id, '+33699887766', '{sewing}', 'Inès'],
  ] as const)
    await q(
      `insert into volunteer_applications (organisation_id, first_name, last_name, email, phone, availability, skills, area, status, decided_at, user_id)
       values ($1, $2, 'Bénévole', $3, $4, 'le soir', $5::text[], 'Vitry', 'accepted', now(), $6)`,
      [org.id, first, `${first.toLowerCase()}@example.fr`, phone, skills, user],
    );
  // Inès sews but paused herself: no call for help reaches her.
  await q(`insert into volunteer_profiles (user_id, organisation_id, paused_at) values ($1, $2, now())`, [pausedSewer.id, org.id]);
  // H2 objects to SMS: no call for help reaches it.
  await q(`insert into objections (organisation_id, household_id, kind) values ($1, $2, 'no_sms')`, [org.id, ids.H2]);
  staffOfOneAgency = await signIn(h, await newUser(h, org, 'manager', { agencyIds: [org.agencyIds[1] as string] }));
});

describe('a call for help by SMS', () => {
  let volunteersCall = '';
  let tenantsCall = '';

  it('to the volunteers who sew: the dry run counts, the send writes one SMS with a personal link, sealed', async () => {
    const bad = await inject(manager, 'POST', '/api/solidarity/help-calls', { question: 'Oui?', skill: 'sewing', audience: { kind: 'volunteers' } });
    expect(bad.statusCode).toBe(400);
    const draft = ok(
      await inject(manager, 'POST', '/api/solidarity/help-calls', {
        question: 'Savez-vous coudre des masques ?',
        skill: 'sewing',
        audience: { kind: 'volunteers' },
      }),
    );
    volunteersCall = draft.id;
    expect(draft).toMatchObject({ status: 'draft', counts: { sent: 0, yes: 0, no: 0, none: 0 } });
    // Nadia (a mobile) and Marc (none); not Ali (calls only), nor Inès (paused).
    expect(draft.plan.total).toBe(2);
    expect(draft.plan.channels.sms).toBe(1);
    expect(draft.plan.excluded.no_mobile).toBe(1);
    expect(await smsOf(volunteersCall)).toEqual([]);
    // Staff (not a manager) may not send calls for help.
    const staff = await signIn(h, await newUser(h, org, 'staff'));
    expect((await inject(staff, 'POST', `/api/solidarity/help-calls/${volunteersCall}/send`)).statusCode).toBe(403);

    const sent = ok(await inject(manager, 'POST', `/api/solidarity/help-calls/${volunteersCall}/send`));
    expect(sent).toMatchObject({ status: 'sent', counts: { sent: 1, yes: 0, no: 0, none: 1 } });
    const [sms] = await smsOf(volunteersCall);
    expect(sms?.recipient).toBe('+33611223344');
    expect(sms?.text).toContain('Bonjour Nadia, Savez-vous coudre des masques ?');
    expect(sms?.text).toContain('ou par SMS OUI / NON');
    // The stored body shows the link masked; only the token's hash is in the database.
    expect(sms?.stored).not.toContain(sms?.token);
    expect(sms?.stored).toContain('[lien personnel masqué]');
    const hashes = await q(`select encode(token_hash, 'hex') as h from help_call_recipients where call_id = $1`, [volunteersCall]);
    expect(hashes).toHaveLength(1);
    expect(JSON.stringify(await q(`select * from help_call_recipients where call_id = $1`, [volunteersCall]))).not.toContain(sms?.token);
    // Twice: refused.
    expect((await inject(manager, 'POST', `/api/solidarity/help-calls/${volunteersCall}/send`)).statusCode).toBe(409);
  });

  it('the personal link shows the question and records the answer, once or changed; a wrong token is refused', async () => {
    const [sms] = await smsOf(volunteersCall);
    const token = sms?.token as string;
    const view = ok(await publicCall('GET', `/api/public/help/${token}`));
    expect(view).toEqual({ organisation: expect.any(String), question: 'Savez-vous coudre des masques ?', open: true, answer: null, note: null });
    // Nothing personal on the page.
    expect(JSON.stringify(view)).not.toContain('Nadia');
    ok(await publicCall('POST', `/api/public/help/${token}`, { answer: 'no' }));
    ok(await publicCall('POST', `/api/public/help/${token}`, { answer: 'yes', note: 'Le mardi et le jeudi après-midi' }));
    expect(ok(await publicCall('GET', `/api/public/help/${token}`))).toMatchObject({ answer: 'yes', note: 'Le mardi et le jeudi après-midi' });
    const detail = ok(await inject(manager, 'GET', `/api/solidarity/help-calls/${volunteersCall}`));
    expect(detail.counts).toEqual({ sent: 1, yes: 1, no: 0, none: 0 });
    expect(detail.yes).toEqual([
      expect.objectContaining({ kind: 'volunteer', name: 'Nadia Bénévole', phone: '06 11 22 33 44', note: 'Le mardi et le jeudi après-midi', via: 'link' }),
    ]);
    // A made-up token, a malformed one: not found, in French.
    const unknown = await publicCall('GET', '/api/public/help/AAAAAAAAAAAA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toContain('introuvable');
    expect((await publicCall('POST', '/api/public/help/x', { answer: 'yes' })).statusCode).toBe(404);
    expect((await publicCall('POST', `/api/public/help/${token}`, { answer: 'peut-être' })).statusCode).toBe(400);
  });

  it('to the tenants of a segment: « pas de SMS » excluded; a token answers its own call only; an SMS « OUI » answers the latest open call', async () => {
    const draft = ok(
      await inject(manager, 'POST', '/api/solidarity/help-calls', {
        question: 'Avez-vous une machine à coudre à prêter ?',
        skill: 'sewing',
        audience: {
          kind: 'segment',
          filters: { residenceId: (await q(`select id from residences where organisation_id = $1 and erp_code = 'G1'`, [org.id]))[0].id },
        },
      }),
    );
    tenantsCall = draft.id;
    // G1: H1, H2, H3, H6; H2 objects to SMS.
    expect(draft.plan).toMatchObject({ total: 4, channels: { sms: 3 }, excluded: { no_sms: 1 } });
    ok(await inject(manager, 'POST', `/api/solidarity/help-calls/${tenantsCall}/send`));
    const sms = await smsOf(tenantsCall);
    expect(sms.map((m) => m.recipient)).toEqual(['+33612345601', '+33612345603', '+33612345606']);
    expect(sms[0]?.text).toContain('Bonjour Jeanne, Avez-vous une machine à coudre à prêter ?');

    // The volunteers' call's token does not answer this call: it answers its own only.
    const [volunteerSms] = await smsOf(volunteersCall);
    ok(await publicCall('POST', `/api/public/help/${volunteerSms?.token}`, { answer: 'no' }));
    expect(ok(await inject(manager, 'GET', `/api/solidarity/help-calls/${tenantsCall}`)).counts).toEqual({ sent: 3, yes: 0, no: 0, none: 3 });

    // H1 answers « Oui ! » by SMS (Brevo's webhook), H3 « non merci », H6 something else (left alone).
    expect((await brevoReply('+33612345601', 'Oui !')).json()).toEqual({ outcomes: ['replied'] });
    ok(await brevoReply('+33612345603', 'non merci'));
    ok(await brevoReply('+33612345606', 'Je vous rappelle'));
    const detail = ok(await inject(manager, 'GET', `/api/solidarity/help-calls/${tenantsCall}`));
    expect(detail.counts).toEqual({ sent: 3, yes: 1, no: 1, none: 1 });
    expect(detail.yes).toEqual([expect.objectContaining({ kind: 'tenant', name: 'Jeanne Martin', phone: '06 12 34 56 01', via: 'sms' })]);
    // A manager of the other agency does not see G1's tenants among the « oui ».
    expect(ok(await inject(staffOfOneAgency, 'GET', `/api/solidarity/help-calls/${tenantsCall}`)).yes).toEqual([]);

    // Closed: the link no longer answers, an SMS « OUI » changes nothing.
    ok(await inject(manager, 'POST', `/api/solidarity/help-calls/${tenantsCall}/close`));
    const late = await publicCall('POST', `/api/public/help/${sms[2]?.token}`, { answer: 'yes' });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('clos');
    ok(await brevoReply('+33612345606', 'OUI'));
    expect(ok(await inject(manager, 'GET', `/api/solidarity/help-calls/${tenantsCall}`)).counts).toEqual({ sent: 3, yes: 1, no: 1, none: 1 });
  });

  it('staff turn a tenant’s « oui » into a volunteer sign-up pre-filled with the skill', async () => {
    const detail = ok(await inject(manager, 'GET', `/api/solidarity/help-calls/${tenantsCall}`));
    const yes = detail.yes[0];
    const path = `/api/solidarity/help-calls/${tenantsCall}/answers/${yes.recipientId}/volunteer`;
    // H1 has no e-mail: staff type it.
    const noMail = await inject(manager, 'POST', path, {});
    expect(noMail.statusCode).toBe(422);
    expect(noMail.json().detail).toContain('e-mail');
    const { applicationId } = ok(await inject(manager, 'POST', path, { email: 'jeanne.martin@example.fr' }));
    const [application] = await q(`select first_name, last_name, phone, skills, status, email from volunteer_applications where id = $1`, [applicationId]);
    expect(application).toEqual({
      first_name: 'Jeanne',
      last_name: 'Martin',
      phone: '+33612345601',
      skills: ['sewing'],
      status: 'pending',
      email: 'jeanne.martin@example.fr',
    });
    expect(ok(await inject(manager, 'GET', `/api/solidarity/help-calls/${tenantsCall}`)).yes[0].applicationId).toBe(applicationId);
    expect((await inject(manager, 'POST', path, { email: 'jeanne.martin@example.fr' })).statusCode).toBe(409);
    // A volunteer's « oui » is not a tenant's: nothing to sign up.
    const vYes = ok(await inject(admin, 'GET', `/api/solidarity/help-calls/${volunteersCall}`)).yes;
    expect(vYes).toEqual([]);
  });

  it('the public page is rate-limited per address', async () => {
    at('2026-11-30T09:05:00Z');
    const [sms] = await smsOf(volunteersCall);
    const ip = '203.0.113.77';
    for (let i = 0; i < 20; i++) expect((await publicCall('GET', `/api/public/help/${sms?.token}`, undefined, ip)).statusCode).toBe(200);
    const tooMany = await publicCall('GET', `/api/public/help/${sms?.token}`, undefined, ip);
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.json().detail).toContain('Trop de réponses');
  });

  it('reads « OUI » and « NON » as tenants write them', () => {
    for (const t of ['OUI', 'oui', ' Oui !', 'Ouais', 'o']) expect(yesOrNo(t)).toBe('yes');
    for (const t of ['NON', 'Non merci', 'non.', 'n']) expect(yesOrNo(t)).toBe('no');
    for (const t of ['Je vous rappelle', '', 'STOP', 'ok']) expect(yesOrNo(t)).toBeNull();
  });
});
