// TRUST IN-08 and MT-08: a file is checked by content, kept under a random name in its
// organisation's folder, scanned by a real ClamAV daemon, and opened only when clean, as an
// attachment, through a short-lived signed link.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR, startClamd } from '../../test/clamd.ts';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { messageKey } from '../outbox/sealing.ts';
import type { ClamdAddress } from './clamd.ts';
import { deleteFiles, fileForDownload, ORPHAN_AFTER_MS, scanFile, storeFile, sweepOrphanFiles } from './files.ts';
import { signLink } from './links.ts';

let h: Harness;
let clamd: { address: ClamdAddress; stop: () => Promise<void> };
let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  [h, clamd] = await Promise.all([startHarness(), startClamd()]);
  org = await newOrganisation(h);
  other = await newOrganisation(h);
});
afterAll(async () => {
  await h.close();
  await clamd.stop();
});

const pdf = (extra = '') => Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n${extra}\n%%EOF\n`);
const store = (o: TestOrg, bytes: Buffer, fileName = 'quittance.pdf') =>
  h.database.withOrg({ organisationId: o.id }, (trx) => storeFile(trx, h.jobs, h.deps.config, o.id, { fileName, purpose: 'test', bytes, createdBy: null }));
const scan = (o: TestOrg, id: string) => scanFile(h.database, h.deps.config, clamd.address, o.id, id);
const view = (o: TestOrg, id: string, now?: number) =>
  h.database.withOrg({ organisationId: o.id }, (trx) => fileForDownload(trx, h.deps.config, o.id, id, now));
const row = async (id: string) => (await h.owner.query('select storage_name, scan_status, scan_signature from files where id = $1', [id])).rows[0];
const stored = (o: TestOrg, name: string) => path.join(h.deps.config.LIEN_DATA_DIR, 'files', o.id, name);
const get = (url: string) => h.app.inject({ method: 'GET', url });

describe('a clean file (IN-08)', () => {
  it('is kept under a random name, closed while pending, then opened as an attachment through its link', async () => {
    const id = await store(org, pdf(), '../../etc/Quittance "mars".pdf');
    const r = await row(id);
    expect(r.storage_name).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(stored(org, r.storage_name))).toBe(true);
    expect(r.scan_status).toBe('pending');
    expect((await view(org, id))?.link).toBeNull();
    // Even a correctly signed link does not open a file not yet scanned.
    const early = await get(`/api/files/${signLink(messageKey(h.deps.config), { organisationId: org.id, fileId: id })}`);
    expect(early.statusCode).toBe(404);
    expect(early.json().message).toContain('analyse antivirus');

    await scan(org, id);
    await scan(org, id); // safe twice
    expect((await row(id)).scan_status).toBe('clean');
    const shown = await view(org, id);
    expect(shown).toMatchObject({ fileName: 'Quittance mars.pdf', contentType: 'application/pdf', scanStatus: 'clean' });
    const response = await get(shown?.link as string);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; /);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.equals(pdf())).toBe(true);
  });

  it('a link expires, a changed link is refused, and one organisation’s link cannot open another’s file', async () => {
    const id = await store(org, pdf('autre'));
    await scan(org, id);
    const old = await view(org, id, Date.now() - 10 * 60_000);
    const expired = await get(old?.link as string);
    expect(expired.statusCode).toBe(404);
    expect(expired.json().message).toContain('expiré');

    const link = (await view(org, id))?.link as string;
    const [payload, signature] = link.slice('/api/files/'.length).split('.') as [string, string];
    // The same signature on another payload (another organisation's id in it) does not hold.
    const raw = Buffer.from(payload, 'base64url');
    Buffer.from(other.id.replace(/-/g, ''), 'hex').copy(raw, 0);
    const forged = raw.toString('base64url');
    expect((await get(`/api/files/${forged}.${signature}`)).statusCode).toBe(404);
    expect((await get(`/api/files/${payload}.${signature.slice(1)}x`)).statusCode).toBe(404);
    // Signed for the other organisation: its RLS context does not see this file.
    const cross = await get(`/api/files/${signLink(messageKey(h.deps.config), { organisationId: other.id, fileId: id })}`);
    expect(cross.statusCode).toBe(404);
    expect(cross.json().message).toBe('Fichier introuvable.');
  });
});

describe('an infected file (IN-08)', () => {
  it('a PDF carrying the EICAR test file is found by clamd, its bytes deleted, and it never opens', async () => {
    const id = await store(org, pdf(EICAR));
    const { storage_name } = await row(id);
    await scan(org, id);
    const r = await row(id);
    expect(r).toMatchObject({ scan_status: 'infected', scan_signature: 'Lien-Test.EICAR.UNOFFICIAL' });
    expect(existsSync(stored(org, storage_name))).toBe(false);
    expect((await view(org, id))?.link).toBeNull();
    const forced = await get(`/api/files/${signLink(messageKey(h.deps.config), { organisationId: org.id, fileId: id })}`);
    expect(forced.statusCode).toBe(404);
    expect(forced.json().message).toContain('bloqué par l’antivirus');
  });

  it('the EICAR file itself is refused at the door by its content, and nothing is written', async () => {
    const before = await h.owner.query('select count(*)::int as n from files where organisation_id = $1', [other.id]);
    const folder = path.join(h.deps.config.LIEN_DATA_DIR, 'files', other.id);
    const onDisk = existsSync(folder) ? readdirSync(folder).length : 0;
    await expect(store(other, Buffer.from(EICAR), 'photo.jpg')).rejects.toMatchObject({ code: 'file_type' });
    expect((await h.owner.query('select count(*)::int as n from files where organisation_id = $1', [other.id])).rows[0].n).toBe(before.rows[0].n);
    expect(existsSync(folder) ? readdirSync(folder).length : 0).toBe(onDisk);
  });

  it('when clamd cannot be reached the scan fails and the file stays closed', async () => {
    const id = await store(org, pdf('attente'));
    await expect(scanFile(h.database, h.deps.config, { socket: '/nonexistent/clamd.sock' }, org.id, id)).rejects.toThrow(/injoignable/);
    expect((await row(id)).scan_status).toBe('pending');
  });
});

describe('bad files get a clear French error (IN-08)', () => {
  it('empty, too large, or a broken photo', async () => {
    await expect(store(org, Buffer.alloc(0))).rejects.toMatchObject({ code: 'file_empty', message: 'Le fichier est vide.' });
    const big = Buffer.concat([pdf(), Buffer.alloc(h.deps.config.FILES_MAX_MB * 1024 * 1024)]);
    await expect(store(org, big)).rejects.toMatchObject({ code: 'file_too_large' });
    await expect(store(org, Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), 'photo.jpg')).rejects.toMatchObject({ code: 'file_malformed' });
  });

  it('a photo is stored without its EXIF block', async () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x11]),
      Buffer.from('Exif\0\0GPS 48.78', 'latin1'),
      Buffer.from([0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0xff, 0xd9]),
    ]);
    const id = await store(org, jpeg, 'fuite.jpeg');
    const { storage_name } = await row(id);
    const kept = readFileSync(stored(org, storage_name));
    expect(kept.toString('latin1')).not.toContain('GPS');
    expect((await view(org, id))?.fileName).toBe('fuite.jpg');
  });
});

describe('bytes without a record (deleteFiles, the sweep)', () => {
  const folderOf = (o: TestOrg) => path.join(h.deps.config.LIEN_DATA_DIR, 'files', o.id);
  const onDisk = (o: TestOrg) => (existsSync(folderOf(o)) ? readdirSync(folderOf(o)).sort() : []);
  const sweep = (o: TestOrg, now: Date) => h.database.withOrg({ organisationId: o.id }, (trx) => sweepOrphanFiles(h.deps.config).run(trx, now, o.id));

  it('a file stored in a transaction that rolls back leaves bytes; the sweep an hour later removes them and drafts, and keeps recorded files', async () => {
    const o = await newOrganisation(h);
    const kept = await store(o, pdf('gardé'));
    const keptName = (await row(kept)).storage_name as string;
    await expect(
      h.database.withOrg({ organisationId: o.id }, async (trx) => {
        await storeFile(trx, h.jobs, h.deps.config, o.id, { fileName: 'annulé.pdf', purpose: 'test', bytes: pdf('annulé'), createdBy: null });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const orphan = onDisk(o).find((n) => n !== keptName) as string;
    expect(orphan).toMatch(/^[0-9a-f]{32}$/);
    // A draft a crash left behind, and a file that is not one of ours.
    const draft = `${'ab'.repeat(16)}.part`;
    writeFileSync(path.join(folderOf(o), draft), 'brouillon');
    writeFileSync(path.join(folderOf(o), 'LISEZMOI.txt'), 'pas à nous');
    expect(onDisk(o)).toEqual([keptName, orphan, draft, 'LISEZMOI.txt'].sort());

    // Within the hour the bytes may belong to a transaction still open: nothing goes.
    expect(await sweep(o, new Date())).toBe(0);
    expect(onDisk(o)).toHaveLength(4);
    // An hour later: the orphan and the draft go; the recorded file and the foreign one stay.
    expect(await sweep(o, new Date(Date.now() + ORPHAN_AFTER_MS + 60_000))).toBe(2);
    expect(onDisk(o)).toEqual([keptName, 'LISEZMOI.txt'].sort());
    expect((await view(o, kept))?.fileName).toBe('quittance.pdf');
  });

  it('deleteFiles: a deletion rolled back keeps record and bytes; a committed one removes both, and only its organisation’s', async () => {
    const o = await newOrganisation(h);
    const a = await store(o, pdf('a'));
    const b = await store(o, pdf('b'));
    const elsewhere = await store(other, pdf('ailleurs'));
    const [nameA, nameB, nameElsewhere] = [(await row(a)).storage_name, (await row(b)).storage_name, (await row(elsewhere)).storage_name];
    await expect(
      h.database.withOrg({ organisationId: o.id }, async (trx) => {
        expect(await deleteFiles(trx, h.deps.config, o.id, [a])).toBe(1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await row(a)).toBeDefined();
    expect(existsSync(stored(o, nameA))).toBe(true);

    // The other organisation's id is not seen (RLS): its file is untouched.
    const n = await h.database.withOrg({ organisationId: o.id }, (trx) => deleteFiles(trx, h.deps.config, o.id, [a, elsewhere]));
    expect(n).toBe(1);
    expect(await row(a)).toBeUndefined();
    expect(existsSync(stored(o, nameA))).toBe(false);
    expect(existsSync(stored(o, nameB))).toBe(true);
    expect(await row(elsewhere)).toBeDefined();
    expect(existsSync(stored(other, nameElsewhere))).toBe(true);
  });
});
