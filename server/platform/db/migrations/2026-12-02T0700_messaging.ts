// Why (issue 15, second half): staff write message templates in French with merge fields and send
// them to one household, a registry segment, a campaign's households or the volunteers, after a
// dry run that says who receives what by which channel and who is excluded, and why.
//
// A send (`message_sends`) keeps its audience, the values typed at send time (appointment date,
// amount), the dry run's figures and its progress while a job prepares it; its SMS and e-mails are
// rows of the outbox (`messages`, platform/outbox), which now name their send and household (the
// household's timeline, the send's report). Households with neither a mobile nor an e-mail get a
// letter (`message_letters`: the address block and the rendered text, printed as one PDF).
// Sending to more than 1,000 recipients needs a second approver (TRUST LD-09).
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table message_templates (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      name text not null check (length(name) between 2 and 120),
      channels text[] not null check (cardinality(channels) between 1 and 3 and channels <@ array['sms', 'email', 'letter']),
      subject text check (length(subject) <= 200),
      body text not null check (length(body) between 1 and 4000),
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organisation_id, id),
      unique (organisation_id, name),
      foreign key (organisation_id, created_by) references users (organisation_id, id) on delete set null (created_by)
    );

    create table message_sends (
      id uuid primary key default lien_uuid_v7(),
      organisation_id uuid not null references organisations (id),
      template_id uuid not null,
      audience text not null check (audience in ('household', 'segment', 'campaign', 'volunteers')),
      -- The household id, the registry filters, or the campaign id.
      audience_ref jsonb not null,
      -- Values typed at send time for {date_rdv} and {montant}.
      field_values jsonb not null default '{}',
      status text not null default 'draft'
        check (status in ('draft', 'awaiting_approval', 'preparing', 'queued', 'failed')),
      -- The dry run: counts per channel and per exclusion reason.
      plan jsonb not null,
      recipients integer not null default 0 check (recipients >= 0),
      prepared integer not null default 0 check (prepared >= 0),
      error text,
      created_by uuid,
      approved_by uuid,
      approved_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      created_at timestamptz not null default now(),
      check (approved_by is null or approved_by <> created_by),
      unique (organisation_id, id),
      foreign key (organisation_id, template_id) references message_templates (organisation_id, id),
      foreign key (organisation_id, created_by) references users (organisation_id, id) on delete set null (created_by),
      foreign key (organisation_id, approved_by) references users (organisation_id, id) on delete set null (approved_by)
    );
    create index message_sends_created_idx on message_sends (organisation_id, created_at desc);

    create table message_letters (
      organisation_id uuid not null,
      send_id uuid not null,
      household_id uuid not null,
      -- The address block as printed (name, street, postal code and city).
      address text[] not null,
      -- The sender's block, top left: the household's agency and its phone.
      sender text[] not null default '{}',
      body text not null,
      created_at timestamptz not null default now(),
      primary key (organisation_id, send_id, household_id),
      foreign key (organisation_id, send_id) references message_sends (organisation_id, id) on delete cascade,
      foreign key (organisation_id, household_id) references households (organisation_id, id) on delete cascade
    );

    alter table messages add column send_id uuid;
    alter table messages add column household_id uuid;
    create index messages_send_idx on messages (organisation_id, send_id, status) where send_id is not null;
    create index messages_household_idx on messages (organisation_id, household_id, created_at) where household_id is not null;
  `.execute(db);
  for (const table of ['message_templates', 'message_sends', 'message_letters']) await isolate(table).execute(db);
}
