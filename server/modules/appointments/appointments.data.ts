/** Data classification of the tables appointments owns (TRUST DP-01; see platform/db/classification.ts). */
import { classifier, type ModuleClassification } from '../../platform/db/classification.ts';

const portal = classifier('portal');

export const appointmentsData = {
  appointment_slots: {
    about: 'Créneaux de rendez-vous d’une agence : jour, heures, nombre de places, motifs proposés, adresse d’accueil',
    columns: {
      id: portal('internal'),
      organisation_id: portal('internal'),
      agency_id: portal('internal'),
      starts_at: portal('internal'),
      ends_at: portal('internal'),
      capacity: portal('internal'),
      reasons: portal('internal'),
      address: portal('public'),
      status: portal('internal'),
      series_id: portal('internal'),
      created_by: portal('personal'),
      created_at: portal('internal'),
      closed_at: portal('internal'),
    },
  },
  appointment_bookings: {
    about: 'Rendez-vous pris par un ménage à l’agence : créneau, motif, venue ou absence',
    columns: {
      id: portal('internal'),
      organisation_id: portal('internal'),
      slot_id: portal('internal'),
      household_id: portal('personal'),
      person_id: portal('personal'),
      // « Rent and payment » or « social worker » hints at a difficulty.
      reason: portal('social_sensitive'),
      status: portal('personal'),
      via_waiting_list: portal('personal'),
      created_at: portal('personal'),
      ended_at: portal('personal'),
      marked_by: portal('personal'),
      reminded_at: portal('internal'),
    },
  },
  appointment_waitlist: {
    about: 'Liste d’attente d’un créneau complet : ménage, motif, ordre d’arrivée',
    columns: {
      id: portal('internal'),
      organisation_id: portal('internal'),
      slot_id: portal('internal'),
      household_id: portal('personal'),
      person_id: portal('personal'),
      reason: portal('social_sensitive'),
      status: portal('personal'),
      joined_at: portal('personal'),
      ended_at: portal('personal'),
      booking_id: portal('internal'),
    },
  },
} satisfies ModuleClassification<'appointments'>;
