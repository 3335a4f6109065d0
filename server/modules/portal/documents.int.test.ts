// Issue 16, « Documents », TRUST IN-08, MT-08: the landlord makes documents available to one
// household and asks a household for documents; the tenant downloads the first (clean files only,
// through a short-lived signed link) and sends the second. Another household's document is
// « introuvable », by id or by a link; an expired link is refused; the EICAR file never opens.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let staff: string;
let otherAgencyStaff: string;
/** Households A and B of `org`, and their tenants' portal cookies. */
const w = { A: '', B: '', a: '', b: '', aPerson: '' };
const mobileA = `+3364${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const mobileB = `+3365${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

const q = async (text: string, params: unknown[] = []) => (await h.owner.query(text, params)).rows;
let address = 0;
const anyIp = () => `10.17.${Math.floor(Math.random() * 250)}.${(address++ % 250) + 1}`;

async function household(ref: string, first: string, mobile: string) {
  const [res] = await q(
    `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, $3, 'Les Acacias', '2 rue B', '94400', 'Vitry') returning id`,
    [org.id, org.agencyIds[0], `G-${ref}`],
  );
  const [unit] = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, $3) returning id`, [org.id, res.id, `U-${ref}`]);
  const [hh] = await q(`insert into households (organisation_id, unit_id, erp_ref) values ($1, $2, $3) returning id`, [org.id, unit.id, `H-${ref}`]);
  const [person] = await q(
    `insert into persons (organisation_id, household_id, household_role, first_name, last_name, person_key) values ($1, $2, 'holder', $3, 'Durand', $4) returning id`,
    [org.id, hh.id, first, `K:${ref}`],
  );
  await q(`insert into contact_points (organisation_id, person_id, kind, value) values ($1, $2, 'mobile', $3)`, [org.id, person.id, mobile]);
  return { id: hh.id as string, person: person.id as string };
}

async function codeOf(challenge: string): Promise<string> {
  const [m] = await q(`select id, organisation_id, recipient, idempotency_key, sealed_body from messages where idempotency_key = $1`, [
    `portal-code:${challenge}`,
  ]);
  const text = m.sealed_body
    ? openSealed(messageKey(h.deps.config), { body: m.sealed_body, context: sealContext(m) })
    : readFileSync(path.join(devMailboxDir(h.deps.config), `${m.id}.txt`), 'utf8');
  return (/\b(\d{6})\b/.exec(text) as RegExpExecArray)[1] as string;
}

const cookieFrom = (res: LightMyRequestResponse) => {
  const raw = res.headers['set-cookie'];
  return ((Array.isArray(raw) ? raw[0] : raw) as string).split(';')[0] as string;
};

async function signInTenant(contact: string) {
  const asked = await h.app.inject({ method: 'POST', url: `/api/portal/landlords/${org.slug}/code`, payload: { contact }, remoteAddress: anyIp() });
  expect(asked.statusCode, asked.body).toBe(200);
  const { challenge } = asked.json();
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/portal/landlords/${org.slug}/verify`,
    payload: { challenge, code: await codeOf(challenge) },
    remoteAddress: anyIp(),
  });
  expect(res.statusCode, res.body).toBe(200);
  return cookieFrom(res);
}

