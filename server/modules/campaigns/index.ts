/** Call campaigns (veille téléphonique): segments, scripts, callers, dispatch, outcomes, follow-ups, doorstep visits. */
import type { MaintenanceTask } from '../../platform/jobs/maintenance.ts';
import { releaseExpiredClaims } from './campaigns.service.ts';

export { campaignRoutes } from './campaigns.routes.ts';

/** Maintenance task: calls abandoned past their timeout go back to the queue. */
export const releaseAbandonedCalls: MaintenanceTask = { name: 'claims_released', run: releaseExpiredClaims };
export { isolationWatchScript } from './script-template.ts';
