// Brevo's SMS webhook (issue 15): verified by its secret, idempotent by event, replays refused
// (TRUST IN-11), states only moving forward (FT-09), STOP replies opting the number out at once
// and confirmed once. The route runs without an organisation: it must find the right one, and
// only that one (this file also runs on PostgreSQL 15 in CI).
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { OPT_OUT_CONFIRMATION } from './callbacks.ts';

let h: Harness;
let orgA: TestOrg;
let orgB: TestOrg;
const secret = 'webhook-secret-0123456789abcdef';

beforeAll(async () => {
  h = await startHarness({ BREVO_WEBHOOK_SECRET: secret });
  orgA = await newOrganisation(h);
  orgB = await newOrganisation(h);
});
afterAll(() => h.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);
const post = (payload: unknown, auth: { token?: string; header?: string } = { token: secret }) =>
  h.app.inject({
    method: 'POST',
    url: `/api/outbox/callbacks/brevo-sms${auth.token !== undefined ? `?token=${encodeURIComponent(auth.token)}` : ''}`,
    headers: auth.header ? { authorization: auth.header } : {},
    payload: payload as object,
  });

/** An SMS Brevo accepted (`sent`, with Brevo's id), as the sender leaves it. */
async function sentSms(org: TestOrg, recipient = `+336${randomInt(10_000_000, 99_999_999)}`, status = 'sent') {
  const providerId = String(randomInt(1, 2 ** 47));
  const { rows } = await h.owner.query(
    `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, adapter, provider_message_id, attempts, sent_at)
     values ($1, 'sms', $2, 'Bonjour', 'campaign', $3, $4, 'brevo', $5, 1, now()) returning id`,
    [org.id, recipient, `cb-${providerId}`, status, status === 'sent' ? providerId : null],
  );
  return { id: rows[0].id as string, providerId, recipient };
}
const event = (providerId: string, msg_status: string, ts = nowSeconds(), extra: Record<string, unknown> = {}) => ({
  id: 26570,
  to: '33612345678',
  sms_count: 1,
  credits_used: 1.5,
  messageId: Number(providerId),
  remaining_credit: 11488.8,
  msg_status,
  date: '2026-11-30 23:00:00',
  type: 'transactional',
  ts_event: ts,
  ...extra,
});
const statusOf = async (id: string) =>
  (await h.owner.query('select status, last_error, delivered_at, provider_message_id from messages where id = $1', [id])).rows[0];
const eventsOf = async (id: string) =>
  (await h.owner.query('select event, organisation_id from message_events where message_id = $1 order by received_at', [id])).rows;

describe('who may call the webhook (IN-11)', () => {
  it('refuses a callback without the secret or with a wrong one (401), and changes nothing', async () => {
    const m = await sentSms(orgA);
    expect((await post(event(m.providerId, 'delivered'), {})).statusCode).toBe(401);
    expect((await post(event(m.providerId, 'delivered'), { token: 'webhook-secret-0123456789abcdeX' })).statusCode).toBe(401);
    expect((await post(event(m.providerId, 'delivered'), { header: `Bearer ${secret}x` })).statusCode).toBe(401);
    expect((await statusOf(m.id)).status).toBe('sent');
    expect(await eventsOf(m.id)).toEqual([]);
  });

  it('accepts the secret in the URL, as a bearer token or as the basic-auth password', async () => {
    const [a, b, c] = [await sentSms(orgA), await sentSms(orgA), await sentSms(orgA)];
    expect((await post(event(a.providerId, 'delivered'))).statusCode).toBe(200);
    expect((await post(event(b.providerId, 'delivered'), { header: `Bearer ${secret}` })).statusCode).toBe(200);
    expect((await post(event(c.providerId, 'delivered'), { header: `Basic ${Buffer.from(`brevo:${secret}`).toString('base64')}` })).statusCode).toBe(200);
    for (const m of [a, b, c]) expect((await statusOf(m.id)).status).toBe('delivered');
  });
});

