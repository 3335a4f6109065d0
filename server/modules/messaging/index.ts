/**
 * Messaging (issue 15, second half): templates in French with merge fields, sends to one
 * household, a registry segment, a campaign's households or the volunteers, after a dry run;
 * SMS and e-mails go through the outbox (platform/outbox), letters as one PDF for DL window
 * envelopes. Owns message_templates, message_sends and message_letters.
 */
import { provideCampaignLadder } from '../campaigns/index.ts';
import { provideTimelineEvents } from '../registry/index.ts';
import { provideSolidarityMessaging } from '../solidarity/index.ts';
import { solidarityMessaging } from './invitations.ts';
import { ladder } from './ladder.ts';
import { messageTimeline } from './timeline.ts';

/** The escalation ladder's SMS at a campaign's launch and before the doorstep visit. */
provideCampaignLadder(ladder);

/** Invitations to food distributions and outreach events (SMS, else a letter), and who a call for help reaches (issue 17). */
provideSolidarityMessaging(solidarityMessaging);

/** Every message of a household on its timeline (the registry composes the household file). */
provideTimelineEvents('messages', messageTimeline);

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { messagingData } from './messaging.data.ts';
/** Right of access and erasure (TRUST DP-06, DP-07): the letters written to a household. */
export { eraseLettersOf, letterRowsOf as messagingRowsOf } from './messaging.repository.ts';
export { messagingRoutes } from './messaging.routes.ts';
export { startMessagingWorkers } from './messaging.service.ts';
/** What the retention purge removes here (TRUST DP-02). */
export { messagingPurgeTargets } from './purge.repository.ts';
