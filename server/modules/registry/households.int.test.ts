import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, PASSWORD, signIn, startHarness, type TestOrg, totpCodeOf } from '../../test/harness.ts';
import { importFile } from './import/import.service.ts';

let h: Harness;
let org: TestOrg;
let staffAll: string;
let staffNord: string;
const ids: Record<string, string> = {};

const HEADER =
  'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable;Tél fixe';
const rows = [
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;B1;P1;Lefèvre;Benoît;03/04/1941;06 12 34 56 78;',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L2;B2;P2;Lefebvre;Marie;12/11/1990;07 11 11 11 11;01 45 67 89 10',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L2;B2;P3;Lefebvre;Lucas;12/11/2015;;',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L3;B3;P4;Dupont;"=HYPERLINK(""http://x"")";01/01/1950;06 99 99 99 99;',
];

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...rows].join('\n'))]), { fileName: 'x.csv' });
  const q = await h.owner.query('select erp_ref, id from households where organisation_id = $1', [org.id]);
  for (const r of q.rows) ids[r.erp_ref] = r.id;
  const agencies = await h.owner.query(`select id from agencies where organisation_id = $1 and code = 'A1'`, [org.id]);
  staffAll = await signIn(h, await newUser(h, org, 'staff'));
  staffNord = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [agencies.rows[0].id] }));
});
afterAll(() => h.close());

const search = (query: string, cookie = staffAll) => h.app.inject({ method: 'POST', url: '/api/households/search', headers: { cookie }, payload: { query } });
const refsOf = async (query: string, cookie = staffAll) => ((await search(query, cookie)).json() as { erpRef: string }[]).map((x) => x.erpRef);

describe('one search box', () => {
  it('finds names without accents and with typos', async () => {
    expect(await refsOf('Benoit Lefevre')).toEqual(['B1']);
    expect((await refsOf('Lefebre')).sort()).toEqual(['B1', 'B2']);
    expect(await refsOf('lucas lefebvre')).toContain('B2');
  });
  it('finds a phone in any format, an address, an ERP reference', async () => {
    expect(await refsOf('06.12.34.56.78')).toEqual(['B1']);
    expect(await refsOf('+33 1 45 67 89 10')).toEqual(['B2']);
    expect(await refsOf('place de la Republique')).toEqual(['B3']);
    expect(await refsOf('L2')).toEqual(['B2']);
    expect(await refsOf('B3')).toEqual(['B3']);
  });
  it('respects the agency scope', async () => {
    expect(await refsOf('place de la Republique', staffNord)).toEqual([]);
  });
  it('keeps the terms out of the URL and the audit trail', async () => {
    const res = await search('Benoit Lefevre');
    expect(res.statusCode).toBe(200);
    const audit = await h.owner.query(`select details::text from audit_events where organisation_id = $1 and action = 'household.searched'`, [org.id]);
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.rows)).not.toMatch(/Benoit|Lefevre/i);
  });
  it('is refused to volunteers and partners', async () => {
    for (const role of ['volunteer', 'partner', 'federation_analyst'] as const) {
      const c = await signIn(h, await newUser(h, org, role, role === 'volunteer' ? { endDate: '2099-01-01' } : {}));
      expect((await search('Lefevre', c)).statusCode).toBe(403);
    }
  });
});