describe('delivery states', () => {
  it('finds the message in its own organisation only, and records the event there', async () => {
    const m = await sentSms(orgB);
    const r = await post(event(m.providerId, 'delivered'));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ outcomes: ['applied'] });
    expect(await statusOf(m.id)).toMatchObject({ status: 'delivered' });
    expect((await statusOf(m.id)).delivered_at).toBeInstanceOf(Date);
    expect(await eventsOf(m.id)).toEqual([{ event: 'delivered', organisation_id: orgB.id }]);
  });

  it('the same event delivered three times changes the message once (idempotent by event)', async () => {
    const m = await sentSms(orgA);
    const e = event(m.providerId, 'delivered');
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await post(e)).json().outcomes[0]);
    expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(await eventsOf(m.id)).toHaveLength(1);
  });

  it('FT-09: sent and delivered in any order, duplicates included, end delivered', async () => {
    const t = nowSeconds();
    const orders = [
      ['delivered', 'sent', 'delivered'],
      ['sent', 'delivered', 'sent'],
      ['delivered', 'delivered', 'sent'],
      ['sent', 'sent', 'delivered'],
    ];
    for (const order of orders) {
      const m = await sentSms(orgA, undefined, 'unknown');
      await h.owner.query('update messages set provider_message_id = $2 where id = $1', [m.id, m.providerId]);
      for (const state of order) expect((await post(event(m.providerId, state, state === 'sent' ? t - 5 : t))).statusCode).toBe(200);
      expect((await statusOf(m.id)).status, order.join(' → ')).toBe('delivered');
      expect(await eventsOf(m.id)).toHaveLength(2);
    }
  });

  it('a definitive bounce fails the message; a late delivery report does not bring it back, nor a bounce after delivery', async () => {
    const bounced = await sentSms(orgA);
    await post(event(bounced.providerId, 'hard_bounce'));
    await post(event(bounced.providerId, 'delivered'));
    expect(await statusOf(bounced.id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('injoignable') });
    const delivered = await sentSms(orgA);
    await post(event(delivered.providerId, 'delivered'));
    await post(event(delivered.providerId, 'soft_bounce'));
    await post(event(delivered.providerId, 'hard_bounce'));
    expect((await statusOf(delivered.id)).status).toBe('delivered');
    expect(await eventsOf(delivered.id)).toHaveLength(3);
  });

  it('IN-11: a replay older than the window, or dated in the future, is refused (400) and changes nothing', async () => {
    const m = await sentSms(orgA);
    const old = await post(event(m.providerId, 'delivered', nowSeconds() - 31 * 60));
    expect(old.statusCode).toBe(400);
    expect(old.json().detail).toContain('rejeu refusé');
    expect((await post(event(m.providerId, 'delivered', nowSeconds() + 3600))).statusCode).toBe(400);
    expect((await statusOf(m.id)).status).toBe('sent');
    expect(await eventsOf(m.id)).toEqual([]);
  });

  it('an event for a message Lien does not know answers 404 (Brevo retries later), malformed ones 400', async () => {
    expect((await post(event('999999999999', 'delivered'))).statusCode).toBe(404);
    expect((await post({ messageId: 1, msg_status: 'delivered' })).statusCode).toBe(400);
    expect((await post({ messageId: 1, msg_status: 'teleported', ts_event: nowSeconds() })).statusCode).toBe(400);
  });

  it('FT-02: a message left unknown by a crash is reconciled by its callback (found by the tag Lien gave it)', async () => {
    const m = await sentSms(orgA, undefined, 'unknown');
    const brevoId = String(randomInt(1, 2 ** 47));
    const r = await post(event(brevoId, 'delivered', nowSeconds(), { tag: m.id }));
    expect(r.statusCode).toBe(200);
    expect(await statusOf(m.id)).toMatchObject({ status: 'delivered', provider_message_id: brevoId });
  });
});

