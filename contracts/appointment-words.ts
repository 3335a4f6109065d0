/**
 * The words of agency appointments (issue 16) without any dependency: the tenant portal's pages
 * import them (no zod in a phone's bundle); `appointments.ts` re-exports them with the API's shapes.
 */

/** Why a tenant comes to the agency: the slot offers some of these. */
export const appointmentReasons = ['rent_payment', 'documents', 'technical', 'tenancy', 'social_support', 'other'] as const;
export type AppointmentReason = (typeof appointmentReasons)[number];
export const appointmentReasonLabels: Record<AppointmentReason, string> = {
  rent_payment: 'Loyer et paiement',
  documents: 'Attestation ou document',
  technical: 'Problème technique dans le logement',
  tenancy: 'Bail, départ ou mutation',
  social_support: 'Rencontre avec la conseillère sociale',
  other: 'Autre demande',
};

/** What became of a booking: `moved` to another slot, `attended` (« venu ») or `no_show` (« absent ») marked by staff. */
export const bookingStatuses = ['booked', 'cancelled', 'moved', 'attended', 'no_show'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];
export const bookingStatusLabels: Record<BookingStatus, string> = {
  booked: 'Réservé',
  cancelled: 'Annulé',
  moved: 'Déplacé',
  attended: 'Venu',
  no_show: 'Absent',
};
