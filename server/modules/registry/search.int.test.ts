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

/** People living at Les Tilleuls (« N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable »), imported into an organisation. */
const importPeople = (organisationId: string, lines: string[]) =>
  importFile(
    h.deps,
    { organisationId },
    Readable.from([Buffer.from([HEADER, ...lines.map((p) => `A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;${p}`)].join('\n'))]),
    { fileName: 'y.csv', confirmLarge: true },
  );
/** The references of the households a search returns to the user of `cookie`, best first. */
const searchRefs = async (cookie: string, query: string) => {
  const res = await h.app.inject({ method: 'POST', url: '/api/households/search', headers: { cookie }, payload: { query } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { erpRef: string }[]).map((x) => x.erpRef);
};

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

// Issue 12: queries of the kinds staff type from a missed-call list or a letter — accents
// dropped, a typo in the surname, surname first, a phone in another format or only its end.
describe('the search box finds by the digits and names staff have (issue 12)', () => {
  let other: TestOrg;
  let cookie: string;
  const people = [
    'L11;C1;Q1;Morel;Lucas;01/01/1980;06 10 00 00 01',
    'L12;C2;Q2;Morel;Lucas;02/01/1981;06 10 00 00 02',
    'L13;C3;Q3;Morel;Lucas;03/01/1982;06 10 00 00 03',
    'L14;C4;Q4;Merel;Lucas;04/01/1983;06 10 00 00 04',
    'L15;C5;Q5;Merel;Jean;05/01/1984;06 10 00 00 05',
    'L16;C6;Q6;Dupont;Lucas;06/01/1985;06 10 00 00 06',
    'L17;C7;Q7;Lefèvre;Benoît;03/04/1941;06 12 34 56 78',
    'L18;C8;Q8;Le Gall;Yann;08/01/1950;01 43 21 98 76',
    'L19;C9;Q9;Saint-Martin;Jean-Pierre;09/01/1950;07 98 76 54 32',
    'L20;C10;Q10;Blanc;Rose;10/01/1950;07 77 06 10 00',
  ];
  const otherSearch = (query: string) => searchRefs(cookie, query);
  const importRows = (lines: string[]) => importPeople(other.id, lines);

  beforeAll(async () => {
    other = await newOrganisation(h);
    await importRows(people);
    cookie = await signIn(h, await newUser(h, other, 'staff'));
  });

  it('a typo in the surname: the nearest surname first, people merely called Lucas not at all', async () => {
    for (const query of ['Lucas MREEL', 'MREEL Lucas', 'lucas mreel']) {
      const refs = await otherSearch(query);
      expect(refs[0], query).toBe('C4');
      expect(refs.slice(1, 4).sort(), query).toEqual(['C1', 'C2', 'C3']);
      expect(refs, query).not.toContain('C6');
    }
    // The exact full name first; an exact surname with another first name still comes.
    const exact = await otherSearch('Lucas Merel');
    expect(exact[0]).toBe('C4');
    expect(exact).toContain('C5');
    expect(exact).not.toContain('C6');
  });
  it('accents dropped, surname first, compound names', async () => {
    expect((await otherSearch('lefevre benoit'))[0]).toBe('C7');
    expect((await otherSearch('LEFEBVRE Benoit'))[0]).toBe('C7');
    expect((await otherSearch('Yann Le Gall'))[0]).toBe('C8');
    expect((await otherSearch('le gall'))[0]).toBe('C8');
    expect((await otherSearch('saint martin jean pierre'))[0]).toBe('C9');
  });
  it('a phone in another format, or only its last digits', async () => {
    for (const query of ['+33 6 12 34 56 78', '0033612345678', '06.12.34.56.78', '6 12 34 56 78', '345678', '34 56 78', '5678', '21 98 76']) {
      const hits = await otherSearch(query);
      expect(hits[0], query).toBe(query === '21 98 76' ? 'C8' : 'C7');
    }
    // An end that looks like the start of a French number in E.164 (33 6…) is still an end.
    expect(await otherSearch('33 61 00')).toEqual([]);
    expect((await otherSearch('10 00 00 06'))[0]).toBe('C6');
    // « 06 10 00 » ends C10's number and starts C1–C6's: the end first.
    const both = await otherSearch('06 10 00');
    expect(both[0]).toBe('C10');
    expect(both.slice(1).sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
    // Fewer than 4 digits, or digits inside a reference, are no phone end.
    expect(await otherSearch('678')).toEqual([]);
    expect(await otherSearch('X345678')).toEqual([]);
  });
  it('a phone end finds only households in scope', async () => {
    expect(await refsOf('345678', cookies.caretaker)).toEqual(['B1']);
    expect(await refsOf('44 44 44', cookies.caretaker)).toEqual([]);
    expect(await refsOf('44 44 44')).toEqual(['B4']);
  });
  it('keeps one row per distinct name, and finds a person renamed by a later import', async () => {
    const { rows } = await h.owner.query(`select kind, count(*)::int as n from person_names where organisation_id = $1 group by kind order by kind`, [
      other.id,
    ]);
    // 6 first names (Lucas, Jean, Benoît, Yann, Jean-Pierre, Rose), 7 surnames, for 10 persons.
    expect(rows).toEqual([
      { kind: 'first', n: 6 },
      { kind: 'last', n: 7 },
    ]);
    expect(await otherSearch('Fontaine')).toEqual([]);
    await importRows([...people.slice(0, 5), 'L16;C6;Q6;Fontaine;Lucas;06/01/1985;06 10 00 00 06', ...people.slice(6)]);
    expect(await otherSearch('Fontaine')).toEqual(['C6']);
    expect(await otherSearch('Lucas Fontaine')).toEqual(['C6']);
    // Names are the organisation's own: the first organisation does not find them.
    expect(await refsOf('Fontaine')).toEqual([]);
  });
  it('a phone end finds current contacts only: a number the ERP changed no longer leads to the household', async () => {
    expect(await otherSearch('77 06 10 00')).toEqual(['C10']);
    await importRows([...people.slice(0, 9), 'L20;C10;Q10;Blanc;Rose;10/01/1950;07 11 22 33 44']);
    expect(await otherSearch('77 06 10 00')).toEqual([]);
    expect(await otherSearch('11 22 33 44')).toEqual(['C10']);
  });
});

// Names that read both ways (Michel BERNARD and Bernard MICHEL): the words typed in capitals are
// the surname, as French usage writes it; in lower case, the spoken order « prénom nom ».
describe('the surname typed in capitals (issue 12)', () => {
  let crossed: TestOrg;
  let cookie: string;
  const people = [
    'L31;C31;Q31;Martin;Michel;01/01/1950;06 20 00 00 01',
    'L32;C32;Q32;Michel;Martine;01/01/1951;06 20 00 00 02',
    'L33;C33;Q33;Bernard;Michel;01/01/1952;06 20 00 00 03',
    'L34;C34;Q34;Michel;Bernard;01/01/1953;06 20 00 00 04',
    'L35;C35;Q35;Bernard;Lucas;01/01/1954;06 20 00 00 05',
    'L36;C36;Q36;Lucas;Bernard;01/01/1955;06 20 00 00 06',
  ];
  const crossedSearch = (query: string) => searchRefs(cookie, query);
  beforeAll(async () => {
    crossed = await newOrganisation(h);
    await importPeople(crossed.id, people);
    cookie = await signIn(h, await newUser(h, crossed, 'staff'));
  });

  it('a typo in the surname typed in capitals beats an exact surname read from the first name', async () => {
    // Martine MICHEL has an exact surname and a first name two letters from « MARTN ».
    expect((await crossedSearch('Michel MARTN'))[0]).toBe('C31');
    expect((await crossedSearch('MARTN Michel'))[0]).toBe('C31');
  });
  it('the words in capitals are the surname, in either order', async () => {
    expect((await crossedSearch('BERNARD Michel')).slice(0, 2)).toEqual(['C33', 'C34']);
    expect((await crossedSearch('Michel BERNARD')).slice(0, 2)).toEqual(['C33', 'C34']);
    expect((await crossedSearch('MICHEL Bernard')).slice(0, 2)).toEqual(['C34', 'C33']);
  });
  it('in lower case, or all in capitals, the spoken order « prénom nom » breaks the tie', async () => {
    expect((await crossedSearch('lucas bernard')).slice(0, 2)).toEqual(['C35', 'C36']);
    expect((await crossedSearch('bernard lucas')).slice(0, 2)).toEqual(['C36', 'C35']);
    expect((await crossedSearch('LUCAS BERNARD')).slice(0, 2)).toEqual(['C35', 'C36']);
  });
});