const as = (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

/** A multipart form: text fields first (the server reads those before the file), then the file. */
function multipart(fields: Record<string, string>, name: string, bytes: Buffer) {
  const boundary = `----lien${randomBytes(6).toString('hex')}`;
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const body = Buffer.concat([
    ...parts,
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const send = (cookie: string, url: string, fields: Record<string, string>, name: string, bytes: Buffer) => {
  const m = multipart(fields, name, bytes);
  return h.app.inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, cookie } });
};
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`);
const publish = (cookie: string, householdId: string, fields: Record<string, string>, name: string, bytes: Buffer) =>
  send(cookie, `/api/households/${householdId}/portal-documents`, fields, name, bytes);
const count = async (table: string, householdId: string) =>
  Number((await q(`select count(*)::int as n from ${table} where household_id = $1`, [householdId]))[0].n);
const scan = (fileId: string) => scanFile(h.database, h.deps.config, clamd.address, org.id, fileId);

beforeAll(async () => {
  [h, clamd] = await Promise.all([startHarness(), startClamd()]);
  org = await newOrganisation(h);
  const a = await household(`DA${randomBytes(3).toString('hex')}`, 'Inès', mobileA);
  w.A = a.id;
  w.aPerson = a.person;
  w.B = (await household(`DB${randomBytes(3).toString('hex')}`, 'Louis', mobileB)).id;
  staff = await signIn(h, await newUser(h, org, 'staff'));
  otherAgencyStaff = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[1] as string] }));
  w.a = await signInTenant(mobileA);
  w.b = await signInTenant(mobileB);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await clamd?.stop();
});

describe('documents the landlord makes available', () => {
  let documentId = '';
  let fileId = '';

  it('staff publish an attestation; the tenant is told by SMS; it is listed to the tenant only once the antivirus found it clean', async () => {
    const res = await publish(staff, w.A, { kind: 'attestation', title: 'Attestation de loyer 2026' }, 'attestation.pdf', pdf('attestation'));
    expect(res.statusCode, res.body).toBe(201);
    documentId = res.json().id;
    const [row] = await q(`select file_id, kind, title, first_opened_at from portal_documents where id = $1`, [documentId]);
    expect(row).toMatchObject({ kind: 'attestation', title: 'Attestation de loyer 2026', first_opened_at: null });
    fileId = row.file_id;
    const [sms] = await q(`select channel, recipient from messages where idempotency_key = $1`, [`portal-document:${documentId}`]);
    expect(sms).toMatchObject({ channel: 'sms', recipient: mobileA });
    expect((await as(w.a, 'GET', '/api/portal/documents')).json().documents).toEqual([]);
    await scan(fileId);
    const listed = await as(w.a, 'GET', '/api/portal/documents');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().documents).toEqual([
      expect.objectContaining({ id: documentId, kind: 'attestation', title: 'Attestation de loyer 2026', fileName: 'attestation.pdf' }),
    ]);
    const [audit] = await q(`select action from audit_events where organisation_id = $1 and action = 'portal.document_published' and object_id = $2`, [
      org.id,
      w.A,
    ]);
    expect(audit).toBeDefined();
  });

  it('the tenant downloads it through a short-lived link; the first opening is recorded, and staff see it', async () => {
    const linked = await as(w.a, 'GET', `/api/portal/documents/${documentId}/link`);
    expect(linked.statusCode, linked.body).toBe(200);
    const download = await h.app.inject({ method: 'GET', url: linked.json().link });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.rawPayload.toString('latin1')).toContain('attestation');
    const [row] = await q(`select first_opened_at from portal_documents where id = $1`, [documentId]);
    expect(row.first_opened_at).toBeInstanceOf(Date);
    await as(w.a, 'GET', `/api/portal/documents/${documentId}/link`);
    const [again] = await q(`select first_opened_at from portal_documents where id = $1`, [documentId]);
    expect(again.first_opened_at).toEqual(row.first_opened_at);
    const seen = (await as(staff, 'GET', `/api/households/${w.A}/portal-documents`)).json();
    expect(seen.documents[0]).toMatchObject({ id: documentId, firstOpenedAt: expect.any(String), file: { scanStatus: 'clean' } });
    const file = await as(staff, 'GET', `/api/households/${w.A}`);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.json().timeline.map((e: { label: string }) => e.label)).toContain(
      'Espace locataire : document mis à disposition (attestation) « Attestation de loyer 2026 »',
    );
  });

  it('another household cannot list or open it by id, nor by a guessed or forged link; an expired link is refused', async () => {
    expect((await as(w.b, 'GET', '/api/portal/documents')).json().documents.map((d: { id: string }) => d.id)).not.toContain(documentId);
    const byId = await as(w.b, 'GET', `/api/portal/documents/${documentId}/link`);
    const unknown = await as(w.b, 'GET', `/api/portal/documents/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/link`);
    expect(byId.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(byId.json().detail).toBe(unknown.json().detail);
    // The file of the document, asked for through the requests' file route: not a file of B's requests.
    expect((await as(w.b, 'GET', `/api/portal/files/${fileId}`)).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${fileId}` })).statusCode).toBe(404);
    const forged = signLink({ key: randomBytes(32), source: 'env' }, { organisationId: org.id, fileId });
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${forged}` })).statusCode).toBe(404);
    const old = signLink(messageKey(h.deps.config), { organisationId: org.id, fileId }, Date.now() - 10 * 60_000);
    const expired = await h.app.inject({ method: 'GET', url: `/api/files/${old}` });
    expect(expired.statusCode).toBe(404);
    expect(expired.json().message).toContain('expiré');
    // And the database itself: B's tenant transaction sees none of A's documents.
    const seen = await withTenant(h.database, { organisationId: org.id, householdId: w.B }, async (trx) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from portal_documents where id = ${documentId}`.execute(trx)).rows[0]?.n),
    );
    expect(seen).toBe(0);
  });

  it('staff of another agency do not reach the household', async () => {
    expect((await as(otherAgencyStaff, 'GET', `/api/households/${w.A}/portal-documents`)).statusCode).toBe(404);
    expect((await as(otherAgencyStaff, 'POST', `/api/portal-documents/${documentId}/withdraw`)).statusCode).toBe(404);
  });

  it('a withdrawn document disappears from the tenant’s list and its link', async () => {
    const res = await as(staff, 'POST', `/api/portal-documents/${documentId}/withdraw`);
    expect(res.statusCode, res.body).toBe(200);
    expect((await as(w.a, 'GET', '/api/portal/documents')).json().documents).toEqual([]);
    expect((await as(w.a, 'GET', `/api/portal/documents/${documentId}/link`)).statusCode).toBe(404);
    expect((await as(staff, 'POST', `/api/portal-documents/${documentId}/withdraw`)).statusCode).toBe(409);
  });

  it('bad input gives a French error and writes nothing: a text file, a missing title, an unknown household', async () => {
    const before = await count('portal_documents', w.A);
    const files = Number((await q(`select count(*)::int as n from files where organisation_id = $1`, [org.id]))[0].n);
    const text = await publish(staff, w.A, { kind: 'courrier', title: 'Courrier' }, 'courrier.pdf', Buffer.from('<html>pas un PDF</html>'));
    expect(text.statusCode).toBe(422);
    expect(text.json().detail).toContain('Type de fichier refusé');
    const untitled = await publish(staff, w.A, { kind: 'courrier', title: ' ' }, 'courrier.pdf', pdf('courrier'));
    expect(untitled.statusCode).toBe(422);
    expect(untitled.json().detail).toBe('Donnez un titre au document.');
    const kind = await publish(staff, w.A, { kind: 'facture', title: 'Facture' }, 'f.pdf', pdf('f'));
    expect(kind.statusCode).toBe(422);
    expect(kind.json().detail).toBe('Choisissez le type de document.');
    const nobody = await publish(staff, '00000000-0000-4000-8000-000000000000', { kind: 'courrier', title: 'Courrier' }, 'c.pdf', pdf('c'));
    expect(nobody.statusCode).toBe(404);
    expect(await count('portal_documents', w.A)).toBe(before);
    expect(Number((await q(`select count(*)::int as n from files where organisation_id = $1`, [org.id]))[0].n)).toBe(files);
  });

  it('a file over the size limit is refused in French', async () => {
    const big = Buffer.concat([pdf('big'), Buffer.alloc(h.deps.config.FILES_MAX_MB * 1024 * 1024 + 10, 0x20)]);
    const res = await publish(staff, w.A, { kind: 'courrier', title: 'Gros courrier' }, 'gros.pdf', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toContain('Mo');
    expect((await q(`select count(*)::int as n from portal_documents where title = 'Gros courrier' and household_id = $1`, [w.A]))[0].n).toBe(0);
  });
});

