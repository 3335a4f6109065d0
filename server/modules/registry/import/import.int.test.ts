import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../../test/harness.ts';
import { erpExportCsv } from '../../demo/index.ts';
import { restrictHousehold } from '../registry.repository.ts';
import { importFile } from './import.service.ts';
import { inspectXlsx } from './xlsx-guard.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const HEADER =
  'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;Date de sortie;N° occupant;Civilité;Nom;Prénom;Date de naissance;Qualité;Tél portable;Courriel;Solde;PMR';
const line = (o: Partial<Record<string, string>> = {}) => {
  const d: Record<string, string> = {
    agence: 'NORD',
    groupe: 'G1',
    nomGroupe: 'Les Tilleuls',
    adresse: '12 rue Jean Jaurès',
    cp: '94400',
    ville: 'Vitry-sur-Seine',
    logement: 'L1',
    bail: 'B1',
    sortie: '',
    occupant: 'P1',
    civ: 'Mme',
    nom: 'Lefèvre',
    prenom: 'Hélène',
    naissance: '03/04/1941',
    qualite: 'Titulaire',
    mobile: '06 12 34 56 78',
    email: '',
    solde: '0,00',
    pmr: 'Non',
    ...o,
  };
  return [
    d.agence,
    d.groupe,
    d.nomGroupe,
    d.adresse,
    d.cp,
    d.ville,
    d.logement,
    d.bail,
    d.sortie,
    d.occupant,
    d.civ,
    d.nom,
    d.prenom,
    d.naissance,
    d.qualite,
    d.mobile,
    d.email,
    d.solde,
    d.pmr,
  ].join(';');
};
const run = (org: TestOrg, content: string | Buffer, options: Parameters<typeof importFile>[3] = { fileName: 'export.csv' }) =>
  importFile(h.deps, { organisationId: org.id }, Readable.from([typeof content === 'string' ? Buffer.from(content) : content]), options);
const count = async (org: TestOrg, table: string, where = 'true') =>
  (await h.owner.query(`select count(*)::int as n from ${table} where organisation_id = $1 and ${where}`, [org.id])).rows[0].n as number;

