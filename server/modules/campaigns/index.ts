/** Call campaigns (veille téléphonique): segments, scripts, callers, launch, dashboard. Calling itself is the calls module's. */

import { defaultCallerLimits } from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import { sendPhonelessToDoorstep } from '../doorstep/index.ts';
import * as repo from './campaigns.repository.ts';
import { type CallWindows, defaultRetryPolicy } from './schedule.ts';

import { isolationWatchScript } from './script-template.ts';

export { attemptHouseholds, targetHouseholds } from './calls-lookups.repository.ts';
export { campaignNames, campaignScripts, type DispatchSettings, dispatchSettings, dispatchSettingsSql } from './campaigns.repository.ts';
export { campaignRoutes } from './campaigns.routes.ts';
export { campaignManagers, campaignsOfCaller, dueCallbacksFor, poolCampaignsFor, runningCampaignsFor } from './campaigns.service.ts';
export { CHARTER_VERSION, charterRoles, charterText } from './charter.ts';
export { type CallWindows, describeWindows, isWithinWindows, nextAttemptAt, nextWindowOpening, slotOf, type TimeSlot } from './schedule.ts';
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