describe('household file', () => {
  it('shows members, contacts, home, residence and indicators with their source; the read is audited', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/api/households/${ids.B2}`, headers: { cookie: staffAll } });
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.persons.map((p: { firstName: string }) => p.firstName)).toEqual(['Marie', 'Lucas']);
    expect(f.persons[0].contacts.map((c: { value: string }) => c.value).sort()).toEqual(['+33145678910', '+33711111111']);
    expect(f.residence).toMatchObject({ name: 'Les Tilleuls', postalCode: '94400' });
    expect(f.persons[0].age).toBeGreaterThanOrEqual(35);
    const n = await h.owner.query(`select count(*)::int as n from audit_events where organisation_id = $1 and action = 'household.viewed' and object_id = $2`, [
      org.id,
      ids.B2,
    ]);
    expect(n.rows[0].n).toBe(1);
  });
  it('is a 404 outside the agency scope', async () => {
    expect((await h.app.inject({ method: 'GET', url: `/api/households/${ids.B3}`, headers: { cookie: staffNord } })).statusCode).toBe(404);
  });
  it('a contact correction is audited with its old value; a bad phone is refused in French', async () => {
    const f = (await h.app.inject({ method: 'GET', url: `/api/households/${ids.B1}`, headers: { cookie: staffAll } })).json();
    const personId = f.persons[0].id;
    const bad = await h.app.inject({
      method: 'PUT',
      url: `/api/households/${ids.B1}/contacts`,
      headers: { cookie: staffAll },
      payload: { personId, kind: 'mobile', value: '06 12' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toContain('Numéro de téléphone invalide');
    for (const value of ['06 22 22 22 22', '06 33 33 33 33']) {
      expect(
        (
          await h.app.inject({
            method: 'PUT',
            url: `/api/households/${ids.B1}/contacts`,
            headers: { cookie: staffAll },
            payload: { personId, kind: 'mobile', value },
          })
        ).statusCode,
      ).toBe(200);
    }
    const audit = await h.owner.query(`select details from audit_events where organisation_id = $1 and action = 'household.contact_changed' order by at`, [
      org.id,
    ]);
    expect(audit.rows.map((r) => [r.details.old, r.details.new])).toEqual([
      [null, '+33622222222'],
      ['+33622222222', '+33633333333'],
    ]);
  });
});

describe('health needs need consent (DP-03)', () => {
  it('staff set a person’s preferred channel and language; the change is audited with the old values', async () => {
    const file = (await h.app.inject({ method: 'GET', url: `/api/households/${ids.B1}`, headers: { cookie: staffAll } })).json();
    const personId = file.persons[0].id;
    const put = (payload: object) =>
      h.app.inject({ method: 'PUT', url: `/api/households/${ids.B1}/persons/${personId}/preferences`, headers: { cookie: staffAll }, payload });
    expect((await put({ preferredChannel: 'pigeon', preferredLanguage: null })).statusCode).toBe(400);
    expect((await put({ preferredChannel: 'sms', preferredLanguage: 'arabe' })).statusCode).toBe(200);
    const after = (await h.app.inject({ method: 'GET', url: `/api/households/${ids.B1}`, headers: { cookie: staffAll } })).json();
    expect(after.persons[0]).toMatchObject({ preferredChannel: 'sms', preferredLanguage: 'arabe' });
    const audit = await h.owner.query(`select details from audit_events where object_id = $1 and action = 'household.preferences_changed'`, [ids.B1]);
    expect(audit.rows[0].details).toMatchObject({ channel: { old: null, new: 'sms' }, languageChanged: true });
    expect(JSON.stringify(audit.rows[0].details)).not.toContain('arabe');
    // Another agency's staff cannot.
    const other = await h.app.inject({
      method: 'PUT',
      url: `/api/households/${ids.B3}/persons/${personId}/preferences`,
      headers: { cookie: staffNord },
      payload: { preferredChannel: 'phone', preferredLanguage: null },
    });
    expect(other.statusCode).toBe(404);
  });

  it('422 without consent; stored with it; withdrawing deletes them and is audited', async () => {
    const url = `/api/households/${ids.B1}`;
    const without = await h.app.inject({
      method: 'POST',
      url: `${url}/needs`,
      headers: { cookie: staffAll },
      payload: { category: 'health', label: 'Traitement quotidien' },
    });
    expect(without.statusCode).toBe(422);
    expect(without.json().code).toBe('consent_required');
    expect(
      (await h.app.inject({ method: 'POST', url: `${url}/needs`, headers: { cookie: staffAll }, payload: { category: 'daily_life', label: 'Courses' } }))
        .statusCode,
    ).toBe(201);
    const consent = await h.app.inject({
      method: 'POST',
      url: `${url}/consents`,
      headers: { cookie: staffAll },
      payload: { channel: 'phone', wordingVersion: 'sante-2026-11' },
    });
    expect(consent.statusCode).toBe(201);
    const consentId = consent.json().id;
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `${url}/needs`,
          headers: { cookie: staffAll },
          payload: { category: 'health', label: 'Traitement quotidien', consentId },
        })
      ).statusCode,
    ).toBe(201);
    const withdraw = await h.app.inject({ method: 'POST', url: `${url}/consents/${consentId}/withdraw`, headers: { cookie: staffAll } });
    expect(withdraw.json()).toEqual({ needsDeleted: 1 });
    const needs = await h.owner.query(`select category from declared_needs where household_id = $1`, [ids.B1]);
    expect(needs.rows).toEqual([{ category: 'daily_life' }]);
    const audit = await h.owner.query(`select count(*)::int as n from audit_events where object_id = $1 and action = 'household.consent_withdrawn'`, [ids.B1]);
    expect(audit.rows[0].n).toBe(1);
  });
  it('the database itself refuses a health need without consent', async () => {
    await expect(
      h.database.withOrg({ organisationId: org.id }, (trx) =>
        trx
          .insertInto('declared_needs')
          .values({
            organisation_id: org.id,
            household_id: ids.B1 as string,
            category: 'health',
            label: 'x',
            source: 'staff',
            consent_id: null,
            recorded_by: null,
          })
          .execute(),
      ),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('lists, filters and export', () => {
  const list = (filters: object, cookie = staffAll) =>
    h.app.inject({ method: 'POST', url: '/api/households/list', headers: { cookie }, payload: { filters } }).then((r) => r.json());
  it('filters by age, indicator, objection and agency', async () => {
    expect((await list({ minAge: 70 })).rows.map((r: { erpRef: string }) => r.erpRef).sort()).toEqual(['B1', 'B3']);
    expect((await list({ indicators: ['lives_alone'] })).rows.map((r: { erpRef: string }) => r.erpRef).sort()).toEqual(['B1', 'B3']);
    await h.app.inject({ method: 'POST', url: `/api/households/${ids.B3}/objections`, headers: { cookie: staffAll }, payload: { kind: 'no_call' } });
    expect((await list({ objection: 'no_call' })).rows.map((r: { erpRef: string }) => r.erpRef)).toEqual(['B3']);
    expect((await list({ objection: 'none' })).total).toBe(2);
    expect((await list({}, staffNord)).total).toBe(2);
  });
  it('exports CSV and XLSX with formula cells neutralised (IN-07); the export is audited', async () => {
    const csv = await h.app.inject({ method: 'POST', url: '/api/households/export', headers: { cookie: staffAll }, payload: { format: 'csv' } });
    expect(csv.headers['content-disposition']).toContain('menages.csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"") Dupont (01/01/1950)"`);
    expect(csv.body).not.toMatch(/;=HYPERLINK/);
    const xlsx = await h.app.inject({ method: 'POST', url: '/api/households/export', headers: { cookie: staffAll }, payload: { format: 'xlsx' } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0]?.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    expect(cells.some((c) => c.startsWith("'=HYPERLINK") || c.includes("'=HYPERLINK"))).toBe(true);
    expect(cells.some((c) => c.startsWith('=HYPERLINK'))).toBe(false);
    const audit = await h.owner.query(`select count(*)::int as n from audit_events where organisation_id = $1 and action = 'household.exported'`, [org.id]);
    expect(audit.rows[0].n).toBe(2);
  });

  it('a bulk export needs an authentication less than 5 minutes old (AA-09), and at most 5 an hour (LD-09)', async () => {
    const user = await newUser(h, org, 'manager');
    const cookie = await signIn(h, user);
    const exportNow = () => h.app.inject({ method: 'POST', url: '/api/households/export', headers: { cookie }, payload: { format: 'csv' } });
    await h.owner.query(`update sessions set authenticated_at = now() - interval '6 minutes' where user_id = $1`, [user.id]);
    const stale = await exportNow();
    expect(stale.statusCode).toBe(403);
    expect(stale.json().code).toBe('reauthentication_required');
    const wrong = await h.app.inject({ method: 'POST', url: '/api/auth/reauthenticate', headers: { cookie }, payload: { password: 'not my password' } });
    expect(wrong.statusCode).toBe(401);
    const right = await h.app.inject({
      method: 'POST',
      url: '/api/auth/reauthenticate',
      headers: { cookie },
      payload: { password: PASSWORD, code: await totpCodeOf(h, user) },
    });
    expect(right.statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await exportNow()).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
