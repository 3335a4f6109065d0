import { z } from 'zod';
import { campaignStatuses } from './campaigns.ts';

/** A running campaign on a manager's home page: how far it got (reached / targeted). */
const homeCampaign = z.object({
  id: z.string().uuid(),
  name: z.string(),
  status: z.enum(campaignStatuses),
  targeted: z.number().int(),
  reached: z.number().int(),
});

/**
 * What the signed-in user has to do now (`GET /api/home`). A part is null when the role has no
 * such work: the page shows only the parts that are there.
 */
export const homeSummary = z.object({
  /** Caller pools the user belongs to (running campaigns) and the callbacks promised by them that are due. */
  calling: z.object({ campaigns: z.array(z.object({ id: z.string().uuid(), name: z.string() })), callbacksDue: z.number().int() }).nullable(),
  /** Campaign managers: running campaigns (active or paused) in their scope. */
  campaigns: z.array(homeCampaign).nullable(),
  /** Campaign managers: callbacks whose promised time has passed, across their campaigns. */
  overdueCallbacks: z.number().int().nullable(),
  /** Follow-ups of the user's agencies: open, urgent, assigned to them, open for more than `overdueDays` days. */
  followups: z
    .object({ open: z.number().int(), urgent: z.number().int(), mine: z.number().int(), overdue: z.number().int(), overdueDays: z.number().int() })
    .nullable(),
  /**
   * Cases (dossiers d’accompagnement) of the user's agencies not closed: open, waiting for a
   * partner or for the tenant, assigned to them, with a task past its due date.
   */
  cases: z
    .object({ open: z.number().int(), waitingPartner: z.number().int(), waitingTenant: z.number().int(), mine: z.number().int(), overdue: z.number().int() })
    .nullable(),
  /** Doorstep visits to make (for a caretaker: their residences). */
  doorstep: z.object({ pending: z.number().int() }).nullable(),
  /** Organisation admin: call notes waiting for a review. */
  notesToReview: z.number().int().nullable(),
});
export type HomeSummary = z.infer<typeof homeSummary>;
