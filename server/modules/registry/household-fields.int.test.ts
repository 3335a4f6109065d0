// TRUST AA-03 and AA-02 for households: what each role reads of a household (field groups),
// which households it reaches (scope), which sort keys and filters it may use — checked through
// the API against the « households » section of authz-matrix.yaml, which must equal the code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { householdAccess, householdFieldClasses, householdFieldGroups } from '../../../contracts/households.ts';
import { roles } from '../../../contracts/roles.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { householdReaders, pickFields } from './households.service.ts';
import { importFile } from './import/import.service.ts';

let h: Harness;
let org: TestOrg;
const ids = {} as Record<'B1' | 'B2' | 'B3' | 'B4', string>;
const cookies = {} as Record<'caretaker' | 'idleCaretaker' | 'orgCaretaker' | 'staff' | 'volunteer' | 'partner' | 'federation_analyst', string>;

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
const rows = [
  // G1 (agency A1) is kept by the caretaker; G3 (A1) has no caretaker; G2 is in agency A2.
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;B1;P1;Lefèvre;Benoît;03/04/1941;06 12 34 56 78',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L2;B2;P2;Arnaud;Marie;12/11/1990;07 11 11 11 11',
  'A1;G3;Les Acacias;4 allée des Acacias;94400;Vitry-sur-Seine;L4;B4;P5;Garnier;Yves;05/05/1945;06 44 44 44 44',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L3;B3;P4;Dupont;Lise;01/01/1950;06 99 99 99 99',
];

const get = (url: string, cookie: string) => h.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (url: string, cookie: string, payload: object) => h.app.inject({ method: 'POST', url, headers: { cookie }, payload });
const list = (cookie: string, body: object = {}) => post('/api/households/list', cookie, body);
const search = (cookie: string, query: string) => post('/api/households/search', cookie, { query });
const refs = (rowsOf: { erpRef: string }[]) => rowsOf.map((r) => r.erpRef).sort();

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...rows].join('\n'))]), { fileName: 'x.csv' });
  for (const r of (await h.owner.query('select erp_ref, id from households where organisation_id = $1', [org.id])).rows)
    ids[r.erp_ref as keyof typeof ids] = r.id;
  const [a1] = org.agencyIds as [string, string];
  const caretaker = await newUser(h, org, 'caretaker', { agencyIds: [a1] });
  await h.owner.query(`update residences set caretaker_id = $1 where organisation_id = $2 and erp_code = 'G1'`, [caretaker.id, org.id]);
  await h.owner.query(
    `update households set balance_cents = case erp_ref when 'B1' then -50000 when 'B2' then 200000 else 1000 end where organisation_id = $1`,
    [org.id],
  );
  cookies.caretaker = await signIn(h, caretaker);
  // A caretaker of the agency who keeps no residence, and one without any agency: they reach nothing.
  cookies.idleCaretaker = await signIn(h, await newUser(h, org, 'caretaker', { agencyIds: [a1] }));
  cookies.orgCaretaker = await signIn(h, await newUser(h, org, 'caretaker'));
  cookies.staff = await signIn(h, await newUser(h, org, 'staff'));
  cookies.volunteer = await signIn(h, await newUser(h, org, 'volunteer', { endDate: '2099-01-01' }));
  cookies.partner = await signIn(h, await newUser(h, org, 'partner'));
  cookies.federation_analyst = await signIn(h, await newUser(h, org, 'federation_analyst'));
  // A consented health need and an indicator on B1: the caretaker must not read them.
  const consent = await post(`/api/households/${ids.B1}/consents`, cookies.staff, { channel: 'phone', wordingVersion: 'sante-2026-11' });
  expect(consent.statusCode).toBe(201);
  expect(
    (await post(`/api/households/${ids.B1}/needs`, cookies.staff, { category: 'health', label: 'Dialyse', consentId: consent.json().id })).statusCode,
  ).toBe(201);
});
afterAll(() => h.close());

