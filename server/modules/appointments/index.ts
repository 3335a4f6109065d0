/**
 * Agency appointments (issue 16): slots an agency opens with a capacity, bookings by tenants with a
 * reason, a waiting list that books a freed seat for the next household, the staff calendar
 * (« venu » / « absent », the day's list) and the reminder the day before. Owns
 * appointment_slots, appointment_bookings and appointment_waitlist.
 */
import { provideTimelineEvents } from '../registry/index.ts';
import { appointmentTimeline } from './timeline.ts';

/** A household's appointments on its timeline (the registry composes the household file). */
provideTimelineEvents('appointments', appointmentTimeline);

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { appointmentsData } from './appointments.data.ts';
/** Right of access (TRUST DP-06): the household's bookings and waiting entries. */
export { appointmentRowsOf, eraseAppointmentsOf } from './appointments.repository.ts';
export { appointmentRoutes } from './appointments.routes.ts';
/** The tenant side, as functions of the portal's tenant (the portal's session gives it). */
export {
  bookAppointment,
  cancelAppointment,
  joinWaitingList,
  moveAppointment,
  type Tenant,
  tenantAppointments,
  tenantSlots,
} from './appointments.service.ts';
/** The portal's routes: registered by the app with the portal session's `tenantOf` and route policy. */
export { appointmentTenantRoutes } from './appointments.tenant-routes.ts';
/** The demo landlord's calendar (slots and a few bookings). */
export { seedDemoAppointments } from './demo.ts';
/** What the retention purge removes here (TRUST DP-02). */
export { appointmentsPurgeTargets } from './purge.repository.ts';
/** Maintenance: the reminder the day before. */
export { appointmentReminders } from './reminders.ts';
