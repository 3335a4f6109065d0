import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../platform/auth/totp.ts';
import { devMailboxAdapter } from '../../platform/outbox/adapters.ts';
import { deliverMessage } from '../../platform/outbox/outbox.ts';
import { MASKED_LINK, messageKey } from '../../platform/outbox/sealing.ts';
import { cookieOf, type Harness, newOrganisation, newUser, PASSWORD, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { settleDeferredWork } from './identity.service.ts';

let h: Harness;
let org: TestOrg;

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
});
afterAll(() => h.close());

const me = (cookie: string) => h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
const signInRaw = (email: string, password: string, ip = '10.1.1.1') =>
  h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password }, remoteAddress: ip });

describe('sign-in and sessions (AA-08)', () => {
  it('signs a staff user in with a secure, httpOnly, strict session cookie', async () => {
    const user = await newUser(h, org, 'staff');
    const res = await signInRaw(user.email, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ stage: 'second_factor' });
    const raw = String(res.headers['set-cookie']);
    expect(raw).toMatch(/^__Host-lien_session=[A-Za-z0-9_-]{43};/);
    expect(raw).toContain('HttpOnly');
    expect(raw).toContain('Secure');
    expect(raw).toContain('SameSite=Strict');
    expect(raw).toContain('Path=/');
    const who = await me(cookieOf(res));
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ email: user.email, role: 'staff', stage: 'second_factor' });
  });

  it('a wrong password gets a French 401 and no cookie', async () => {
    const user = await newUser(h, org, 'staff');
    const res = await signInRaw(user.email, 'not the right password');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toBe('Adresse e-mail ou mot de passe incorrect.');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('issues a new session id at each sign-in (rotation)', async () => {
    const user = await newUser(h, org, 'staff');
    const a = cookieOf(await signInRaw(user.email, PASSWORD));
    const b = cookieOf(await signInRaw(user.email, PASSWORD));
    expect(a).not.toBe(b);
  });

  it('sign-out ends the session on the server', async () => {
    const user = await newUser(h, org, 'staff');
    const cookie = await signIn(h, user);
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } })).statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('ends a session after 30 minutes idle', async () => {
    const user = await newUser(h, org, 'staff');
    const cookie = await signIn(h, user);
    await h.owner.query(`update sessions set last_seen_at = now() - interval '29 minutes' where user_id = $1`, [user.id]);
    expect((await me(cookie)).statusCode).toBe(200);
    await h.owner.query(`update sessions set last_seen_at = now() - interval '31 minutes' where user_id = $1`, [user.id]);
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('expiré');
  });

  it('ends a session 12 hours after it began, even when active', async () => {
    const user = await newUser(h, org, 'staff');
    const cookie = await signIn(h, user);
    await h.owner.query(`update sessions set created_at = now() - interval '12 hours 1 minute' where user_id = $1`, [user.id]);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('deactivating a user ends their sessions at once', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const user = await newUser(h, org, 'staff');
    const adminCookie = await signIn(h, admin);
    const userCookie = await signIn(h, user);
    const res = await h.app.inject({ method: 'POST', url: `/api/users/${user.id}/deactivate`, headers: { cookie: adminCookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('inactive');
    expect((await me(userCookie)).statusCode).toBe(401);
    const again = await signInRaw(user.email, PASSWORD, '10.9.9.9');
    expect(again.statusCode).toBe(401);
    expect(again.json().detail).toContain('désactivé');
  });

  it('a volunteer past their end date cannot sign in and loses open sessions', async () => {
    const user = await newUser(h, org, 'volunteer', { endDate: '2099-01-01' });
    const cookie = await signIn(h, user);
    await h.owner.query(`update users set end_date = current_date - 1 where id = $1`, [user.id]);
    expect((await me(cookie)).statusCode).toBe(401);
    expect((await signInRaw(user.email, PASSWORD, '10.8.8.8')).statusCode).toBe(401);
  });
});

// Brute force (AA-07): throttle.int.test.ts, with the controllable clock.

describe('strict bodies (AA-04)', () => {
  it('rejects unknown fields: nobody sets their own role or organisation', async () => {
    const user = await newUser(h, org, 'staff');
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password: PASSWORD, role: 'org_admin' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('role');
    const admin = await newUser(h, org, 'org_admin');
    const cookie = await signIn(h, admin);
    const other = await newOrganisation(h);
    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: { cookie },
      payload: { role: 'manager', organisation_id: other.id },
    });
    expect(patch.statusCode).toBe(400);
    const row = await h.owner.query('select role, organisation_id from users where id = $1', [user.id]);
    expect(row.rows[0]).toEqual({ role: 'staff', organisation_id: org.id });
  });
});

