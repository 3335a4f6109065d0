/**
 * Agency appointments (issue 16): the reasons a tenant may come for, the shapes the staff calendar
 * and the tenant portal exchange. Times are instants (ISO 8601); the pages show them in Paris time.
 */
import { z } from 'zod';
import { appointmentReasons, bookingStatuses } from './appointment-words.ts';

export {
  type AppointmentReason,
  appointmentReasonLabels,
  appointmentReasons,
  type BookingStatus,
  bookingStatusLabels,
} from './appointment-words.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue au format AAAA-MM-JJ');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Heure attendue au format HH:MM');

export const openSlotsBody = z.strictObject({
  agencyId: z.string().uuid(),
  /** The first day (Paris), and, to repeat weekly, the last day of the period (inclusive). */
  date: day,
  repeatUntil: day.nullable().optional(),
  start: time,
  end: time,
  capacity: z.number().int().min(1).max(50),
  reasons: z.array(z.enum(appointmentReasons)).min(1),
  /** Where the tenant comes: the agency's reception address, written in the confirmation. */
  address: z.string().trim().min(5).max(300),
});
export type OpenSlotsBody = z.infer<typeof openSlotsBody>;

export const weekQuery = z.strictObject({ agencyId: z.string().uuid(), from: day });
export const dayQuery = z.strictObject({ agencyId: z.string().uuid(), day });

export const calendarBooking = z.object({
  id: z.string().uuid(),
  householdId: z.string().uuid(),
  householdRef: z.string(),
  holder: z.string(),
  reason: z.enum(appointmentReasons),
  status: z.enum(bookingStatuses),
  viaWaitingList: z.boolean(),
});
export const calendarSlot = z.object({
  id: z.string().uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number(),
  taken: z.number(),
  waiting: z.number(),
  reasons: z.array(z.enum(appointmentReasons)),
  address: z.string(),
  status: z.enum(['open', 'closed']),
  bookings: z.array(calendarBooking),
});
export type CalendarSlot = z.infer<typeof calendarSlot>;

export const markBody = z.strictObject({ outcome: z.enum(['attended', 'no_show']) });

/** Tenant side. */
export const tenantSlot = z.object({
  id: z.string().uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  seatsLeft: z.number(),
  reasons: z.array(z.enum(appointmentReasons)),
  address: z.string(),
});
export type TenantSlot = z.infer<typeof tenantSlot>;
export const tenantAppointment = z.object({
  id: z.string().uuid(),
  kind: z.enum(['booking', 'waiting']),
  slotId: z.string().uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  address: z.string(),
  reason: z.enum(appointmentReasons),
  status: z.string(),
});
export type TenantAppointment = z.infer<typeof tenantAppointment>;
export const bookBody = z.strictObject({ slotId: z.string().uuid(), reason: z.enum(appointmentReasons) });
export const moveBody = z.strictObject({ slotId: z.string().uuid() });
