import type { HomeSummary } from '../../../contracts/home.ts';
import type { Role } from '../../../contracts/roles.ts';
import { can, rolesWith } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import * as calls from '../calls/index.ts';
import * as campaigns from '../campaigns/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import * as doorstep from '../doorstep/index.ts';
import * as followups from '../followups/index.ts';

/** Roles that have something on their home page (the federation analyst has no data here yet). */
export const homeRoles = rolesWith('home.view');

/** A follow-up still open after this many days is shown as waiting too long. */
const FOLLOWUP_OVERDUE_DAYS = 7;

/**
 * What the user has to do now, each figure scoped as the page it leads to (agencies, caller
 * pools, a caretaker's residences). One read-only transaction; nothing personal, only counts
 * and campaign names.
 */
export function homeSummary(deps: Deps, s: SessionContext): Promise<HomeSummary> {
  const now = nowOf(deps);
  const is = (roles: readonly Role[]) => roles.includes(s.role);
  return withSession(deps.database, s, async (trx) => {
    const manages = is(campaigns.campaignManagers);
    return {
      calling: is(calls.callerRoles)
        ? { campaigns: await campaigns.poolCampaignsFor(trx, s), callbacksDue: await calls.dueCallbacksFor(trx, s, now, true) }
        : null,
      campaigns: manages
        ? (await campaigns.runningCampaignsFor(trx, s)).map((c) => ({ id: c.id, name: c.name, status: c.status, targeted: c.targeted, reached: c.reached }))
        : null,
      overdueCallbacks: manages ? await calls.dueCallbacksFor(trx, s, now, false) : null,
      followups: is(followups.followupRoles)
        ? { ...(await followups.followupFiguresFor(trx, s, now, FOLLOWUP_OVERDUE_DAYS)), overdueDays: FOLLOWUP_OVERDUE_DAYS }
        : null,
      cases: is(followups.followupRoles) ? await followups.caseFiguresFor(trx, s, now) : null,
      doorstep: is(doorstep.doorstepRoles) ? { pending: await doorstep.pendingDoorstepFor(trx, s) } : null,
      notesToReview: can(s.role, 'notes.review') ? await calls.pendingNotesCount(trx) : null,
    };
  });
}