describe('reading real-world exports (IN-03)', () => {
  it('Windows-1252, `;`, French headers, stray spaces, empty lines: it just works', async () => {
    const org = await newOrganisation(h);
    const text = `${HEADER}\r\n${line()}\r\n\r\n${line({ occupant: 'P2', nom: '  Lefèvre ', prenom: 'Benoît', naissance: '12/11/1939', qualite: 'Cotitulaire', mobile: '' })}\r\n;;;;;;;;;;;;;;;;;;\r\n`;
    const result = await run(org, Buffer.from(text, 'latin1'));
    expect(result.dialect).toEqual({ format: 'csv', encoding: 'windows-1252', delimiter: ';' });
    expect(result.applied).toBe(true);
    const persons = await h.owner.query(
      'select first_name, last_name, birth_date::text, household_role from persons where organisation_id = $1 order by first_name',
      [org.id],
    );
    expect(persons.rows).toEqual([
      { first_name: 'Benoît', last_name: 'Lefèvre', birth_date: '1939-11-12', household_role: 'co_holder' },
      { first_name: 'Hélène', last_name: 'Lefèvre', birth_date: '1941-04-03', household_role: 'holder' },
    ]);
    const phone = await h.owner.query(`select value from contact_points where organisation_id = $1 and kind = 'mobile'`, [org.id]);
    expect(phone.rows).toEqual([{ value: '+33612345678' }]);
    expect(await count(org, 'households')).toBe(1);
  });

  it('a preferred channel column is read (« SMS », « courrier »…); an unknown channel is set aside and reported', async () => {
    const org = await newOrganisation(h);
    const text = `${HEADER};Canal préféré\n${line()};SMS\n${line({ occupant: 'P2', prenom: 'Benoît', naissance: '12/11/1939' })};pigeon voyageur\n`;
    const warnings: { line: number; column: string; value: string; reason: string }[] = [];
    await run(org, text, { fileName: 'export.csv', validOnly: true, onWarning: (_l, _c, w) => warnings.push(...w) });
    expect(warnings).toEqual([
      {
        line: 3,
        column: 'Canal préféré',
        value: 'pigeon voyageur',
        reason: 'canal inconnu : téléphone, SMS, e-mail ou courrier : valeur ignorée, la personne est importée sans elle',
        field: 'preferred_channel',
      },
    ]);
    const persons = await h.owner.query('select first_name, preferred_channel from persons where organisation_id = $1 order by first_name', [org.id]);
    expect(persons.rows).toEqual([
      { first_name: 'Benoît', preferred_channel: null },
      { first_name: 'Hélène', preferred_channel: 'sms' },
    ]);
  });

  it('UTF-8 with BOM, `,` separator and a quoted address with a newline and a comma', async () => {
    const org = await newOrganisation(h);
    const header = HEADER.replace(/;/g, ',');
    const l = line({ adresse: '"Bâtiment B,\nescalier 2"', solde: '12.50' }).replace(/;/g, ',');
    const result = await run(org, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}\n${l}\n`, 'utf8')]));
    expect(result.dialect).toEqual({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    const r = await h.owner.query('select address, postal_code from residences where organisation_id = $1', [org.id]);
    expect(r.rows).toEqual([{ address: 'Bâtiment B,\nescalier 2', postal_code: '94400' }]);
  });

  it('an XLSX export', async () => {
    const org = await newOrganisation(h);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Export');
    ws.addRow(HEADER.split(';'));
    const cells = line().split(';') as (string | Date | number)[];
    cells[13] = new Date(Date.UTC(1941, 3, 3));
    cells[4] = 1000; // a postcode stored as a number lost its leading zero
    ws.addRow(cells);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await run(org, buffer, { fileName: 'export.xlsx' });
    expect(result.dialect.format).toBe('xlsx');
    expect(result.applied).toBe(true);
    const p = await h.owner.query('select birth_date::text from persons where organisation_id = $1', [org.id]);
    expect(p.rows).toEqual([{ birth_date: '1941-04-03' }]);
    expect((await h.owner.query('select postal_code from residences where organisation_id = $1', [org.id])).rows[0].postal_code).toBe('01000');
  });

  it('refuses an XLSX zip bomb in about a second, before inflating it', async () => {
    const org = await newOrganisation(h);
    const { createDeflateRaw } = await import('node:zlib');
    const { crc32 } = await import('node:zlib');
    // A zip whose single entry declares 300 MB of zeros, compressed to a few hundred KB.
    const zeros = Buffer.alloc(300 * 1024 * 1024);
    const compressed: Buffer = await new Promise((resolve) => {
      const chunks: Buffer[] = [];
      const d = createDeflateRaw({ level: 9 });
      d.on('data', (c) => chunks.push(c));
      d.on('end', () => resolve(Buffer.concat(chunks)));
      d.end(zeros);
    });
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const crc = crc32(zeros);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(zeros.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(zeros.length, 24);
    central.writeUInt16LE(name.length, 28);
    const localSize = local.length + name.length + compressed.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(localSize, 16);
    const bomb = Buffer.concat([local, name, compressed, central, name, end]);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    // Refused from the zip's directory alone (its declared sizes), before a byte is inflated: no clock needed to know it.
    await expect(inspectXlsx(bomb)).rejects.toThrow(/bombe de décompression/);
    await expect(run(org, bomb, { fileName: 'bombe.xlsx' })).rejects.toThrow(/bombe de décompression/);
  });

  it('refuses an XLSX whose parts lie about their sizes, counting the bytes really inflated, with bounded disk use', async () => {
    const org = await newOrganisation(h);
    const { constants, deflateRawSync } = await import('node:zlib');
    const { readdir, stat } = await import('node:fs/promises');
    // One deflate block of 1 MB of zeros, not final: repeated 1,024 times it inflates to 1 GB
    // from about 1 MB. Both zip headers declare 1,000 bytes (a ratio under 1: nothing to see in
    // the central directory).
    const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
    const compressed = Buffer.concat([...Array.from({ length: 1024 }, () => block), Buffer.from([0x03, 0x00])]);
    const declared = 1000;
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(local.length + name.length + compressed.length, 16);
    const liar = Buffer.concat([local, name, compressed, central, name, end]);
    expect(liar.length).toBeLessThan(2 * 1024 * 1024);
    // Temporary files go to a folder of this test (the parser runs in a worker, which copies the
    // environment when it starts); its size is sampled while the file is read.
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'lien-xlsx-tmp-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const sizeOf = async (dir: string): Promise<number> => {
      let total = 0;
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const p = path.join(dir, e.name);
        total += e.isDirectory()
          ? await sizeOf(p)
          : await stat(p).then(
              (s) => s.size,
              () => 0,
            );
      }
      return total;
    };
    let maxDisk = 0;
    const sampler = setInterval(() => void sizeOf(tmp).then((n) => (maxDisk = Math.max(maxDisk, n))), 50);
    try {
      await expect(run(org, liar, { fileName: 'menteur.xlsx' })).rejects.toThrow(/tailles fausses.*Rien n’a été importé/);
    } finally {
      clearInterval(sampler);
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    maxDisk = Math.max(maxDisk, await sizeOf(tmp));
    expect(maxDisk).toBeLessThan(1024 * 1024);
    expect(await count(org, 'households')).toBe(0);
    expect((await h.owner.query('select count(*)::int as n from imports where organisation_id = $1 and status = $2', [org.id, 'applied'])).rows[0].n).toBe(0);
  });

  it('10 MB of garbage gets a clear French error and writes nothing', async () => {
    const org = await newOrganisation(h);
    const garbage = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    await expect(run(org, garbage, { fileName: 'n-importe-quoi.csv' })).rejects.toThrow(/ni un CSV ni un XLSX/);
    expect(await count(org, 'households')).toBe(0);
  });

  it('an unclosed quote gets a French error with the line, and writes nothing', async () => {
    const org = await newOrganisation(h);
    await expect(run(org, `${HEADER}\n${line()}\n${line({ adresse: '"12 rue sans fin' })}\n`)).rejects.toThrow(/mal formé vers la ligne \d+/);
    expect(await count(org, 'households')).toBe(0);
  });

  it('a file without the required columns is refused, naming them', async () => {
    const org = await newOrganisation(h);
    await expect(run(org, 'Nom;Prénom\nDupont;Jean\n')).rejects.toThrow(
      /Colonnes obligatoires introuvables : Code groupe \/ résidence, Référence logement, Référence bail/,
    );
  });
});

describe('line-level validation report (IN-04)', () => {
  const bad = [
    line({ logement: 'L2', bail: 'B2', occupant: 'X1', naissance: '31/02/1950' }),
    line({ logement: 'L3', bail: 'B3', occupant: 'X2', naissance: '03/04/41' }),
    line({ logement: 'L4', bail: 'B4', occupant: 'X3', mobile: '06 12 34' }),
    line({ logement: 'L5', bail: 'B5', occupant: 'X4', email: 'pas-un-email' }),
    line({ logement: 'L6', bail: 'B6', occupant: 'X5', cp: '944' }),
    line({ logement: 'L7', bail: 'B7', occupant: 'X6', nom: '' }),
    line({ logement: 'L8', bail: 'B8', occupant: 'X7', solde: 'douze euros' }),
    line({ logement: 'L9', bail: 'B9', occupant: 'X8', pmr: 'peut-être' }),
    line({ logement: 'L10', bail: 'B10', occupant: 'X9', civ: 'Dr' }),
    line({ logement: 'L11', bail: 'B11', occupant: 'X10', naissance: '01/01/2090' }),
  ];
  const file = [HEADER, line(), ...bad, line({ logement: 'L12', bail: 'B12', occupant: 'OK2', nom: 'Martin' })].join('\n');

  it('reports exactly the bad lines with column, value and a French reason; nothing is written by default', async () => {
    const org = await newOrganisation(h);
    const rejected: { line: number; column: string; value: string; reason: string }[] = [];
    const result = await run(org, file, { fileName: 'x.csv', onRejected: (_l, _c, errors) => rejected.push(...errors) });
    expect(result.applied).toBe(false);
    // A bad phone (line 5) or e-mail (line 6) sets the value aside: those lines are not rejected (issue 12).
    expect(result.summary.rejected_lines).toBe(8);
    expect(result.summary.warning_lines).toBe(2);
    expect(result.summary.lines).toBe(12);
    expect(rejected.map((e) => e.line)).toEqual([3, 4, 7, 8, 9, 10, 11, 12]);
    expect(rejected.map((e) => e.reason)).toEqual([
      "cette date n'existe pas",
      'année sur deux chiffres : ambiguë, écrivez JJ/MM/AAAA',
      'code postal à 5 chiffres attendu',
      'valeur obligatoire manquante',
      'montant illisible (exemple attendu : 1 234,56)',
      'oui ou non attendu',
      'civilité attendue : M. ou Mme',
      'date de naissance dans le futur',
    ]);
    expect(await count(org, 'households')).toBe(0);
    expect(await count(org, 'import_lines')).toBe(0);
  });

  it('with --valid-only, writes the valid lines and keeps the rest aside', async () => {
    const org = await newOrganisation(h);
    const result = await run(org, file, { fileName: 'x.csv', validOnly: true });
    expect(result.applied).toBe(true);
    expect(await count(org, 'households')).toBe(4);
  });

  it('a dry run reports counts and writes nothing', async () => {
    const org = await newOrganisation(h);
    const result = await run(org, [HEADER, line(), line({ logement: 'L2', bail: 'B2', occupant: 'P9', nom: 'Martin' })].join('\n'), {
      fileName: 'x.csv',
      dryRun: true,
    });
    expect(result.summary).toMatchObject({ lines: 2, rejected_lines: 0, households_created: 2, persons_created: 2 });
    expect(await count(org, 'households')).toBe(0);
  });

  it('a person twice in the same household is rejected as a duplicate ERP id', async () => {
    const org = await newOrganisation(h);
    const result = await run(org, [HEADER, line(), line({ prenom: 'Autre' })].join('\n'), { fileName: 'x.csv', validOnly: true });
    expect(result.summary.rejected_lines).toBe(1);
    expect(await count(org, 'persons')).toBe(1);
  });
});

describe('idempotent re-import (IN-05)', () => {
  it('the same export twice changes nothing; one changed balance updates one household and writes history', async () => {
    const org = await newOrganisation(h);
    const csv = [...erpExportCsv(300, 9)].join('');
    await run(org, csv);
    // Every new household's balance went to the history once, with its value.
    const firsts = (
      await h.owner.query(
        `select (select count(*) from households where organisation_id = $1 and balance_cents is not null)::int as with_balance,
           count(b.id)::int as history, (count(b.id) filter (where b.balance_cents = hh.balance_cents))::int as same
         from households hh left join household_balances b on b.household_id = hh.id where hh.organisation_id = $1`,
        [org.id],
      )
    ).rows[0];
    expect(firsts.with_balance).toBeGreaterThan(0);
    expect(firsts).toEqual({ with_balance: firsts.with_balance, history: firsts.with_balance, same: firsts.with_balance });
    const snapshot = async () =>
      (
        await h.owner.query(
          `select md5(string_agg(t::text, ',' order by t::text)) as h from (
      select erp_ref, status, balance_cents, updated_at from households where organisation_id = $1 union all
      select person_key, first_name || last_name, null, updated_at from persons where organisation_id = $1) t`,
          [org.id],
        )
      ).rows[0].h;
    const before = await snapshot();
    const households = await count(org, 'households');
    const again = await run(org, csv);
    expect(again.summary).toMatchObject({ households_created: 0, households_updated: 0, persons_created: 0, persons_updated: 0 });
    expect(await snapshot()).toBe(before);
    expect(await count(org, 'households')).toBe(households);
    const history = await count(org, 'household_balances');
    // One balance changes.
    const lines = csv.split('\r\n');
    const target = lines.findIndex((l) => l.includes('BAIL0000002;'));
    const cells = (lines[target] as string).split(';');
    cells[cells.length - 1] = '123,45';
    lines[target] = cells.join(';');
    const changed = await run(org, lines.join('\r\n'), { fileName: 'x.csv', confirmLarge: false });
    expect(changed.summary).toMatchObject({ households_updated: 1, balances_changed: 1, households_created: 0 });
    expect(await count(org, 'household_balances')).toBe(history + 1);
    expect(
      (await h.owner.query(`select balance_cents::int from households where organisation_id = $1 and erp_ref = 'BAIL0000002'`, [org.id])).rows[0].balance_cents,
    ).toBe(12345);
  });

  it('imports of one organisation apply one at a time: two of the same file at once both apply, the second writing nothing', async () => {
    // The first writes with plain inserts (nothing is there yet): were both to take that path at
    // once, the second would fail on the unique keys. An import waits for the organisation's apply
    // lock: held here, nothing is written until it is released.
    const org = await newOrganisation(h);
    const csv = [...erpExportCsv(200, 11)].join('');
    const holder = await h.owner.connect();
    type Result = Awaited<ReturnType<typeof run>>;
    let both: Promise<[Result, Result]>;
    try {
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtextextended('lien-import-apply:' || $1::text, 0))`, [org.id]);
      both = Promise.all([run(org, csv), run(org, csv)]);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await count(org, 'households')).toBe(0);
    } finally {
      await holder.query('rollback');
      holder.release();
    }
    const [a, b] = await both;
    expect([a.applied, b.applied]).toEqual([true, true]);
    expect([a.summary.applied?.households_created, b.summary.applied?.households_created].sort()).toEqual([0, 200]);
    expect([a.summary.applied?.persons_created, b.summary.applied?.persons_created].sort((x = 0, y = 0) => x - y)).toEqual([0, a.summary.file_persons]);
    expect(await count(org, 'households')).toBe(200);
    expect(await count(org, 'leases')).toBe(200);
    expect(await count(org, 'persons')).toBe(a.summary.file_persons);
  });

  it('an import that changes more than 5 % of the households waits for an explicit confirmation (IN-06)', async () => {
    const org = await newOrganisation(h);
    await run(org, [HEADER, line(), line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'Martin' })].join('\n'));
    const changed = [HEADER, line({ solde: '99,00' }), line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'Martin' })].join('\n');
    const refused = await run(org, changed);
    expect(refused).toMatchObject({ applied: false, largeDiff: true });
    expect((await h.owner.query(`select balance_cents from households where organisation_id = $1 and erp_ref = 'B1'`, [org.id])).rows[0].balance_cents).toBe(0);
    expect((await run(org, changed, { fileName: 'x.csv', confirmLarge: true })).applied).toBe(true);
  });

  it('keeps what was entered in Lien, and marks households that left or vanished instead of deleting them', async () => {
    const org = await newOrganisation(h);
    await run(org, [HEADER, line(), line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'Martin' })].join('\n'));
    const hh = (await h.owner.query(`select id from households where organisation_id = $1 and erp_ref = 'B1'`, [org.id])).rows[0].id;
    await h.database.withOrg({ organisationId: org.id }, (trx) =>
      trx.insertInto('objections').values({ organisation_id: org.id, household_id: hh, kind: 'no_call' }).execute(),
    );
    // Next export: B1's lease has ended, B2 is gone (full export).
    const result = await run(org, [HEADER, line({ sortie: '30/06/2025' })].join('\n'), { fileName: 'x.csv', fullExport: true, confirmLarge: true });
    expect(result.summary).toMatchObject({ households_left: 1, households_missing: 1 });
    const rows = await h.owner.query(
      `select erp_ref, status, missing_since is not null as missing from households where organisation_id = $1 order by erp_ref`,
      [org.id],
    );
    expect(rows.rows).toEqual([
      { erp_ref: 'B1', status: 'left', missing: false },
      { erp_ref: 'B2', status: 'active', missing: true },
    ]);
    expect(await count(org, 'objections')).toBe(1);
  });

  it('names the rows it creates with UUIDs version 7 in the order of the file, distinct from one import to the next (ADR 0012)', async () => {
    const org = await newOrganisation(h);
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const file = (refs: string[]) =>
      [HEADER, ...refs.map((r) => line({ logement: `L${r}`, bail: `B${r}`, occupant: `P${r}`, email: `p${r}@exemple.fr` }))].join('\n');
    await run(org, file(['1', '2', '3']));
    await run(org, file(['1', '2', '3', '4']), { fileName: 'x.csv', confirmLarge: true });
    for (const table of ['housing_units', 'households', 'leases', 'persons', 'contact_points', 'household_balances']) {
      const { rows } = await h.owner.query(`select id::text from ${table} where organisation_id = $1 order by id`, [org.id]);
      expect(rows.length, table).toBeGreaterThan(0);
      for (const r of rows) expect(r.id, table).toMatch(v7);
      expect(new Set(rows.map((r) => r.id)).size, table).toBe(rows.length);
    }
    const households = await h.owner.query(`select erp_ref from households where organisation_id = $1 order by id`, [org.id]);
    expect(households.rows.map((r) => r.erp_ref)).toEqual(['B1', 'B2', 'B3', 'B4']);
    // The household new in the second file got its holder and oldest birth date like the first ones.
    const summaries = await h.owner.query(`select holder_name, oldest_birth_date::text as born from households where organisation_id = $1 order by erp_ref`, [
      org.id,
    ]);
    expect(summaries.rows).toEqual(Array(4).fill({ holder_name: 'Lefèvre Hélène', born: '1941-04-03' }));
  });

  it('does not refill what a restriction of processing emptied: a restricted household keeps no oldest birth date (TRUST DP-07)', async () => {
    const org = await newOrganisation(h);
    await run(org, [HEADER, line()].join('\n'));
    const hh = (await h.owner.query(`select id from households where organisation_id = $1 and erp_ref = 'B1'`, [org.id])).rows[0].id;
    await h.database.withOrg({ organisationId: org.id }, (trx) => restrictHousehold(trx, hh, 'Effacement demandé', new Date()));
    // The next export adds an older occupant and corrects the holder's first name: both persons are written.
    const result = await run(
      org,
      [HEADER, line({ prenom: 'Hélène Marie' }), line({ occupant: 'P2', prenom: 'Paul', naissance: '01/02/1930', qualite: 'Occupant', mobile: '' })].join('\n'),
      {
        fileName: 'x.csv',
        confirmLarge: true,
      },
    );
    expect(result.applied).toBe(true);
    expect(result.summary).toMatchObject({ persons_created: 1, persons_updated: 1 });
    const row = (
      await h.owner.query(`select holder_name, oldest_birth_date, last_contact_at, restricted_at is not null as restricted from households where id = $1`, [hh])
    ).rows[0];
    expect(row).toEqual({ holder_name: 'Lefèvre Hélène Marie', oldest_birth_date: null, last_contact_at: null, restricted: true });
    // An unrestricted household of the same file gets its summary as before.
    await run(org, [HEADER, line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'Martin', naissance: '05/06/1950' })].join('\n'), {
      fileName: 'y.csv',
      confirmLarge: true,
    });
    const other = (await h.owner.query(`select oldest_birth_date::text from households where organisation_id = $1 and erp_ref = 'B2'`, [org.id])).rows[0];
    expect(other.oldest_birth_date).toBe('1950-06-05');
  });
});

