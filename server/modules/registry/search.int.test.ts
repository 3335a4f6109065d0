import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { importFile } from './import/import.service.ts';

// Issue 11, point 3: the search box finds what staff type — a first name alone, a street
// without its number, a residence name, a reference — ranked, in scope.
let h: Harness;
let org: TestOrg;
const cookies: Record<string, string> = {};

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
const rows = [
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;B1;P1;Lefèvre;Benoît;03/04/1941;06 12 34 56 78',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L2;B2;P2;Lefebvre;Marie;12/11/1990;07 11 11 11 11',
  'A1;G3;Les Acacias;4 allée des Acacias;94400;Vitry-sur-Seine;L4;B4;P5;Garnier;Geneviève;05/05/1945;06 44 44 44 44',
  // « Hugo » as a surname, a first name, a street and in a residence name; and as a reference.
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L5;B5;P6;Hugo;Victor;01/01/1950;06 55 55 55 55',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L6;B6;P7;Bernard;Hugo;01/01/1960;06 66 66 66 66',
  'A2;G4;Le Parc;8 rue Victor Hugo;94310;Orly;L7;B7;P8;Petit;Jeanne;01/01/1970;06 77 77 77 77',
  'A2;G5;Les Jardins Hugo;3 avenue Pasteur;94310;Orly;L8;B8;P9;Moreau;Paul;01/01/1980;06 88 88 88 88',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L9;HUGO;P10;Roux;Anne;01/01/1990;06 99 99 99 99',
];

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...rows].join('\n'))]), { fileName: 'x.csv' });
  const [a1] = org.agencyIds as [string, string];
  const caretaker = await newUser(h, org, 'caretaker', { agencyIds: [a1] });
  await h.owner.query(`update residences set caretaker_id = $1 where organisation_id = $2 and erp_code = 'G1'`, [caretaker.id, org.id]);
  cookies.caretaker = await signIn(h, caretaker);
  cookies.staff = await signIn(h, await newUser(h, org, 'staff'));
});
afterAll(() => h.close());

const search = (query: string, cookie = cookies.staff as string) =>
  h.app.inject({ method: 'POST', url: '/api/households/search', headers: { cookie }, payload: { query } });
const hitsOf = async (query: string, cookie?: string) => {
  const res = await search(query, cookie);
  expect(res.statusCode).toBe(200);
  return res.json() as { erpRef: string; matched: string }[];
};
const refsOf = async (query: string, cookie?: string) => (await hitsOf(query, cookie)).map((x) => x.erpRef);
const sortedRefsOf = async (query: string, cookie?: string) => (await refsOf(query, cookie)).sort();

describe('the search box finds what staff type (issue 11)', () => {
  it('a first name alone, whatever its accents and case', async () => {
    expect(await refsOf('genevieve')).toEqual(['B4']);
    expect(await refsOf('GENEVIÈVE')).toEqual(['B4']);
    expect((await hitsOf('Geneviève'))[0]?.matched).toBe('first_name');
    expect(await refsOf('Benoit')).toEqual(['B1']);
  });
  it('a street without its number, with or without « rue » and accents', async () => {
    for (const query of ['Jaurès', 'jaures', 'rue Jean Jaurès', 'rue jean jaures', 'Jean Jaurès']) {
      expect(await sortedRefsOf(query), query).toEqual(['B1', 'B2']);
    }
    expect((await hitsOf('rue Jean Jaures'))[0]?.matched).toBe('address');
    // A typo, as the trigram search forgives in names.
    expect(await sortedRefsOf('rue Jean Jaurs')).toEqual(['B1', 'B2']);
    // With its number, as before.
    expect(await sortedRefsOf('12 rue Jean Jaurès')).toEqual(['B1', 'B2']);
  });
  it('a residence name', async () => {
    expect(await sortedRefsOf('Les Tilleuls')).toEqual(['B1', 'B2']);
    expect(await sortedRefsOf('tilleuls')).toEqual(['B1', 'B2']);
    expect((await hitsOf('Les Tilleuls'))[0]?.matched).toBe('residence');
    expect(await sortedRefsOf('cite des roses')).toEqual(['B5', 'B6', 'HUGO']);
  });
  it('a reference (lease, unit)', async () => {
    expect(await refsOf('B4')).toEqual(['B4']);
    expect(await refsOf('L7')).toEqual(['B7']);
  });
  it('ranks reference, then surname, first name, street, residence', async () => {
    const hits = await hitsOf('HUGO');
    expect(hits.map((x) => x.erpRef)).toEqual(['HUGO', 'B5', 'B6', 'B7', 'B8']);
    expect(hits.map((x) => x.matched)).toEqual(['reference', 'name', 'first_name', 'address', 'residence']);
    // A full name first, then the street of the same words; no loose match of a person before it.
    const full = await hitsOf('Victor Hugo');
    expect(full.map((x) => x.erpRef)).toEqual(['B5', 'B7']);
    expect(full.map((x) => x.matched)).toEqual(['name', 'address']);
    // A phone first.
    expect(await refsOf('06 55 55 55 55')).toEqual(['B5']);
  });
  it('a caretaker finds the households of their residences only', async () => {
    expect(await sortedRefsOf('Jaures', cookies.caretaker)).toEqual(['B1', 'B2']);
    expect(await sortedRefsOf('Les Tilleuls', cookies.caretaker)).toEqual(['B1', 'B2']);
    expect(await refsOf('Benoit', cookies.caretaker)).toEqual(['B1']);
    for (const query of ['genevieve', 'Les Acacias', 'allée des Acacias', 'HUGO', 'rue Victor Hugo', 'Cité des Roses', 'B4', '06 44 44 44 44']) {
      expect(await refsOf(query, cookies.caretaker), query).toEqual([]);
    }
  });
});
