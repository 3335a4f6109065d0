// The registry's references checked per statement (ADR 0029, migration 2026-12-02T1700): the
// rules the seven foreign keys kept — a row names a parent that exists, a referenced parent
// cannot go nor change its key — hold for every way a row is written, with the foreign key's
// error (foreign_key_violation), whole statement, and under concurrency.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { erpExportCsv } from '../demo/index.ts';
import { importFile } from './import/import.service.ts';

let h: Harness;
let org: TestOrg;
let other: TestOrg;
beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  other = await newOrganisation(h);
  for (const o of [org, other]) {
    await importFile(h.deps, { organisationId: o.id }, Readable.from([Buffer.from([...erpExportCsv(3, 7)].join(''))]), { fileName: 'export.csv' });
  }
});
afterAll(() => h.close());

/** One row of each registry table of an organisation, by id. */
async function rowsOf(o: TestOrg) {
  const one = async (q: string) => (await h.owner.query(`${q} limit 1`, [o.id])).rows[0].id as string;
  return {
    residence: await one('select id from residences where organisation_id = $1'),
    unit: await one('select id from housing_units where organisation_id = $1'),
    household: await one('select id from households where organisation_id = $1'),
    agency: await one('select agency_id as id from households where organisation_id = $1'),
    person: await one('select id from persons where organisation_id = $1 and exists (select 1 from contact_points c where c.person_id = persons.id)'),
  };
}

const missing = '00000000-0000-7000-8000-00000000dead';
/** A new household of `mine`'s agency in the given unit, returning its id. */
const householdInsert = (mine: { agency: string }, unit: string, ref: string) =>
  sql<{
    id: string;
  }>`insert into households (organisation_id, agency_id, unit_id, erp_ref) values (lien_current_org(), ${mine.agency}, ${unit}, ${ref}) returning id`;
const inOrg = <T>(o: TestOrg, f: Parameters<Harness['database']['withOrg']>[1]) => h.database.withOrg({ organisationId: o.id }, f) as Promise<T>;
const count = async (table: string, o: TestOrg) =>
  (await h.owner.query(`select count(*)::int as n from ${table} where organisation_id = $1`, [o.id])).rows[0].n as number;