describe('the households section of authz-matrix.yaml is the code (AA-03)', () => {
  const matrix = parse(readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'authz-matrix.yaml'), 'utf8')) as {
    households: { fieldGroups: Record<string, Record<string, string[]>>; roles: Record<string, unknown> };
  };
  it('classifies every key of the file, list rows and search hits in the same field groups', () => {
    const fromCode: Record<string, Record<string, string[]>> = {};
    for (const [shape, classes] of Object.entries(householdFieldClasses)) {
      for (const [key, group] of Object.entries(classes)) {
        const shapes = fromCode[group] ?? {};
        shapes[shape] = [...(shapes[shape] ?? []), key];
        fromCode[group] = shapes;
      }
    }
    const sorted = (m: Record<string, Record<string, string[]>>) =>
      Object.fromEntries(Object.entries(m).map(([g, shapes]) => [g, Object.fromEntries(Object.entries(shapes).map(([s, keys]) => [s, [...keys].sort()]))]));
    expect(sorted(matrix.households.fieldGroups)).toEqual(sorted(fromCode));
    expect(Object.keys(matrix.households.fieldGroups).sort()).toEqual([...householdFieldGroups].sort());
  });
  it('gives each role the scope, field groups, sort keys, filters and export of the code', () => {
    expect(Object.keys(matrix.households.roles).sort()).toEqual([...roles].sort());
    for (const role of roles) {
      const a = householdAccess[role];
      expect({ role, ...(matrix.households.roles[role] as object) }).toEqual({
        role,
        scope: a.scope,
        fields: [...a.fields],
        sortKeys: [...a.sortKeys],
        filters: [...a.filters],
        export: a.export,
      });
    }
  });
  it('the serializer refuses a key without a field group', () => {
    expect(pickFields({ id: 'x', lastName: 'Dupont' }, householdFieldClasses.person, ['identity'])).toEqual({ id: 'x', lastName: 'Dupont' });
    expect(pickFields({ id: 'x', age: 80 }, householdFieldClasses.person, ['identity'])).toEqual({ id: 'x' });
    expect(() => pickFields({ id: 'x', income: 1200 }, householdFieldClasses.person, ['identity'])).toThrow(/income.*no field group/);
  });
  it('the roles with a scope are the readers of the household routes', () => {
    expect([...householdReaders].sort()).toEqual(roles.filter((r) => householdAccess[r].scope !== 'none').sort());
  });
});