describe('a household carries its agency (the agency of its home’s residence; migration 2026-12-02T0000)', () => {
  const wrongAgency = (org: TestOrg) =>
    count(
      org,
      'households h',
      `h.agency_id is distinct from (select r.agency_id from housing_units u join residences r on r.id = u.residence_id where u.id = h.unit_id)`,
    );
  const agencyOf = async (org: TestOrg, ref: string) =>
    (
      await h.owner.query(`select a.code from households h join agencies a on a.id = h.agency_id where h.organisation_id = $1 and h.erp_ref = $2`, [
        org.id,
        ref,
      ])
    ).rows[0]?.code as string | undefined;

  it('written by the import, kept when a residence changes agency or a home changes residence, filled for any other writer', async () => {
    const org = await newOrganisation(h);
    await run(org, [HEADER, line(), line({ agence: 'SUD', groupe: 'G2', nomGroupe: 'Les Acacias', logement: 'L2', bail: 'B2', occupant: 'P2' })].join('\n'));
    expect(await agencyOf(org, 'B1')).toBe('NORD');
    expect(await agencyOf(org, 'B2')).toBe('SUD');
    // The next export moves the residence G1 to the agency SUD.
    await run(
      org,
      [HEADER, line({ agence: 'SUD' }), line({ agence: 'SUD', groupe: 'G2', nomGroupe: 'Les Acacias', logement: 'L2', bail: 'B2', occupant: 'P2' })].join('\n'),
      {
        fileName: 'x.csv',
        confirmLarge: true,
      },
    );
    expect(await agencyOf(org, 'B1')).toBe('SUD');
    // By hand: the residence G2 goes back to NORD, then the home L2 moves to G1 (now SUD).
    await h.owner.query(
      `update residences set agency_id = (select id from agencies where organisation_id = $1 and code = 'NORD') where organisation_id = $1 and erp_code = 'G2'`,
      [org.id],
    );
    expect(await agencyOf(org, 'B2')).toBe('NORD');
    await h.owner.query(
      `update housing_units set residence_id = (select id from residences where organisation_id = $1 and erp_code = 'G1') where organisation_id = $1 and erp_ref = 'L2'`,
      [org.id],
    );
    expect(await agencyOf(org, 'B2')).toBe('SUD');
    // A writer that leaves the agency out gets it filled, on insert and when the household moves.
    const [unit] = (
      await h.owner.query(
        `insert into housing_units (organisation_id, residence_id, erp_ref) select $1, id, 'L3' from residences where organisation_id = $1 and erp_code = 'G2' returning id`,
        [org.id],
      )
    ).rows;
    await h.owner.query(`insert into households (organisation_id, unit_id, erp_ref) values ($1, $2, 'B3')`, [org.id, unit.id]);
    expect(await agencyOf(org, 'B3')).toBe('NORD');
    await h.owner.query(
      `update households set unit_id = (select id from housing_units where organisation_id = $1 and erp_ref = 'L1') where organisation_id = $1 and erp_ref = 'B3'`,
      [org.id],
    );
    expect(await agencyOf(org, 'B3')).toBe('SUD');
    expect(await wrongAgency(org)).toBe(0);
  });
});

