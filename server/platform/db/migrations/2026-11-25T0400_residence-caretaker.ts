// Why: a residence's caretaker (« gardien·ne ») is now set from the « Résidences » page; the
// doorstep visits of the residence that are still pending follow the change (a visit goes to the
// caretaker of its residence; with none, to every caretaker of the agency).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function lien_reroute_doorstep_visits() returns trigger language plpgsql as $$
    begin
      update doorstep_visits set caretaker_id = new.caretaker_id where residence_id = new.id and status = 'pending';
      return new;
    end $$;
    create trigger residences_caretaker_reroutes_visits after update of caretaker_id on residences
      for each row when (new.caretaker_id is distinct from old.caretaker_id) execute function lien_reroute_doorstep_visits();
    create index doorstep_visits_residence_idx on doorstep_visits (organisation_id, residence_id) where status = 'pending';
  `.execute(db);
}
