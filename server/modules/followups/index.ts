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