describe('caretakers see the households of their residences, nothing more', () => {
  it('the list holds only their residences, with names and address only', async () => {
    const res = await list(cookies.caretaker);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(2);
    expect(refs(res.json().rows)).toEqual(['B1', 'B2']);
    for (const row of res.json().rows) expect(Object.keys(row).sort()).toEqual(['agency', 'erpRef', 'holder', 'id', 'persons', 'residence', 'status']);
  });
  it('search finds only their residences’ households', async () => {
    expect(refs((await search(cookies.caretaker, 'Lefevre')).json())).toEqual(['B1']);
    expect((await search(cookies.caretaker, 'Dupont')).json()).toEqual([]);
    expect((await search(cookies.caretaker, 'Garnier')).json()).toEqual([]);
    expect((await search(cookies.caretaker, '06 99 99 99 99')).json()).toEqual([]);
    const hit = (await search(cookies.caretaker, 'Lefevre')).json()[0];
    expect(Object.keys(hit).sort()).toEqual(['address', 'agency', 'erpRef', 'id', 'matched', 'persons', 'residence', 'status']);
  });
  it('the file shows names, home, phones and contact preferences; no balance, age, needs, consents, indicators nor timeline', async () => {
    const res = await get(`/api/households/${ids.B1}`, cookies.caretaker);
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(Object.keys(f).sort()).toEqual(['agency', 'erpRef', 'id', 'persons', 'residence', 'status', 'unit']);
    expect(Object.keys(f.persons[0]).sort()).toEqual(['civility', 'contacts', 'firstName', 'id', 'lastName', 'preferredChannel', 'preferredLanguage', 'role']);
    expect(f.persons[0].contacts.map((c: { value: string }) => c.value)).toEqual(['+33612345678']);
    expect(res.body).not.toMatch(/Dialyse|50000|1941|sante-2026/);
  });
  it('a household of another residence of the agency, or of another agency, is a 404', async () => {
    expect((await get(`/api/households/${ids.B4}`, cookies.caretaker)).statusCode).toBe(404);
    expect((await get(`/api/households/${ids.B3}`, cookies.caretaker)).statusCode).toBe(404);
  });
  it('fails closed: a caretaker who keeps no residence (with or without an agency) reaches nothing', async () => {
    for (const cookie of [cookies.idleCaretaker, cookies.orgCaretaker]) {
      expect((await list(cookie)).json()).toEqual({ total: 0, rows: [] });
      expect((await search(cookie, 'Lefevre')).json()).toEqual([]);
      expect((await get(`/api/households/${ids.B1}`, cookie)).statusCode).toBe(404);
    }
  });
  it('sorting or filtering by a field they may not read is a 400 in French', async () => {
    for (const sort of ['balance', 'age']) {
      const res = await list(cookies.caretaker, { sort });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'sort_not_allowed', detail: expect.stringContaining('Vous ne pouvez pas trier') });
    }
    for (const filters of [{ minAge: 70 }, { indicators: ['lives_alone'] }, { objection: 'none' }, { noContactForDays: 30 }, { status: 'missing' }]) {
      const res = await list(cookies.caretaker, { filters });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'filter_not_allowed', detail: expect.stringContaining('Vous ne pouvez pas filtrer') });
    }
    expect((await list(cookies.caretaker, { sort: 'residence', filters: { status: 'left' } })).statusCode).toBe(200);
  });
  it('cannot export', async () => {
    expect((await post('/api/households/export', cookies.caretaker, { format: 'csv' })).statusCode).toBe(403);
  });
});

describe('other roles', () => {
  it('volunteers, partners and federation analysts reach no household route', async () => {
    for (const role of ['volunteer', 'partner', 'federation_analyst'] as const) {
      const cookie = cookies[role];
      expect((await get(`/api/households/${ids.B1}`, cookie)).statusCode).toBe(403);
      expect((await list(cookie)).statusCode).toBe(403);
      expect((await search(cookie, 'Lefevre')).statusCode).toBe(403);
      expect((await post('/api/households/export', cookie, { format: 'csv' })).statusCode).toBe(403);
    }
  });
  it('staff read every field group and may sort by balance', async () => {
    const f = (await get(`/api/households/${ids.B1}`, cookies.staff)).json();
    expect(Object.keys(f).sort()).toEqual(Object.keys(householdFieldClasses.file).sort());
    expect(Object.keys(f.persons[0]).sort()).toEqual(Object.keys(householdFieldClasses.person).sort());
    const sorted = (await list(cookies.staff, { sort: 'balance' })).json();
    expect(sorted.rows[0].erpRef).toBe('B2');
    expect(Object.keys(sorted.rows[0]).sort()).toEqual(Object.keys(householdFieldClasses.row).sort());
  });
});

describe('indicators added on the file', () => {
  it('are stored with source staff and shown', async () => {
    const res = await post(`/api/households/${ids.B2}/indicators`, cookies.staff, { kind: 'reduced_mobility' });
    expect(res.statusCode).toBe(200);
    const f = (await get(`/api/households/${ids.B2}`, cookies.staff)).json();
    expect(f.indicators).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'reduced_mobility', source: 'staff' })]));
    const audit = await h.owner.query(`select count(*)::int as n from audit_events where object_id = $1 and action = 'household.indicator_added'`, [ids.B2]);
    expect(audit.rows[0].n).toBe(1);
  });
});