describe('two-factor authentication (AA-05)', () => {
  it('a user with TOTP cannot reach the API before the code, and a code works once', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const first = await signInRaw(admin.email, PASSWORD, '10.5.5.5');
    expect(first.json()).toEqual({ stage: 'second_factor' });
    const pending = cookieOf(first);
    const blocked = await h.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: pending } });
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json().code).toBe('second_factor_required');
    const code = currentTotp(admin.totpSecret as string);
    const ok = await h.app.inject({ method: 'POST', url: '/api/auth/second-factor', payload: { code }, headers: { cookie: pending } });
    expect(ok.statusCode).toBe(200);
    const active = cookieOf(ok);
    expect(active).not.toBe(pending);
    // The pre-second-factor token is gone (rotated).
    expect((await me(pending)).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: active } })).statusCode).toBe(200);
    // Replaying the same code on a new sign-in is refused.
    const again = cookieOf(await signInRaw(admin.email, PASSWORD, '10.5.5.6'));
    const replay = await h.app.inject({ method: 'POST', url: '/api/auth/second-factor', payload: { code }, headers: { cookie: again } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().detail).toContain('déjà utilisé');
  });

  it('a code from another time window is refused', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const pending = cookieOf(await signInRaw(admin.email, PASSWORD, '10.6.6.6'));
    const old = currentTotp(admin.totpSecret as string, Date.now() - 5 * 60_000);
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/second-factor', payload: { code: old }, headers: { cookie: pending } });
    expect(res.statusCode).toBe(401);
  });

  it('an org admin without TOTP must enrol before anything else', async () => {
    const admin = await newUser(h, org, 'org_admin', { totp: false });
    const res = await signInRaw(admin.email, PASSWORD, '10.7.7.7');
    expect(res.json()).toEqual({ stage: 'enrolment' });
    const cookie = cookieOf(res);
    expect((await h.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } })).statusCode).toBe(401);
    const enrol = await h.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment', headers: { cookie } });
    expect(enrol.statusCode).toBe(200);
    const { secret, uri, qrCodeDataUrl } = enrol.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Lien:/);
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const wrong = await h.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment/confirm', payload: { code: '000000' }, headers: { cookie } });
    expect(wrong.statusCode).toBe(422);
    const ok = await h.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment/confirm', payload: { code: currentTotp(secret) }, headers: { cookie } });
    expect(ok.statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: cookieOf(ok) } })).statusCode).toBe(200);
    // From now on, sign-in asks for the code.
    expect((await signInRaw(admin.email, PASSWORD, '10.7.7.8')).json()).toEqual({ stage: 'second_factor' });
  });

  it('re-authentication asks for the TOTP code too when enrolled', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const cookie = await signIn(h, admin, '10.11.0.1');
    await h.owner.query('update users set totp_last_step = null where id = $1', [admin.id]);
    const noCode = await h.app.inject({ method: 'POST', url: '/api/auth/reauthenticate', headers: { cookie }, payload: { password: PASSWORD } });
    expect(noCode.statusCode).toBe(401);
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/auth/reauthenticate',
      headers: { cookie },
      payload: { password: PASSWORD, code: currentTotp(admin.totpSecret as string) },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('an enrolled user cannot start another enrolment (the factor is reset by an admin only)', async () => {
    const staff = await newUser(h, org, 'staff');
    const cookie = await signIn(h, staff);
    const enrol = await h.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment', headers: { cookie } });
    expect(enrol.statusCode).toBe(409);
    expect(enrol.json().code).toBe('totp_already_enabled');
  });
});