describe('NIR columns (DP-10)', () => {
  it('are refused with an explanation and never stored, whatever their header says', async () => {
    const org = await newOrganisation(h);
    const nir = '269054958815780';
    const file = [`${HEADER};Observations`, `${line()};${nir}`, `${line({ occupant: 'P2', prenom: 'Jean' })};1 69 05 49 588 157 33`].join('\n');
    // Not even --valid-only: the column is refused, the lines are imported.
    const result = await run(org, file, { fileName: 'x.csv' });
    expect(result.nirColumns).toEqual(['Observations']);
    expect(result.summary).toMatchObject({ rejected_lines: 0, refused_columns: ['Observations'] });
    expect(result.applied).toBe(true);
    expect(await count(org, 'persons')).toBe(2);
    // Grep the whole database for the number.
    const tables = await h.owner.query(
      `select table_name, column_name from information_schema.columns where table_schema = 'public' and data_type in ('text', 'jsonb', 'ARRAY')`,
    );
    for (const t of tables.rows) {
      const hit = await h.owner.query(
        `select count(*)::int as n from ${t.table_name} where ${t.column_name}::text like '%269054958815780%' or ${t.column_name}::text like '%1 69 05 49 588 157 33%'`,
      );
      expect(hit.rows[0].n, `${t.table_name}.${t.column_name}`).toBe(0);
    }
    const imports = await h.owner.query(`select summary::text from imports where organisation_id = $1`, [org.id]);
    expect(JSON.stringify(imports.rows)).not.toContain('269054958815780');
  });
});

