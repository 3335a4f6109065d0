import { rolesWith } from '../../platform/auth/abilities.ts';

/** Who offers vacant homes, matches them and hands the keys. */
export const lendingManagers = rolesWith('lending.manage');
/** Who files a request for a lent home and follows it (partners: their own only). */
export const lendingRequesters = rolesWith('lending.request');
/** Who vets volunteers' sign-ups, opens the public page and writes the training. */
export const volunteerManagers = rolesWith('volunteers.manage');
/** A volunteer's own page. */
export const volunteerSelves = rolesWith('volunteers.self');
/** Who assigns deliveries and follows them. */
export const deliveryManagers = rolesWith('deliveries.manage');
/** Who delivers. */
export const deliverers = rolesWith('deliveries.deliver');
/** Who plans food distributions. */
export const distributionManagers = rolesWith('distributions.manage');
/** A partner's user, for their partner's distributions. */
export const distributionPartners = rolesWith('distributions.partner');
/** Who plans outreach events and records their contacts. */
export const outreachWorkers = rolesWith('outreach.work');
