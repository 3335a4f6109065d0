import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../platform/auth/password.ts';
import { cookieOf, type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { settleDeferredWork } from './identity.service.ts';

/*
 * Issue 9, finding 14: an e-mail address may have an account in several organisations (a
 * partner association or a CCAS working with several landlords, a volunteer helping two).
 * Inviting an address used elsewhere is an ordinary invitation, nothing tells the admin about
 * the other organisation, and sign-in asks which organisation when the password fits several.
 */

let h: Harness;
let orgA: TestOrg;
let orgB: TestOrg;
let orgC: TestOrg;
let adminA: TestUser;
let adminB: TestUser;
let adminC: TestUser;
let cookieA: string;
let cookieB: string;
let cookieC: string;
const nameOf = (org: TestOrg) => `Bailleur ${org.slug}`;
let nextIp = 0;
const ip = () => `10.90.${Math.floor(nextIp / 250)}.${nextIp++ % 250}`;

beforeAll(async () => {
  h = await startHarness();
  [orgA, orgB, orgC] = [await newOrganisation(h), await newOrganisation(h), await newOrganisation(h)];
  [adminA, adminB, adminC] = [await newUser(h, orgA, 'org_admin'), await newUser(h, orgB, 'org_admin'), await newUser(h, orgC, 'org_admin')];
  [cookieA, cookieB, cookieC] = [await signIn(h, adminA), await signIn(h, adminB), await signIn(h, adminC)];
});
afterAll(async () => {
  await settleDeferredWork();
  await h.close();
});

const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const invite = (cookie: string, org: TestOrg, email: string) =>
  call(cookie, 'POST', '/api/users', { email, firstName: 'Inès', lastName: 'Diallo', role: 'partner', agencyIds: [org.agencyIds[0]] });
const signInRaw = (email: string, password: string, organisationId?: string) =>
  h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password, ...(organisationId ? { organisationId } : {}) }, remoteAddress: ip() });
const me = (cookie: string) => h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

/** The account of `email` in `org`, given this password and made active (as if the invitation were accepted). */
async function activate(email: string, org: TestOrg, password: string) {
  const { rows } = await h.owner.query(`update users set password_hash = $3, status = 'active' where email = $1 and organisation_id = $2 returning id`, [
    email,
    org.id,
    await hashPassword(password),
  ]);
  expect(rows).toHaveLength(1);
  return rows[0].id as string;
}

/** Three accounts of one address, in A, B and C, invited through the API. */
async function invitedEverywhere() {
  const email = `partenaire-${randomUUID().slice(0, 8)}@ccas.test.fr`;
  for (const [cookie, org] of [
    [cookieA, orgA],
    [cookieB, orgB],
    [cookieC, orgC],
  ] as const) {
    expect((await invite(cookie, org, email)).statusCode).toBe(201);
  }
  return email;
}