describe('a killed import (FT-01)', () => {
  it('leaves the registry as before, and a rerun reaches the full state', async () => {
    const org = await newOrganisation(h);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-kill-'));
    const file = path.join(dir, 'export.csv');
    await writeFile(file, [...erpExportCsv(4000, 4)].join(''));
    const env = { ...process.env, DATABASE_URL: inject('ownerUrl'), APP_DATABASE_URL: inject('appUrl'), LOG_LEVEL: 'silent' };
    const cli = path.resolve(import.meta.dirname, '../../../cli/import.ts');
    const counts = new Set<number>();
    for (const delay of [300, 900, 1600]) {
      const child = spawn(process.execPath, [cli, file, '--org', org.slug, '--json'], { env, stdio: 'ignore' });
      // Listened to from the start: an import that ends before the kill must not be waited for forever.
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      counts.add(await count(org, 'households'));
    }
    // Each attempt either wrote nothing or everything: never part of it.
    for (const n of counts) expect([0, 4000]).toContain(n);
    const done = spawn(process.execPath, [cli, file, '--org', org.slug, '--json'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    done.stdout.on('data', (c) => {
      out += c;
    });
    const code = await new Promise((r) => done.on('exit', r));
    expect(code, out).toBe(0);
    expect(await count(org, 'households')).toBe(4000);
  }, 120_000);
});

describe('staged rows and their import (ADR 0013: checked once per statement)', () => {
  it('a staged row needs its import; deleting an import deletes its staged rows; an import keeps its id', async () => {
    const org = await newOrganisation(h);
    const ctx = { organisationId: org.id };
    const importId = await h.database.withOrg(ctx, async (trx) => {
      const { rows } = await sql<{ id: string }>`insert into imports (organisation_id, status, file_name, format, headers)
        values (lien_current_org(), 'validating', 'x.csv', 'csv', '{}') returning id`.execute(trx);
      const id = rows[0]?.id as string;
      await sql`insert into import_lines (organisation_id, import_id, line) select lien_current_org(), ${id}::uuid, g from generate_series(1, 3) g`.execute(
        trx,
      );
      await sql`insert into import_cells (organisation_id, import_id, line, cells) values (lien_current_org(), ${id}::uuid, 1, '{a}')`.execute(trx);
      return id;
    });
    const staged = async () =>
      (
        await h.owner.query(
          'select (select count(*) from import_lines where import_id = $1)::int + (select count(*) from import_cells where import_id = $1)::int as n',
          [importId],
        )
      ).rows[0].n;
    expect(await staged()).toBe(4);
    // Lines of an import that does not exist (or of another organisation's) are refused, whole statement,
    // with the error a foreign key gives (foreign_key_violation).
    const other = await newOrganisation(h);
    const otherImport = await h.database.withOrg({ organisationId: other.id }, async (trx) => {
      const { rows } = await sql<{ id: string }>`insert into imports (organisation_id, status, file_name, format, headers)
        values (lien_current_org(), 'validating', 'y.csv', 'csv', '{}') returning id`.execute(trx);
      return rows[0]?.id as string;
    });
    for (const target of [otherImport, '00000000-0000-7000-8000-000000000000']) {
      await expect(
        h.database.withOrg(ctx, (trx) =>
          sql`insert into import_lines (organisation_id, import_id, line) values (lien_current_org(), ${importId}::uuid, 10), (lien_current_org(), ${target}::uuid, 11)`.execute(
            trx,
          ),
        ),
      ).rejects.toMatchObject({ code: '23503' });
      await expect(
        h.database.withOrg(ctx, (trx) =>
          sql`insert into import_cells (organisation_id, import_id, line, cells) values (lien_current_org(), ${target}::uuid, 2, '{b}')`.execute(trx),
        ),
      ).rejects.toMatchObject({ code: '23503' });
      await expect(
        h.database.withOrg(ctx, (trx) =>
          sql`update import_lines set import_id = ${target}::uuid where import_id = ${importId}::uuid and line = 1`.execute(trx),
        ),
      ).rejects.toMatchObject({ code: '23503' });
    }
    expect(await staged()).toBe(4);
    await expect(
      h.database.withOrg(ctx, (trx) => sql`update imports set id = '00000000-0000-7000-8000-000000000001' where id = ${importId}::uuid`.execute(trx)),
    ).rejects.toMatchObject({
      code: '23503',
    });
    await h.database.withOrg(ctx, (trx) => sql`delete from imports where id = ${importId}::uuid`.execute(trx));
    expect(await staged()).toBe(0);
  });
});
describe('exports of real French ERPs (issue 12)', () => {
  const ERP_HEADER =
    'N° groupe;Libellé groupe;N° voie;Ind. rép.;Type voie;Libellé voie;Bât.;Esc.;Compl. adresse;CP;Commune;Ref. lot;Type;Réf. contrat;Code tiers;Civ.;Nom;Prénom;Né(e) le;Qualité;Tél. port.;Tél. dom.;Mél';
  const erpLine = (o: Partial<Record<'lot' | 'contrat' | 'tiers' | 'nom' | 'prenom' | 'qualite' | 'num' | 'bat', string>> = {}) =>
    [
      'G77',
      'Les Lilas',
      o.num ?? '12',
      'B',
      'AV',
      'DES LILAS',
      o.bat ?? 'C',
      '2',
      '',
      '75020',
      'Paris',
      o.lot ?? 'LOT1',
      'T3',
      o.contrat ?? 'CT1',
      o.tiers ?? 'TI1',
      'Mme',
      o.nom ?? 'DUPONT',
      o.prenom ?? 'Jeanne',
      '01/02/1940',
      o.qualite ?? 'Titulaire',
      '06 12 34 56 78',
      '01 45 00 00 00',
      '',
    ].join(';');

  it('guesses every column of an Aareon/Ulis-style export; street number, type, name, building and staircase make the address', async () => {
    const org = await newOrganisation(h);
    const result = await run(org, [ERP_HEADER, erpLine(), erpLine({ prenom: 'Paul', qualite: 'Conjoint' })].join('\r\n'));
    expect(Object.values(result.mapping).filter((f) => f === null)).toEqual([]);
    expect(result.applied).toBe(true);
    const residence = await h.owner.query('select erp_code, name, address, postal_code from residences where organisation_id = $1', [org.id]);
    expect(residence.rows).toEqual([{ erp_code: 'G77', name: 'Les Lilas', address: '12 B AVENUE DES LILAS, bât. C, esc. 2', postal_code: '75020' }]);
    const household = await h.owner.query(
      `select h.erp_ref, u.erp_ref as unit, u.rooms, l.erp_ref as lease from households h join housing_units u on u.id = h.unit_id join leases l on l.household_id = h.id where h.organisation_id = $1`,
      [org.id],
    );
    expect(household.rows).toEqual([{ erp_ref: 'TI1', unit: 'LOT1', rooms: 3, lease: 'CT1' }]);
    const contacts = await h.owner.query(`select kind, value from contact_points where organisation_id = $1 order by kind, value`, [org.id]);
    expect(contacts.rows.filter((c) => c.kind === 'mobile')).toHaveLength(2);
    expect(contacts.rows.filter((c) => c.kind === 'landline')).toHaveLength(2);
  });

  it('a mapping given by hand wins over the guess; an unknown field or header is refused in French and nothing is imported', async () => {
    const org = await newOrganisation(h);
    const header = 'Site;Porte;Dossier;Nom;Prénom';
    const file = [header, 'G1;L1;D1;Martin;Luc'].join('\n');
    await expect(run(org, file)).rejects.toThrow(/Colonnes obligatoires introuvables : Code groupe \/ résidence, Référence logement, Référence bail/);
    await expect(run(org, file, { fileName: 'x.csv', mapping: { Site: 'residence_code', Porte: 'unit_ref', Dossier: 'bail' } })).rejects.toThrow(
      /Champ inconnu « bail » pour la colonne « Dossier ».*Rien n’a été importé/,
    );
    await expect(run(org, file, { fileName: 'x.csv', mapping: { Site: 'residence_code', Immeuble: 'unit_ref' } })).rejects.toThrow(
      /Colonne « Immeuble » absente du fichier. Colonnes trouvées : « Site », « Porte », « Dossier », « Nom », « Prénom »/,
    );
    expect(await count(org, 'imports')).toBe(0);
    // Field names or their French labels; saved for the next import of the organisation.
    const mapping = { Site: 'residence_code', Porte: 'Référence logement', Dossier: 'lease_ref', Nom: 'last_name' };
    expect((await run(org, file, { fileName: 'x.csv', mapping, saveMapping: true })).applied).toBe(true);
    const again = await run(org, [header, 'G1;L2;D2;Petit;Léa'].join('\n'));
    expect(again.applied).toBe(true);
    expect(await count(org, 'households')).toBe(2);
  });

  it('a column headed like a social-security number is refused whatever its values; the rest is imported', async () => {
    const org = await newOrganisation(h);
    // Wrong keys: not NIRs by value, refused by header all the same.
    const file = [`${HEADER};N° sécurité sociale;NIR`, `${line()};269054958815799;1 69 05 49 588 157 00`].join('\n');
    const result = await run(org, file, { fileName: 'x.csv', mapping: { 'N° sécurité sociale': 'person_ref' } });
    expect(result.nirColumns).toEqual(['N° sécurité sociale', 'NIR']);
    expect(result.summary).toMatchObject({ rejected_lines: 0, households_created: 1 });
    expect(result.applied).toBe(true);
    // Even mapped by hand, the column is not read: the person's key comes from the name.
    expect(result.mapping[String(HEADER.split(';').length)]).toBeNull();
    const stored = await h.owner.query(`select person_key from persons where organisation_id = $1`, [org.id]);
    expect(stored.rows).toEqual([{ person_key: 'N:lefevre|helene|1941-04-03' }]);
  });

  it('a file with headers and no line is refused', async () => {
    const org = await newOrganisation(h);
    await expect(run(org, `${HEADER}\r\n\r\n;;;\r\n`)).rejects.toThrow('Le fichier ne contient aucune ligne.');
    expect(await count(org, 'imports')).toBe(0);
  });

  it('the dry run gives the file’s totals; the check and the result count « households to update » the same way', async () => {
    const org = await newOrganisation(h);
    const first = [HEADER, line(), line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'Martin' })].join('\n');
    const dry = await run(org, first, { fileName: 'x.csv', dryRun: true });
    expect(dry.summary).toMatchObject({ file_households: 2, file_persons: 2, file_residences: 1, file_units: 2 });
    await run(org, first);
    // B1 gains an occupant, B2 changes nothing: one household to update, in the check and in the result.
    const next = [first, line({ occupant: 'P2', prenom: 'Benoît', qualite: 'Occupant' })].join('\n');
    const check = await run(org, next, { fileName: 'x.csv', dryRun: true });
    expect(check.summary).toMatchObject({ households_updated: 1, households_unchanged: 1, persons_created: 1 });
    const done = await run(org, next, { fileName: 'x.csv', confirmLarge: true });
    expect(done.summary.applied).toMatchObject({ households_updated: 1, persons_created: 1 });
  });

  it('a surname in lower case is written in capitals when the file writes surnames in capitals', async () => {
    const org = await newOrganisation(h);
    const upper = [
      HEADER,
      line({ nom: 'DUPONT' }),
      line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'MARTIN' }),
      line({ logement: 'L3', bail: 'B3', occupant: 'Q2', nom: 'dupont' }),
    ];
    await run(org, upper.join('\n'));
    const names = await h.owner.query(`select last_name from persons where organisation_id = $1 order by last_name`, [org.id]);
    expect(names.rows.map((r) => r.last_name)).toEqual(['DUPONT', 'DUPONT', 'MARTIN']);
    // A file in mixed case keeps its case.
    const other = await newOrganisation(h);
    await run(other, [HEADER, line({ nom: 'Dupont' }), line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'de la Tour' })].join('\n'));
    const kept = await h.owner.query(`select last_name from persons where organisation_id = $1`, [other.id]);
    expect(kept.rows.map((r) => r.last_name).sort()).toEqual(['Dupont', 'de la Tour']);
  });
});

