// Why (issue 14, « Cases »): a need heard on a call or at the door used to open a follow-up that
// could only be closed. Case work needs more: a case per household and kind of need (type,
// origin, status — open, waiting for a partner, waiting for the tenant, closed with an outcome —,
// an assignee), tasks with due dates, and notes. The follow-ups stay as the trace of each need
// heard (who raised it, `raised_by`, and on which call) and now belong to a case (`case_id`): a need heard on a call
// joins the open case of the same type of its household, or opens one (one open case per
// household and type, a unique index). Every existing follow-up is mapped to a case here: the
// open ones of a household grouped by type, each closed one to a closed case with its resolution.
//
// Notes of type health or violence are readable only by social workers and managers, whatever the
// code asks: a restrictive policy on `case_notes` checks the role of the transaction's user
// (`lien.user_id`). The right-of-access export and the erasure count read them all, by setting
// `lien.case_notes_all` for their transaction only (server/modules/followups/cases.repository.ts).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table cases (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      household_id uuid not null,
      agency_id uuid not null,
      type text not null check (type in ('isolation', 'food', 'health', 'rent', 'technical', 'violence', 'other')),
      origin text not null check (origin in ('call', 'doorstep', 'outreach', 'tenant_request', 'staff')),
      status text not null default 'open' check (status in ('open', 'waiting_partner', 'waiting_tenant', 'closed')),
      outcome text check (outcome in ('resolved', 'referred', 'refused', 'unreachable', 'no_longer_needed', 'other')),
      outcome_note text check (length(outcome_note) <= 500),
      urgent boolean not null default false,
      -- The earliest due date of its open tasks, kept by a trigger on case_tasks (the board's order).
      next_due date,
      assigned_to uuid,
      opened_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz,
      closed_by uuid,
      check ((status = 'closed') = (outcome is not null and closed_at is not null)),
      unique (organisation_id, id),
      foreign key (organisation_id, household_id) references households (organisation_id, id),
      foreign key (organisation_id, assigned_to) references users (organisation_id, id)
    );
    -- One open case per household and type: a need heard joins it.
    create unique index cases_open_type_idx on cases (organisation_id, household_id, type) where status <> 'closed';
    create index cases_board_idx on cases (organisation_id, status, agency_id, created_at);
    -- The board reads the cases not closed in its order (urgent first, next due date, age) and stops at a page.
    create index cases_board_order_idx on cases (organisation_id, urgent desc, next_due asc nulls last, created_at) where status <> 'closed';
    create index cases_assignee_idx on cases (organisation_id, assigned_to, status, created_at) where assigned_to is not null;
    create index cases_household_idx on cases (organisation_id, household_id, created_at);
    create index cases_closed_idx on cases (organisation_id, closed_at) where closed_at is not null;

    create table case_tasks (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      case_id uuid not null,
      title text not null check (length(title) between 2 and 200),
      due_on date,
      remind boolean not null default true,
      done_at timestamptz,
      done_by uuid,
      created_by uuid,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, case_id) references cases (organisation_id, id) on delete cascade
    );
    create index case_tasks_case_idx on case_tasks (organisation_id, case_id);
    -- The board's « overdue first »: the earliest open due date of each case.
    create index case_tasks_open_due_idx on case_tasks (organisation_id, case_id, due_on) where done_at is null;
    create function lien_case_next_due() returns trigger language plpgsql as $$
    begin
      update cases c set next_due = (select min(t.due_on) from case_tasks t where t.case_id = c.id and t.done_at is null)
        where c.id in (select (case when tg_op = 'DELETE' then old.case_id else new.case_id end));
      return null;
    end $$;
    create trigger case_tasks_next_due after insert or update of due_on, done_at or delete on case_tasks
      for each row execute function lien_case_next_due();

    create table case_notes (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      case_id uuid not null,
      kind text not null default 'general' check (kind in ('general', 'health', 'violence')),
      body text not null check (length(body) between 1 and 1000),
      author_id uuid,
      created_at timestamptz not null default now(),
      unique (organisation_id, id),
      foreign key (organisation_id, case_id) references cases (organisation_id, id) on delete cascade
    );
    create index case_notes_case_idx on case_notes (organisation_id, case_id, created_at);

    alter table followups add column case_id uuid;
    -- Who raised the need (the caller of the call, the caretaker at the door): the transaction's user.
    alter table followups add column raised_by uuid default nullif(current_setting('lien.user_id', true), '')::uuid;
    create index followups_raised_by_idx on followups (organisation_id, raised_by, created_at desc) where raised_by is not null;
    alter table followups add foreign key (organisation_id, case_id) references cases (organisation_id, id) on delete cascade;
    create index followups_case_idx on followups (organisation_id, case_id);

    -- Whether the transaction's user may read notes of type health or violence.
    create function lien_reads_sensitive_notes() returns boolean language sql stable as $$
      select coalesce(current_setting('lien.case_notes_all', true), '') = 'on'
        or exists (select 1 from users u where u.id = nullif(current_setting('lien.user_id', true), '')::uuid
                   and u.role in ('social_worker', 'manager'))
    $$;
  `.execute(db);
  for (const table of ['cases', 'case_tasks', 'case_notes']) await isolate(table).execute(db);
  await sql`
    create policy case_notes_sensitive on case_notes as restrictive
      using (kind = 'general' or lien_reads_sensitive_notes())
      with check (kind = 'general' or lien_reads_sensitive_notes());

    -- Every follow-up to a case. The type: a health need (under consent, or a hospitalisation), else
    -- the category of the need in its campaign's script, else « other ».
    create temporary table followup_types on commit drop as
      select f.id, f.organisation_id, f.household_id, f.agency_id, f.status, f.urgent, f.assigned_to, f.created_at, f.closed_at, f.closed_by,
        f.resolution, case when f.attempt_id is null then 'doorstep' else 'call' end as origin,
        case when f.status = 'closed' then lien_uuid_v7() end as closed_case_id,
        case
          when f.consent_id is not null or f.need = 'hospitalisation' then 'health'
          else coalesce((
            select case r->>'category' when 'daily_life' then 'food' when 'social' then 'isolation' when 'rent' then 'rent' when 'health' then 'health' end
            from campaigns c, jsonb_array_elements(c.script->'questions') q, jsonb_array_elements(q->'rules') r
            where c.id = f.campaign_id and r->>'effect' = 'need' and r->>'need' = f.need limit 1), 'other')
        end as type
      from followups f;

    -- Closed follow-ups: one closed case each, with the resolution as the outcome's note.
    insert into cases (id, organisation_id, household_id, agency_id, type, origin, status, outcome, outcome_note, urgent, assigned_to,
                       created_at, updated_at, closed_at, closed_by)
      select t.closed_case_id, t.organisation_id, t.household_id, t.agency_id, t.type, t.origin, 'closed', 'resolved', t.resolution, t.urgent, t.assigned_to,
        t.created_at, coalesce(t.closed_at, t.created_at), coalesce(t.closed_at, t.created_at), t.closed_by
      from followup_types t where t.status = 'closed';
    update followups f set case_id = t.closed_case_id from followup_types t where t.id = f.id and t.status = 'closed';

    -- Open follow-ups: one open case per household and type, from the first need heard.
    insert into cases (organisation_id, household_id, agency_id, type, origin, urgent, assigned_to, created_at, updated_at)
      select distinct on (t.organisation_id, t.household_id, t.type) t.organisation_id, t.household_id, t.agency_id, t.type, t.origin,
        bool_or(t.urgent) over w, (array_agg(t.assigned_to) filter (where t.assigned_to is not null) over w)[1], t.created_at, t.created_at
      from followup_types t where t.status = 'open'
      window w as (partition by t.organisation_id, t.household_id, t.type order by t.created_at rows between unbounded preceding and unbounded following)
      order by t.organisation_id, t.household_id, t.type, t.created_at;
    update followups f set case_id = c.id from followup_types t, cases c
      where t.id = f.id and t.status = 'open' and c.organisation_id = t.organisation_id and c.household_id = t.household_id
        and c.type = t.type and c.status = 'open';

    alter table followups alter column case_id set not null;

    -- A follow-up written without its case (a statement of another path, a test's seed) joins one
    -- all the same, by the rules above: the open case of its household and type, or a new one; a
    -- follow-up written closed gets a closed case of its own. openFollowup passes its case.
    create function lien_followup_joins_case() returns trigger language plpgsql as $$
    declare t text;
    begin
      if new.case_id is not null then return new; end if;
      t := case
        when new.consent_id is not null or new.need = 'hospitalisation' then 'health'
        else coalesce((
          select case r->>'category' when 'daily_life' then 'food' when 'social' then 'isolation' when 'rent' then 'rent' when 'health' then 'health' end
          from campaigns c, jsonb_array_elements(c.script->'questions') q, jsonb_array_elements(q->'rules') r
          where c.id = new.campaign_id and r->>'effect' = 'need' and r->>'need' = new.need limit 1), 'other')
      end;
      if new.status = 'closed' then
        insert into cases (organisation_id, household_id, agency_id, type, origin, status, outcome, outcome_note, urgent, assigned_to, opened_by,
                           created_at, updated_at, closed_at, closed_by)
          values (new.organisation_id, new.household_id, new.agency_id, t, case when new.attempt_id is null then 'doorstep' else 'call' end,
                  'closed', 'resolved', new.resolution, new.urgent, new.assigned_to, new.raised_by, new.created_at,
                  coalesce(new.closed_at, new.created_at), coalesce(new.closed_at, new.created_at), new.closed_by)
          returning id into new.case_id;
      else
        insert into cases (organisation_id, household_id, agency_id, type, origin, urgent, assigned_to, opened_by, created_at, updated_at)
          values (new.organisation_id, new.household_id, new.agency_id, t, case when new.attempt_id is null then 'doorstep' else 'call' end,
                  new.urgent, new.assigned_to, new.raised_by, new.created_at, new.created_at)
          on conflict (organisation_id, household_id, type) where status <> 'closed'
          do update set urgent = cases.urgent or excluded.urgent, updated_at = now()
          returning id into new.case_id;
      end if;
      return new;
    end $$;
    create trigger followups_join_case before insert on followups for each row execute function lien_followup_joins_case();
    update followups f set raised_by = a.caller_id from call_attempts a where a.id = f.attempt_id;
  `.execute(db);
}