describe('one address, accounts in several organisations (issue 9, finding 14)', () => {
  it('the same address invited in two organisations gives two accounts; in the same one a French 409', async () => {
    const email = `benevole-${randomUUID().slice(0, 8)}@asso.test.fr`;
    const a = await invite(cookieA, orgA, email);
    const b = await invite(cookieB, orgB, email);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const accounts = await h.owner.query('select id, organisation_id, status from users where email = $1 order by created_at', [email]);
    expect(accounts.rows).toEqual([
      { id: a.json().id, organisation_id: orgA.id, status: 'invited' },
      { id: b.json().id, organisation_id: orgB.id, status: 'invited' },
    ]);
    // Each organisation e-mailed its own invitation, naming itself; nobody got any other notice.
    const messages = await h.owner.query('select organisation_id, purpose, subject, body from messages where recipient = $1 order by created_at', [email]);
    expect(messages.rows.map((m) => [m.organisation_id, m.purpose])).toEqual([
      [orgA.id, 'invitation'],
      [orgB.id, 'invitation'],
    ]);
    expect(messages.rows[1].body).toContain(nameOf(orgB));
    expect(messages.rows[1].body).not.toContain(nameOf(orgA));
    // A second invitation in the same organisation is refused, clearly.
    const again = await invite(cookieB, orgB, email);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'email_taken', detail: 'Cette adresse e-mail a déjà un compte dans votre organisme.' });
  });

  it('an address used elsewhere is invited exactly like a new one: answer, list, reading, resending; no trace of the other organisation', async () => {
    const used = `partenaire-${randomUUID().slice(0, 8)}@ccas.test.fr`;
    const fresh = `nouveau-${randomUUID().slice(0, 8)}@ccas.test.fr`;
    expect((await invite(cookieA, orgA, used)).statusCode).toBe(201);
    const elsewhereId = await activate(used, orgA, 'a long and private passphrase');
    const u = await invite(cookieB, orgB, used);
    const f = await invite(cookieB, orgB, fresh);
    expect(u.statusCode).toBe(201);
    expect(u.statusCode).toBe(f.statusCode);
    const shape = (body: Record<string, unknown>) => ({ ...body, id: typeof body.id, email: typeof body.email, createdAt: typeof body.createdAt });
    expect(shape(u.json())).toEqual(shape(f.json()));
    expect(u.json()).toMatchObject({ email: used, status: 'invited', role: 'partner', totpEnabled: false });
    expect(u.json().id).not.toBe(elsewhereId);
    // « Utilisateurs » of B shows both invited people alike.
    const list = (await call(cookieB, 'GET', '/api/users')).json() as Record<string, unknown>[];
    const listed = (email: string) => list.find((x) => x.email === email) as Record<string, unknown>;
    expect(shape(listed(used))).toEqual(shape(listed(fresh)));
    expect(listed(used).id).toBe(u.json().id);
    // Reading it and resending its invitation work as for the new address.
    const read = await call(cookieB, 'GET', `/api/users/${u.json().id}`);
    expect(read.statusCode).toBe(200);
    expect(shape(read.json())).toEqual(shape((await call(cookieB, 'GET', `/api/users/${f.json().id}`)).json()));
    for (const id of [u.json().id, f.json().id]) expect((await call(cookieB, 'POST', `/api/users/${id}/invitation`)).statusCode).toBe(202);
    // Nothing answered to B holds A's name, id or the other account's id.
    for (const body of [u.body, read.body, JSON.stringify(list)]) {
      for (const trace of [orgA.id, orgA.slug, elsewhereId]) expect(body).not.toContain(trace);
    }
    // A sees nothing of it: no message, no audit event in A about B's invitation.
    const inA = await h.owner.query(`select count(*)::int as n from messages where organisation_id = $1 and recipient = $2`, [orgA.id, used]);
    expect(inA.rows[0].n).toBe(1); // A's own invitation, nothing more
    const auditA = await h.owner.query(`select count(*)::int as n from audit_events where organisation_id = $1 and object_id = $2`, [orgA.id, u.json().id]);
    expect(auditA.rows[0].n).toBe(0);
    expect((await h.owner.query(`select count(*)::int as n from messages where purpose = 'invitation_elsewhere'`)).rows[0].n).toBe(0);
  });

  it('signs in to the organisation whose account the password fits', async () => {
    const email = await invitedEverywhere();
    await activate(email, orgA, 'passphrase of organisation A');
    await activate(email, orgB, 'passphrase of organisation B');
    for (const [password, org] of [
      ['passphrase of organisation A', orgA],
      ['passphrase of organisation B', orgB],
    ] as const) {
      const res = await signInRaw(email, password);
      expect(res.statusCode).toBe(200);
      const who = (await me(cookieOf(res))).json();
      expect(who.organisation.id).toBe(org.id);
      expect(who.email).toBe(email);
    }
    // C's account is still invited: no password fits it. A wrong password: the usual answer.
    const wrong = await signInRaw(email, 'passphrase of nobody at all');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().detail).toBe('Adresse e-mail ou mot de passe incorrect.');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('the same password in several organisations: the choice lists those accounts only, and the chosen one signs in', async () => {
    const email = await invitedEverywhere();
    const same = 'one passphrase for two landlords';
    await activate(email, orgA, same);
    await activate(email, orgB, same);
    await activate(email, orgC, 'another passphrase for the third');
    const asked = await signInRaw(email, same);
    expect(asked.statusCode).toBe(409);
    expect(asked.headers['set-cookie']).toBeUndefined();
    const expected = [
      { id: orgA.id, name: nameOf(orgA) },
      { id: orgB.id, name: nameOf(orgB) },
    ].sort((x, y) => x.name.localeCompare(y.name, 'fr'));
    expect(asked.json()).toMatchObject({ code: 'organisation_choice_required', organisations: expected });
    expect(asked.json().detail).toMatch(/plusieurs organismes/);
    for (const org of [orgB, orgA]) {
      const chosen = await signInRaw(email, same, org.id);
      expect(chosen.statusCode).toBe(200);
      expect((await me(cookieOf(chosen))).json().organisation.id).toBe(org.id);
    }
    // Choosing C (where this password does not fit) or an organisation without an account: refused alike.
    for (const organisationId of [orgC.id, randomUUID()]) {
      const refused = await signInRaw(email, same, organisationId);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().detail).toBe('Adresse e-mail ou mot de passe incorrect.');
    }
    // A deactivated account is not offered: the other one signs in directly.
    expect(
      (
        await call(
          cookieA,
          'POST',
          `/api/users/${(await h.owner.query('select id from users where email = $1 and organisation_id = $2', [email, orgA.id])).rows[0].id}/deactivate`,
        )
      ).statusCode,
    ).toBe(200);
    const direct = await signInRaw(email, same);
    expect(direct.statusCode).toBe(200);
    expect((await me(cookieOf(direct))).json().organisation.id).toBe(orgB.id);
  });

  it('a reset request sends one link per active account, each naming its organisation', async () => {
    const email = await invitedEverywhere();
    await activate(email, orgA, 'passphrase of organisation A');
    await activate(email, orgB, 'passphrase of organisation B');
    // C's account is still invited: it gets no reset link (its invitation stands).
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email }, remoteAddress: ip() });
    expect(res.statusCode).toBe(202);
    await settleDeferredWork();
    const { rows } = await h.owner.query(
      `select organisation_id, subject, body from messages where recipient = $1 and purpose = 'password_reset' order by organisation_id`,
      [email],
    );
    expect(rows.map((r) => r.organisation_id).sort()).toEqual([orgA.id, orgB.id].sort());
    for (const r of rows) {
      const own = r.organisation_id === orgA.id ? orgA : orgB;
      const other = own === orgA ? orgB : orgA;
      expect(r.body).toContain(`de l'organisme ${nameOf(own)}`);
      expect(r.subject).toContain(nameOf(own));
      expect(r.body).not.toContain(nameOf(other));
    }
  });
});