describe('STOP replies', () => {
  async function householdWithMobile(org: TestOrg, mobile: string) {
    const q = async (text: string, values: unknown[]) => (await h.owner.query(text, values)).rows;
    const [res] = await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, $3, 'Les Tilleuls', '1 rue A', '94400', 'Vitry') returning id`,
      [org.id, org.agencyIds[0], `G-${randomInt(1e9)}`],
    );
    const [unit] = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, $3) returning id`, [
      org.id,
      res.id,
      `U-${randomInt(1e9)}`,
    ]);
    const [hh] = await q(
      `insert into households (organisation_id, unit_id, erp_ref, holder_name, status, balance_cents, oldest_birth_date) values ($1, $2, $3, 'Jeanne Martin', 'active', 0, '1940-01-01') returning id`,
      [org.id, unit.id, `H-${randomInt(1e9)}`],
    );
    const [p] = await q(
      `insert into persons (organisation_id, household_id, household_role, first_name, last_name, person_key) values ($1, $2, 'holder', 'Jeanne', 'Martin', $3) returning id`,
      [org.id, hh.id, `K-${randomInt(1e9)}`],
    );
    await q(`insert into contact_points (organisation_id, person_id, kind, value) values ($1, $2, 'mobile', $3)`, [org.id, p.id, mobile]);
    return hh.id as string;
  }
  const objectionsOf = async (householdId: string) =>
    (await h.owner.query('select kind, recorded_by from objections where household_id = $1', [householdId])).rows;
  const reply = (mobile: string, text: string, ts = nowSeconds()) =>
    post({ msg_status: 'replied', to: mobile.slice(1), reply: text, ts_event: ts, messageId: 1, type: 'transactional' });

  it('« Stop » opts the number out at once in each organisation that wrote to it, records « pas de SMS », and is confirmed once', async () => {
    const mobile = `+336${randomInt(10_000_000, 99_999_999)}`;
    const householdA = await householdWithMobile(orgA, mobile);
    const householdB = await householdWithMobile(orgB, mobile);
    await sentSms(orgA, mobile);
    await sentSms(orgB, mobile); // B wrote last: B confirms.
    const stopAt = nowSeconds();
    const r = await reply(mobile, 'Stop', stopAt);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ outcomes: ['opted_out'] });
    const optOuts = await h.owner.query('select organisation_id, source from sms_opt_outs where phone = $1 order by organisation_id', [mobile]);
    expect(optOuts.rows.map((o) => o.organisation_id).sort()).toEqual([orgA.id, orgB.id].sort());
    expect(await objectionsOf(householdA)).toEqual([{ kind: 'no_sms', recorded_by: null }]);
    expect(await objectionsOf(householdB)).toEqual([{ kind: 'no_sms', recorded_by: null }]);
    // Each organisation's trail says the tenant objected by SMS.
    const trail = await h.owner.query(
      `select organisation_id, actor_id, actor_role, details from audit_events where action = 'household.objection_added' and object_id = any($1::uuid[]) order by organisation_id`,
      [[householdA, householdB]],
    );
    expect(trail.rows.map((e) => e.organisation_id).sort()).toEqual([orgA.id, orgB.id].sort());
    for (const e of trail.rows) expect(e).toMatchObject({ actor_id: null, actor_role: 'public', details: { kind: 'no_sms', via: 'sms_reply' } });
    const confirmations = async () =>
      (await h.owner.query(`select organisation_id, body from messages where recipient = $1 and purpose = 'sms_opt_out_confirmation'`, [mobile])).rows;
    expect(await confirmations()).toEqual([{ organisation_id: orgB.id, body: OPT_OUT_CONFIRMATION }]);

    // The same reply again (Brevo retry), then « ARRÊT » a minute later: no second confirmation.
    const again = await reply(mobile, 'Stop', stopAt);
    expect(again.json()).toEqual({ outcomes: ['duplicate'] });
    expect((await reply(mobile, 'ARRÊT', nowSeconds() - 60)).statusCode).toBe(200);
    expect(await confirmations()).toHaveLength(1);
    expect(await objectionsOf(householdA)).toHaveLength(1);
    const audited = await h.owner.query(`select count(*)::int as n from audit_events where action = 'household.objection_added' and object_id = $1`, [
      householdA,
    ]);
    expect(audited.rows[0].n).toBe(1);
  });

  it('a reply that is not an opt-out is kept as a reply and opts nobody out', async () => {
    const mobile = `+336${randomInt(10_000_000, 99_999_999)}`;
    const m = await sentSms(orgA, mobile);
    const r = await reply(mobile, 'Merci, rappelez-moi demain');
    expect(r.json()).toEqual({ outcomes: ['replied'] });
    expect((await h.owner.query('select count(*)::int as n from sms_opt_outs where phone = $1', [mobile])).rows[0].n).toBe(0);
    expect(await eventsOf(m.id)).toEqual([{ event: 'replied', organisation_id: orgA.id }]);
  });

  it('Brevo’s own unsubscribe event opts the number out too, without a confirmation from Lien', async () => {
    const mobile = `+336${randomInt(10_000_000, 99_999_999)}`;
    await sentSms(orgA, mobile);
    const r = await post({ msg_status: 'unsubscribe', to: mobile.slice(1), ts_event: nowSeconds(), messageId: 2 });
    expect(r.json()).toEqual({ outcomes: ['opted_out'] });
    expect((await h.owner.query('select source from sms_opt_outs where phone = $1', [mobile])).rows).toEqual([{ source: 'provider' }]);
    expect(
      (await h.owner.query(`select count(*)::int as n from messages where recipient = $1 and purpose = 'sms_opt_out_confirmation'`, [mobile])).rows[0].n,
    ).toBe(0);
  });
});
