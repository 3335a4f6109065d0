// Issue 12, points 3 and 4: what a landlord's real export broke. A bad phone or e-mail sets the
// value aside instead of rejecting the person; a household whose holder line is rejected is
// rejected whole (never imported without its holder, never « lives alone » because its other
// lines were rejected); ERP contacts the ERP dropped or changed are ended, staff ones kept.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../../test/harness.ts';
import { startRegistryWorkers } from '../index.ts';
import { importFile } from './import.service.ts';
import type { LineError } from './validate.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await startRegistryWorkers(h.deps);
});
afterAll(() => h.close());

const HEADER = 'Code groupe;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Qualité;Tél portable;Courriel;Canal préféré';
type Cells = {
  logement: string;
  bail: string;
  occupant: string;
  nom: string;
  prenom: string;
  naissance: string;
  qualite: string;
  mobile: string;
  email: string;
  canal: string;
};
const line = (o: Partial<Cells> = {}) => {
  const d: Cells = {
    logement: 'L1',
    bail: 'B1',
    occupant: 'P1',
    nom: 'MOREL',
    prenom: 'Lucas',
    naissance: '03/04/1941',
    qualite: 'Titulaire',
    mobile: '06 12 34 56 78',
    email: 'lucas.morel@exemple.fr',
    canal: '',
    ...o,
  };
  return ['G1', d.logement, d.bail, d.occupant, d.nom, d.prenom, d.naissance, d.qualite, d.mobile, d.email, d.canal].join(';');
};
const run = (org: TestOrg, lines: string[], options: Partial<Parameters<typeof importFile>[3]> = {}) =>
  importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...lines].join('\r\n'), 'latin1')]), {
    fileName: 'export.csv',
    ...options,
  });
const persons = async (org: TestOrg) =>
  (await h.owner.query('select first_name, household_role from persons where organisation_id = $1 order by first_name', [org.id])).rows;
const contacts = async (org: TestOrg) =>
  (
    await h.owner.query(
      `select p.first_name, c.kind, c.value, c.source, c.ended_at is not null as ended from contact_points c join persons p on p.id = c.person_id
       where c.organisation_id = $1 order by p.first_name, c.kind, c.source, c.ended_at nulls first, c.value`,
      [org.id],
    )
  ).rows;
const livesAlone = async (org: TestOrg, ref: string) =>
  (
    await h.owner.query(
      `select count(*)::int as n from vulnerability_indicators v join households h on h.id = v.household_id where h.organisation_id = $1 and h.erp_ref = $2 and v.kind = 'lives_alone'`,
      [org.id, ref],
    )
  ).rows[0].n as number;

