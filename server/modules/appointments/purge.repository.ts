/**
 * What the retention purge (TRUST DP-02) removes from the appointments: the portal purpose ends
 * with the appointment (its slot's end); an agency's past slots go once nobody's booking rests on them.
 */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';

const slotEnded = (e: Expiry, alias: string) =>
  sql`exists (select 1 from appointment_slots s where s.id = ${sql.ref(`${alias}.slot_id`)} and ${expired(e, sql`s.created_at`, sql`s.ends_at`)})`;

export const appointmentsPurgeTargets: PurgeTarget[] = [
  {
    table: 'appointment_waitlist',
    purpose: 'portal',
    action: 'delete',
    label: 'Listes d’attente des créneaux passés',
    purge: (trx, e) => changed(trx, sql`delete from appointment_waitlist w where ${slotEnded(e, 'w')}`),
  },
  {
    table: 'appointment_bookings',
    purpose: 'portal',
    action: 'delete',
    label: 'Rendez-vous passés à l’agence (motif, venu ou absent)',
    purge: (trx, e) => changed(trx, sql`delete from appointment_bookings b where ${slotEnded(e, 'b')}`),
  },
  {
    table: 'appointment_slots',
    purpose: 'portal',
    action: 'delete',
    label: 'Créneaux passés des agences (qui les a ouverts)',
    purge: (trx, e) =>
      changed(
        trx,
        sql`delete from appointment_slots s where ${expired(e, sql`s.created_at`, sql`s.ends_at`)}
          and not exists (select 1 from appointment_bookings b where b.slot_id = s.id)
          and not exists (select 1 from appointment_waitlist w where w.slot_id = s.id)`,
      ),
  },
];
