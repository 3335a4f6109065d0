// TRUST AA-05: every staff account has a second factor — enrolment at first sign-in, the code
// (or a one-time recovery code) at every sign-in — and the org admin can reset it. The demo
// organisation, and only it, shows the demo accounts' current code.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roles } from '../../../contracts/roles.ts';
import { currentTotp } from '../../platform/auth/totp.ts';
import { markDemoOrganisation } from '../../platform/db/organisations.ts';
import { cookieOf, type Harness, newOrganisation, newUser, PASSWORD, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';

let h: Harness;
let org: TestOrg;

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
});
afterAll(() => h.close());

const inject_ = (method: 'GET' | 'POST', url: string, cookie?: string, payload?: object, ip = '10.31.0.1') =>
  h.app.inject({ method, url, remoteAddress: ip, ...(cookie ? { headers: { cookie } } : {}), ...(payload ? { payload } : {}) });
const signInRaw = (user: TestUser, ip = '10.31.0.1') => inject_('POST', '/api/auth/sign-in', undefined, { email: user.email, password: PASSWORD }, ip);
const roleRoutes = () => h.app.routeInventory.filter((r) => r.url.startsWith('/api/') && r.policy?.kind === 'roles');
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '0190d8a2-0000-7000-8000-000000000000').replace('*', 'x');

/** Sign in, enrol with the code the application would show, and return the codes and active cookie. */
async function enrol(user: TestUser, ip: string) {
  const pending = cookieOf(await signInRaw(user, ip));
  const start = await inject_('POST', '/api/auth/totp/enrolment', pending);
  expect(start.statusCode).toBe(200);
  const secret = start.json().secret as string;
  const ok = await inject_('POST', '/api/auth/totp/enrolment/confirm', pending, { code: currentTotp(secret) });
  expect(ok.statusCode).toBe(200);
  return { secret, cookie: cookieOf(ok), recoveryCodes: ok.json().recoveryCodes as string[] };
}

/** Make the session look authenticated 10 minutes ago (re-authentication needed again). */
const staleAuthentication = (userId: string) =>
  h.owner.query(`update sessions set authenticated_at = now() - interval '10 minutes' where user_id = $1 and ended_at is null`, [userId]);

describe('a second factor for every role (AA-05)', () => {
  it.each(roles)('a %s without a second factor must enrol: every role route answers 401 second_factor_required until then', async (role) => {
    const user = await newUser(h, org, role, { totp: false, endDate: role === 'volunteer' ? '2099-12-31' : null });
    const ip = `10.21.${roles.indexOf(role)}.1`;
    const res = await signInRaw(user, ip);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ stage: 'enrolment' });
    const pending = cookieOf(res);
    const notRefused: string[] = [];
    for (const route of roleRoutes()) {
      const method = route.method as 'GET';
      const r = await h.app.inject({ method, url: concrete(route.url), headers: { cookie: pending }, ...(method === 'GET' ? {} : { payload: {} }) });
      if (r.statusCode !== 401 || r.json().code !== 'second_factor_required') notRefused.push(`${route.method} ${route.url} → ${r.statusCode}`);
    }
    expect(notRefused).toEqual([]);
    expect(roleRoutes().length).toBeGreaterThan(40);

    const { cookie, recoveryCodes } = await enrol(user, ip);
    expect(recoveryCodes).toHaveLength(10);
    const me = await inject_('GET', '/api/auth/me', cookie);
    expect(me.json()).toMatchObject({ stage: 'active', totpEnabled: true, recoveryCodesLeft: 10 });
    // From now on every sign-in asks for the code.
    expect((await signInRaw(user, ip)).json()).toEqual({ stage: 'second_factor' });
  });

  it('an enrolled user of any role cannot reach a role route before the code', async () => {
    for (const role of roles) {
      const user = await newUser(h, org, role, { endDate: role === 'volunteer' ? '2099-12-31' : null });
      const pending = cookieOf(await signInRaw(user, '10.22.0.1'));
      const blocked = await inject_('GET', '/api/calls/campaigns', pending);
      expect(blocked.statusCode, role).toBe(401);
      expect(blocked.json().code).toBe('second_factor_required');
    }
  });
});

