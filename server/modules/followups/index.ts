/** Follow-ups: what a call or a doorstep visit found that someone must act on (owns table `followups`). */

export { followupRoles } from './followups.policy.ts';
export { followupHouseholds, type NewFollowup, needsOfCampaign, openFollowup, urgentOfCampaign } from './followups.repository.ts';
export { followupRoutes } from './followups.routes.ts';
export { followupFiguresFor } from './followups.service.ts';