describe('registry references checked per statement (ADR 0029)', () => {
  it('a row naming a parent that does not exist, or another organisation’s, is refused with the whole statement', async () => {
    const mine = await rowsOf(org);
    const theirs = await rowsOf(other);
    const before = { units: await count('housing_units', org), persons: await count('persons', org), contacts: await count('contact_points', org) };
    for (const target of [missing, theirs]) {
      const t = typeof target === 'string' ? { residence: target, unit: target, household: target, person: target } : target;
      const cases = [
        sql`insert into housing_units (organisation_id, residence_id, erp_ref) values (lien_current_org(), ${mine.residence}, 'U-ok'), (lien_current_org(), ${t.residence}, 'U-bad')`,
        householdInsert(mine, t.unit, 'H-bad'),
        sql`insert into leases (organisation_id, household_id, unit_id, erp_ref) values (lien_current_org(), ${mine.household}, ${t.unit}, 'L-bad')`,
        sql`insert into leases (organisation_id, household_id, unit_id, erp_ref) values (lien_current_org(), ${t.household}, ${mine.unit}, 'L-bad')`,
        sql`insert into household_balances (organisation_id, household_id, balance_cents) values (lien_current_org(), ${t.household}, 100)`,
        sql`insert into persons (organisation_id, household_id, person_key, first_name, last_name, household_role) values
              (lien_current_org(), ${mine.household}, 'K-ok', 'Ok', 'OK', 'occupant'), (lien_current_org(), ${t.household}, 'K-bad', 'Jean', 'BAD', 'occupant')`,
        sql`insert into contact_points (organisation_id, person_id, kind, value) values (lien_current_org(), ${t.person}, 'email', 'x@example.org')`,
        // An update that moves a row to such a parent, for each of the seven references.
        sql`update housing_units set residence_id = ${t.residence} where id = ${mine.unit}`,
        // (With another agency, so that the home's agency is not looked up from the missing unit first.)
        sql`with a as (insert into agencies (organisation_id, code, name) values (lien_current_org(), 'AG-MOVE', 'Autre agence') returning id)
            update households set unit_id = ${t.unit}, agency_id = (select id from a) where id = ${mine.household}`,
        sql`update leases set household_id = ${t.household} where household_id = ${mine.household}`,
        sql`update leases set unit_id = ${t.unit} where household_id = ${mine.household}`,
        sql`update household_balances set household_id = ${t.household} where household_id = ${mine.household}`,
        sql`update persons set household_id = ${t.household} where id = ${mine.person}`,
        sql`update contact_points set person_id = ${t.person} where person_id = ${mine.person}`,
      ];
      for (const statement of cases) await expect(inOrg(org, (trx) => statement.execute(trx))).rejects.toMatchObject({ code: '23503' });
    }
    // Nothing of the refused statements stayed, not even their valid rows.
    expect({ units: await count('housing_units', org), persons: await count('persons', org), contacts: await count('contact_points', org) }).toEqual(before);
  });

  it('a referenced parent cannot be deleted nor change its key; once its rows are gone it can be deleted', async () => {
    const mine = await rowsOf(org);
    for (const statement of [
      sql`delete from residences where id = ${mine.residence}`,
      sql`delete from housing_units where id = ${mine.unit}`,
      sql`delete from households where id = ${mine.household}`,
      sql`delete from persons where id = ${mine.person}`,
      sql`update persons set id = ${missing} where id = ${mine.person}`,
      sql`update households set id = ${missing} where id = ${mine.household}`,
    ]) {
      await expect(inOrg(org, (trx) => statement.execute(trx))).rejects.toMatchObject({ code: '23503' });
    }
    // A person with no contact point goes; a household with no rows left goes.
    const fresh = await inOrg<{ household: string; person: string }>(org, async (trx) => {
      const household = (await householdInsert(mine, mine.unit, 'H-fresh').execute(trx)).rows[0]?.id as string;
      const person = (
        await sql<{ id: string }>`insert into persons (organisation_id, household_id, person_key, first_name, last_name, household_role)
        values (lien_current_org(), ${household}, 'K-fresh', 'Léa', 'NEUVE', 'holder') returning id`.execute(trx)
      ).rows[0]?.id as string;
      await sql`insert into contact_points (organisation_id, person_id, kind, value) values (lien_current_org(), ${person}, 'email', 'lea@example.org')`.execute(
        trx,
      );
      return { household, person };
    });
    await expect(inOrg(org, (trx) => sql`delete from households where id = ${fresh.household}`.execute(trx))).rejects.toMatchObject({ code: '23503' });
    await inOrg(org, async (trx) => {
      await sql`delete from contact_points where person_id = ${fresh.person}`.execute(trx);
      await sql`delete from persons where id = ${fresh.person}`.execute(trx);
      await sql`delete from households where id = ${fresh.household}`.execute(trx);
    });
    expect((await h.owner.query('select count(*)::int as n from households where id = $1', [fresh.household])).rows[0].n).toBe(0);
  });

  it('a parent is never deleted in a REPEATABLE READ transaction, whose snapshot could miss a new child', async () => {
    const mine = await rowsOf(org);
    const client = await h.owner.connect();
    try {
      await client.query('begin isolation level repeatable read');
      await expect(client.query('delete from households where id = $1', [mine.household])).rejects.toMatchObject({ code: '0A000' });
    } finally {
      await client.query('rollback');
      client.release();
    }
    expect((await h.owner.query('select count(*)::int as n from households where id = $1', [mine.household])).rows[0].n).toBe(1);
  });

  it('under concurrency: a parent being referenced cannot be deleted, and a row cannot name a parent being deleted', async () => {
    const mine = await rowsOf(org);
    const newHousehold = (ref: string) => inOrg<string>(org, async (trx) => (await householdInsert(mine, mine.unit, ref).execute(trx)).rows[0]?.id as string);
    const settled = (p: Promise<unknown>) =>
      Promise.race([
        p.then(
          () => 'settled',
          () => 'settled',
        ),
        new Promise((r) => setTimeout(() => r('waiting'), 400)),
      ]);

    // A transaction that runs one statement and stays open until released.
    const heldOpen = (statement: ReturnType<typeof sql>) => {
      let release: () => void = () => {};
      const released = new Promise<void>((r) => {
        release = r;
      });
      let ran: () => void = () => {};
      const done = new Promise<void>((r) => {
        ran = r;
      });
      const ended = inOrg(org, async (trx) => {
        await statement.execute(trx);
        ran();
        await released;
      });
      return { done, release, ended };
    };
    const personIn = (household: string, key: string) =>
      sql`insert into persons (organisation_id, household_id, person_key, first_name, last_name, household_role) values (lien_current_org(), ${household}, ${key}, 'Ana', 'CONC', 'holder')`;

    // 1. A person is written into an existing household (its statement locks the household); a
    //    delete of that household waits for it, then fails once the person is committed.
    const h1 = await newHousehold('H-conc-1');
    const writer = heldOpen(personIn(h1, 'K-conc-1'));
    await writer.done;
    const deleter = inOrg(org, (trx) => sql`delete from households where id = ${h1}`.execute(trx));
    expect(await settled(deleter)).toBe('waiting');
    writer.release();
    await writer.ended;
    await expect(deleter).rejects.toMatchObject({ code: '23503' });

    // 2. A household is being deleted (not committed yet); a person written into it waits, then
    //    fails once the delete is committed.
    const h2 = await newHousehold('H-conc-2');
    const deleting = heldOpen(sql`delete from households where id = ${h2}`);
    await deleting.done;
    const late = inOrg(org, (trx) => personIn(h2, 'K-conc-2').execute(trx));
    expect(await settled(late)).toBe('waiting');
    deleting.release();
    await deleting.ended;
    await expect(late).rejects.toMatchObject({ code: '23503' });
    expect((await h.owner.query('select count(*)::int as n from persons where household_id = $1', [h2])).rows[0].n).toBe(0);
  });
});
