import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, startHarness, type TestOrg } from '../../test/harness.ts';
import { settleDeferredWork } from './identity.service.ts';

let h: Harness;
let org: TestOrg;
let nextAddress = 0;
/** A fresh client address for each request, unless one is given (the per-address limit is tested apart). */
const ask = (email: string, ip = `10.80.${Math.floor(nextAddress / 250)}.${nextAddress++ % 250}`) =>
  h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email }, remoteAddress: ip });
const resetMessages = async (email: string) => {
  await settleDeferredWork();
  const { rows } = await h.owner.query(`select count(*)::int as n from messages where recipient = $1 and purpose = 'password_reset'`, [email]);
  return rows[0].n as number;
};

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
});
afterAll(async () => {
  await settleDeferredWork();
  await h.close();
});

describe('password reset requests: throttled, and no account oracle (AA-06, AA-07)', () => {
  it('25 requests for one account send at most 3 links in the hour; every answer is the same', async () => {
    const user = await newUser(h, org, 'staff');
    const answers = await Promise.all(Array.from({ length: 25 }, () => ask(user.email)));
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`))).toEqual(new Set(['202 {"ok":true}']));
    expect(await resetMessages(user.email)).toBe(3);
    // One more, one by one: still the same answer, still nothing sent.
    const more = await ask(user.email);
    expect([more.statusCode, more.json()]).toEqual([202, { ok: true }]);
    expect(await resetMessages(user.email)).toBe(3);
    const audit = await h.owner.query(`select action, count(*)::int as n from audit_events where object_id = $1 group by action order by action`, [user.id]);
    expect(audit.rows).toEqual([
      { action: 'auth.password_reset_requested', n: 3 },
      { action: 'auth.password_reset_suppressed', n: 23 },
    ]);
  });

  it('one address asking too often gets a French 429, whatever the e-mail', async () => {
    const ip = '10.81.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await ask(`personne-${i}@nulle-part.fr`, ip)).statusCode);
    expect(codes).toEqual(Array(10).fill(202));
    const user = await newUser(h, org, 'staff');
    const refused = await ask(user.email, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toMatch(/^Trop de demandes de réinitialisation depuis cette adresse\. Réessayez dans \d+ minutes?\.$/);
    expect(await resetMessages(user.email)).toBe(0);
    // Another address is not concerned.
    expect((await ask(user.email, '10.81.0.2')).statusCode).toBe(202);
    expect(await resetMessages(user.email)).toBe(1);
  });

  it('answers before looking the account up: its timing cannot tell whether the address has an account', async () => {
    const user = await newUser(h, org, 'staff');
    // Hold the account's row: any look-up or link for it now waits until the lock is released.
    const holder = await h.owner.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from users where id = $1 for update', [user.id]);
      const answered = await Promise.race([ask(user.email), new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000))]);
      expect(answered?.statusCode, 'the answer waited for the account work').toBe(202);
      expect((await h.owner.query(`select count(*)::int as n from messages where recipient = $1`, [user.email])).rows[0].n).toBe(0);
    } finally {
      await holder.query('commit');
      holder.release();
    }
    // The work went on after the answer.
    expect(await resetMessages(user.email)).toBe(1);
  });

  it('choosing a password from a link is limited per address (30 tries an hour), with a French 429', async () => {
    const ip = '10.82.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { token: 'x'.repeat(43), password: 'Soleil2026!!' },
        remoteAddress: ip,
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json().detail).toMatch(/^Trop de tentatives depuis cette adresse\. Réessayez dans \d+ minutes?\.$/);
    }
    expect(codes.slice(0, 30).every((c) => c === 422)).toBe(true);
    expect(codes[30]).toBe(429);
  });
});
