import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it, inject as provided } from 'vitest';
import { openSessionTransaction, withSession } from '../../platform/auth/sessions.repository.ts';
import { openDatabase, type Tx } from '../../platform/db/database.ts';
import { callers, h, inject, newCampaign, next, org, outcome, setUpCampaignWorld } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';

// « Appeler le suivant », the outcome and the hand-back resolve the caller's session with the
// `begin` of the transaction their handler then uses (ADR 0009, route config
// `sessionTransaction`). The session rules must be those of every other route: an ended, idle or
// deactivated session gets 401 and is ended for good, activity is noted, and a request refused
// after the session was resolved (bad body) leaves no transaction nor caller lock behind.

setUpCampaignWorld();

const sessionHash = (cookie: string) =>
  createHash('sha256')
    .update(cookie.split('=')[1] as string)
    .digest();
const sessionRow = async (cookie: string) =>
  (await h.owner.query('select last_seen_at, ended_at, end_reason from sessions where token_hash = $1', [sessionHash(cookie)])).rows[0] as {
    last_seen_at: Date;
    ended_at: Date | null;
    end_reason: string | null;
  };

async function newCaller() {
  const user = await newUser(h, org, 'staff');
  return { user, cookie: await signIn(h, user) };
}

describe('session resolved with the transaction of « next » and the outcome', () => {
  it('an idle session gets 401 on « next » and is ended (the end is written, not rolled back)', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign({}, [...callers.map((x) => x.user.id), c.user.id]);
    await h.owner.query(`update sessions set last_seen_at = now() - interval '31 minutes' where token_hash = $1`, [sessionHash(c.cookie)]);
    const res = await next(c.cookie, campaignId);
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json().detail).toBe('Votre session a expiré. Veuillez vous reconnecter.');
    const row = await sessionRow(c.cookie);
    expect(row.end_reason).toBe('idle');
    expect(row.ended_at).not.toBeNull();
    // Nothing was claimed for this caller.
    const held = await h.owner.query(`select count(*)::int as n from campaign_targets where assigned_to = $1`, [c.user.id]);
    expect(held.rows[0].n).toBe(0);
  });

  it('a deactivated caller gets 401 on an outcome and the session ends', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign({}, [...callers.map((x) => x.user.id), c.user.id]);
    const call = (await next(c.cookie, campaignId)).json().call as { targetId: string };
    await h.owner.query(`update users set status = 'inactive' where id = $1`, [c.user.id]);
    const res = await outcome(c.cookie, call.targetId, { outcome: 'reached', answers: {} });
    expect(res.statusCode, res.body).toBe(401);
    expect((await sessionRow(c.cookie)).end_reason).toBe('user_inactive');
    const attempts = await h.owner.query(`select count(*)::int as n from call_attempts where target_id = $1`, [call.targetId]);
    expect(attempts.rows[0].n).toBe(0);
  });

  it('notes activity once a minute, in the request’s own transaction', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign({}, [...callers.map((x) => x.user.id), c.user.id]);
    await h.owner.query(`update sessions set last_seen_at = now() - interval '5 minutes' where token_hash = $1`, [sessionHash(c.cookie)]);
    const before = (await sessionRow(c.cookie)).last_seen_at;
    expect((await next(c.cookie, campaignId)).statusCode).toBe(200);
    const after = (await sessionRow(c.cookie)).last_seen_at;
    expect(after.getTime() - before.getTime()).toBeGreaterThan(4 * 60_000);
  });

  it('a bad body after the session was resolved: 400, and the caller’s next requests go through (no transaction nor lock left behind)', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign({}, [...callers.map((x) => x.user.id), c.user.id]);
    // More bad requests than the pool has connections: a transaction left open would exhaust it.
    for (let i = 0; i < 25; i++) {
      const bad = await inject(c.cookie, 'POST', '/api/calls/next', { campaignId: 'pas-un-identifiant' });
      expect(bad.statusCode, bad.body).toBe(400);
    }
    const first = await next(c.cookie, campaignId);
    expect(first.statusCode, first.body).toBe(200);
    const targetId = first.json().call.targetId as string;
    // The caller lock taken with the session was released: a second « next » hands the same household again.
    const again = await next(c.cookie, campaignId);
    expect(again.json().call.targetId).toBe(targetId);
    const badOutcome = await outcome(c.cookie, targetId, { outcome: 'pas-une-issue', answers: {} });
    expect(badOutcome.statusCode).toBe(400);
    const done = await outcome(c.cookie, targetId, { outcome: 'reached', answers: {} });
    expect(done.statusCode, done.body).toBe(200);
    // The attempt statement also moved the household's last contact (registry's SQL fragment).
    const contact = await h.owner.query(
      `select h.last_contact_at, a.recorded_at from call_attempts a join households h on h.id = a.household_id where a.target_id = $1`,
      [targetId],
    );
    expect(contact.rows[0].last_contact_at).toEqual(contact.rows[0].recorded_at);
    expect(h.database.pool.waitingCount).toBe(0);
  });

  it('a double tap on « next » from two requests at once hands one household', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign({}, [...callers.map((x) => x.user.id), c.user.id]);
    const [a, b] = await Promise.all([next(c.cookie, campaignId), next(c.cookie, campaignId)]);
    expect(a.json().call.targetId).toBe(b.json().call.targetId);
    const held = await h.owner.query(`select count(*)::int as n from campaign_targets where assigned_to = $1`, [c.user.id]);
    expect(held.rows[0].n).toBe(1);
  });

  it('generic plans: set with the session for a hot route’s transaction only, and gone with it', async () => {
    const c = await newCaller();
    const token = c.cookie.split('=')[1] as string;
    // One connection, so the transaction after is on the same connection as the one before.
    const one = openDatabase(provided('appUrl'), 1);
    const mode = async (trx: Tx) => (await sql<{ m: string }>`select current_setting('plan_cache_mode') as m`.execute(trx)).rows[0]?.m;
    try {
      const hot = await openSessionTransaction(one, token, { genericPlans: true });
      if (!hot) throw new Error('session not resolved');
      expect(await withSession(one, hot, mode)).toBe('force_generic_plan');
      // Transaction-local: the connection's next transaction plans as PostgreSQL decides.
      expect(await withSession(one, hot, mode)).toBe('auto');
      const plain = await openSessionTransaction(one, token);
      if (!plain) throw new Error('session not resolved');
      expect(await withSession(one, plain, mode)).toBe('auto');
    } finally {
      await one.close();
    }
  });
});
