// Why: « Appeler le suivant » then « Rendre » in a loop handed one volunteer 25 households in
// 0.4 s: names and phones could be harvested. Each campaign now sets how many households a caller
// may hand back, and claim, per hour (a claims ceiling a real caller never reaches); past it
// « next » hands nothing until the oldest counted one is an hour old, and the managers are alerted.
// The counts live in PostgreSQL (several server processes may run): one row per claim, hand-back
// and alert in `campaign_caller_events`, kept a day. `campaign_next_call` (same body as
// 2026-11-25T0100 otherwise) checks them under the caller lock before claiming and logs the claim.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table campaigns add column caller_limits jsonb not null default '{"releasesPerHour": 5, "claimsPerHour": 60}'
      check (jsonb_typeof(caller_limits -> 'releasesPerHour') = 'number' and jsonb_typeof(caller_limits -> 'claimsPerHour') = 'number');

    -- What a caller did in a campaign, for the hourly limits only (the audit trail keeps the rest).
    create table campaign_caller_events (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null,
      campaign_id uuid not null,
      user_id uuid not null,
      kind text not null check (kind in ('claim', 'release', 'alert')),
      at timestamptz not null,
      foreign key (organisation_id, campaign_id) references campaigns (organisation_id, id) on delete cascade
    );
    create index campaign_caller_events_caller_idx on campaign_caller_events (organisation_id, campaign_id, user_id, kind, at);
    create index campaign_caller_events_at_idx on campaign_caller_events (organisation_id, at);
  `.execute(db);
  await isolate('campaign_caller_events').execute(db);
  await sql`
    create or replace function campaign_next_call(p_org uuid, p_user uuid, p_role text, p_ip text, p_campaign uuid, p_now timestamptz,
        p_charter_version text, p_charter_required boolean, p_window_open boolean, p_windows jsonb) returns jsonb
      language plpgsql volatile set search_path = public, pg_temp as $$
      declare
        st record;
        v_state jsonb;
        v_target uuid;
        v_card jsonb;
        v_limit integer;
        v_kind text;
        v_until timestamptz;
      begin
        if current_setting('lien.org_id', true) not in ('', p_org::text) then raise exception 'organisation mismatch'; end if;
        perform set_config('lien.org_id', p_org::text, true), set_config('lien.user_id', p_user::text, true);
        -- A double tap sends two « next » at once: one at a time per caller and campaign, so the
        -- second finds the household the first one claimed instead of claiming another.
        perform pg_advisory_xact_lock(hashtextextended('next:' || p_campaign || ':' || p_user, 0));
        select c.status, c.retry_policy, c.call_windows, c.claim_timeout_minutes, c.caller_limits,
          exists (select 1 from campaign_callers cc where cc.campaign_id = c.id and cc.user_id = p_user) as in_pool,
          exists (select 1 from charter_acceptances ca where ca.user_id = p_user and ca.version = p_charter_version) as charter,
          (select t.id from campaign_targets t where t.campaign_id = c.id and t.status = 'assigned' and t.assigned_to = p_user
             and t.claim_expires_at > p_now limit 1) as held,
          exists (select 1 from campaign_targets t where t.campaign_id = c.id and t.status = 'waiting' and t.callback_user_id = p_user
             and t.next_attempt_at <= p_now) as own_callback_due,
          exists (select 1 from campaign_targets t where t.campaign_id = c.id and t.status = 'waiting' and t.callback_user_id is not null
             and t.next_attempt_at < p_now - interval '15 minutes') as overdue_callback
        into st from campaigns c where c.id = p_campaign;
        if not found then return null; end if;
        v_state := jsonb_build_object('status', st.status, 'call_windows', st.call_windows, 'retry_policy', st.retry_policy,
          'in_pool', st.in_pool, 'charter', st.charter);
        if not st.in_pool or (p_charter_required and not st.charter) or st.status <> 'active' then
          return jsonb_build_object('state', v_state);
        end if;

        if st.held is not null then
          -- A page reload hands the same household again.
          v_card := campaign_call_card(st.held);
          if v_card is null then raise exception 'call card of target % not found', st.held; end if;
          insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, ip, details)
            values (p_org, p_user, p_role, 'call.claimed', 'household', (v_card->>'household_id')::uuid, p_ip,
              jsonb_build_object('targetId', st.held, 'again', true));
          return jsonb_build_object('state', v_state, 'card', v_card);
        end if;
        if p_window_open is not true or st.call_windows is distinct from p_windows then return jsonb_build_object('state', v_state); end if;

        -- One household at a time must mean it: past the campaign's hourly allowance of hand-backs
        -- or of claims, nothing more is handed until the oldest counted one is an hour old. Under the
        -- caller lock, so a double tap cannot slip past it.
        foreach v_kind in array array['release', 'claim'] loop
          v_limit := (st.caller_limits ->> case v_kind when 'release' then 'releasesPerHour' else 'claimsPerHour' end)::int;
          select e.at + interval '1 hour' into v_until from campaign_caller_events e
            where e.organisation_id = p_org and e.campaign_id = p_campaign and e.user_id = p_user and e.kind = v_kind
              and e.at > p_now - interval '1 hour'
            order by e.at desc offset v_limit - 1 limit 1;
          if found then
            return jsonb_build_object('state', v_state,
              'limited', jsonb_build_object('kind', v_kind, 'limit', v_limit, 'until', to_char(v_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
          end if;
        end loop;

        -- The caller's own callbacks, then anyone's a quarter of an hour late: the time the tenant asked for comes first.
        -- An objection recorded after the launch is honoured at once (not exists … no_call).
        if st.own_callback_due or st.overdue_callback then
          update campaign_targets t set status = 'assigned', assigned_to = p_user, assigned_at = p_now,
              claim_expires_at = p_now + make_interval(mins => st.claim_timeout_minutes), updated_at = p_now
            from (select id from campaign_targets q
                  where q.campaign_id = p_campaign and q.status = 'waiting' and q.callback_user_id is not null and q.next_attempt_at <= p_now
                    and (q.callback_user_id = p_user or q.next_attempt_at < p_now - interval '15 minutes')
                    and not exists (select 1 from objections o where o.household_id = q.household_id and o.kind = 'no_call')
                  order by (q.callback_user_id = p_user) desc, q.next_attempt_at limit 1 for update skip locked) pick
            where t.id = pick.id returning t.id into v_target;
        end if;
        -- Only callable rows are queued: the scan follows the index order and stops at the first free row.
        if v_target is null then
          update campaign_targets t set status = 'assigned', assigned_to = p_user, assigned_at = p_now,
              claim_expires_at = p_now + make_interval(mins => st.claim_timeout_minutes), updated_at = p_now
            from (select id from campaign_targets q
                  where q.campaign_id = p_campaign and q.status = 'queued'
                    and not exists (select 1 from objections o where o.household_id = q.household_id and o.kind = 'no_call')
                  order by q.priority desc, q.last_contact_at asc nulls first, q.id limit 1 for update skip locked) pick
            where t.id = pick.id returning t.id into v_target;
        end if;
        -- The queue is empty: a retry that came due since the last maintenance pass, then a call
        -- abandoned past its timeout — one row at a time, so concurrent callers never wait on each other.
        if v_target is null then
          update campaign_targets t set status = 'assigned', assigned_to = p_user, assigned_at = p_now,
              claim_expires_at = p_now + make_interval(mins => st.claim_timeout_minutes), updated_at = p_now
            from (select id from campaign_targets q
                  where q.campaign_id = p_campaign and q.status = 'waiting' and q.next_attempt_at <= p_now and q.callback_user_id is null
                    and not exists (select 1 from objections o where o.household_id = q.household_id and o.kind = 'no_call')
                  order by q.next_attempt_at limit 1 for update skip locked) pick
            where t.id = pick.id returning t.id into v_target;
        end if;
        if v_target is null then
          update campaign_targets t set status = 'assigned', assigned_to = p_user, assigned_at = p_now,
              claim_expires_at = p_now + make_interval(mins => st.claim_timeout_minutes), updated_at = p_now
            from (select id from campaign_targets q
                  where q.campaign_id = p_campaign and q.status = 'assigned' and q.claim_expires_at < p_now
                    and not exists (select 1 from objections o where o.household_id = q.household_id and o.kind = 'no_call')
                  order by q.claim_expires_at limit 1 for update skip locked) pick
            where t.id = pick.id returning t.id into v_target;
        end if;
        if v_target is null then return jsonb_build_object('state', v_state); end if;

        insert into campaign_caller_events (organisation_id, campaign_id, user_id, kind, at) values (p_org, p_campaign, p_user, 'claim', p_now);
        v_card := campaign_call_card(v_target);
        if v_card is null then raise exception 'call card of target % not found', v_target; end if;
        -- The household's access log shows who was given it (TRUST DP-11).
        insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, ip, details)
          values (p_org, p_user, p_role, 'call.claimed', 'household', (v_card->>'household_id')::uuid, p_ip, jsonb_build_object('targetId', v_target));
        return jsonb_build_object('state', v_state, 'card', v_card);
      end
    $$;
  `.execute(db);
}