describe('documents the landlord asks for', () => {
  let requestId = '';

  it('staff ask for a document; the tenant is told, sees it « demandé », sends a file; staff see it « reçu »', async () => {
    const asked = await as(staff, 'POST', `/api/households/${w.A}/document-requests`, {
      label: 'Avis d’imposition 2025',
      note: 'Pour calculer votre supplément de loyer.',
      dueOn: '2026-12-31',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    requestId = asked.json().id;
    const [sms] = await q(`select channel, recipient from messages where idempotency_key = $1`, [`portal-document-request:${requestId}`]);
    expect(sms).toMatchObject({ channel: 'sms', recipient: mobileA });
    const listed = (await as(w.a, 'GET', '/api/portal/documents')).json().requests;
    expect(listed).toEqual([
      expect.objectContaining({
        id: requestId,
        label: 'Avis d’imposition 2025',
        status: 'asked',
        dueOn: '2026-12-31',
        note: 'Pour calculer votre supplément de loyer.',
      }),
    ]);
    expect((await as(w.b, 'GET', '/api/portal/documents')).json().requests).toEqual([]);
    const sent = await send(w.a, `/api/portal/document-requests/${requestId}/files`, {}, 'avis.pdf', pdf('avis'));
    expect(sent.statusCode, sent.body).toBe(201);
    await scan(sent.json().fileId);
    const view = (await as(staff, 'GET', `/api/households/${w.A}/portal-documents`)).json();
    const r = view.requests.find((x: { id: string }) => x.id === requestId);
    expect(r).toMatchObject({ status: 'received', uploads: [{ file: { name: 'avis.pdf', scanStatus: 'clean' } }] });
    const link = await as(staff, 'GET', `/api/portal-documents/files/${sent.json().fileId}`);
    expect(link.statusCode, link.body).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: link.json().link })).statusCode).toBe(200);
  });

  it('another household cannot send for it (404, as an unknown id), and writes nothing', async () => {
    const res = await send(w.b, `/api/portal/document-requests/${requestId}/files`, {}, 'intrus.pdf', pdf('intrus'));
    expect(res.statusCode).toBe(404);
    expect(await count('portal_document_uploads', w.B)).toBe(0);
    expect(Number((await q(`select count(*)::int as n from portal_document_uploads where request_id = $1`, [requestId]))[0].n)).toBe(1);
  });

  it('staff ask to redo with a reason; the tenant reads the reason and sends again; staff accept; nothing more can be sent', async () => {
    expect((await as(staff, 'POST', `/api/document-requests/${requestId}/review`, { decision: 'redo', reason: '' })).statusCode).toBe(400);
    const redo = await as(staff, 'POST', `/api/document-requests/${requestId}/review`, { decision: 'redo', reason: 'La page 2 manque.' });
    expect(redo.statusCode, redo.body).toBe(200);
    const seen = (await as(w.a, 'GET', '/api/portal/documents')).json().requests[0];
    expect(seen).toMatchObject({ status: 'redo', redoReason: 'La page 2 manque.' });
    const [told] = await q(`select channel, recipient from messages where idempotency_key = $1`, [`portal-document-redo:${requestId}:1`]);
    expect(told).toMatchObject({ channel: 'sms', recipient: mobileA });
    const again = await send(w.a, `/api/portal/document-requests/${requestId}/files`, {}, 'avis-complet.pdf', pdf('avis complet'));
    expect(again.statusCode, again.body).toBe(201);
    expect((await as(w.a, 'GET', '/api/portal/documents')).json().requests[0]).toMatchObject({ status: 'received', redoReason: null });
    const accepted = await as(staff, 'POST', `/api/document-requests/${requestId}/review`, { decision: 'accept' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const twice = await as(staff, 'POST', `/api/document-requests/${requestId}/review`, { decision: 'accept' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('accepté');
    const late = await send(w.a, `/api/portal/document-requests/${requestId}/files`, {}, 'encore.pdf', pdf('encore'));
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('déjà été accepté');
    const [row] = await q(`select status, closed_at from portal_document_requests where id = $1`, [requestId]);
    expect(row.status).toBe('accepted');
    expect(row.closed_at).toBeInstanceOf(Date);
    expect(Number((await q(`select count(*)::int as n from portal_document_uploads where request_id = $1`, [requestId]))[0].n)).toBe(2);
  });

  it('the EICAR file sent by a tenant never becomes downloadable', async () => {
    const asked = await as(staff, 'POST', `/api/households/${w.A}/document-requests`, { label: 'Attestation CAF' });
    const id = asked.json().id;
    const sent = await send(w.a, `/api/portal/document-requests/${id}/files`, {}, 'caf.pdf', Buffer.from(`%PDF-1.4\n${EICAR}\n%%EOF\n`));
    expect(sent.statusCode, sent.body).toBe(201);
    const fileId = sent.json().fileId;
    await scan(fileId);
    const [f] = await q(`select scan_status, storage_name from files where id = $1`, [fileId]);
    expect(f.scan_status).toBe('infected');
    expect(existsSync(path.join(h.deps.config.LIEN_DATA_DIR, 'files', org.id, f.storage_name))).toBe(false);
    const link = await as(staff, 'GET', `/api/portal-documents/files/${fileId}`);
    expect(link.statusCode).toBe(409);
    expect(link.json().detail).toContain('bloqué par l’antivirus');
    const direct = signLink(messageKey(h.deps.config), { organisationId: org.id, fileId });
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${direct}` })).statusCode).toBe(404);
    const view = (await as(w.a, 'GET', '/api/portal/documents')).json().requests.find((r: { id: string }) => r.id === id);
    expect(view.uploads[0].file.scanStatus).toBe('infected');
  });

  it('an EICAR file published by staff is never listed to the tenant', async () => {
    const res = await publish(staff, w.A, { kind: 'courrier', title: 'Courrier piégé' }, 'piege.pdf', Buffer.from(`%PDF-1.4\n${EICAR}\n%%EOF\n`));
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await q(`select file_id from portal_documents where id = $1`, [res.json().id]);
    await scan(row.file_id);
    expect((await as(w.a, 'GET', '/api/portal/documents')).json().documents.map((d: { id: string }) => d.id)).not.toContain(res.json().id);
    expect((await as(w.a, 'GET', `/api/portal/documents/${res.json().id}/link`)).statusCode).toBe(409);
  });

  it('bad input: an unknown request, a wrong date, a text file — French errors, nothing written', async () => {
    const before = await count('portal_document_requests', w.A);
    const date = await as(staff, 'POST', `/api/households/${w.A}/document-requests`, { label: 'RIB', dueOn: '31/12/2026' });
    expect(date.statusCode).toBe(400);
    expect(date.json().detail).toContain('AAAA-MM-JJ');
    const impossible = await as(staff, 'POST', `/api/households/${w.A}/document-requests`, { label: 'RIB', dueOn: '2026-02-30' });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().detail).toContain('Cette date n’existe pas');
    expect(await count('portal_document_requests', w.A)).toBe(before);
    const unknown = await send(w.a, '/api/portal/document-requests/00000000-0000-4000-8000-000000000000/files', {}, 'x.pdf', pdf('x'));
    expect(unknown.statusCode).toBe(404);
    const asked = (await as(staff, 'POST', `/api/households/${w.A}/document-requests`, { label: 'RIB' })).json().id;
    const text = await send(w.a, `/api/portal/document-requests/${asked}/files`, {}, 'rib.pdf', Buffer.from('pas un pdf'));
    expect(text.statusCode).toBe(422);
    expect(text.json().detail).toContain('Type de fichier refusé');
    const [row] = await q(`select status from portal_document_requests where id = $1`, [asked]);
    expect(row.status).toBe('asked');
    expect(Number((await q(`select count(*)::int as n from portal_document_uploads where request_id = $1`, [asked]))[0].n)).toBe(0);
  });
});
