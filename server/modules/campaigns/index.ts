/** Call campaigns (veille téléphonique): segments, scripts, callers, launch, dashboard; dispatch and outcomes (to move to a calls module). */

import { defaultCallerLimits } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { MaintenanceTask } from '../../platform/jobs/maintenance.ts';
import { sendPhonelessToDoorstep } from '../doorstep/index.ts';
import * as repo from './campaigns.repository.ts';
import { forgetCallerEvents, promoteDueCalls, releaseExpiredClaims } from './campaigns.service.ts';
import { type CallWindows, defaultRetryPolicy } from './schedule.ts';
import { isolationWatchScript } from './script-template.ts';

export { callRoutes } from './calls.routes.ts';
export { attemptHouseholds, targetHouseholds } from './calls-lookups.repository.ts';
export { campaignNames } from './campaigns.repository.ts';
export { campaignRoutes } from './campaigns.routes.ts';
export { callerRoles, campaignManagers, dueCallbacksFor, pendingNotesCount, poolCampaignsFor, runningCampaignsFor } from './campaigns.service.ts';

/** Maintenance task: calls abandoned past their timeout go back to the queue. */
export const releaseAbandonedCalls: MaintenanceTask = { name: 'claims_released', run: releaseExpiredClaims };

/** Maintenance task: retries and callbacks that came due go back to the queue (at most a minute late). */
export const requeueDueCalls: MaintenanceTask = { name: 'retries_due', run: promoteDueCalls };
/** Maintenance task: claims and hand-backs older than a day, no longer counted by the hourly caller limits, are deleted. */
export const purgeCallerEvents: MaintenanceTask = { name: 'caller_events_purged', run: forgetCallerEvents };
export { isolationWatchScript };

/** A launched campaign with the ready script, for the demo landlord (whole organisation in scope). */
export async function seedLaunchedCampaign(
  trx: Tx,
  c: { name: string; purpose: string; segment: HouseholdFilters; callWindows: CallWindows; callerIds: string[]; createdBy: string },
  now = new Date(),
) {
  const id = await repo.insertCampaign(
    trx,
    {
      name: c.name,
      purpose: c.purpose,
      segment: c.segment,
      script: isolationWatchScript,
      retryPolicy: defaultRetryPolicy,
      callWindows: c.callWindows,
      claimTimeoutMinutes: 15,
      callerLimits: defaultCallerLimits,
    },
    c.createdBy,
    null,
  );
  await repo.setCallers(trx, id, c.callerIds);
  const count = await repo.countSegment(trx, c.segment, null);
  await repo.insertTargets(trx, id, c.segment, null, now);
  await sendPhonelessToDoorstep(trx, { campaignId: id, now });
  await repo.markLaunched(trx, id, count.excludedNoCall, now);
  await repo.analyzeTargets(trx);
  return id;
}
