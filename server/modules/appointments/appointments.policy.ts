import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who sees an agency's calendar, marks « venu » / « absent », prints the day's list. */
export const appointmentWorkers = rolesWith('appointments.work');

/** Who opens and closes slots: the agency's managers and the administrators. */
export const appointmentManagers = rolesWith('appointments.manage');
