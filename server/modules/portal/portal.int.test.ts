// Issue 16, TRUST AA-05, AA-07, IN-08, MT-08: a tenant signs in by a code sent to a contact the
// landlord knows, sees only their own household (enforced by the database), files and follows
// requests with documents; staff work them from the inbox.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throttleKey } from '../../platform/auth/tokens.ts';
import type { ClamdAddress } from '../../platform/files/clamd.ts';
import { scanFile } from '../../platform/files/files.ts';
import { signLink } from '../../platform/files/links.ts';
import { devMailboxDir } from '../../platform/outbox/adapters.ts';
import { messageKey, openSealed, sealContext } from '../../platform/outbox/sealing.ts';
import { EICAR, startClamd } from '../../test/clamd.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { withTenant } from './tenant.ts';

let h: Harness;
let clamd: { address: ClamdAddress; stop: () => Promise<void> };
let org: TestOrg;
let other: TestOrg;
let staffCookie: string;
/** Two households of `org`: A (two members, each with a contact) and B; C in `other`. */
const w = { A: '', B: '', C: '', aHolder: '', aPartner: '' };
const mobileA = `+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const emailA2 = `partner-${randomBytes(3).toString('hex')}@example.fr`;
const mobileB = `+3362${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const mobileC = `+3363${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

const q = async (text: string, params: unknown[] = []) => (await h.owner.query(text, params)).rows;
let address = 0;
const anyIp = () => `10.16.${Math.floor(Math.random() * 250)}.${(address++ % 250) + 1}`;

async function household(o: TestOrg, ref: string, people: { first: string; kind: 'mobile' | 'email'; value: string }[]) {
  const [res] = await q(
    `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, $3, 'Les Tilleuls', '1 rue A', '94400', 'Vitry') returning id`,
    [o.id, o.agencyIds[0], `G-${ref}`],
  );
  const [unit] = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, $3) returning id`, [o.id, res.id, `U-${ref}`]);
  const [hh] = await q(`insert into households (organisation_id, unit_id, erp_ref) values ($1, $2, $3) returning id`, [o.id, unit.id, `H-${ref}`]);
  const persons: string[] = [];
  for (const [i, p] of people.entries()) {
    const [person] = await q(
      `insert into persons (organisation_id, household_id, household_role, first_name, last_name, person_key) values ($1, $2, $3, $4, 'Martin', $5) returning id`,
      [o.id, hh.id, i === 0 ? 'holder' : 'co_holder', p.first, `K:${ref}:${i}`],
    );
    await q(`insert into contact_points (organisation_id, person_id, kind, value) values ($1, $2, $3, $4)`, [o.id, person.id, p.kind, p.value]);
    persons.push(person.id);
  }
  return { id: hh.id as string, persons };
}

const askCode = (o: TestOrg, contact: string, ip = anyIp()) =>
  h.app.inject({ method: 'POST', url: `/api/portal/landlords/${o.slug}/code`, payload: { contact }, remoteAddress: ip });
const verify = (o: TestOrg, challenge: string, code: string, ip = anyIp()) =>
  h.app.inject({ method: 'POST', url: `/api/portal/landlords/${o.slug}/verify`, payload: { challenge, code }, remoteAddress: ip });

/** The code a challenge sent, read as the tenant would: the sealed text (or the development mailbox if a worker sent it already). */
async function codeOf(challenge: string): Promise<string> {
  const [m] = await q(`select id, organisation_id, recipient, idempotency_key, sealed_body from messages where idempotency_key = $1`, [
    `portal-code:${challenge}`,
  ]);
  if (!m) throw new Error('no code sent');
  const text = m.sealed_body
    ? openSealed(messageKey(h.deps.config), { body: m.sealed_body, context: sealContext(m) })
    : readFileSync(path.join(devMailboxDir(h.deps.config), `${m.id}.txt`), 'utf8');
  return (/\b(\d{6})\b/.exec(text) as RegExpExecArray)[1] as string;
}

