/**
 * Call campaigns (veille téléphonique): segments, scripts, caller pools, call windows, status.
 * Owns campaigns and campaign_callers. The queue (launch, dashboard, export) and calling itself are
 * the calls module's, which sits above this one (ADR 0010).
 */

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { campaignsData } from './campaigns.data.ts';
export {
  campaignNameOf,
  campaignNames,
  campaignScripts,
  campaignsSeenBy,
  type DispatchSettings,
  dispatchSettings,
  dispatchSettingsSql,
} from './campaigns.repository.ts';
export { campaignRoutes } from './campaigns.routes.ts';
export {
  campaignManagers,
  campaignOf,
  campaignSummaryOf,
  campaignsOfCaller,
  markLaunched,
  poolCampaignsFor,
  runningCampaignsFor,
  seedDraftCampaign,
  segmentCountIn,
} from './campaigns.service.ts';
export { CHARTER_VERSION, charterRoles, charterText } from './charter.ts';
/** The escalation ladder's two moments (launch, doorstep hand-over), provided by messaging (issue 15). */
export { type CampaignLadder, campaignLadder, provideCampaignLadder } from './ladder.ts';
/** When a campaign closed, as an SQL fragment: where the campaign purpose of its calls ends (retention, TRUST DP-02). */
export { campaignClosedAt } from './purge.repository.ts';
export { provideQueueFigures } from './queue-figures.ts';
export { type CallWindows, describeWindows, isWithinWindows, nextAttemptAt, nextWindowOpening, slotOf, type TimeSlot } from './schedule.ts';
export { isolationWatchScript } from './script-template.ts';
