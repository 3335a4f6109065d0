import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { isolationWatchScript } from '../campaigns/index.ts';
import { importFile } from './index.ts';

let h: Harness;
let org: TestOrg;
let admin: string;
let managerA1: string;
let caretakerA1: TestUser;
let otherCaretakerA1: TestUser;
let caretakerA2: TestUser;
let staff: TestUser;
const residence: Record<string, string> = {};

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
const rows = [
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;H1;P1;Martin;Jeanne;03/04/1935;',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L2;H2;P2;Bernard;Paul;12/11/1950;06 12 34 56 02',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L4;H4;P4;Durand;Louis;01/01/1945;06 12 34 56 04',
];
const call = (cookie: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...rows].join('\n'))]), { fileName: 'x.csv' });
  for (const r of (await h.owner.query('select erp_code, id from residences where organisation_id = $1', [org.id])).rows) residence[r.erp_code] = r.id;
  admin = await signIn(h, await newUser(h, org, 'org_admin'));
  managerA1 = await signIn(h, await newUser(h, org, 'manager', { agencyIds: [org.agencyIds[0] as string] }));
  caretakerA1 = await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[0] as string] });
  otherCaretakerA1 = await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[0] as string] });
  caretakerA2 = await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[1] as string] });
  staff = await newUser(h, org, 'staff');
});
afterAll(() => h.close());

describe('residences and their caretakers', () => {
  it('lists the residences of the scope with their present households', async () => {
    const all = (await call(admin, 'GET', '/api/residences')).json();
    expect(all.map((r: { erpCode: string; households: number }) => [r.erpCode, r.households])).toEqual([
      ['G1', 2],
      ['G2', 1],
    ]);
    const mine = (await call(managerA1, 'GET', '/api/residences')).json();
    expect(mine.map((r: { erpCode: string }) => r.erpCode)).toEqual(['G1']);
    expect((await call(admin, 'GET', `/api/residences?q=${encodeURIComponent('republique')}`)).json()).toHaveLength(1);
    // A manager is offered the caretakers of their agencies; the admin, all of them.
    const ids = async (cookie: string) => ((await call(cookie, 'GET', '/api/residences/caretakers')).json() as { id: string }[]).map((c) => c.id).sort();
    expect(await ids(managerA1)).toEqual([caretakerA1.id, otherCaretakerA1.id].sort());
    expect(await ids(admin)).toEqual([caretakerA1.id, otherCaretakerA1.id, caretakerA2.id].sort());
  });

  it('refuses a caretaker of another agency, a user who is not a caretaker, and a residence outside the scope, in French', async () => {
    const other = await call(managerA1, 'PUT', `/api/residences/${residence.G1}/caretaker`, { caretakerId: caretakerA2.id });
    expect(other.statusCode).toBe(422);
    expect(other.json().detail).toContain('n’est pas rattaché·e à l’agence de cette résidence');
    const notCaretaker = await call(managerA1, 'PUT', `/api/residences/${residence.G1}/caretaker`, { caretakerId: staff.id });
    expect(notCaretaker.statusCode).toBe(422);
    expect(notCaretaker.json().detail).toContain('gardien·ne actif·ve');
    expect((await call(managerA1, 'PUT', `/api/residences/${residence.G2}/caretaker`, { caretakerId: caretakerA2.id })).statusCode).toBe(404);
    const left = await h.owner.query('select count(*)::int as n from residences where organisation_id = $1 and caretaker_id is not null', [org.id]);
    expect(left.rows[0].n).toBe(0);
  });

  it('a residence given to its caretaker sends them its pending doorstep visits, and only them; audited with the previous one', async () => {
    // H1 has no phone: the launch makes it a doorstep visit for the caretakers of agency A1.
    const created = await call(admin, 'POST', '/api/campaigns', {
      name: 'Porte-à-porte',
      segment: { status: 'active', agencyId: org.agencyIds[0] },
      script: isolationWatchScript,
      callWindows: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
      callerIds: [],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect((await call(admin, 'POST', `/api/campaigns/${created.json().id}/launch`)).statusCode).toBe(200);
    const pending = async (u: TestUser) => (await call(await signIn(h, u), 'GET', '/api/doorstep?status=pending')).json() as unknown[];
    expect(await pending(otherCaretakerA1)).toHaveLength(1);

    const res = await call(managerA1, 'PUT', `/api/residences/${residence.G1}/caretaker`, { caretakerId: caretakerA1.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(await pending(caretakerA1)).toHaveLength(1);
    expect(await pending(otherCaretakerA1)).toHaveLength(0);
    const listed = (await call(admin, 'GET', '/api/residences')).json().find((r: { erpCode: string }) => r.erpCode === 'G1');
    expect(listed).toMatchObject({ caretakerId: caretakerA1.id, caretakerName: 'Test caretaker', caretakerServing: true });

    // The caretaker moves to another agency: the residence's visits go back to the agency's caretakers at once.
    await h.owner.query('update user_agencies set agency_id = $2 where user_id = $1', [caretakerA1.id, org.agencyIds[1]]);
    expect(await pending(otherCaretakerA1)).toHaveLength(1);
    const stale = (await call(admin, 'GET', '/api/residences')).json().find((r: { erpCode: string }) => r.erpCode === 'G1');
    expect(stale).toMatchObject({ caretakerId: caretakerA1.id, caretakerServing: false });
    await h.owner.query('update user_agencies set agency_id = $2 where user_id = $1', [caretakerA1.id, org.agencyIds[0]]);
    expect(await pending(otherCaretakerA1)).toHaveLength(0);

    // Given to nobody again: back to every caretaker of the agency.
    expect((await call(admin, 'PUT', `/api/residences/${residence.G1}/caretaker`, { caretakerId: null })).statusCode).toBe(200);
    expect(await pending(otherCaretakerA1)).toHaveLength(1);
    const audit = await h.owner.query(
      `select details from audit_events where organisation_id = $1 and action = 'residence.caretaker_set' and object_id = $2 order by at`,
      [org.id, residence.G1],
    );
    expect(audit.rows.map((r) => r.details)).toEqual([
      { from: null, to: caretakerA1.id },
      { from: caretakerA1.id, to: null },
    ]);
  });
});
