/**
 * The escalation ladder of a campaign (issue 15): an SMS before the first call, and one before
 * the doorstep visit once the calls went unanswered. Messaging sits above calls, which sits above
 * campaigns: calls tells of the two moments through this hook, and messaging, when its index.ts
 * loads, hands over what to do then (`provideCampaignLadder`, like `provideQueueFigures`, ADR 0010).
 * Both run in the caller's transaction: the messages exist if and only if the launch or the
 * hand-over commits. Only code is kept here, no state of a request.
 */
import type { Tx } from '../../platform/db/database.ts';
import type { Deps } from '../deps.ts';

export type CampaignLadder = {
  /** The campaign was launched by `userId`: its queue is filled. */
  launched: (deps: Deps, trx: Tx, c: { organisationId: string; campaignId: string; userId: string }) => Promise<void>;
  /** A household of the campaign goes to the doorstep visit (its calls went unanswered). */
  toDoorstep: (deps: Deps, trx: Tx, c: { organisationId: string; campaignId: string; householdId: string }) => Promise<void>;
};

let ladder: CampaignLadder | null = null;

/** Called once by messaging/index.ts. */
export function provideCampaignLadder(l: CampaignLadder) {
  ladder = l;
}

/** The ladder's steps, or nothing when no module provides them. */
export const campaignLadder = (): CampaignLadder | null => ladder;
