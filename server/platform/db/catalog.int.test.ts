import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, newOrganisation, newUser, startHarness, type TestOrg } from '../../test/harness.ts';
import { tables } from './tables.ts';

let h: Harness;
let orgA: TestOrg;
let orgB: TestOrg;

beforeAll(async () => {
  h = await startHarness();
  orgA = await newOrganisation(h);
  orgB = await newOrganisation(h);
});
afterAll(() => h.close());

/**
 * SECURITY DEFINER functions the app may call: reviewed, each returns ids only, but for
 * `lien_purge_audit` (retention, TRUST DP-02), which returns a count and deletes only the current
 * organisation's audit events older than its security rule (twelve months by default, six at least),
 * and `lien_landlord_by_slug` (federations, issue 18), which returns a landlord's id and name (a
 * federation's administrator adds a member by its identifier; never a federation, nothing else);
 * `lien_volunteer_page` (issue 17), which gives the organisation of an open volunteer sign-up page
 * from its slug (the public page has no session), its name and presentation, nothing else;
 * `lien_portal_landlord` (issue 16), which gives a landlord's id and name from its slug, for the
 * tenant portal's sign-in page (no session yet), nothing else.
 */
const definerAllowList = [
  'auth_resolve_session',
  'auth_token_by_hash',
  'auth_user_by_email',
  'lien_analyze_campaign_targets',
  // A call for help's public answer page finds its organisation by the token's hash (issue 17).
  'lien_help_answer_org',
  'lien_landlord_by_slug',
  'lien_organisation_ids',
  'lien_portal_landlord',
  'lien_purge_audit',
  // Appointments (issue 16, ADR 0023): a slot's seats taken and waiting-list length, two counts of one slot of the current
  // organisation, for a tenant's transaction that sees only its own household's bookings (the capacity is counted by all).
  'lien_slot_seats',
  'lien_volunteer_page',
  // SMS callbacks arrive without an organisation (issue 15): message and organisation ids by Brevo's id or the outbox tag, and by number.
  'outbox_message_by_provider_id',
  'outbox_sms_senders_of',
];

