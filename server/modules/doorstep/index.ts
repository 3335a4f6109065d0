/** Doorstep visits (« porte-à-porte »): households a call could not reach, visited by the caretaker (owns table `doorstep_visits`). */

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { doorstepData } from './doorstep.data.ts';
export { doorstepRoles } from './doorstep.policy.ts';
export { doorstepRowsOf, eraseVisitsOf, openDeliveryVisit, openVisit, openVisits, visitResultOf } from './doorstep.repository.ts';
export { doorstepRoutes } from './doorstep.routes.ts';
export { pendingDoorstepFor } from './doorstep.service.ts';
/** Retention (TRUST DP-02): what the purge removes here, and whether a visit belongs to a queue entry. */
export { doorstepPurgeTargets, visitBelongsTo } from './purge.repository.ts';
