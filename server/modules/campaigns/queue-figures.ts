/**
 * How far a campaign's queue got (households targeted, reached), for the campaign lists and the
 * caller's list. The queue is the calls module's (campaign_targets), and calls sits above
 * campaigns: it reads a campaign's dispatch settings, so campaigns cannot import it. Calls hands
 * its SQL fragment over when its index.ts loads (`provideQueueFigures`), the one place where a
 * lower module receives code from a higher one (ADR 0010). Only code is kept here, no state.
 */
import type { RawBuilder } from 'kysely';

/** Two select-list columns, `targeted` and `reached`, for the campaign whose id is the argument. */
export type QueueFigures = (campaignId: RawBuilder<unknown>) => RawBuilder<{ targeted: number; reached: number }>;

let figures: QueueFigures | null = null;

/** Called once by calls/index.ts with the queue's fragment. */
export function provideQueueFigures(f: QueueFigures) {
  figures = f;
}

export function queueFiguresOf(campaignId: RawBuilder<unknown>) {
  if (!figures) throw new Error('queue figures not provided: server/modules/calls/index.ts must be loaded (it provides them)');
  return figures(campaignId);
}
