// Why (issue 15, « the escalation ladder uses it »): a campaign can send an SMS before the first
// call (« votre bailleur va vous appeler ») and one to a household whose calls all went
// unanswered, before the caretaker's doorstep visit. Messaging keeps which template each step
// uses and the send that carries its messages; the campaign itself is unchanged.
import { type Kysely, sql } from 'kysely';
import { isolate } from './2026-11-24T2000_foundation.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table campaign_message_steps (
      organisation_id uuid not null,
      campaign_id uuid not null,
      step text not null check (step in ('before_first_call', 'before_doorstep')),
      template_id uuid not null,
      -- The send that carries this step's messages (created at launch, or at the first doorstep hand-over).
      send_id uuid,
      created_by uuid,
      created_at timestamptz not null default now(),
      primary key (organisation_id, campaign_id, step),
      foreign key (organisation_id, campaign_id) references campaigns (organisation_id, id) on delete cascade,
      foreign key (organisation_id, template_id) references message_templates (organisation_id, id),
      foreign key (organisation_id, send_id) references message_sends (organisation_id, id) on delete set null (send_id),
      foreign key (organisation_id, created_by) references users (organisation_id, id) on delete set null (created_by)
    );
  `.execute(db);
  await isolate('campaign_message_steps').execute(db);
}
