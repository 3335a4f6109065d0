// Why (issue 15, ADR 0016): SMS leave through Brevo. A provider outage delays a message instead of
// failing it (`delayed`, TRUST FT-06); Brevo's delivery callbacks move it forward only
// (`sent` → `delivered`, FT-09) and are kept once per event (IN-11); a number that answered STOP
// gets no more SMS from the organisation (`opted_out`). Callbacks arrive without an organisation:
// two reviewed SECURITY DEFINER look-ups return the ids needed to open the right one.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table messages drop constraint messages_status_check;
    alter table messages add constraint messages_status_check
      check (status in ('queued', 'sending', 'delayed', 'sent', 'delivered', 'delivered_locally', 'failed', 'unknown', 'opted_out'));
    alter table messages drop constraint messages_sealed_while_pending;
    alter table messages add constraint messages_sealed_while_pending check (sealed_body is null or status in ('queued', 'sending', 'delayed'));
    alter table messages
      add column sms_type text not null default 'transactional' check (sms_type in ('transactional', 'marketing')),
      add column next_attempt_at timestamptz,
      add column delivered_at timestamptz;
    create index messages_provider_id_idx on messages (adapter, provider_message_id) where provider_message_id is not null;

    create table message_events (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      message_id uuid not null references messages (id) on delete cascade,
      provider text not null,
      event_id text not null check (length(event_id) between 1 and 200),
      event text not null check (length(event) between 1 and 40),
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      unique (provider, event_id)
    );
    create index message_events_org_message_idx on message_events (organisation_id, message_id);

    create table sms_opt_outs (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      phone text not null check (phone ~ '^[+][1-9][0-9]{6,14}$'),
      source text not null check (source in ('sms_reply', 'provider')),
      recorded_at timestamptz not null default now(),
      confirmation_sent boolean not null default false,
      unique (organisation_id, phone)
    );
  `.execute(db);
  await sql`${isolate('message_events')}`.execute(db);
  await sql`${isolate('sms_opt_outs')}`.execute(db);
  await sql`
    -- A delivery callback names Brevo's message id only: which organisation's message is it?
    -- Failing that, by the tag Lien gave it (the outbox id): a message left « unknown » by a crash
    -- has no provider id yet, and its callback is how it is reconciled (TRUST FT-02).
    create function outbox_message_by_provider_id(p_adapter text, p_provider_message_id text, p_tag text)
      returns table (message_id uuid, organisation_id uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        (select m.id, m.organisation_id from messages m
          where m.adapter = p_adapter and m.provider_message_id = p_provider_message_id
        union all
        select m.id, m.organisation_id from messages m
          where m.id = (case when p_tag ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p_tag::uuid end)
            and m.adapter = p_adapter and m.provider_message_id is null)
        limit 1
      $$;
    -- A reply (STOP) names the number only: the organisations that sent it an SMS, their last one,
    -- and which wrote last (recency 1).
    create function outbox_sms_senders_of(p_phone text)
      returns table (organisation_id uuid, message_id uuid, recency bigint)
      language sql stable security definer set search_path = public, pg_temp as $$
        select l.organisation_id, l.id, row_number() over (order by l.created_at desc, l.id desc)
        from (select distinct on (m.organisation_id) m.organisation_id, m.id, m.created_at from messages m
              where m.channel = 'sms' and m.recipient = p_phone
              order by m.organisation_id, m.created_at desc, m.id desc) l
      $$;
    create index messages_sms_recipient_idx on messages (recipient, organisation_id) where channel = 'sms';
    revoke execute on function outbox_message_by_provider_id(text, text, text), outbox_sms_senders_of(text) from public;
    grant execute on function outbox_message_by_provider_id(text, text, text), outbox_sms_senders_of(text) to lien_app;
  `.execute(db);
}
