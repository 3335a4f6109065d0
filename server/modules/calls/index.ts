/**
 * Calls: the queue of each campaign (launch that fills it, dashboard, export, callbacks due),
 * dispatch (« Appeler le suivant », hand-backs, hourly caller limits), outcomes (answers, script
 * rules, retries, callbacks, doorstep hand-over), the callers' charter and the review of flagged
 * notes. Owns campaign_targets, call_attempts, campaign_caller_events, charter_acceptances (ADR
 * 0009). Sits above campaigns, followups and doorstep (ADR 0010).
 */

import type { MaintenanceTask } from '../../platform/jobs/maintenance.ts';
import { provideQueueFigures } from '../campaigns/index.ts';
import { forgetCallerEvents, promoteDueCalls, releaseExpiredClaims } from './dispatch.service.ts';
import { queueFiguresOf } from './queue.repository.ts';

export { callerRoles } from './calls.policy.ts';
export { callRoutes } from './calls.routes.ts';
export { pendingNotesCount } from './notes.service.ts';
export { attemptHouseholds, callRowsOf, callsMadeBy, campaignHouseholdIds, charterAcceptedAmong, eraseCallsOf, targetHouseholds } from './queue.repository.ts';
export { queueRoutes } from './queue.routes.ts';
export { dueCallbacksFor, seedLaunchedCampaign } from './queue.service.ts';

// The campaign lists show how far each queue got; campaigns cannot import this module (it is below it).
provideQueueFigures(queueFiguresOf);

/** Maintenance task: calls abandoned past their timeout go back to the queue. */
export const releaseAbandonedCalls: MaintenanceTask = { name: 'claims_released', run: releaseExpiredClaims };

/** Maintenance task: retries and callbacks that came due go back to the queue (at most a minute late). */
export const requeueDueCalls: MaintenanceTask = { name: 'retries_due', run: promoteDueCalls };

/** Maintenance task: claims and hand-backs older than a day, no longer counted by the hourly caller limits, are deleted. */
export const purgeCallerEvents: MaintenanceTask = { name: 'caller_events_purged', run: forgetCallerEvents };
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { callsData } from './calls.data.ts';
/** The period's calls for the dashboards (reporting, issue 18). */
export { callFigures } from './figures.repository.ts';
/** Calls made and households reached, per event, for the indicator dictionary (issue 18). */
export { callIndicatorEvents } from './indicators.repository.ts';
/** What the retention purge removes from the calls' tables (TRUST DP-02), in the order it runs. */
export { callsPurgeTargets } from './purge.repository.ts';
