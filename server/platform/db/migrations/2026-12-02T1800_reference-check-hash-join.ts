// Why (issue 12, import speed; ADR 0029): the statement-level reference check set a statement's
// parents against the parent table through a CTE that row-level security filtered by
// organisation; the planner took that filter for a selective one (50 rows expected out of
// 100,000) and looked every parent up by index, one probe each (`EXPLAIN ANALYZE` through
// auto_explain). Measured alone (docs/benchmarks.md, 2026-12-02): re-inserting 200,000 leases
// whose households and units the same transaction wrote took 5.4–5.9 s with that check and
// 2.2–2.8 s with this one. The parents are now set against the statement's rows in one
// left join, which the organisation filter cannot narrow (it is on the parent's side of an outer
// join): a big statement gets a hash join over the organisation's parents, a statement of a few
// rows keeps its index look-ups. The parents another transaction wrote are locked in a second
// statement, run only when there are some (an import's own parents need none). Same rules, same
// error as before.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A statement's new rows (transition table new_rows): every parent they name exists, and the
    -- parents another transaction could delete are locked. Arguments: reference column, parent table.
    create or replace function lien_reference_check() returns trigger language plpgsql as $$
    declare
      wanted bigint;
      present bigint;
      others bigint;
      locked bigint;
    begin
      execute format($q$
        select count(*), count(p.id), count(p.id) filter (where p.xmin <> pg_current_xact_id()::xid)
        from (select distinct organisation_id, %1$I as id from new_rows where %1$I is not null) w
        left join %3$I.%2$I p on p.organisation_id = w.organisation_id and p.id = w.id$q$,
        tg_argv[0], tg_argv[1], tg_table_schema) into wanted, present, others;
      if present = wanted and others > 0 then
        execute format($q$
          select count(*) from (select 1 from %3$I.%2$I p
            where (p.organisation_id, p.id) in (select organisation_id, %1$I from new_rows) and p.xmin <> pg_current_xact_id()::xid
            for key share of p) l$q$,
          tg_argv[0], tg_argv[1], tg_table_schema) into locked;
      end if;
      if present < wanted or coalesce(locked, 0) < others then
        raise foreign_key_violation using message = format('insert or update on table "%s" refers to a row of "%s" that does not exist', tg_table_name, tg_argv[1]);
      end if;
      return null;
    end $$;
  `.execute(db);
}
