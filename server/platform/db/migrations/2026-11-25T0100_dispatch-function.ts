// Why: « Appeler le suivant » took nine round trips (session, begin, settings, caller lock,
// caller state, claim, call card, audit, commit); on 2 cores the dispatch benchmark spent its
// time switching between the server and PostgreSQL. One invoker function (RLS applies: it runs
// as the application role) now does the caller lock, the checks, the claim, the audit event and
// the call card in one statement; recording an outcome reads its context in one and writes the
// attempt, the target, the contact, the doorstep visit, the outcome's follow-up and the audit in
// another (needs, consents and emergencies add their rows in a transaction around it). The rules
// are those of ADR 0007; the service keeps the decisions that need the calendar (call windows,
// retries) and the field allow-list of the card. Session resolution and the card become PL/pgSQL,
// whose plans a connection keeps (a SQL function's are made again at every call).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Everything the caller's page may show about a claimed household; the service filters it per role.
    -- PL/pgSQL (not SQL): its plan is kept by the connection instead of made at every call.
    create function campaign_call_card(p_target uuid) returns jsonb
      language plpgsql stable set search_path = public, pg_temp as $$
      begin
        return (with contact as (
          select p.id, p.first_name, p.last_name from persons p
          where p.household_id = (select household_id from campaign_targets where id = p_target)
          order by exists (select 1 from contact_points c where c.person_id = p.id and c.kind <> 'email') desc,
            array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date limit 1
        )
        select jsonb_build_object(
          'target_id', t.id, 'agency_id', t.agency_id, 'campaign_id', c.id, 'campaign_name', c.name, 'script', c.script,
          'attempts', t.attempts, 'callback', t.callback_user_id is not null,
          'claim_expires_at', to_char(t.claim_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'claim_version', (extract(epoch from t.assigned_at) * 1000000)::bigint, 'tried_slots', t.tried_slots,
          'campaign_version', (extract(epoch from c.updated_at) * 1000000)::bigint,
          'household_id', h.id, 'erp_ref', h.erp_ref, 'age', extract(year from age(h.oldest_birth_date))::int,
          'address', coalesce(r.address || ', ', '') || coalesce(r.postal_code || ' ', '') || coalesce(r.city, ''),
          'duty_phone', a.duty_phone,
          'first_name', (select first_name from contact), 'last_name', (select last_name from contact),
          'phones', (select jsonb_agg(jsonb_build_object('kind', cp.kind, 'number', cp.value) order by (cp.source = 'staff') desc, cp.kind = 'landline')
             from contact_points cp where cp.person_id = (select id from contact) and cp.kind <> 'email'),
          'indicators', array(select distinct v.kind from vulnerability_indicators v where v.household_id = h.id))
        from campaign_targets t join campaigns c on c.id = t.campaign_id join households h on h.id = t.household_id
          join residences r on r.id = t.residence_id join agencies a on a.id = t.agency_id
        where t.id = p_target);
      end
    $$;

    -- « Appeler le suivant » in one statement. p_window_open: whether now is inside the call
    -- windows p_windows, as the service last saw them; nothing is claimed unless they are still
    -- the campaign's (the state returned tells them). Returns { state, card } (card null when
    -- nothing was handed). The organisation must be the transaction's when one is set already.
    create function campaign_next_call(p_org uuid, p_user uuid, p_role text, p_ip text, p_campaign uuid, p_now timestamptz,
        p_charter_version text, p_charter_required boolean, p_window_open boolean, p_windows jsonb) returns jsonb
      language plpgsql volatile set search_path = public, pg_temp as $$
      declare
        st record;
        v_state jsonb;
        v_target uuid;
        v_card jsonb;
      begin
        if current_setting('lien.org_id', true) not in ('', p_org::text) then raise exception 'organisation mismatch'; end if;
        perform set_config('lien.org_id', p_org::text, true), set_config('lien.user_id', p_user::text, true);
        -- A double tap sends two « next » at once: one at a time per caller and campaign, so the
        -- second finds the household the first one claimed instead of claiming another.
        perform pg_advisory_xact_lock(hashtextextended('next:' || p_campaign || ':' || p_user, 0));
        select c.status, c.retry_policy, c.call_windows, c.claim_timeout_minutes,
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

        v_card := campaign_call_card(v_target);
        if v_card is null then raise exception 'call card of target % not found', v_target; end if;
        -- The household's access log shows who was given it (TRUST DP-11).
        insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, ip, details)
          values (p_org, p_user, p_role, 'call.claimed', 'household', (v_card->>'household_id')::uuid, p_ip, jsonb_build_object('targetId', v_target));
        return jsonb_build_object('state', v_state, 'card', v_card);
      end
    $$;

    -- What recording an outcome needs, read without a lock: the claim (status, holder, its
    -- version), the household and the campaign's script, retry policy and windows.
    create function campaign_call_context(p_org uuid, p_target uuid) returns jsonb
      language plpgsql stable set search_path = public, pg_temp as $$
      begin
        if current_setting('lien.org_id', true) not in ('', p_org::text) then raise exception 'organisation mismatch'; end if;
        perform set_config('lien.org_id', p_org::text, true);
        return (select jsonb_build_object('status', t.status, 'assigned_to', t.assigned_to,
            'claim_version', (extract(epoch from t.assigned_at) * 1000000)::bigint, 'attempts', t.attempts, 'tried_slots', t.tried_slots,
            'campaign_version', (extract(epoch from c.updated_at) * 1000000)::bigint,
            'campaign_id', t.campaign_id, 'household_id', t.household_id, 'agency_id', t.agency_id,
            'campaign', jsonb_build_object('name', c.name, 'script', c.script, 'retry_policy', c.retry_policy, 'call_windows', c.call_windows))
          from campaign_targets t join campaigns c on c.id = t.campaign_id where t.id = p_target);
      end
    $$;

    -- Record an outcome: lock the target, check the claim is still this caller's and the campaign
    -- unchanged (the versions read by campaign_call_context or handed with the card), insert the attempt, settle the target (p_settle: done,
    -- retry, callback, doorstep), note the contact, open the outcome's follow-up and the doorstep
    -- visit, and the audit event unless p_audit is null (the service then writes it after the
    -- needs). Returns the attempt id, or null when either version changed (nothing written).
    create function campaign_record_outcome(p_org uuid, p_user uuid, p_role text, p_ip text, p_target uuid, p_now timestamptz,
        p_claim_version bigint, p_campaign_version bigint, p_outcome text, p_slot text, p_callback_at timestamptz, p_answers jsonb, p_note text, p_note_flags text[],
        p_urgent boolean, p_settle text, p_next_attempt_at timestamptz, p_tried_slots text[], p_followup_need text, p_followup_label text,
        p_audit jsonb) returns uuid
      language plpgsql volatile set search_path = public, pg_temp as $$
      declare
        t campaign_targets;
        v_attempt uuid;
      begin
        if current_setting('lien.org_id', true) not in ('', p_org::text) then raise exception 'organisation mismatch'; end if;
        perform set_config('lien.org_id', p_org::text, true), set_config('lien.user_id', p_user::text, true);
        select * into t from campaign_targets where id = p_target for update;
        if not found or t.status <> 'assigned' or t.assigned_to is distinct from p_user
           or (extract(epoch from t.assigned_at) * 1000000)::bigint is distinct from p_claim_version
           or (select (extract(epoch from c.updated_at) * 1000000)::bigint from campaigns c where c.id = t.campaign_id) is distinct from p_campaign_version then
          return null;
        end if;
        insert into call_attempts (organisation_id, campaign_id, target_id, household_id, caller_id, claimed_at, recorded_at, outcome, slot,
            callback_at, answers, note, note_flags, note_review, urgent)
          values (p_org, t.campaign_id, t.id, t.household_id, p_user, coalesce(t.assigned_at, p_now), p_now, p_outcome, p_slot,
            p_callback_at, p_answers, p_note, p_note_flags, case when cardinality(p_note_flags) > 0 then 'pending' end, p_urgent)
          returning id into v_attempt;
        update campaign_targets set attempts = attempts + 1, assigned_to = null, assigned_at = null, claim_expires_at = null, updated_at = p_now,
            status = case p_settle when 'done' then 'done' when 'doorstep' then 'doorstep' else 'waiting' end,
            final_outcome = case p_settle when 'done' then p_outcome when 'doorstep' then 'doorstep' else final_outcome end,
            next_attempt_at = case when p_settle in ('retry', 'callback') then p_next_attempt_at else next_attempt_at end,
            tried_slots = case when p_settle in ('retry', 'doorstep') then p_tried_slots else tried_slots end,
            callback_user_id = case when p_settle = 'callback' then p_user end
          where id = t.id;
        if p_settle = 'doorstep' then
          insert into doorstep_visits (organisation_id, campaign_id, target_id, household_id, residence_id, agency_id)
            values (p_org, t.campaign_id, t.id, t.household_id, t.residence_id, t.agency_id)
            on conflict (organisation_id, target_id) do nothing;
        end if;
        if p_outcome = 'reached' then
          update households set last_contact_at = p_now where id = t.household_id and (last_contact_at is null or last_contact_at < p_now);
        end if;
        if p_followup_need is not null then
          insert into followups (organisation_id, household_id, agency_id, campaign_id, attempt_id, need, label, urgent)
            values (p_org, t.household_id, t.agency_id, t.campaign_id, v_attempt, p_followup_need, p_followup_label, false)
            on conflict (organisation_id, attempt_id, need) do nothing;
        end if;
        if p_audit is not null then
          insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, ip, details)
            values (p_org, p_user, p_role, 'call.recorded', 'household', t.household_id, p_ip, p_audit);
        end if;
        return v_attempt;
      end
    $$;

    -- The session resolution of every request, in PL/pgSQL for the same reason (same body as 2026-11-24T2220).
    create or replace function auth_resolve_session(p_token_hash bytea, p_idle_minutes integer, p_absolute_hours integer)
      returns table (session_id uuid, organisation_id uuid, user_id uuid, stage text, authenticated_at timestamptz, role text,
        user_status text, idle boolean, expired boolean, past_end boolean, stale boolean, agency_ids uuid[])
      language plpgsql stable security definer set search_path = public, pg_temp as $$
      begin
        return query select s.id, s.organisation_id, s.user_id, s.stage, s.authenticated_at, u.role, u.status,
          s.last_seen_at < now() - make_interval(mins => p_idle_minutes),
          s.created_at < now() - make_interval(hours => p_absolute_hours),
          u.end_date is not null and u.end_date < (now() at time zone 'Europe/Paris')::date,
          s.last_seen_at < now() - interval '1 minute',
          array(select ua.agency_id from user_agencies ua where ua.user_id = s.user_id and ua.organisation_id = s.organisation_id order by ua.agency_id)
        from sessions s join users u on u.id = s.user_id and u.organisation_id = s.organisation_id
        where s.token_hash = p_token_hash and s.ended_at is null;
      end
    $$;
  `.execute(db);
}