describe('a bad optional value sets the value aside, not the person (issue 12)', () => {
  it('a bad phone, e-mail or channel: the person is imported without it, each reported as a warning in French', async () => {
    const org = await newOrganisation(h);
    const warnings: LineError[] = [];
    const rejected: LineError[] = [];
    const result = await run(
      org,
      [
        line(),
        line({ occupant: 'P2', prenom: 'Emma', qualite: 'Occupant', mobile: '06 12 34', email: 'emma@' }),
        line({ occupant: 'P3', prenom: 'Jade', qualite: 'Occupant', mobile: '', email: '', canal: 'pigeon voyageur' }),
      ],
      { onWarning: (_l, _c, w) => warnings.push(...w), onRejected: (_l, _c, e) => rejected.push(...e) },
    );
    expect(result.applied).toBe(true);
    expect(rejected).toEqual([]);
    expect(result.summary).toMatchObject({ rejected_lines: 0, warning_lines: 2, persons_created: 3 });
    expect(warnings.map((w) => [w.line, w.column, w.value, w.reason])).toEqual([
      [3, 'Courriel', 'emma@', 'adresse e-mail invalide : valeur ignorée, la personne est importée sans elle'],
      [3, 'Tél portable', '06 12 34', 'numéro de téléphone invalide : valeur ignorée, la personne est importée sans elle'],
      [4, 'Canal préféré', 'pigeon voyageur', 'canal inconnu : téléphone, SMS, e-mail ou courrier : valeur ignorée, la personne est importée sans elle'],
    ]);
    expect((await persons(org)).map((p) => p.first_name)).toEqual(['Emma', 'Jade', 'Lucas']);
    expect((await contacts(org)).map((c) => c.first_name)).toEqual(['Lucas', 'Lucas']);
  });

  it('a required value or a bad birth date still rejects the line', async () => {
    const org = await newOrganisation(h);
    const rejected: LineError[] = [];
    const result = await run(org, [line(), line({ occupant: 'P2', prenom: 'Emma', qualite: 'Occupant', naissance: '31/02/1950' })], {
      validOnly: true,
      onRejected: (_l, _c, e) => rejected.push(...e),
    });
    expect(rejected.map((e) => e.reason)).toEqual(["cette date n'existe pas"]);
    expect(result.summary.rejected_lines).toBe(1);
  });

  it('the web report lists the values set aside, apart from the rejected lines', async () => {
    const org = await newOrganisation(h);
    const admin = await newUser(h, org, 'org_admin');
    const cookie = await signIn(h, admin);
    const csv = [
      HEADER,
      line(),
      line({ occupant: 'P2', prenom: 'Emma', qualite: 'Occupant', mobile: '06 12 34' }),
      line({ bail: 'B2', logement: 'L2', nom: '' }),
    ].join('\r\n');
    const boundary = 'lienboundary';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    const upload = await h.app.inject({
      method: 'POST',
      url: '/api/imports',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(upload.statusCode).toBe(201);
    const staged = upload.json().run;
    const mapping = staged.mapping;
    const started = await h.app.inject({
      method: 'POST',
      url: `/api/imports/${staged.id}/validate`,
      headers: { cookie },
      payload: { mapping, fullExport: false },
    });
    expect(started.statusCode).toBe(202);
    let status = '';
    for (let i = 0; i < 200 && status !== 'previewed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await h.app.inject({ method: 'GET', url: `/api/imports/${staged.id}`, headers: { cookie } })).json().status;
    }
    expect(status).toBe('previewed');
    const report = (await h.app.inject({ method: 'GET', url: `/api/imports/${staged.id}/rejected`, headers: { cookie } })).json();
    expect(report).toEqual([
      {
        line: 3,
        errors: [],
        warnings: [{ column: 'Tél portable', value: '06 12 34', reason: 'numéro de téléphone invalide : valeur ignorée, la personne est importée sans elle' }],
      },
      { line: 4, errors: [{ column: 'Nom', value: '', reason: 'valeur obligatoire manquante' }] },
    ]);
    const file = await h.app.inject({ method: 'GET', url: `/api/imports/${staged.id}/rejected.csv`, headers: { cookie } });
    expect(file.body).toContain('Ligne importée — Tél portable : numéro de téléphone invalide');
  });

  it('an unreadable new value in a full export keeps the ERP contact already known', async () => {
    const org = await newOrganisation(h);
    await run(org, [line()]);
    await run(org, [line({ mobile: '06 12', email: 'plus-un-email' })], { fullExport: true });
    expect(await contacts(org)).toEqual([
      { first_name: 'Lucas', kind: 'email', value: 'lucas.morel@exemple.fr', source: 'erp_import', ended: false },
      { first_name: 'Lucas', kind: 'mobile', value: '+33612345678', source: 'erp_import', ended: false },
    ]);
  });
});

describe('a household whose holder line is rejected (issue 12)', () => {
  const family = [
    line({ naissance: '12/05/56' }),
    line({ occupant: 'P2', prenom: 'Emma', qualite: 'Cotitulaire' }),
    line({ occupant: 'P3', prenom: 'Jade', qualite: 'Occupant' }),
    line({ bail: 'B2', logement: 'L2', occupant: 'Q1', nom: 'MEREL', prenom: 'Paul' }),
  ];

  it('is rejected whole, each of its other lines saying why in French; the other households are imported', async () => {
    const org = await newOrganisation(h);
    // Every rejection is in the result, those found after reading (the holder rule) included.
    const result = await run(org, family, { validOnly: true });
    expect(result.summary).toMatchObject({ rejected_lines: 3, households_created: 1, persons_created: 1 });
    expect(result.rejected.map((r) => [r.line, r.errors[0]?.reason])).toEqual([
      [2, 'année sur deux chiffres : ambiguë, écrivez JJ/MM/AAAA'],
      [3, 'ménage non importé : la ligne de son titulaire (ligne 2) est rejetée ; corrigez-la pour importer tout le ménage'],
      [4, 'ménage non importé : la ligne de son titulaire (ligne 2) est rejetée ; corrigez-la pour importer tout le ménage'],
    ]);
    expect((await persons(org)).map((p) => p.first_name)).toEqual(['Paul']);
  });

  it('an existing household stays as it was, and is not taken for one that left the file', async () => {
    const org = await newOrganisation(h);
    await run(org, [line(), line({ occupant: 'P2', prenom: 'Emma', qualite: 'Cotitulaire' }), family[3] as string]);
    const result = await run(
      org,
      [line({ naissance: '12/05/56', prenom: 'Luc' }), line({ occupant: 'P2', prenom: 'Emmy', qualite: 'Cotitulaire' }), family[3] as string],
      {
        validOnly: true,
        fullExport: true,
      },
    );
    expect(result.summary).toMatchObject({ rejected_lines: 2, households_missing: 0 });
    expect((await persons(org)).map((p) => p.first_name)).toEqual(['Emma', 'Lucas', 'Paul']);
    const missing = await h.owner.query(`select count(*)::int as n from households where organisation_id = $1 and missing_since is not null`, [org.id]);
    expect(missing.rows[0].n).toBe(0);
  });

  it('a household whose other lines are rejected is imported with its holder but not flagged as living alone', async () => {
    const org = await newOrganisation(h);
    const result = await run(org, [line(), line({ occupant: 'P2', prenom: '', qualite: 'Occupant' }), family[3] as string], { validOnly: true });
    expect(result.summary).toMatchObject({ rejected_lines: 1, households_created: 2 });
    expect(await livesAlone(org, 'B1')).toBe(0);
    expect(await livesAlone(org, 'B2')).toBe(1);
  });
});

describe('contacts the ERP dropped (issue 12)', () => {
  it('a full export ends the ERP contacts it no longer has (kept as history), keeps staff ones, and the file says which value is newer', async () => {
    const org = await newOrganisation(h);
    await run(org, [line(), line({ occupant: 'P2', prenom: 'Emma', qualite: 'Cotitulaire', mobile: '07 11 11 11 11', email: 'emma@exemple.fr' })]);
    const household = (await h.owner.query(`select id from households where organisation_id = $1`, [org.id])).rows[0].id;
    const cookie = await signIn(h, await newUser(h, org, 'staff'));
    const before = (await h.app.inject({ method: 'GET', url: `/api/households/${household}`, headers: { cookie } })).json();
    const lucas = before.persons.find((p: { firstName: string }) => p.firstName === 'Lucas');
    // Staff enter another mobile for Lucas; the ERP's stays (two sources).
    const put = await h.app.inject({
      method: 'PUT',
      url: `/api/households/${household}/contacts`,
      headers: { cookie },
      payload: { personId: lucas.id, kind: 'mobile', value: '06 99 99 99 99' },
    });
    expect(put.statusCode).toBe(200);

    // A month later: Lucas's e-mail is gone, Emma's mobile changed, Emma's e-mail unchanged.
    const result = await run(
      org,
      [line({ email: '' }), line({ occupant: 'P2', prenom: 'Emma', qualite: 'Cotitulaire', mobile: '07 22 22 22 22', email: 'emma@exemple.fr' })],
      { fullExport: true },
    );
    expect(result.applied).toBe(true);
    expect(await contacts(org)).toEqual([
      { first_name: 'Emma', kind: 'email', value: 'emma@exemple.fr', source: 'erp_import', ended: false },
      { first_name: 'Emma', kind: 'mobile', value: '+33722222222', source: 'erp_import', ended: false },
      { first_name: 'Emma', kind: 'mobile', value: '+33711111111', source: 'erp_import', ended: true },
      { first_name: 'Lucas', kind: 'email', value: 'lucas.morel@exemple.fr', source: 'erp_import', ended: true },
      { first_name: 'Lucas', kind: 'mobile', value: '+33612345678', source: 'erp_import', ended: false },
      { first_name: 'Lucas', kind: 'mobile', value: '+33699999999', source: 'staff', ended: false },
    ]);

    // The file shows current contacts only, and which of the staff and ERP mobiles is newer.
    const after = (await h.app.inject({ method: 'GET', url: `/api/households/${household}`, headers: { cookie } })).json();
    const shown = (name: string) =>
      after.persons
        .find((p: { firstName: string }) => p.firstName === name)
        .contacts.map((c: { kind: string; value: string; source: string; newer?: boolean; since?: string }) => [
          c.kind,
          c.value,
          c.source,
          c.newer,
          typeof c.since,
        ]);
    expect(shown('Emma')).toEqual([
      ['email', 'emma@exemple.fr', 'erp_import', undefined, 'string'],
      ['mobile', '+33722222222', 'erp_import', undefined, 'string'],
    ]);
    expect(shown('Lucas')).toEqual([
      ['mobile', '+33699999999', 'staff', true, 'string'],
      ['mobile', '+33612345678', 'erp_import', false, 'string'],
    ]);

    // The same export again changes nothing; the ended e-mail comes back as a new current contact if the ERP has it again.
    const again = await run(
      org,
      [line({ email: '' }), line({ occupant: 'P2', prenom: 'Emma', qualite: 'Cotitulaire', mobile: '07 22 22 22 22', email: 'emma@exemple.fr' })],
      { fullExport: true },
    );
    expect(again.summary.applied).toMatchObject({ contacts: 0, contacts_ended: 0 });
    await run(org, [line(), line({ occupant: 'P2', prenom: 'Emma', qualite: 'Cotitulaire', mobile: '07 22 22 22 22', email: 'emma@exemple.fr' })], {
      fullExport: true,
    });
    const lucasEmails = (await contacts(org)).filter((c) => c.first_name === 'Lucas' && c.kind === 'email');
    expect(lucasEmails.map((c) => c.ended)).toEqual([false, true]);
  });

  it('an export that is not full keeps the ERP contacts it does not list', async () => {
    const org = await newOrganisation(h);
    await run(org, [line()]);
    await run(org, [line({ email: '', mobile: '' })]);
    expect((await contacts(org)).map((c) => [c.kind, c.ended])).toEqual([
      ['email', false],
      ['mobile', false],
    ]);
  });
});
