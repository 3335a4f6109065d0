// Why (issue 16, ADR 0023): a tenant's appointments were kept apart from other households' by the
// service's checks only (`household_id = tenant`), while the portal's own tables are narrowed by
// the database. Bookings and waiting entries now have the same restrictive policy: in a tenant's
// transaction (`lien.household_id` set, module portal `withTenant`) only that household's rows are
// seen or written; staff and system transactions never set it and are unaffected. Slots are the
// agency's, shown to all its tenants, and stay readable.
//
// A tenant's transaction still needs two things about other households' rows: how many seats of a
// slot are taken and how long its waiting list is (the capacity is counted under the slot's lock;
// the tenant sees « places restantes »). `lien_slot_seats(slot)` is a security definer function
// that returns those two counts for one slot of the current organisation, nothing else. The
// waiting list's hand-off (a freed seat booked for ANOTHER household) runs as the system: the
// service lifts the household narrowing for that step only (portal `outsideHousehold`).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['appointment_bookings', 'appointment_waitlist'])
    await sql
      .raw(`
        create policy ${table}_tenant on ${table} as restrictive
          using ((select lien_current_household()) is null or household_id = (select lien_current_household()))
          with check ((select lien_current_household()) is null or household_id = (select lien_current_household()));
      `)
      .execute(db);
  await sql`
    create function lien_slot_seats(p_slot uuid) returns table (taken integer, waiting integer)
      language sql stable security definer set search_path = public, pg_temp as $$
        select
          (select count(*)::int from appointment_bookings b
            where b.organisation_id = s.organisation_id and b.slot_id = s.id and b.status in ('booked', 'attended', 'no_show')),
          (select count(*)::int from appointment_waitlist w
            where w.organisation_id = s.organisation_id and w.slot_id = s.id and w.status = 'waiting')
        from appointment_slots s
        where s.id = p_slot and s.organisation_id = (select lien_current_org())
      $$;
    revoke all on function lien_slot_seats(uuid) from public;
    grant execute on function lien_slot_seats(uuid) to lien_app;
  `.execute(db);
}
