// TRUST DP-02, issue 16: a request's photo goes with the request. The retention purge deletes a
// closed request past its rule with its exchanges, and the files they held: the record in the
// purge's transaction, the bytes on disk once it commits. The preview (rolled back) keeps both.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const line = preview.json().lines.find((l: { table: string }) => l.table === 'files');
    expect(line).toMatchObject({ purpose: 'portal', action: 'delete', count: 1, label: 'Photos et documents des demandes en ligne terminées' });
    expect(await exists('files', old.fileId)).toBe(true);
    expect(existsSync(old.bytes)).toBe(true);

    const lines = await purgeOrganisation(h.database, org.id, new Date(), undefined, h.deps.config);
    expect(lines.find((l) => l.table === 'files')?.count).toBe(1);
    expect(await exists('portal_requests', old.requestId)).toBe(false);
    expect(await q(`select id from portal_request_messages where request_id = $1`, [old.requestId])).toEqual([]);
    expect(await exists('files', old.fileId)).toBe(false);
    expect(existsSync(old.bytes)).toBe(false);
    // The request still within its rule keeps its photo, record and bytes.
    expect(await exists('files', recent.fileId)).toBe(true);
    expect(existsSync(recent.bytes)).toBe(true);
    // Safe twice: nothing more goes.
    expect((await purgeOrganisation(h.database, org.id, new Date(), undefined, h.deps.config)).find((l) => l.table === 'files')?.count).toBe(0);
    expect(existsSync(recent.bytes)).toBe(true);
  });
});
