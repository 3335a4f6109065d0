import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers, h, inject, newCampaign, next, outcome, setUpCampaignWorld } from '../../test/campaign-world.ts';

// The claim transaction of « Appeler le suivant » commits with `synchronous_commit = off` (a claim
// is a lease, ADR 0009); the outcome, and every other transaction, commits synchronously. The hot
// routes' transactions (« next », the outcome) run on generic plans; every other transaction
// keeps PostgreSQL's plan choice. Proven
// on the real requests: each pooled connection of the application is watched, and just before a
// transaction's `commit` the test asks PostgreSQL, on that same connection and in that same
// transaction, which setting the commit will use. The throw-away test cluster runs with
// `synchronous_commit=off` for speed (test/global-setup.ts): each watched connection is first set
// back to PostgreSQL's default, `on`, as in production.

setUpCampaignWorld();

type Committed = { statements: string[]; synchronousCommit: string; planCacheMode: string; withStatement: boolean };
const committed: Committed[] = [];
const watched = new WeakSet<pg.PoolClient>();

function watch(client: pg.PoolClient) {
  if (watched.has(client)) return;
  watched.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  let statements: string[] = [];
  let productionDefault: Promise<unknown> | null = null;
  (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
    productionDefault ??= query('set synchronous_commit = on');
    await productionDefault;
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    if (/^\s*begin\b/i.test(text)) statements = [];
    // A transaction's last statement may carry its commit (`thenCommit`, ADR 0009): asked just before it is sent, as for a `commit`.
    const carriesCommit = text.includes('/* then:commit */');
    if (carriesCommit) statements.push(text);
    if (/^\s*commit\s*$/i.test(text) || carriesCommit) {
      const r = await query(`select current_setting('synchronous_commit') as v, current_setting('plan_cache_mode') as plan`);
      committed.push({ statements, synchronousCommit: r.rows[0].v as string, planCacheMode: r.rows[0].plan as string, withStatement: carriesCommit });
      statements = [];
    } else statements.push(text);
    return query(...args);
  };
}

const onAcquire = (client: pg.PoolClient) => watch(client);
beforeAll(() => {
  h.database.pool.on('acquire', onAcquire);
});
afterAll(() => {
  h.database.pool.off('acquire', onAcquire);
});

const transactionsWith = (marker: string) => committed.filter((c) => c.statements.some((s) => s.includes(marker)));

describe('durability of the claim and of the outcome', () => {
  it('« next » commits its claim with synchronous_commit off; the outcome, and everything else, commits synchronously', async () => {
    const campaignId = await newCampaign();
    const caller = callers[0] as (typeof callers)[number];
    committed.length = 0;
    const claimed = await next(caller.cookie, campaignId);
    expect(claimed.statusCode, claimed.body).toBe(200);
    const targetId = claimed.json().call.targetId as string;
    const done = await outcome(caller.cookie, targetId, { outcome: 'no_answer', answers: {} });
    expect(done.statusCode, done.body).toBe(200);
    // A page reload hands the same household again in another claim transaction; then an outcome again.
    const second = await next(caller.cookie, campaignId);
    const again = await next(caller.cookie, campaignId);
    expect(again.json().call.targetId).toBe(second.json().call.targetId);
    expect((await outcome(caller.cookie, again.json().call.targetId, { outcome: 'reached', answers: {} })).statusCode).toBe(200);

    const claims = transactionsWith('prepared:caller_state');
    expect(claims).toHaveLength(3);
    expect(claims.map((c) => c.synchronousCommit)).toEqual(['off', 'off', 'off']);
    expect(transactionsWith('prepared:claim_next')).toHaveLength(2);
    // The claim commits with its statement (one round trip); the page reload's transaction ends with a plain `commit`.
    expect(claims.map((c) => c.withStatement)).toEqual([true, true, false]);
    const outcomes = transactionsWith('prepared:record_attempt');
    expect(outcomes).toHaveLength(2);
    expect(outcomes.map((c) => c.synchronousCommit)).toEqual(['on', 'on']);
    // Nothing is written after these attempts (no answer; reached without answers): each commits with its statement.
    expect(outcomes.map((c) => c.withStatement)).toEqual([true, true]);
    // The claim transactions run on the generic plan (planned once per connection).
    expect(claims.map((c) => c.planCacheMode)).toEqual(['force_generic_plan', 'force_generic_plan', 'force_generic_plan']);
    // The outcome's transactions too, set with the session's `begin` (route config `sessionTransaction.genericPlans`).
    expect(outcomes.map((c) => c.planCacheMode)).toEqual(['force_generic_plan', 'force_generic_plan']);
    // Transaction-local: no other commit of the application runs with either setting (other routes, on the same pooled connections).
    for (let i = 0; i < 3; i++) expect((await inject(caller.cookie, 'GET', '/api/calls/campaigns')).statusCode).toBe(200);
    const others = committed.filter((c) => !claims.includes(c) && !outcomes.includes(c));
    expect(others.length).toBeGreaterThanOrEqual(3);
    expect(others.every((c) => c.synchronousCommit === 'on')).toBe(true);
    expect(others.every((c) => c.planCacheMode === 'auto')).toBe(true);
  });
});