describe('password reset by e-mailed link (AA-06)', () => {
  // The link is in no table: the message is delivered to a development mailbox, read from there.
  const latestLink = async (email: string) => {
    // The reset e-mail is prepared after the answer has left (constant-time answer).
    await settleDeferredWork();
    const { rows } = await h.owner.query(`select id, organisation_id from messages where recipient = $1 order by created_at desc limit 1`, [email]);
    if (!rows[0]) return null;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-mail-'));
    await deliverMessage(h.database, devMailboxAdapter(dir, messageKey(h.deps.config)), rows[0].organisation_id, rows[0].id);
    const text = await readFile(path.join(dir, `${rows[0].id}.txt`), 'utf8');
    return /#([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? null;
  };
  const messagesDump = async () => (await h.owner.query(`select coalesce(string_agg(m::text, E'\\n'), '') as t from messages m`)).rows[0].t as string;

  it('nobody but the recipient gets the link: not the messages table, not the outbox page of an admin (issue 9)', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const adminCookie = await signIn(h, admin);
    const manager = await newUser(h, org, 'manager');
    await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: manager.email }, remoteAddress: '10.12.0.9' });
    await settleDeferredWork();
    const queued = await messagesDump();
    const outboxQueued = (await h.app.inject({ method: 'POST', url: '/api/outbox/search', headers: { cookie: adminCookie }, payload: {} })).body;
    const token = await latestLink(manager.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const outboxSent = (await h.app.inject({ method: 'POST', url: '/api/outbox/search', headers: { cookie: adminCookie }, payload: {} })).body;
    expect(outboxSent).toContain(MASKED_LINK);
    for (const text of [queued, outboxQueued, await messagesDump(), outboxSent]) expect(text).not.toContain(token as string);
    const sealed = await h.owner.query(`select sealed_body from messages where recipient = $1`, [manager.email]);
    expect(sealed.rows).toEqual([{ sealed_body: null }]);
    const set = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'la phrase de passe du responsable' } });
    expect(set.statusCode).toBe(200);
    const again = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'une autre phrase de passe' } });
    expect(again.statusCode).toBe(422);
  });

  it('sends a single-use link through the outbox; the second factor is still asked afterwards', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const req = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: admin.email }, remoteAddress: '10.12.0.1' });
    expect(req.statusCode).toBe(202);
    const token = await latestLink(admin.email);
    expect(token).not.toBeNull();
    const weak = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    const set = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'une nouvelle phrase de passe' } });
    expect(set.statusCode).toBe(200);
    const reuse = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'encore une autre phrase' } });
    expect(reuse.statusCode).toBe(422);
    expect(reuse.json().detail).toContain('déjà utilisé');
    const res = await signInRaw(admin.email, 'une nouvelle phrase de passe', '10.10.0.1');
    expect(res.json()).toEqual({ stage: 'second_factor' });
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const before = await h.owner.query('select count(*)::int as n from messages');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'inconnu@nulle-part.fr' },
      remoteAddress: '10.12.0.1',
    });
    expect(res.statusCode).toBe(202);
    await settleDeferredWork();
    expect((await h.owner.query('select count(*)::int as n from messages')).rows[0].n).toBe(before.rows[0].n);
  });

  it('an expired link is refused', async () => {
    const user = await newUser(h, org, 'staff');
    await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: user.email }, remoteAddress: '10.12.0.1' });
    const token = await latestLink(user.email);
    await h.owner.query(`update user_tokens set expires_at = now() - interval '1 minute' where user_id = $1`, [user.id]);
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'une phrase de passe solide' } });
    expect(res.statusCode).toBe(422);
  });

  it('refuses passwords among the most breached', async () => {
    const user = await newUser(h, org, 'staff');
    await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: user.email }, remoteAddress: '10.12.0.1' });
    const token = await latestLink(user.email);
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'azerty123456' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('guessable_password');
  });
});
