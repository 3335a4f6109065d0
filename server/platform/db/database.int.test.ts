import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, newOrganisation, startHarness } from '../../test/harness.ts';
import { advisoryLockSql, type Database, openDatabase, prepared, thenCommit } from './database.ts';

let h: Harness;
let one: Database;

beforeAll(async () => {
  h = await startHarness();
  // One connection, so every call below lands on the same PostgreSQL session.
  one = openDatabase(inject('appUrl'), 1);
});
afterAll(async () => {
  await one.close();
  await h.close();
});

describe('the application pool', () => {
  it('keeps the organisation transaction-local', async () => {
    const org = await newOrganisation(h);
    const read = () =>
      one.withOrg({ organisationId: org.id }, async (trx) => sql<{ org: string }>`select lien_current_org() as org where ${1} = 1`.execute(trx));
    expect((await read()).rows[0]?.org).toBe(org.id);
    expect((await read()).rows[0]?.org).toBe(org.id);
    // Outside the transaction the setting is gone: nothing leaks to the next user of the connection.
    const after = await sql<{ org: string | null }>`select lien_current_org() as org`.execute(one.db);
    expect(after.rows[0]?.org ?? null).toBeNull();
  });

  it('keeps no unmarked statement prepared on the connection: a migration that changes a result breaks no request', async () => {
    await h.owner.query('create table prepared_probe (a integer); insert into prepared_probe values (1)');
    try {
      const read = () => sql`select * from prepared_probe where ${1} = 1`.execute(one.db);
      await read();
      expect((await read()).rows).toEqual([{ a: 1 }]);
      await h.owner.query('alter table prepared_probe add column b integer');
      expect((await read()).rows).toEqual([{ a: 1, b: null }]);
      const prepared = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(one.db);
      expect(prepared.rows[0]?.n).toBe(0);
    } finally {
      await h.owner.query('drop table prepared_probe');
    }
  });

  it('prepares only the marked statements, once per connection and text variant, and re-plans them after a migration', async () => {
    await h.owner.query('create table prepared_marked (a integer); insert into prepared_marked values (1)');
    try {
      const read = (extra: boolean) =>
        sql<{ a: number }>`${prepared('probe')}select a from prepared_marked where ${1} = 1 ${extra ? sql`and a > ${0}` : sql``}`.execute(one.db);
      const names = async () => (await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(one.db)).rows.map((r) => r.name);
      expect((await read(false)).rows).toEqual([{ a: 1 }]);
      expect((await read(false)).rows).toEqual([{ a: 1 }]);
      expect(await names()).toHaveLength(1);
      expect((await names())[0]).toMatch(/^probe_[0-9a-f]{12}$/);
      // Another text under the same marker is another prepared statement, never the first one run with other parameters.
      expect((await read(true)).rows).toEqual([{ a: 1 }]);
      expect(await names()).toHaveLength(2);
      // A migration on the table: PostgreSQL re-plans the statement (its columns are named, so its result keeps its shape).
      await h.owner.query('alter table prepared_marked add column b integer; update prepared_marked set a = 2');
      expect((await read(false)).rows).toEqual([{ a: 2 }]);
      expect(() => prepared('Bad name')).toThrow('lowercase');
    } finally {
      await h.owner.query('drop table prepared_marked');
    }
  });

  it('rolls back everything of a failed transaction, settings included', async () => {
    const org = await newOrganisation(h);
    await expect(
      one.withOrg({ organisationId: org.id }, async (trx) => {
        await sql`insert into agencies (organisation_id, code, name) values (lien_current_org(), 'ZZ', 'Éphémère')`.execute(trx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const left = await h.owner.query(`select count(*)::int as n from agencies where organisation_id = $1 and code = 'ZZ'`, [org.id]);
    expect(left.rows[0].n).toBe(0);
    // The settings are inlined as literals: anything but a UUID is refused before reaching PostgreSQL.
    await expect(one.withOrg({ organisationId: "x', true); drop table agencies; --" }, async () => 1)).rejects.toThrow('withOrg needs UUIDs');
  });

  it('takes the advisory lock asked for with begin, held until the transaction ends; a key that could leave its literal is refused', async () => {
    const org = await newOrganisation(h);
    const two = openDatabase(inject('appUrl'), 1);
    try {
      const events: string[] = [];
      const key = `test:${org.id}`;
      let second: Promise<void> | undefined;
      await two.withOrg({ organisationId: org.id, lock: key }, async (trx) => {
        // The same lock as `advisoryLockSql(key)` names: another session cannot take it now.
        const other = await h.owner.query('select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as got', [key]);
        expect(other.rows[0].got).toBe(false);
        await advisoryLockSql('test:other-key').execute(trx);
        // A second transaction asking for the same key waits for this one to end.
        second = one.withOrg({ organisationId: org.id, lock: key }, async () => {
          events.push('second');
        });
        for (let i = 0; i < 400; i++) {
          const waiting = await h.owner.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
          if (waiting.rows[0].n > 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        events.push('first');
      });
      await second;
      expect(events).toEqual(['first', 'second']);
      await expect(one.withOrg({ organisationId: org.id, lock: "k', 0)); drop table agencies; --" }, async () => 1)).rejects.toThrow('lock key');
      expect(() => advisoryLockSql("k'")).toThrow('lock key');
    } finally {
      await two.close();
    }
  });

  it('commits a transaction with its last statement when marked (thenCommit), in the same round trip; a failure of that statement rolls everything back', async () => {
    const org = await newOrganisation(h);
    const two = openDatabase(inject('appUrl'), 1);
    const sent: string[] = [];
    two.pool.on('acquire', (client) => {
      if ((client as unknown as { watched?: boolean }).watched) return;
      (client as unknown as { watched?: boolean }).watched = true;
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
        const first = args[0];
        sent.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
        return query(...args);
      };
    });
    const count = async (code: string) =>
      (await h.owner.query(`select count(*)::int as n from agencies where organisation_id = $1 and code = $2`, [org.id, code])).rows[0].n as number;
    try {
      // Prepared and not, the statement's rows come back; the rows are committed before withOrg's callback returns; no `commit` of its own.
      for (const [code, marker] of [
        ['C1', sql``],
        ['C2', prepared('commit_probe')],
      ] as const) {
        sent.length = 0;
        const rows = await two.withOrg({ organisationId: org.id }, async (trx) => {
          await sql`insert into agencies (organisation_id, code, name) values (lien_current_org(), ${`${code}a`}, 'Avant')`.execute(trx);
          const r = await sql<{ code: string }>`${marker}${thenCommit()}insert into agencies (organisation_id, code, name)
            values (lien_current_org(), ${code}, 'Engagée') returning code`.execute(trx);
          // Committed already: another session sees both rows while the callback still runs.
          expect(await count(code)).toBe(1);
          expect(await count(`${code}a`)).toBe(1);
          return r.rows;
        });
        expect(rows).toEqual([{ code }]);
        expect(sent.filter((t) => /^\s*commit\s*$/i.test(t))).toEqual([]);
      }
      // Nothing may run after it in that transaction (it would run outside it).
      await expect(
        two.withOrg({ organisationId: org.id }, async (trx) => {
          await sql`${thenCommit()}select 1 as one`.execute(trx);
          await sql`insert into agencies (organisation_id, code, name) values (lien_current_org(), 'C3', 'Hors transaction')`.execute(trx);
        }),
      ).rejects.toThrow('after the one that committed');
      expect(await count('C3')).toBe(0);
      // The marked statement fails: PostgreSQL skips the commit, the transaction is rolled back, the connection is reusable.
      await expect(
        two.withOrg({ organisationId: org.id }, async (trx) => {
          await sql`insert into agencies (organisation_id, code, name) values (lien_current_org(), 'C4', 'Annulée')`.execute(trx);
          await sql`${thenCommit()}select 1 / 0 as boom`.execute(trx);
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await count('C4')).toBe(0);
      const after = await sql<{ n: number; org: string | null }>`select 1 as n, lien_current_org() as org`.execute(two.db);
      expect(after.rows[0]).toEqual({ n: 1, org: null });
      // A transaction without the marker commits as usual.
      sent.length = 0;
      await two.withOrg({ organisationId: org.id }, async (trx) => {
        await sql`insert into agencies (organisation_id, code, name) values (lien_current_org(), 'C5', 'Ordinaire')`.execute(trx);
      });
      expect(sent.filter((t) => /^\s*commit\s*$/i.test(t))).toHaveLength(1);
      expect(await count('C5')).toBe(1);
    } finally {
      await two.close();
    }
  });

  it('opens a transaction with beginWith and returns its last statement’s rows; a failing opening leaves the connection outside any transaction', async () => {
    const org = await newOrganisation(h);
    const { trx, rows } = await one.beginWith(`select set_config('lien.org_id', '${org.id}', true) as org`);
    expect(rows).toEqual([{ org: org.id }]);
    const inside = await sql<{ org: string }>`select lien_current_org() as org`.execute(trx);
    expect(inside.rows[0]?.org).toBe(org.id);
    await trx.commit().execute();
    await expect(one.beginWith('select 1 / 0')).rejects.toThrow(/division by zero/);
    // The one connection is back in the pool, idle, with no aborted transaction: the next statement runs.
    const after = await sql<{ n: number; org: string | null }>`select 1 as n, lien_current_org() as org`.execute(one.db);
    expect(after.rows[0]).toEqual({ n: 1, org: null });
  });

  it('keeps its connections while idle: after a lull the same backends, with their prepared statements, serve the next requests', async () => {
    // An idle timeout of 50 ms instead of 30 s: a pool that closed idle connections would have none left after the wait.
    const three = openDatabase(inject('appUrl'), 3, { idleTimeoutMillis: 50 });
    try {
      const org = await newOrganisation(h);
      const backend = () =>
        three.withOrg({ organisationId: org.id }, async (trx) => {
          const r = await sql<{ pid: number; prepared: number }>`${prepared('pool_probe')}select pg_backend_pid() as pid,
            (select count(*)::int from pg_prepared_statements where name like 'pool_probe%') as prepared`.execute(trx);
          // Held a little so that three requests at once need three connections.
          await new Promise((resolve) => setTimeout(resolve, 30));
          return r.rows[0] as { pid: number; prepared: number };
        });
      const first = await Promise.all([backend(), backend(), backend()]);
      expect(new Set(first.map((b) => b.pid)).size).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(three.pool.totalCount).toBe(3);
      const again = await Promise.all([backend(), backend(), backend()]);
      expect(new Set(again.map((b) => b.pid))).toEqual(new Set(first.map((b) => b.pid)));
      // Each backend kept its prepared statement: none is prepared (nor planned cold) again.
      expect(again.every((b) => b.prepared === 1)).toBe(true);
    } finally {
      await three.close();
    }
  });

  it('runs on an embedded cluster started with the server settings of ADR 0028 (a DATABASE_URL cluster keeps its own)', async () => {
    const r = await one.withOrg({ organisationId: (await newOrganisation(h)).id }, (trx) =>
      sql<{ wal: string; timeout: string }>`select current_setting('max_wal_size') as wal, current_setting('checkpoint_timeout') as timeout`.execute(trx),
    );
    // CI's PostgreSQL 15 (DATABASE_URL) runs PostgreSQL's own defaults: 1 GB of WAL, 5 min.
    expect(r.rows[0]).toEqual(process.env.DATABASE_URL ? { wal: '1GB', timeout: '5min' } : { wal: '4GB', timeout: '15min' });
  });
});