describe('organisation isolation in the catalog (MT-01, MT-02)', () => {
  it('every table with organisation_id has RLS enabled and forced, with USING and WITH CHECK', async () => {
    const { rows } = await h.owner.query(`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity,
        (select count(*) from pg_policies p where p.tablename = c.relname and p.schemaname = 'public' and p.qual is not null and p.with_check is not null) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and (exists (select 1 from information_schema.columns col where col.table_schema = 'public' and col.table_name = c.relname and col.column_name = 'organisation_id')
             or c.relname = 'organisations')`);
    expect(rows.length).toBeGreaterThan(10);
    const failing = rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity || Number(r.policies) < 1).map((r) => r.relname);
    expect(failing).toEqual([]);
  });

  it('every table with organisation_id has it NOT NULL and an index leading with it', async () => {
    const { rows } = await h.owner.query(`
      select t.table_name, t.is_nullable,
        exists (select 1 from pg_index i join pg_class c on c.oid = i.indrelid
                join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
                where c.relname = t.table_name and a.attname = 'organisation_id') as indexed
      from information_schema.columns t where t.table_schema = 'public' and t.column_name = 'organisation_id'`);
    expect(rows.filter((r) => r.is_nullable !== 'NO' || !r.indexed).map((r) => r.table_name)).toEqual([]);
  });

  it('the app role is not superuser, cannot bypass RLS and owns nothing', async () => {
    const { rows } = await sql<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>`
      select rolsuper, rolbypassrls,
        (select count(*)::int from pg_class where relowner = (select oid from pg_roles where rolname = current_user)) as owned
      from pg_roles where rolname = current_user`.execute(h.database.db);
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('no view or function in the app schema is owned by a superuser, and definer functions match the allow-list', async () => {
    const views = await h.owner.query(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_roles r on r.oid = c.relowner where n.nspname = 'public' and c.relkind in ('v', 'm') and r.rolsuper`,
    );
    expect(views.rows).toEqual([]);
    const functions = await h.owner.query(
      `select p.proname, p.prosecdef, r.rolsuper from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_roles r on r.oid = p.proowner where n.nspname = 'public' and p.prokind = 'f' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`,
    );
    expect(functions.rows.filter((f) => f.rolsuper)).toEqual([]);
    expect(
      functions.rows
        .filter((f) => f.prosecdef)
        .map((f) => f.proname)
        .sort(),
    ).toEqual(definerAllowList);
  });
});

describe('one owner per table (issue 10)', () => {
  it('every table of the public schema has its owning module in server/platform/db/tables.ts, and the map names no table that is gone', async () => {
    const { rows } = await h.owner.query(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')`,
    );
    const inDatabase = rows.map((r) => r.relname as string).sort();
    expect(inDatabase.filter((t) => !Object.hasOwn(tables, t))).toEqual([]);
    expect(Object.keys(tables).filter((t) => !inDatabase.includes(t))).toEqual([]);
  });
});

describe('fail closed without an organisation (MT-03)', () => {
  it('a query without the setting sees zero rows', async () => {
    await newUser(h, orgA, 'staff');
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from users`.execute(h.database.db);
    expect(rows[0]?.n).toBe(0);
    expect(await h.owner.query('select count(*)::int as n from users').then((r) => r.rows[0].n)).toBeGreaterThan(0);
  });

  it('a pooled connection just used by organisation A sees nothing afterwards', async () => {
    const pool = new pg.Pool({ connectionString: inject('appUrl'), max: 1 });
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('lien.org_id', $1, true)`, [orgA.id]);
      const inside = await client.query('select count(*)::int as n from agencies');
      await client.query('commit');
      expect(inside.rows[0].n).toBe(2);
      const after = await client.query('select count(*)::int as n from agencies');
      expect(after.rows[0].n).toBe(0);
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('inside organisation A, rows of B are invisible', async () => {
    const ids = await h.database.withOrg({ organisationId: orgA.id }, (trx) => trx.selectFrom('agencies').select('organisation_id').execute());
    expect(new Set(ids.map((r) => r.organisation_id))).toEqual(new Set([orgA.id]));
  });
});

describe('cross-organisation writes are impossible (MT-05)', () => {
  it('an insert with another organisation id fails WITH CHECK', async () => {
    await expect(
      h.database.withOrg({ organisationId: orgA.id }, (trx) =>
        trx.insertInto('agencies').values({ organisation_id: orgB.id, code: 'X', name: 'Intrus', duty_phone: null }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('an update cannot move a row to another organisation', async () => {
    await expect(
      h.database.withOrg({ organisationId: orgA.id }, (trx) =>
        trx
          .updateTable('agencies')
          .set({ organisation_id: orgB.id })
          .where('id', '=', orgA.agencyIds[0] as string)
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('a foreign key to another organisation row is rejected (composite keys)', async () => {
    const userA = await newUser(h, orgA, 'staff');
    await expect(
      h.database.withOrg({ organisationId: orgA.id }, (trx) =>
        trx
          .insertInto('user_agencies')
          .values({ organisation_id: orgA.id, user_id: userA.id, agency_id: orgB.agencyIds[0] as string })
          .execute(),
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('the same external reference may exist in two organisations', async () => {
    for (const org of [orgA, orgB]) {
      await h.database.withOrg({ organisationId: org.id }, (trx) =>
        trx.insertInto('agencies').values({ organisation_id: org.id, code: 'SAME', name: 'Même code', duty_phone: null }).execute(),
      );
    }
    expect(await h.owner.query(`select count(*)::int as n from agencies where code = 'SAME'`).then((r) => r.rows[0].n)).toBe(2);
  });
});

describe('append-only audit trail (DP-11)', () => {
  it('the app role cannot update or delete audit events', async () => {
    await expect(h.database.withOrg({ organisationId: orgA.id }, (trx) => sql`update audit_events set action = 'x'`.execute(trx))).rejects.toThrow(
      /permission denied/,
    );
    await expect(h.database.withOrg({ organisationId: orgA.id }, (trx) => sql`delete from audit_events`.execute(trx))).rejects.toThrow(/permission denied/);
  });
});

describe('the app role writes nothing but what the application needs (MT-02)', () => {
  it('cannot read or change the migration history or its lock', async () => {
    for (const statement of [
      `insert into kysely_migration (name, timestamp) values ('2099-01-01_forged', now()::text)`,
      `update kysely_migration set name = name`,
      `delete from kysely_migration`,
      `select * from kysely_migration`,
      `update kysely_migration_lock set is_locked = 1`,
      `delete from kysely_migration_lock`,
      `insert into kysely_migration_lock (id, is_locked) values ('forged', 0)`,
    ]) {
      await expect(sql.raw(statement).execute(h.database.db), statement).rejects.toThrow(/permission denied/);
    }
    const owner = await h.owner.query('select count(*)::int as n from kysely_migration');
    expect(owner.rows[0].n).toBeGreaterThan(5);
  });

  it('may write no table of the schema outside the organisations’ data, save a reviewed few', async () => {
    // Tables with organisation_id are the application's data, under RLS. Any other table the
    // app role can write (as the migration history could) must be added here knowingly.
    const writableGlobals = ['auth_throttle', 'organisations'];
    const { rows } = await h.owner.query(`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
        and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'organisation_id' and not a.attisdropped)
        and (has_table_privilege('lien_app', c.oid, 'INSERT') or has_table_privilege('lien_app', c.oid, 'UPDATE')
             or has_table_privilege('lien_app', c.oid, 'DELETE') or has_table_privilege('lien_app', c.oid, 'TRUNCATE'))
      order by 1`);
    expect(rows.map((r) => r.relname)).toEqual(writableGlobals);
  });
});

describe('the app role only enqueues jobs (MT-02)', () => {
  it('cannot change or delete jobs of the queue, nor add queues, schedules or subscriptions', async () => {
    for (const statement of [
      `update pgboss.job set data = '{}'::jsonb`,
      `delete from pgboss.job`,
      `update pgboss.queue set retry_limit = 0`,
      `truncate pgboss.job`,
      `insert into pgboss.queue (name, policy, table_name) values ('pirate', 'standard', 'job_common')`,
      `insert into pgboss.schedule (name, key, cron, timezone, data, options) values ('outbox-send', '', '* * * * *', 'UTC', '{}', '{}')`,
      `insert into pgboss.subscription (event, name) values ('pirate', 'outbox-send')`,
    ]) {
      await expect(sql.raw(statement).execute(h.database.db), statement).rejects.toThrow(/permission denied/);
    }
  });
});
