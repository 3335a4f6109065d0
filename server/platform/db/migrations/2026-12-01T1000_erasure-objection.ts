// Why (issue 13, TRUST DP-07): a person may ask Lien to erase their data or object to a purpose.
// The request is recorded like an access request (its `kind` already allowed both); an objection
// names the purposes objected to, and a carried-out request keeps its outcome (what was deleted,
// restricted or kept, and why) for the requester's answer and the DPO's proof. Data a legal
// purpose still needs (the lease, the arrears) are restricted rather than deleted: the household
// carries the restriction, its purpose and reason, and every household read path hides it from
// the roles that purpose does not need
// (by id, against a partial index of the few restricted ones, so lists keep their index-only counts). An objection to the fragility register is an objection
// kind of its own, so the register refuses new fragility data for that household.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table subject_requests
      add column purposes text[] not null default '{}',
      add column outcome jsonb,
      add column executed_at timestamptz,
      add column executed_by uuid,
      add constraint subject_requests_objection_purposes check ((kind = 'objection') = (cardinality(purposes) > 0)),
      add constraint subject_requests_executed check ((executed_at is null) = (outcome is null));

    alter table households
      add column restricted_at timestamptz,
      add column restricted_reason text check (length(restricted_reason) <= 2000),
      add constraint households_restriction check ((restricted_at is null) = (restricted_reason is null));
    -- The read paths hide the few restricted households by id: this reads them without the heap of the others.
    create index households_restricted_idx on households (organisation_id, id) where restricted_at is not null;

    alter table objections drop constraint objections_kind_check;
    alter table objections add constraint objections_kind_check check (kind in ('no_call', 'no_sms', 'no_fragility_register'));
  `.execute(db);
}
