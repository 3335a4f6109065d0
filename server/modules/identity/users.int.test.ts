import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../../contracts/roles.ts';
import { adapterFromConfig, DEV_MAILBOX_BANNER } from '../../platform/outbox/adapters.ts';
import { deliverMessage } from '../../platform/outbox/outbox.ts';
import { MASKED_LINK } from '../../platform/outbox/sealing.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { isolationWatchScript } from '../campaigns/index.ts';

let h: Harness;
let org: TestOrg;
let admin: TestUser;
let cookie: string;

beforeAll(async () => {
  // The development mailbox of this run writes under a temporary data folder.
  h = await startHarness({ LIEN_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'lien-users-')) });
  org = await newOrganisation(h);
  admin = await newUser(h, org, 'org_admin');
  cookie = await signIn(h, admin);
});
afterAll(() => h.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, c = cookie) =>
  h.app.inject({ method, url, headers: { cookie: c }, ...(payload ? { payload } : {}) });

describe('inviting users', () => {
  it('creates an invited user with a role and agency scope, e-mails a single-use link, and audits it', async () => {
    const res = await call('POST', '/api/users', {
      email: 'Nouvelle.Recrue@Test.lien.fr',
      firstName: 'Inès',
      lastName: 'Diallo',
      role: 'staff',
      agencyIds: [org.agencyIds[0]],
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ email: 'nouvelle.recrue@test.lien.fr', role: 'staff', status: 'invited', agencyIds: [org.agencyIds[0]] });
    const msg = await h.owner.query(`select id, body, purpose, status from messages where recipient = $1`, [user.email]);
    expect(msg.rows).toHaveLength(1);
    expect(msg.rows[0].purpose).toBe('invitation');
    expect(msg.rows[0].body).toContain(MASKED_LINK);
    // The worker delivers it (local adapter: the outbox page shows it masked; the development
    // mailbox, files under the data folder, gets the full text).
    await deliverMessage(h.database, adapterFromConfig(h.deps.config), org.id, msg.rows[0].id);
    expect((await h.owner.query('select status, sealed_body from messages where id = $1', [msg.rows[0].id])).rows[0]).toEqual({
      status: 'delivered_locally',
      sealed_body: null,
    });
    const mail = await readFile(path.join(h.deps.config.LIEN_DATA_DIR, 'mail', `${msg.rows[0].id}.txt`), 'utf8');
    expect(mail.startsWith(DEV_MAILBOX_BANNER)).toBe(true);
    const token = /invitation#([A-Za-z0-9_-]{43})/.exec(mail)?.[1] as string;
    expect(token).toBeDefined();
    // Neither the messages table (any column) nor the admin's outbox page holds the token.
    const dump = (await h.owner.query(`select string_agg(m::text, E'\\n') as t from messages m`)).rows[0].t as string;
    expect(dump).not.toContain(token);
    const outbox = await call('POST', '/api/outbox/search', {});
    expect(outbox.statusCode).toBe(200);
    expect(outbox.body).not.toContain(token);
    expect(outbox.json().find((m: { id: string }) => m.id === msg.rows[0].id).body).toContain(MASKED_LINK);
    const accept = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'ma phrase de passe à moi' } });
    expect(accept.statusCode).toBe(200);
    const twice = await h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'une autre phrase de passe' } });
    expect(twice.statusCode).toBe(422);
    const signInRes = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password: 'ma phrase de passe à moi' } });
    // Every role enrols a second factor at first sign-in (TRUST AA-05).
    expect(signInRes.json()).toEqual({ stage: 'enrolment' });
    const audit = await h.owner.query(`select action, actor_id from audit_events where object_id = $1 order by at`, [user.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['user.invited', 'auth.invitation_accepted', 'auth.signed_in']));
    expect(audit.rows.find((r) => r.action === 'user.invited')?.actor_id).toBe(admin.id);
  });

  it('resends an invitation: a fresh link works, the previous one no longer does, and an active account is refused in French', async () => {
    const email = `relance-${Date.now()}@test.lien.fr`;
    const user = (await call('POST', '/api/users', { email, firstName: 'Rose', lastName: 'Lebon', role: 'staff' })).json();
    const tokenOfMail = async (n: number) => {
      const rows = (await h.owner.query(`select id from messages where recipient = $1 order by created_at, id`, [email])).rows;
      expect(rows).toHaveLength(n);
      const id = rows[n - 1].id as string;
      await deliverMessage(h.database, adapterFromConfig(h.deps.config), org.id, id);
      const mail = await readFile(path.join(h.deps.config.LIEN_DATA_DIR, 'mail', `${id}.txt`), 'utf8');
      return /invitation#([A-Za-z0-9_-]{43})/.exec(mail)?.[1] as string;
    };
    const first = await tokenOfMail(1);
    expect((await call('POST', `/api/users/${user.id}/invitation`)).statusCode).toBe(202);
    const second = await tokenOfMail(2);
    expect(second).not.toBe(first);
    const setPassword = (token: string) =>
      h.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: 'une phrase de passe relancée' } });
    expect((await setPassword(first)).statusCode).toBe(422);
    expect((await setPassword(second)).statusCode).toBe(200);
    const again = await call('POST', `/api/users/${user.id}/invitation`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe("Ce compte est déjà activé : l'utilisateur peut réinitialiser son mot de passe.");
    const audit = await h.owner.query(`select action from audit_events where object_id = $1 order by at`, [user.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['user.invited', 'user.invitation_resent', 'auth.invitation_accepted']));
  });

  it('refuses an address already used in the organisation, in French', async () => {
    const other = await newUser(h, org, 'staff');
    const res = await call('POST', '/api/users', { email: other.email, firstName: 'A', lastName: 'B', role: 'staff' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toBe('Cette adresse e-mail a déjà un compte dans votre organisme.');
  });

  it('a volunteer needs an end date', async () => {
    const res = await call('POST', '/api/users', { email: `benevole-${Date.now()}@test.lien.fr`, firstName: 'A', lastName: 'B', role: 'volunteer' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('end_date_required');
  });

  it("refuses another organisation's agency in a scope", async () => {
    const other = await newOrganisation(h);
    const res = await call('POST', '/api/users', {
      email: `x-${Date.now()}@test.lien.fr`,
      firstName: 'A',
      lastName: 'B',
      role: 'staff',
      agencyIds: [other.agencyIds[0]],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('agency_not_found');
  });
});

describe('changing rights', () => {
  it('changes role and agencies, ends the sessions of the user, audits old and new values', async () => {
    const user = await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[0] as string] });
    const userCookie = await signIn(h, user);
    const res = await call('PATCH', `/api/users/${user.id}`, { role: 'manager', agencyIds: [org.agencyIds[1]] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'manager', agencyIds: [org.agencyIds[1]] });
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: userCookie } })).statusCode).toBe(401);
    const audit = await h.owner.query(`select details from audit_events where object_id = $1 and action = 'user.updated'`, [user.id]);
    expect(audit.rows[0].details).toMatchObject({
      before: { role: 'staff', agencyIds: [org.agencyIds[0]] },
      after: { role: 'manager', agencyIds: [org.agencyIds[1]] },
    });
  });

  it('an admin can end all sessions of a user without deactivating them', async () => {
    const user = await newUser(h, org, 'staff');
    const a = await signIn(h, user, '10.77.31.1');
    const b = await signIn(h, user, '10.77.31.2');
    const res = await call('POST', `/api/users/${user.id}/sessions/end`);
    expect(res.json(), res.body).toEqual({ ended: 2 });
    for (const c of [a, b]) expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: c } })).statusCode).toBe(401);
    expect((await h.owner.query('select status from users where id = $1', [user.id])).rows[0].status).toBe('active');
  });

  it('an admin cannot change their own role nor deactivate themselves', async () => {
    expect((await call('PATCH', `/api/users/${admin.id}`, { role: 'staff' })).statusCode).toBe(409);
    expect((await call('POST', `/api/users/${admin.id}/deactivate`)).statusCode).toBe(409);
  });

  it('reading a user is audited', async () => {
    const user = await newUser(h, org, 'caretaker');
    expect((await call('GET', `/api/users/${user.id}`)).statusCode).toBe(200);
    const n = await h.owner.query(`select count(*)::int as n from audit_events where object_id = $1 and action = 'user.viewed' and actor_id = $2`, [
      user.id,
      admin.id,
    ]);
    expect(n.rows[0].n).toBe(1);
  });
});