const cookieFrom = (res: LightMyRequestResponse) => {
  const raw = res.headers['set-cookie'];
  const first = (Array.isArray(raw) ? raw[0] : raw) as string;
  return first.split(';')[0] as string;
};

async function signInTenant(o: TestOrg, contact: string) {
  const asked = await askCode(o, contact);
  expect(asked.statusCode, asked.body).toBe(200);
  const { challenge } = asked.json();
  const res = await verify(o, challenge, await codeOf(challenge));
  expect(res.statusCode, res.body).toBe(200);
  return cookieFrom(res);
}

const as = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

function multipart(name: string, bytes: Buffer) {
  const boundary = `----lien${randomBytes(6).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const upload = (cookie: string, requestId: string, name: string, bytes: Buffer) => {
  const m = multipart(name, bytes);
  return h.app.inject({ method: 'POST', url: `/api/portal/requests/${requestId}/files`, payload: m.payload, headers: { ...m.headers, cookie } });
};
const jpeg = () =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x11]),
    Buffer.from('Exif\0\0GPS 48.78', 'latin1'),
    Buffer.from([0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0xff, 0xd9]),
  ]);

beforeAll(async () => {
  [h, clamd] = await Promise.all([startHarness(), startClamd()]);
  org = await newOrganisation(h);
  other = await newOrganisation(h);
  const a = await household(org, `A${randomBytes(3).toString('hex')}`, [
    { first: 'Nadia', kind: 'mobile', value: mobileA },
    { first: 'Karim', kind: 'email', value: emailA2 },
  ]);
  w.A = a.id;
  w.aHolder = a.persons[0] as string;
  w.aPartner = a.persons[1] as string;
  w.B = (await household(org, `B${randomBytes(3).toString('hex')}`, [{ first: 'Rose', kind: 'mobile', value: mobileB }])).id;
  w.C = (await household(other, `C${randomBytes(3).toString('hex')}`, [{ first: 'Paul', kind: 'mobile', value: mobileC }])).id;
  staffCookie = await signIn(h, await newUser(h, org, 'staff'));
}, 120_000);
afterAll(async () => {
  await h.close();
  await clamd.stop();
});

describe('signing in with a code (AA-05)', () => {
  it('a known mobile receives a 6-digit code by SMS, kept only as a hash; the code opens a session of the household', async () => {
    const asked = await askCode(org, mobileA.replace('+33', '0'));
    expect(asked.statusCode).toBe(200);
    const { challenge } = asked.json();
    const [m] = await q(`select channel, recipient, body from messages where idempotency_key = $1`, [`portal-code:${challenge}`]);
    expect(m).toMatchObject({ channel: 'sms', recipient: mobileA });
    const code = await codeOf(challenge);
    expect(code).toMatch(/^\d{6}$/);
    expect(m.body).not.toContain(code);
    const [stored] = await q(`select code_hash from portal_codes where id = $1`, [challenge]);
    expect(Buffer.from(stored.code_hash).toString('hex')).not.toContain(Buffer.from(code).toString('hex'));
    const res = await verify(org, challenge, code);
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(h.deps.config.COOKIE_SECURE ? /^__Host-lien_tenant=.*; Secure/ : /^lien_tenant=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const me = await as(cookieFrom(res), 'GET', '/api/portal/me');
    expect(me.json()).toMatchObject({ firstName: 'Nadia', landlord: `Bailleur ${org.slug}` });
  });

  it('the same answer whether or not the contact is known (no enumeration), and nothing is sent for an unknown one', async () => {
    const known = await askCode(org, mobileA);
    const unknown = await askCode(org, '+33699999998');
    const otherLandlords = await askCode(org, mobileC);
    for (const r of [known, unknown, otherLandlords]) expect(r.statusCode).toBe(200);
    expect(unknown.json().message).toBe(known.json().message);
    expect(unknown.json().challenge).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    expect(known.json().challenge).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    for (const r of [unknown, otherLandlords])
      expect(await q(`select 1 from messages where idempotency_key = $1`, [`portal-code:${r.json().challenge}`])).toHaveLength(0);
    // Verifying a decoy says what a wrong code says.
    const decoy = await verify(org, unknown.json().challenge, '123456');
    const wrong = await verify(org, known.json().challenge, (Number(await codeOf(known.json().challenge)) ^ 1).toString().padStart(6, '0'));
    expect(decoy.statusCode).toBe(400);
    expect(decoy.json().detail).toBe(wrong.json().detail);
  });

  it('a code works once, and not after 10 minutes', async () => {
    const { challenge } = (await askCode(org, mobileA)).json();
    const code = await codeOf(challenge);
    expect((await verify(org, challenge, code)).statusCode).toBe(200);
    expect((await verify(org, challenge, code)).statusCode).toBe(400);
    const late = (await askCode(org, mobileA)).json().challenge;
    await q(`update portal_codes set expires_at = now() - interval '1 second' where id = $1`, [late]);
    const refused = await verify(org, late, await codeOf(late));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain('Code incorrect ou expiré');
  });

  it('a second member of the household signs in with their own contact (e-mail) and sees the same household', async () => {
    const cookie = await signInTenant(org, emailA2.toUpperCase());
    expect((await as(cookie, 'GET', '/api/portal/me')).json().firstName).toBe('Karim');
    const [s] = await q(`select household_id, person_id from tenant_sessions where organisation_id = $1 order by created_at desc limit 1`, [org.id]);
    expect(s).toMatchObject({ household_id: w.A, person_id: w.aPartner });
  });

  it('a staff session reaches no tenant route, and a tenant session reaches no staff route', async () => {
    const tenant = await signInTenant(org, mobileB);
    expect((await as(staffCookie, 'GET', '/api/portal/requests')).statusCode).toBe(401);
    for (const url of ['/api/requests', '/api/households/00000000-0000-7000-8000-000000000000', '/api/auth/me'])
      expect((await as(tenant, 'GET', url)).statusCode).toBe(401);
  });

  it('signing out ends the session on the server; a session idle for 15 minutes ends too', async () => {
    const cookie = await signInTenant(org, mobileB);
    expect((await as(cookie, 'POST', '/api/portal/sign-out')).statusCode).toBe(200);
    expect((await as(cookie, 'GET', '/api/portal/me')).statusCode).toBe(401);
    const idle = await signInTenant(org, mobileB);
    await q(`update tenant_sessions set last_seen_at = now() - interval '16 minutes' where organisation_id = $1 and ended_at is null and household_id = $2`, [
      org.id,
      w.B,
    ]);
    expect((await as(idle, 'GET', '/api/portal/me')).statusCode).toBe(401);
  });
});

describe("the session resolved in the request's own transaction (hot reads)", () => {
  it('a session seen more than a minute ago is noted active and still reads its household only', async () => {
    const cookie = await signInTenant(org, mobileB);
    const [mine] = await q(`select id from tenant_sessions where organisation_id = $1 and household_id = $2 order by created_at desc limit 1`, [org.id, w.B]);
    await q(`update tenant_sessions set last_seen_at = now() - interval '2 minutes' where id = $1`, [mine.id]);
    const res = await as(cookie, 'GET', '/api/portal/requests');
    expect(res.statusCode, res.body).toBe(200);
    const rows = await q(`select id from portal_requests where organisation_id = $1 and household_id = $2`, [org.id, w.B]);
    expect((res.json() as { id: string }[]).map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    const [seen] = await q(`select ended_at, last_seen_at > now() - interval '1 minute' as recent from tenant_sessions where id = $1`, [mine.id]);
    expect(seen).toEqual({ ended_at: null, recent: true });
  });

  it('a request refused before its handler (bad id) gives its transaction back: more in a row than the pool has connections, then a read still answers', async () => {
    const cookie = await signInTenant(org, mobileB);
    for (let i = 0; i < 45; i++) expect((await as(cookie, 'GET', '/api/portal/requests/not-an-id')).statusCode).toBe(400);
    expect((await as(cookie, 'GET', '/api/portal/me')).json()).toMatchObject({ firstName: 'Rose' });
  });
});

describe('a person who leaves the household', () => {
  it('loses their session at once, and cannot get a code any more', async () => {
    const ref = `L${randomBytes(3).toString('hex')}`;
    const mobile = `+3364${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const gone = await household(org, ref, [{ first: 'Léa', kind: 'mobile', value: mobile }]);
    const cookie = await signInTenant(org, mobile);
    expect((await as(cookie, 'GET', '/api/portal/me')).statusCode).toBe(200);
    await q(`update households set status = 'left', left_at = now() where id = $1`, [gone.id]);
    expect((await as(cookie, 'GET', '/api/portal/me')).statusCode).toBe(401);
    const [s] = await q(`select end_reason from tenant_sessions where household_id = $1`, [gone.id]);
    expect(s.end_reason).toBe('left_household');
    const { challenge } = (await askCode(org, mobile)).json();
    expect(await q(`select 1 from portal_codes where id = $1`, [challenge])).toHaveLength(0);
  });

  it('a code received before leaving opens nothing, and is used up', async () => {
    const ref = `M${randomBytes(3).toString('hex')}`;
    const mobile = `+3365${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const gone = await household(org, ref, [{ first: 'Marc', kind: 'mobile', value: mobile }]);
    const { challenge } = (await askCode(org, mobile)).json();
    await q(`update households set status = 'left', left_at = now() where id = $1`, [gone.id]);
    expect((await verify(org, challenge, await codeOf(challenge))).statusCode).toBe(400);
    const [code] = await q(`select used_at is not null as used from portal_codes where id = $1`, [challenge]);
    expect(code.used).toBe(true);
    expect(await q(`select 1 from tenant_sessions where household_id = $1`, [gone.id])).toHaveLength(0);
  });
});

describe('brute force is stopped (AA-07)', () => {
  const wrongOf = async (challenge: string) => (Number(await codeOf(challenge)) ^ 7).toString().padStart(6, '0');

  it('per code: after 5 wrong attempts, even the right code is refused', async () => {
    const { challenge } = (await askCode(org, emailA2)).json();
    const wrong = await wrongOf(challenge);
    for (let i = 0; i < 5; i++) expect((await verify(org, challenge, wrong)).statusCode).toBe(400);
    await q(`delete from auth_throttle where key like 'portal-%'`); // the contact's and addresses' delays aside: the code itself is dead
    expect((await verify(org, challenge, await codeOf(challenge))).statusCode).toBe(400);
    const [row] = await q(`select attempts, used_at from portal_codes where id = $1`, [challenge]);
    expect(row).toMatchObject({ attempts: 5, used_at: null });
  });

  it('per contact: failures from many addresses make the contact wait, with a French 429, even with a fresh code', async () => {
    await q(`delete from auth_throttle where key like 'portal-%'`);
    for (let i = 0; i < 5; i++) {
      const { challenge } = (await askCode(org, mobileB)).json();
      expect((await verify(org, challenge, await wrongOf(challenge))).statusCode).toBe(400);
    }
    await q(`delete from auth_throttle where key like 'portal-send%'`);
    const { challenge } = (await askCode(org, mobileB)).json();
    const held = await verify(org, challenge, await codeOf(challenge));
    expect(held.statusCode).toBe(429);
    expect(held.json().detail).toMatch(/Réessayez dans \d+ minute/);
  });

  it('per address: 20 wrong codes from one address hold that address back, not another', async () => {
    await q(`delete from auth_throttle where key like 'portal-%'`);
    const ip = anyIp();
    const decoy = async () => randomUUID();
    for (let i = 0; i < 20; i++) expect((await verify(org, await decoy(), '000000', ip)).statusCode).toBe(400);
    expect((await verify(org, await decoy(), '000000', ip)).statusCode).toBe(429);
    await q(`delete from auth_throttle where key like 'portal-send%'`);
    const { challenge } = (await askCode(org, mobileA)).json();
    expect((await verify(org, challenge, await codeOf(challenge), anyIp())).statusCode).toBe(200);
  });

  it('codes sent are limited per address (30 an hour, whatever the contacts), in French; another address still gets its code', async () => {
    await q(`delete from auth_throttle where key like 'portal-%'`);
    const ip = anyIp();
    for (let i = 0; i < 30; i++) expect((await askCode(org, `+3369${String(i).padStart(7, '0')}`, ip)).statusCode).toBe(200);
    const refused = await askCode(org, '+33690000099', ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toMatch(/^Trop de codes demandés\. Réessayez dans \d+ minute/);
    expect((await askCode(org, mobileA, anyIp())).statusCode).toBe(200);
    await q(`delete from auth_throttle where key like 'portal-%'`);
  });

  it("a right code forgets the contact's wrong ones", async () => {
    await q(`delete from auth_throttle where key like 'portal-%'`);
    const [contact] = await q(`select id from contact_points where organisation_id = $1 and value = $2`, [org.id, mobileB]);
    const contactKey = throttleKey('portal-contact', contact.id);
    const first = (await askCode(org, mobileB)).json().challenge;
    expect((await verify(org, first, await wrongOf(first))).statusCode).toBe(400);
    expect(await q(`select 1 from auth_throttle where key = $1`, [contactKey])).toHaveLength(1);
    expect((await verify(org, first, await codeOf(first))).statusCode).toBe(200);
    expect(await q(`select 1 from auth_throttle where key = $1`, [contactKey])).toHaveLength(0);
  });

  it('codes sent are limited per contact (5 an hour), with the same answer for a known and an unknown contact', async () => {
    await q(`delete from auth_throttle where key like 'portal-%'`);
    for (const contact of [mobileA, '+33699999996']) {
      for (let i = 0; i < 5; i++) expect((await askCode(org, contact)).statusCode).toBe(200);
      expect((await askCode(org, contact)).statusCode).toBe(429);
    }
    await q(`delete from auth_throttle where key like 'portal-%'`);
  });
});

describe('requests and documents (IN-08, MT-08)', () => {
  let a: string;
  let a2: string;
  let b: string;
  let requestId: string;
  let photoId: string;

  beforeAll(async () => {
    a = await signInTenant(org, mobileA);
    a2 = await signInTenant(org, emailA2);
    b = await signInTenant(org, mobileB);
  });

  it('a tenant files a request with a photo; the photo is stripped, scanned, then opens through a short-lived link', async () => {
    const filed = await as(a, 'POST', '/api/portal/requests', { category: 'technical', description: 'Fuite sous l’évier de la cuisine.' });
    expect(filed.statusCode, filed.body).toBe(201);
    requestId = filed.json().id;
    const [row] = await q(`select agency_id, due_at - created_at as delay from portal_requests where id = $1`, [requestId]);
    expect(row.agency_id).toBe(org.agencyIds[0]);
    expect(row.delay.days).toBe(3);
    const up = await upload(a, requestId, 'fuite.jpeg', jpeg());
    expect(up.statusCode, up.body).toBe(201);
    photoId = up.json().fileId;
    const pending = await as(a, 'GET', `/api/portal/files/${photoId}`);
    expect(pending.statusCode).toBe(409);
    await scanFile(h.database, h.deps.config, clamd.address, org.id, photoId);
    const linked = await as(a, 'GET', `/api/portal/files/${photoId}`);
    expect(linked.statusCode, linked.body).toBe(200);
    const download = await h.app.inject({ method: 'GET', url: linked.json().link });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.rawPayload.toString('latin1')).not.toContain('GPS');
    // The other member of the household follows the same request.
    const seen = (await as(a2, 'GET', `/api/portal/requests/${requestId}`)).json();
    expect(seen.exchanges.map((e: { file: { name: string } | null }) => e.file?.name)).toContain('fuite.jpg');
  });

  it('a text file is refused by its content, in French', async () => {
    const res = await upload(a, requestId, 'photo.jpg', Buffer.from('<html><script>alert(1)</script>'));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('Type de fichier refusé');
  });

  it('another household cannot read the request or its document, by id or by a guessed link', async () => {
    expect((await as(b, 'GET', `/api/portal/requests/${requestId}`)).statusCode).toBe(404);
    expect((await as(b, 'GET', `/api/portal/files/${photoId}`)).statusCode).toBe(404);
    expect((await as(b, 'POST', `/api/portal/requests/${requestId}/messages`, { body: 'Bonjour' })).statusCode).toBe(404);
    expect((await as(b, 'GET', '/api/portal/requests')).json().map((r: { id: string }) => r.id)).not.toContain(requestId);
    const guessed = await h.app.inject({ method: 'GET', url: `/api/files/${photoId}` });
    expect(guessed.statusCode).toBe(404);
    const forged = signLink({ key: randomBytes(32), source: 'env' }, { organisationId: org.id, fileId: photoId });
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${forged}` })).statusCode).toBe(404);
  });

  it('the database itself narrows a tenant transaction to their household, whatever the query asks', async () => {
    const [sessionB] = await q(`select id, person_id from tenant_sessions where household_id = $1 limit 1`, [w.B]);
    const tenantB = { sessionId: sessionB.id, organisationId: org.id, householdId: w.B, personId: sessionB.person_id };
    const seen = await withTenant(h.database, tenantB, async (trx) => ({
      requests: (await sql<{ n: number }>`select count(*)::int as n from portal_requests where id = ${requestId}`.execute(trx)).rows[0]?.n,
      messages: (await sql<{ n: number }>`select count(*)::int as n from portal_request_messages where request_id = ${requestId}`.execute(trx)).rows[0]?.n,
      notes: (await sql<{ n: number }>`select count(*)::int as n from portal_request_notes`.execute(trx)).rows[0]?.n,
      sessions: (await sql<{ n: number }>`select count(*)::int as n from tenant_sessions`.execute(trx)).rows[0]?.n,
    }));
    expect(seen).toEqual({ requests: 0, messages: 0, notes: 0, sessions: 0 });
    await expect(
      withTenant(h.database, tenantB, (trx) =>
        sql`insert into portal_request_messages (organisation_id, request_id, household_id, author, body) values (${org.id}, ${requestId}, ${w.A}, 'tenant', 'intrus')`.execute(
          trx,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('the EICAR file never becomes downloadable', async () => {
    const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n${EICAR}\n%%EOF\n`);
    const up = await upload(a, requestId, 'attestation.pdf', pdf);
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().fileId;
    await scanFile(h.database, h.deps.config, clamd.address, org.id, id);
    const res = await as(a, 'GET', `/api/portal/files/${id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('bloqué par l’antivirus');
    const [f] = await q(`select scan_status, storage_name from files where id = $1`, [id]);
    expect(f.scan_status).toBe('infected');
    expect(existsSync(path.join(h.deps.config.LIEN_DATA_DIR, 'files', org.id, f.storage_name))).toBe(false);
    const direct = signLink(messageKey(h.deps.config), { organisationId: org.id, fileId: id });
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${direct}` })).statusCode).toBe(404);
  });

  it('an expired link is refused', async () => {
    const old = signLink(messageKey(h.deps.config), { organisationId: org.id, fileId: photoId }, Date.now() - 10 * 60_000);
    const res = await h.app.inject({ method: 'GET', url: `/api/files/${old}` });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('expiré');
  });

  it('staff see it in their inbox, reply (the tenant is told by SMS), note internally; the tenant sees the reply and status, never the note', async () => {
    const list = (await as(staffCookie, 'GET', '/api/requests')).json();
    const mine = list.find((r: { id: string }) => r.id === requestId);
    expect(mine).toMatchObject({ category: 'technical', status: 'new', overdue: false, agencyId: org.agencyIds[0] });
    // Past its deadline and not finished, a request is overdue, in the list and on its page alike.
    await q(`update portal_requests set due_at = now() - interval '1 hour' where id = $1`, [requestId]);
    expect((await as(staffCookie, 'GET', '/api/requests')).json().find((r: { id: string }) => r.id === requestId).overdue).toBe(true);
    expect((await as(staffCookie, 'GET', `/api/requests/${requestId}`)).json().overdue).toBe(true);
    const replied = await as(staffCookie, 'POST', `/api/requests/${requestId}/replies`, { body: 'Le plombier passe jeudi matin.' });
    expect(replied.statusCode, replied.body).toBe(201);
    const [sms] = await q(`select channel, recipient, body from messages where idempotency_key = $1`, [`portal-reply:${replied.json().id}`]);
    expect(sms).toMatchObject({ channel: 'sms', recipient: mobileA });
    expect(sms.body).toContain(`/locataire/${org.slug}`);
    expect((await as(staffCookie, 'POST', `/api/requests/${requestId}/notes`, { body: 'Locataire souvent absente le matin.' })).statusCode).toBe(201);
    const seen = (await as(a, 'GET', `/api/portal/requests/${requestId}`)).json();
    expect(seen.status).toBe('in_progress');
    const bodies = seen.exchanges.map((e: { body: string }) => e.body);
    expect(bodies).toContain('Le plombier passe jeudi matin.');
    expect(bodies).toContain('En cours de traitement');
    expect(JSON.stringify(seen)).not.toContain('absente');
    const staffView = (await as(staffCookie, 'GET', `/api/requests/${requestId}`)).json();
    expect(staffView.notes.map((n: { body: string }) => n.body)).toEqual(['Locataire souvent absente le matin.']);
    // The tenant answers: the request is back with staff.
    expect((await as(a, 'POST', `/api/portal/requests/${requestId}/messages`, { body: 'Merci, je serai là.' })).statusCode).toBe(200);
  });

  it('status, assignment, a case joined, and the household timeline', async () => {
    const [staffUser] = await q(`select id from users where organisation_id = $1 and role = 'staff' limit 1`, [org.id]);
    expect((await as(staffCookie, 'PATCH', `/api/requests/${requestId}`, { status: 'resolved', assignedTo: staffUser.id })).statusCode).toBe(200);
    const c = await as(staffCookie, 'POST', `/api/requests/${requestId}/case`);
    expect(c.statusCode, c.body).toBe(200);
    const [kase] = await q(`select household_id, type, origin from cases where id = $1`, [c.json().caseId]);
    expect(kase).toMatchObject({ household_id: w.A, type: 'technical', origin: 'tenant_request' });
    expect((await as(a, 'GET', `/api/portal/requests/${requestId}`)).json().status).toBe('resolved');
    const mine = (await as(staffCookie, 'GET', '/api/requests?status=resolved&mine=true')).json();
    expect(mine.map((r: { id: string }) => r.id)).toEqual([requestId]);
    expect((await as(staffCookie, 'GET', '/api/requests?status=resolved&mine=false')).json().map((r: { id: string }) => r.id)).toContain(requestId);
    const file = (await as(staffCookie, 'GET', `/api/households/${w.A}`)).json();
    expect(JSON.stringify(file.timeline ?? file)).toContain('Demande en ligne : Problème technique dans le logement');
  });

  it('a staff member of another agency does not see the request; deadlines are configurable', async () => {
    const south = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[1] as string] }));
    expect((await as(south, 'GET', '/api/requests?status=resolved')).json().map((r: { id: string }) => r.id)).not.toContain(requestId);
    expect((await as(south, 'GET', `/api/requests/${requestId}`)).statusCode).toBe(404);
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    expect((await as(manager, 'PUT' as 'PATCH', '/api/requests/deadlines', { days: { neighbourhood: 2 } })).statusCode).toBe(200);
    expect((await as(manager, 'GET', '/api/requests/deadlines')).json()).toMatchObject({ neighbourhood: 2, technical: 3 });
    const filed = await as(b, 'POST', '/api/portal/requests', { category: 'neighbourhood', description: 'Bruit la nuit.' });
    const [row] = await q(`select due_at - created_at as delay from portal_requests where id = $1`, [filed.json().id]);
    expect(row.delay.days).toBe(2);
  });
});

describe('FAQ and news (issue 16)', () => {
  it('a manager writes them for all tenants or for one agency; a tenant reads those of their agency and for all', async () => {
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    const post = (body: object) => as(manager, 'POST', '/api/portal-articles', body);
    const all = await post({ kind: 'faq', agencyId: null, title: 'Comment payer mon loyer ?', body: 'Par prélèvement, carte ou chèque.' });
    expect(all.statusCode, all.body).toBe(201);
    expect((await post({ kind: 'news', agencyId: org.agencyIds[0], title: 'Agence 1 : rendez-vous seulement', body: 'Sur rendez-vous.' })).statusCode).toBe(
      201,
    );
    expect((await post({ kind: 'news', agencyId: org.agencyIds[1], title: 'Agence 2 fermée lundi', body: 'Fermée.' })).statusCode).toBe(201);
    expect((await post({ kind: 'news', agencyId: other.agencyIds[0], title: 'Ailleurs', body: 'x' })).statusCode).toBe(422);
    const tenant = await signInTenant(org, mobileA);
    const titles = (await as(tenant, 'GET', '/api/portal/articles')).json().map((a: { title: string }) => a.title);
    expect(titles).toContain('Comment payer mon loyer ?');
    expect(titles).toContain('Agence 1 : rendez-vous seulement');
    expect(titles).not.toContain('Agence 2 fermée lundi');
    const put = await h.app.inject({
      method: 'PUT',
      url: `/api/portal-articles/${all.json().id}`,
      headers: { cookie: manager },
      payload: { kind: 'faq', agencyId: null, title: 'Comment payer mon loyer en ligne ?', body: 'Par carte.' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/portal-articles/${all.json().id}`, headers: { cookie: manager } })).statusCode).toBe(200);
    expect((await as(tenant, 'GET', '/api/portal/articles')).json().map((a: { title: string }) => a.title)).not.toContain('Comment payer mon loyer en ligne ?');
  });
});

