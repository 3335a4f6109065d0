// Why (TRUST DP-03): withdrawing a household's health consent deleted the follow-ups of the health
// needs it covered, but the health cases those needs joined stayed, with their tasks and notes,
// and so did the health notes written on the household's other cases (a food case, say). The
// consent covered them all: withdrawing it now deletes, in the same transaction, the household's
// health cases (their notes, tasks and needs heard with them) and every note of type health on its
// other cases. The cases of other types stay, with their general and violence notes and their
// tasks: they are not covered by the health consent.
//
// A health case is deleted rather than stripped: its type alone says « a health need », its
// tasks and outcome describe it; an empty health case would keep exactly what the tenant took back.
//
// Staff and administrators may withdraw a consent but may not read health notes (the restrictive
// policy on case_notes): the deletion reads them all for this statement only (`lien.case_notes_all`,
// as the right-of-access export and the purge do), then puts the setting back.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function lien_cases_on_health_consent_withdrawal() returns trigger language plpgsql as $$
    declare previous text := coalesce(current_setting('lien.case_notes_all', true), '');
    begin
      perform set_config('lien.case_notes_all', 'on', true);
      delete from case_notes n using cases c
        where c.id = n.case_id and c.organisation_id = new.organisation_id and c.household_id = new.household_id
          and (c.type = 'health' or n.kind = 'health');
      delete from case_tasks t using cases c
        where c.id = t.case_id and c.organisation_id = new.organisation_id and c.household_id = new.household_id and c.type = 'health';
      delete from cases where organisation_id = new.organisation_id and household_id = new.household_id and type = 'health';
      perform set_config('lien.case_notes_all', previous, true);
      return new;
    end $$;
    create trigger consents_withdrawal_removes_health_cases after update of withdrawn_at on consents
      for each row when (new.purpose = 'health_needs' and old.withdrawn_at is null and new.withdrawn_at is not null)
      execute function lien_cases_on_health_consent_withdrawal();
  `.execute(db);
}
