/**
 * One timeline per household (issue 14): the household file lists, besides the registry's own
 * events, what the modules above it know of the household — its cases, their tasks and notes
 * (followups). Those modules sit above the registry, which cannot import them: each hands its
 * source over when its index.ts loads (`provideTimelineEvents`, as `provideQueueFigures`, ADR
 * 0010). A source runs in the request's transaction as the viewer (RLS applies: health and
 * violence notes reach only the roles the policy lets read them) and returns only what the
 * viewer's role may see. Only code is kept here, no state of a request.
 */
import type { TimelineEvent } from '../../../contracts/households.ts';
import type { SessionContext } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';

export type TimelineSource = (trx: Tx, s: SessionContext, householdId: string) => Promise<TimelineEvent[]>;

const sources = new Map<string, TimelineSource>();

/** Called once by a module's index.ts with its events of a household; `name` keeps a reload from adding it twice. */
export function provideTimelineEvents(name: string, source: TimelineSource) {
  sources.set(name, source);
}

/** The events every provided source gives for this household and viewer (one after the other: one connection). */
export async function providedTimelineEvents(trx: Tx, s: SessionContext, householdId: string) {
  const events: TimelineEvent[] = [];
  for (const source of sources.values()) events.push(...(await source(trx, s, householdId)));
  return events;
}