describe('the balance and payment plan (issue 16)', () => {
  it('are hidden unless the landlord shows them; then the tenant reads their own household’s', async () => {
    const tenant = await signInTenant(org, mobileA);
    expect((await as(tenant, 'GET', '/api/portal/balance')).json()).toEqual({ shown: false });
    await q(`insert into household_balances (organisation_id, household_id, balance_cents, balance_on) values ($1, $2, 45600, '2026-11-30')`, [org.id, w.A]);
    await q(`insert into household_balances (organisation_id, household_id, balance_cents, balance_on) values ($1, $2, 99900, '2026-11-30')`, [org.id, w.B]);
    const [plan] = await q(
      `insert into payment_plans (organisation_id, household_id, kind, amount_cents, start_on, months, signed_on, baseline_cents) values ($1, $2, 'instalments', 45600, '2026-12-05', 3, '2026-11-30', 45600) returning id`,
      [org.id, w.A],
    );
    await q(
      `insert into plan_instalments (organisation_id, plan_id, seq, due_on, amount_cents) values ($1, $2, 1, '2026-12-05', 15200), ($1, $2, 2, '2027-01-05', 15200)`,
      [org.id, plan.id],
    );
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    const put = await h.app.inject({ method: 'PUT', url: '/api/portal-settings', headers: { cookie: manager }, payload: { showBalance: true } });
    expect(put.statusCode, put.body).toBe(200);
    const seen = (await as(tenant, 'GET', '/api/portal/balance')).json();
    expect(seen).toMatchObject({ shown: true, balance: { cents: 45600, on: '2026-11-30' }, plan: { kind: 'instalments', amountCents: 45600 } });
    expect(seen.plan.instalments).toEqual([
      { dueOn: '2026-12-05', amountCents: 15200, status: 'pending' },
      { dueOn: '2027-01-05', amountCents: 15200, status: 'pending' },
    ]);
  });
});