describe('recovery codes', () => {
  it('are stored hashed, never in clear', async () => {
    const user = await newUser(h, org, 'staff', { totp: false });
    const { recoveryCodes } = await enrol(user, '10.23.0.1');
    for (const c of recoveryCodes) expect(c).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(new Set(recoveryCodes).size).toBe(10);
    const { rows } = await h.owner.query(`select encode(code_hash, 'hex') as hex, row_to_json(c)::text as row from user_recovery_codes c where user_id = $1`, [
      user.id,
    ]);
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.hex).toMatch(/^[0-9a-f]{64}$/);
      for (const c of recoveryCodes) {
        expect(r.row).not.toContain(c);
        expect(r.row).not.toContain(c.replace(/-/g, ''));
        expect(r.hex).not.toBe(Buffer.from(c).toString('hex'));
      }
    }
  });

  it('one works once in place of the code at sign-in, audited; a used one is refused', async () => {
    const user = await newUser(h, org, 'manager', { totp: false });
    const { recoveryCodes } = await enrol(user, '10.24.0.1');
    const code = recoveryCodes[3] as string;
    const pending = cookieOf(await signInRaw(user, '10.24.0.2'));
    // Typed in lower case without dashes: still accepted.
    const ok = await inject_('POST', '/api/auth/second-factor', pending, { code: code.toLowerCase().replace(/-/g, '') });
    expect(ok.statusCode).toBe(200);
    expect((await inject_('GET', '/api/campaigns', cookieOf(ok))).statusCode).toBe(200);
    const audit = await h.owner.query(`select details from audit_events where object_id = $1 and action = 'auth.recovery_code_used'`, [user.id]);
    expect(audit.rows).toEqual([{ details: { during: 'sign_in', remaining: 9 } }]);
    expect((await inject_('GET', '/api/auth/me', cookieOf(ok))).json().recoveryCodesLeft).toBe(9);

    const again = cookieOf(await signInRaw(user, '10.24.0.3'));
    const reused = await inject_('POST', '/api/auth/second-factor', again, { code });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('invalid_code');
    expect((await inject_('GET', '/api/campaigns', again)).statusCode).toBe(401);
    // Another user's code is worth nothing for this one.
    const other = await newUser(h, org, 'manager', { totp: false });
    const otherCodes = (await enrol(other, '10.24.0.4')).recoveryCodes;
    expect((await inject_('POST', '/api/auth/second-factor', again, { code: otherCodes[0] })).statusCode).toBe(401);
  });

  it('a recovery code also confirms a re-authentication, once', async () => {
    const user = await newUser(h, org, 'staff', { totp: false });
    const { cookie, recoveryCodes } = await enrol(user, '10.25.0.1');
    const body = { password: PASSWORD, code: recoveryCodes[0] };
    expect((await inject_('POST', '/api/auth/reauthenticate', cookie, body)).statusCode).toBe(200);
    expect((await inject_('POST', '/api/auth/reauthenticate', cookie, body)).statusCode).toBe(401);
    const audit = await h.owner.query(`select details from audit_events where object_id = $1 and action = 'auth.recovery_code_used'`, [user.id]);
    expect(audit.rows).toEqual([{ details: { during: 'reauthentication', remaining: 9 } }]);
  });

  it('regenerating them needs a fresh authentication and voids the old ones', async () => {
    const user = await newUser(h, org, 'social_worker', { totp: false });
    const { cookie, secret, recoveryCodes } = await enrol(user, '10.26.0.1');
    await staleAuthentication(user.id);
    const stale = await inject_('POST', '/api/auth/recovery-codes', cookie);
    expect(stale.statusCode).toBe(403);
    expect(stale.json().code).toBe('reauthentication_required');
    await h.owner.query('update users set totp_last_step = null where id = $1', [user.id]);
    expect((await inject_('POST', '/api/auth/reauthenticate', cookie, { password: PASSWORD, code: currentTotp(secret) })).statusCode).toBe(200);
    const fresh = await inject_('POST', '/api/auth/recovery-codes', cookie);
    expect(fresh.statusCode).toBe(200);
    const renewed = fresh.json().recoveryCodes as string[];
    expect(renewed).toHaveLength(10);
    expect(renewed.filter((c) => recoveryCodes.includes(c))).toEqual([]);
    const audit = await h.owner.query(`select actor_id from audit_events where object_id = $1 and action = 'auth.recovery_codes_regenerated'`, [user.id]);
    expect(audit.rows).toEqual([{ actor_id: user.id }]);
    const pending = cookieOf(await signInRaw(user, '10.26.0.2'));
    expect((await inject_('POST', '/api/auth/second-factor', pending, { code: recoveryCodes[1] })).statusCode).toBe(401);
    expect((await inject_('POST', '/api/auth/second-factor', pending, { code: renewed[1] })).statusCode).toBe(200);
  });
});

