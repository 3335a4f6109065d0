/** Follow-ups: what a call or a doorstep visit found that someone must act on (owns table `followups`). */

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { followupsData } from './followups.data.ts';
export { followupRoles } from './followups.policy.ts';
export {
  eraseFollowupsOf,
  followupHouseholds,
  followupRowsOf,
  type NewFollowup,
  needsOfCampaign,
  openFollowup,
  urgentOfCampaign,
} from './followups.repository.ts';
export { followupRoutes } from './followups.routes.ts';
export { followupFiguresFor } from './followups.service.ts';
/** Retention (TRUST DP-02): what the purge removes here, and whether a follow-up rests on a call attempt. */
export { followupRestsOn, followupsPurgeTargets } from './purge.repository.ts';
