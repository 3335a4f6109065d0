// Why (issue 17, « invited by SMS or letter through messaging »): a food distribution's invited
// households and an outreach event's residence are told by SMS, else by a letter staff print.
// The messaging module writes them as one send per distribution or event (its report, its letters
// PDF): the send's audience is the distribution or the event, and the distribution or event keeps
// the id of its invitation send to show how many were invited by SMS or by letter.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table message_sends drop constraint message_sends_audience_check;
    alter table message_sends add constraint message_sends_audience_check
      check (audience in ('household', 'segment', 'campaign', 'volunteers', 'distribution', 'outreach'));

    alter table distributions add column invitation_send_id uuid;
    alter table distributions add constraint distributions_invitation_send_fk
      foreign key (organisation_id, invitation_send_id) references message_sends (organisation_id, id) on delete set null (invitation_send_id);
    alter table outreach_events add column invitation_send_id uuid;
    alter table outreach_events add constraint outreach_events_invitation_send_fk
      foreign key (organisation_id, invitation_send_id) references message_sends (organisation_id, id) on delete set null (invitation_send_id);
  `.execute(db);
}