describe('« Réinitialiser la double authentification » by the org admin', () => {
  const reset = (id: string, cookie: string) => inject_('POST', `/api/users/${id}/second-factor/reset`, cookie);

  it('voids the factor and recovery codes, ends the sessions, is audited; the user enrols again', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const adminCookie = await signIn(h, admin, '10.27.0.1');
    const user = await newUser(h, org, 'caretaker', { totp: false });
    const { cookie: userCookie } = await enrol(user, '10.27.0.2');
    const res = await reset(user.id, adminCookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: user.id, totpEnabled: false });
    expect((await inject_('GET', '/api/auth/me', userCookie)).statusCode).toBe(401);
    const row = await h.owner.query('select totp_secret, totp_enabled from users where id = $1', [user.id]);
    expect(row.rows[0]).toEqual({ totp_secret: null, totp_enabled: false });
    expect((await h.owner.query('select count(*)::int as n from user_recovery_codes where user_id = $1', [user.id])).rows[0].n).toBe(0);
    const audit = await h.owner.query(`select actor_id, details from audit_events where object_id = $1 and action = 'user.second_factor_reset'`, [user.id]);
    expect(audit.rows).toEqual([{ actor_id: admin.id, details: { wasEnabled: true, recoveryCodesVoided: 10, sessionsEnded: 1 } }]);
    expect((await signInRaw(user, '10.27.0.3')).json()).toEqual({ stage: 'enrolment' });
  });

  it('needs a fresh authentication of the admin', async () => {
    const admin = await newUser(h, org, 'org_admin');
    const adminCookie = await signIn(h, admin, '10.28.0.1');
    const user = await newUser(h, org, 'staff');
    await staleAuthentication(admin.id);
    const res = await reset(user.id, adminCookie);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('reauthentication_required');
    expect((await h.owner.query('select totp_enabled from users where id = $1', [user.id])).rows[0].totp_enabled).toBe(true);
  });

  it("another organisation's user is a 404 and stays unchanged; a non-admin gets 403; not on oneself", async () => {
    const admin = await newUser(h, org, 'org_admin');
    const adminCookie = await signIn(h, admin, '10.29.0.1');
    const otherOrg = await newOrganisation(h);
    const stranger = await newUser(h, otherOrg, 'staff');
    const foreign = await reset(stranger.id, adminCookie);
    expect(foreign.statusCode).toBe(404);
    expect((await h.owner.query('select totp_enabled from users where id = $1', [stranger.id])).rows[0].totp_enabled).toBe(true);

    const manager = await newUser(h, org, 'manager');
    const colleague = await newUser(h, org, 'staff');
    const denied = await reset(colleague.id, await signIn(h, manager, '10.29.0.2'));
    expect(denied.statusCode).toBe(403);
    expect((await h.owner.query('select totp_enabled from users where id = $1', [colleague.id])).rows[0].totp_enabled).toBe(true);

    const self = await reset(admin.id, adminCookie);
    expect(self.statusCode).toBe(409);
  });
});

describe('the demo code (demo organisation only)', () => {
  it('shows the signed-in demo account its current code, which signs in; twice in a row too', async () => {
    const demo = await newOrganisation(h);
    await markDemoOrganisation(inject('ownerUrl'), demo.id);
    const user = await newUser(h, demo, 'staff');
    for (const ip of ['10.30.0.1', '10.30.0.2']) {
      const pending = cookieOf(await signInRaw(user, ip));
      const shown = await inject_('GET', '/api/auth/demo-code', pending);
      expect(shown.statusCode).toBe(200);
      const { code, secondsLeft } = shown.json();
      expect(code).toMatch(/^\d{6}$/);
      expect(secondsLeft).toBeGreaterThan(0);
      const ok = await inject_('POST', '/api/auth/second-factor', pending, { code });
      expect(ok.statusCode).toBe(200);
    }
  });

  it('any other organisation gets a 404 without a code; signed out gets 401', async () => {
    const user = await newUser(h, org, 'staff');
    const pending = cookieOf(await signInRaw(user, '10.31.0.1'));
    const res = await inject_('GET', '/api/auth/demo-code', pending);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(currentTotp(user.totpSecret as string));
    expect((await inject_('GET', '/api/auth/demo-code')).statusCode).toBe(401);
  });

  it('the application role cannot mark an organisation as the demo one', async () => {
    await expect(h.database.withOrg({ organisationId: org.id }, (trx) => sql`update organisations set is_demo = true`.execute(trx))).rejects.toThrow(
      /permission denied/,
    );
    expect((await h.owner.query('select is_demo from organisations where id = $1', [org.id])).rows[0].is_demo).toBe(false);
  });
});