describe('the command line (issue 12)', () => {
  const cli = path.resolve(import.meta.dirname, '../../../cli/import.ts');
  const runCli = (args: string[], cwd: string) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const env = { ...process.env, DATABASE_URL: inject('ownerUrl'), APP_DATABASE_URL: inject('appUrl'), LOG_LEVEL: 'silent' };
      const child = spawn(process.execPath, [cli, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => {
        out += c;
      });
      child.stderr.on('data', (c) => {
        err += c;
      });
      child.on('exit', (code) => resolve({ code, out, err }));
    });

  it('rejections: every one in --rejected (duplicates too), none written to the current folder without it; --confirm-large applies a large change', async () => {
    const org = await newOrganisation(h);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-cli-'));
    const first = path.join(dir, 'export.csv');
    await writeFile(
      first,
      [
        HEADER,
        line(),
        line({ logement: 'L2', bail: 'B2', occupant: 'Q1', nom: 'Martin' }),
        line({ prenom: 'Doublon' }), // line 4: P1 again in B1
        line({ logement: 'L3', bail: 'B3', occupant: 'Q3', nom: 'Petit', mobile: '06 12' }), // line 5: bad phone, set aside (the person is imported)
      ].join('\r\n'),
    );
    const refused = await runCli([first, '--org', org.slug], dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Ligne 4 — Référence occupant : occupant en double dans ce ménage (déjà ligne 2)');
    expect(refused.err).not.toContain('Ligne 5 —');
    expect(refused.err).toContain('1 ligne importée sans une valeur illisible');
    expect(refused.err).not.toContain('06 12');
    expect(refused.out).toContain('corrigez les lignes rejetées');
    expect(await readdir(dir)).toEqual(['export.csv']);

    const rejectedFile = path.join(dir, 'rejets.csv');
    const valid = await runCli([first, '--org', org.slug, '--valid-only', '--rejected', rejectedFile], dir);
    expect(valid.code, valid.err).toBe(0);
    expect(valid.out).toContain('Le fichier (lignes valides) : 3 ménages, 3 personnes, 1 résidence, 3 logements');
    expect(valid.out).toContain('Recherche des doublons');
    const rows = (await readFile(rejectedFile, 'utf8')).trim().split('\r\n');
    expect(rows.slice(1).map((r) => r.split(';')[0])).toEqual(['4', '5']);
    expect(rows[1]).toContain('Doublon');
    expect(rows[2]).toContain('Ligne importée — Tél portable : numéro de téléphone invalide');

    // Next month's full export: B2 is gone, B1's balance changed — every household touched.
    const next = path.join(dir, 'export-2.csv');
    await writeFile(next, [HEADER, line({ solde: '12,00' })].join('\r\n'));
    const large = await runCli([next, '--org', org.slug, '--full'], dir);
    expect(large.code).toBe(1);
    expect(large.out).toContain('Rien n’a été écrit : Cet import touche 3 des 3 ménages déjà dans le registre (100 %');
    expect(large.out).toContain('--confirm-large');
    expect(large.out).not.toContain('lignes rejetées');
    const confirmed = await runCli([next, '--org', org.slug, '--full', '--confirm-large'], dir);
    expect(confirmed.code, confirmed.out + confirmed.err).toBe(0);
    expect(confirmed.out).toContain('Import terminé.');
    expect(await count(org, 'households', 'missing_since is not null')).toBe(2);
  }, 120_000);

  it('--mapping: the missing-columns error lists the headers found and how to pass a mapping; a bad mapping imports nothing', async () => {
    const org = await newOrganisation(h);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-cli-'));
    const file = path.join(dir, 'export.csv');
    await writeFile(file, ['Site;Porte;Dossier;Nom;Prénom', 'G1;L1;D1;Martin;Luc'].join('\n'));
    const missing = await runCli([file, '--org', org.slug], dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Colonnes obligatoires introuvables');
    expect(missing.err).toContain('Colonnes trouvées dans le fichier : « Site », « Porte », « Dossier », « Nom », « Prénom »');
    expect(missing.err).toContain('--mapping');
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ Site: 'groupe' }));
    const refused = await runCli([file, '--org', org.slug, '--mapping', bad], dir);
    expect(refused.err).toContain('Champ inconnu « groupe » pour la colonne « Site »');
    expect(await count(org, 'imports')).toBe(0);
    const good = path.join(dir, 'mapping.json');
    await writeFile(good, JSON.stringify({ Site: 'residence_code', Porte: 'unit_ref', Dossier: 'lease_ref' }));
    const done = await runCli([file, '--org', org.slug, '--mapping', good, '--save-mapping'], dir);
    expect(done.code, done.err).toBe(0);
    expect(done.out).toContain('Correspondance des colonnes enregistrée');
    // Saved: the next run needs no --mapping.
    expect((await runCli([file, '--org', org.slug, '--dry-run'], dir)).code).toBe(0);
  }, 120_000);
});