describe('role checks on every admin route', () => {
  it.each(roles.filter((r) => r !== 'org_admin'))('%s gets 403 on user administration, and the denial is audited', async (role) => {
    const user = await newUser(h, org, role, role === 'volunteer' ? { endDate: '2099-12-31' } : {});
    const c = await signIn(h, user);
    for (const [method, url] of [
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['GET', `/api/users/${admin.id}`],
      ['POST', '/api/audit/search'],
      ['POST', '/api/outbox/search'],
    ] as const) {
      const res = await h.app.inject({ method, url, headers: { cookie: c }, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
    }
    const denied = await h.owner.query(`select count(*)::int as n from audit_events where actor_id = $1 and action = 'access.denied'`, [user.id]);
    expect(denied.rows[0].n).toBe(5);
  });

  it('anonymous calls get 401', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(401);
  });
});

/** A multipart/form-data body: text fields first, then one file (as browsers send a form). */
function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = `lien-${randomUUID()}`;
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const body = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe('organisation isolation through the API (AA-02)', () => {
  it("an admin of A gets 404 on every :id route for B's object, and for a random id (a partner of A on the partners' own routes)", async () => {
    const orgB = await newOrganisation(h);
    const userB = await newUser(h, orgB, 'staff');
    // The routes the admin's role may not call (a partner's inbox) are tried by a partner user of A.
    const partnerCookie = await signIn(h, await newUser(h, org, 'partner'));
    // A deliverer's own routes (issue 17) are tried by a caretaker of A.
    const caretakerCookie = await signIn(h, await newUser(h, org, 'caretaker'));
    // A federation's member routes (issue 18) are tried by the admin of a federation.
    const federation = await newOrganisation(h);
    await h.owner.query(`update organisations set kind = 'federation' where id = $1`, [federation.id]);
    const federationCookie = await signIn(h, await newUser(h, federation, 'org_admin'));
    const cookieFor = (r: (typeof h.app.routeInventory)[number]) =>
      r.url.startsWith('/api/federation/members/')
        ? federationCookie
        : r.policy?.kind === 'roles' && !r.policy.roles.includes('org_admin')
          ? r.policy.roles.includes('partner')
            ? partnerCookie
            : caretakerCookie
          : cookie;
    // A tenant's own routes (issue 16) refuse every staff session (401, authz.int.test.ts); another
    // household's request or booking by id is a 404 there (portal and appointments tests).
    const idRoutes = h.app.routeInventory.filter((r) => (r.url.includes(':id') || r.url.includes(':targetId')) && r.policy?.kind !== 'tenant');
    expect(idRoutes.length).toBeGreaterThanOrEqual(5);
    for (const id of [userB.id, randomUUID()]) {
      for (const route of idRoutes) {
        const url = route.url
          .replace(':id', id)
          .replace(':targetId', id)
          .replace(':itemId', randomUUID())
          .replace(':taskId', randomUUID())
          .replace(':recipientId', randomUUID());
        // A body each route accepts, so the 404 is about the object, not the input.
        const bodies: Record<string, object> = {
          'PATCH /api/users/:id': { role: 'manager' },
          'POST /api/imports/:id/validate': { mapping: {} },
          'PUT /api/households/:id/contacts': { personId: randomUUID(), kind: 'mobile', value: '06 12 34 56 78' },
          'POST /api/households/:id/indicators': { kind: 'lives_alone' },
          'POST /api/households/:id/objections': { kind: 'no_call' },
          'POST /api/households/:id/consents': { channel: 'phone', wordingVersion: 'v1' },
          'POST /api/households/:id/needs': { category: 'other', label: 'Courses' },
          'PUT /api/households/:id/persons/:itemId/preferences': { preferredChannel: 'sms', preferredLanguage: null },
          'PUT /api/campaigns/:id': { name: 'Veille', segment: { status: 'active' }, script: isolationWatchScript },
          'POST /api/calls/:targetId/outcome': { outcome: 'refused' },
          'POST /api/followups/:id/assign': { userId: null },
          'POST /api/followups/:id/close': { resolution: 'Fait.' },
          'POST /api/doorstep/:id/result': { result: 'met' },
          'POST /api/call-notes/:id/review': { decision: 'kept' },
          'PUT /api/residences/:id/caretaker': { caretakerId: null },
          'PUT /api/partners/:id': { name: 'CCAS de Vitry', kind: 'other' },
          'POST /api/cases/:id/referral-consents': { partnerId: randomUUID(), purpose: 'referral', channel: 'phone' },
          'POST /api/referrals/:id/answer': { accept: true },
          'POST /api/referrals/:id/report': { outcome: 'done' },
          'POST /api/cases/:id/status': { status: 'waiting_tenant' },
          'POST /api/cases/:id/tasks': { title: 'Rappeler la locataire' },
          'POST /api/cases/:id/notes': { body: 'Appel passé.' },
          'POST /api/privacy/requests/:id/refuse': { reason: 'La demande ne porte sur aucune donnée.' },
          'POST /api/solidarity/lendings/:id/keys': { event: 'handed' },
          'POST /api/volunteers/applications/:id/decision': { decision: 'decline' },
          'POST /api/solidarity/deliveries/:id/outcome': { outcome: 'done' },
          'POST /api/solidarity/distributions/:id/invitees': { from: 'food_cases' },
          'POST /api/solidarity/outreach/:id/contacts': { topics: ['other'] },
          'POST /api/solidarity/distributions/:id/attendance': { householdId: randomUUID(), attended: true },
          'PUT /api/messaging/templates/:id': { name: 'Modèle', channels: ['sms'], body: 'Bonjour' },
          'PUT /api/messaging/campaigns/:id/ladder': { beforeFirstCall: null, beforeDoorstep: null },
          'PUT /api/federation/members/:id/report-text': { text: 'Nos actions du mois.' },
          'PUT /api/federation/memberships/:id': { indicators: [] },
          'POST /api/federation/memberships/:id/preview': { indicators: [] },
          'POST /api/appointments/bookings/:id/mark': { outcome: 'no_show' },
          'PATCH /api/requests/:id': { status: 'in_progress' },
          'PUT /api/portal-articles/:id': { kind: 'news', agencyId: null, title: 'Travaux', body: 'Ascenseur en panne.' },
          'POST /api/requests/:id/replies': { body: 'Nous passons demain.' },
          'POST /api/requests/:id/notes': { body: 'Voir avec le gardien.' },
        };
        Object.assign(bodies, {
          'POST /api/households/:id/document-requests': { label: 'Avis d’imposition' },
          'POST /api/document-requests/:id/review': { decision: 'accept' },
        });
        // The one staff upload with an id in its path (a document made available): a valid form.
        const form =
          `${route.method} ${route.url}` === 'POST /api/households/:id/portal-documents'
            ? multipart({ kind: 'attestation', title: 'Attestation de loyer' }, { name: 'attestation.pdf', type: 'application/pdf', bytes: pdfBytes })
            : null;
        const payload = form?.body ?? bodies[`${route.method} ${route.url}`] ?? (route.method === 'POST' ? {} : undefined);
        const headers = { cookie: cookieFor(route), ...(form ? { 'content-type': form.contentType } : {}) };
        const res = await h.app.inject({ method: route.method as 'GET', url, headers, ...(payload ? { payload } : {}) });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(404);
      }
    }
    const row = await h.owner.query('select role, status from users where id = $1', [userB.id]);
    expect(row.rows[0]).toEqual({ role: 'staff', status: 'active' });
  });

  it('lists only the own organisation', async () => {
    const orgB = await newOrganisation(h);
    await newUser(h, orgB, 'staff');
    const users = (await call('GET', '/api/users')).json() as { id: string }[];
    const orgs = await h.owner.query('select distinct organisation_id from users where id = any($1)', [users.map((u) => u.id)]);
    expect(orgs.rows).toEqual([{ organisation_id: org.id }]);
    const agencies = (await call('GET', '/api/agencies')).json() as { id: string }[];
    expect(agencies.map((a) => a.id).sort()).toEqual([...org.agencyIds].sort());
  });
});
