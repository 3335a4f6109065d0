// TRUST DP-02, issue 16: a request's photo goes with the request. The retention purge deletes a
// closed request past its rule with its exchanges, and the files they held: the record in the
// purge's transaction, the bytes on disk once it commits. The preview (rolled back) keeps both.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../platform/files/files.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { importFile } from '../registry/index.ts';
import { purgeOrganisation } from '../retention/index.ts';
import { fileRequest, tenantFile } from './requests.service.ts';
import type { TenantContext } from './tenant.ts';

let h: Harness;
let org: TestOrg;
let tenant: TenantContext;

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
/** A tiny PNG (1×1). */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  const line = 'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;B1;P1;Durand;Paul;03/04/1950;06 22 33 44 55';
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, line].join('\n'))]), { fileName: 'x.csv' });
  const [p] = await q(`select id, household_id from persons where organisation_id = $1`, [org.id]);
  tenant = { sessionId: randomUUID(), organisationId: org.id, householdId: p.household_id, personId: p.id };
});
afterAll(() => h.close());

/** A request with a photo, closed `yearsAgo` years ago; its file's id and where its bytes are. */
async function requestWithPhoto(yearsAgo: number) {
  const { id } = await fileRequest(h.deps, tenant, { category: 'technical', description: 'Fuite sous l’évier de la cuisine.' });
  const { fileId } = await tenantFile(h.deps, tenant, id, { fileName: 'fuite.png', bytes: png });
  const closed = new Date(Date.now() - yearsAgo * 365 * 86_400_000);
  await q(`update portal_requests set status = 'closed', created_at = $2, closed_at = $2 where id = $1`, [id, closed]);
  const [f] = await q(`select storage_name from files where id = $1`, [fileId]);
  return { requestId: id, fileId, bytes: path.join(h.deps.config.LIEN_DATA_DIR, 'files', org.id, f.storage_name) };
}
const exists = async (table: string, id: string) => (await q(`select 1 from ${table} where id = $1`, [id])).length === 1;

describe('files deleted with the requests the purge deletes', () => {
  it('a request past its rule with a photo: the preview keeps everything; the purge deletes the request, its exchanges, the file’s record and its bytes', async () => {
    const old = await requestWithPhoto(2);
    const recent = await requestWithPhoto(0);
    expect(existsSync(old.bytes)).toBe(true);

    // The preview runs the purge and rolls it back: it counts the file, and its bytes stay.
    const admin = await signIn(h, await newUser(h, org, 'org_admin'));
    const preview = await h.app.inject({ method: 'GET', url: '/api/retention/preview', headers: { cookie: admin } });
    expect(preview.statusCode, preview.body).toBe(200);
    const requestFiles = 'Photos et documents des demandes en ligne terminées';
    const line = preview.json().lines.find((l: { label: string }) => l.label === requestFiles);
    expect(line).toMatchObject({ purpose: 'portal', action: 'delete', count: 1, label: 'Photos et documents des demandes en ligne terminées' });
    expect(await exists('files', old.fileId)).toBe(true);
    expect(existsSync(old.bytes)).toBe(true);

    const lines = await purgeOrganisation(h.database, org.id, new Date(), undefined, h.deps.config);
    expect(lines.find((l) => l.label === requestFiles)?.count).toBe(1);
    expect(await exists('portal_requests', old.requestId)).toBe(false);
    expect(await q(`select id from portal_request_messages where request_id = $1`, [old.requestId])).toEqual([]);
    expect(await exists('files', old.fileId)).toBe(false);
    expect(existsSync(old.bytes)).toBe(false);
    // The request still within its rule keeps its photo, record and bytes.
    expect(await exists('files', recent.fileId)).toBe(true);
    expect(existsSync(recent.bytes)).toBe(true);
    // Safe twice: nothing more goes.
    expect((await purgeOrganisation(h.database, org.id, new Date(), undefined, h.deps.config)).find((l) => l.label === requestFiles)?.count).toBe(0);
    expect(existsSync(recent.bytes)).toBe(true);
  });

  it('a document withdrawn and a document request accepted past their rule go with their files (record and bytes)', async () => {
    const long = new Date(Date.now() - 2 * 365 * 86_400_000);
    const stored = await h.database.withOrg({ organisationId: org.id }, async (trx) => {
      const published = await storeFile(trx, h.jobs, h.deps.config, org.id, {
        fileName: 'attestation.png',
        purpose: 'portal_document',
        bytes: png,
        createdBy: null,
      });
      const sent = await storeFile(trx, h.jobs, h.deps.config, org.id, {
        fileName: 'avis.png',
        purpose: 'portal_document_request',
        bytes: png,
        createdBy: null,
      });
      const kept = await storeFile(trx, h.jobs, h.deps.config, org.id, { fileName: 'courrier.png', purpose: 'portal_document', bytes: png, createdBy: null });
      const document = await trx
        .insertInto('portal_documents')
        .values({
          organisation_id: org.id,
          household_id: tenant.householdId,
          kind: 'attestation',
          title: 'Attestation',
          file_id: published,
          published_at: long,
          withdrawn_at: long,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('portal_documents')
        .values({ organisation_id: org.id, household_id: tenant.householdId, kind: 'courrier', title: 'Courrier', file_id: kept })
        .execute();
      const asked = await trx
        .insertInto('portal_document_requests')
        .values({ organisation_id: org.id, household_id: tenant.householdId, label: 'Avis d’imposition', status: 'accepted', asked_at: long, closed_at: long })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('portal_document_uploads')
        .values({ organisation_id: org.id, request_id: asked.id, household_id: tenant.householdId, file_id: sent })
        .execute();
      return { published, sent, kept, documentId: document.id, askedId: asked.id };
    });
    const bytesOf = async (fileId: string) =>
      path.join(h.deps.config.LIEN_DATA_DIR, 'files', org.id, (await q(`select storage_name from files where id = $1`, [fileId]))[0].storage_name);
    const [publishedBytes, sentBytes, keptBytes] = [await bytesOf(stored.published), await bytesOf(stored.sent), await bytesOf(stored.kept)];
    await purgeOrganisation(h.database, org.id, new Date(), undefined, h.deps.config);
    expect(await exists('portal_documents', stored.documentId)).toBe(false);
    expect(await exists('portal_document_requests', stored.askedId)).toBe(false);
    for (const id of [stored.published, stored.sent]) expect(await exists('files', id)).toBe(false);
    expect(existsSync(publishedBytes)).toBe(false);
    expect(existsSync(sentBytes)).toBe(false);
    // The document still offered keeps its file.
    expect(await exists('files', stored.kept)).toBe(true);
    expect(existsSync(keptBytes)).toBe(true);
  });
});
