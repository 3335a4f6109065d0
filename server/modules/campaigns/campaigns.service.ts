import {
  type CallScript,
  type CampaignAction,
  type CampaignDetail,
  type CampaignInput,
  type CampaignSummary,
  campaignTransitions,
  defaultCallerLimits,
} from '../../../contracts/campaigns.ts';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { activeUsers } from '../identity/index.ts';
import { type Scope, scopeOf } from '../registry/index.ts';
import * as repo from './campaigns.repository.ts';
import { type CallWindows, defaultRetryPolicy, describeWindows } from './schedule.ts';
import { isolationWatchScript } from './script-template.ts';

export const campaignManagers = rolesWith('campaigns.manage');

const campaignNotFound = () => notFound('Campagne', 'campaign_not_found');

// ——— Preparing ———

export function countSegment(deps: Deps, s: SessionContext, segment: HouseholdFilters) {
  return withSession(deps.database, s, (trx) => repo.countSegment(trx, segment, scopeOf(s)));
}

/** Every caller of a pool is an active user who may call (whether they accepted the charter is the calls module's). */
async function checkCallers(trx: Tx, ids: string[]) {
  if (!ids.length) return;
  const candidates = new Set((await activeUsers(trx, { roles: rolesWith('calls.make') })).map((u) => u.id));
  const unknown = ids.filter((id) => !candidates.has(id));
  if (unknown.length) throw invalid('caller_invalid', 'Un·e appelant·e choisi·e n’existe pas ou n’est pas actif·ve.', { userIds: unknown });
}

export type CreateCampaign = { campaign: CampaignInput; ip: string };

export async function createCampaign(deps: Deps, s: SessionContext, { campaign: input, ip }: CreateCampaign) {
  return withSession(deps.database, s, async (trx) => {
    await checkCallers(trx, input.callerIds);
    const id = await repo.insertCampaign(trx, input, s.userId, scopeOf(s));
    await repo.setCallers(trx, id, input.callerIds);
    await recordAudit(trx, actorOf(s, ip), { action: 'campaign.created', objectType: 'campaign', objectId: id, details: { callers: input.callerIds.length } });
    return id;
  });
}

export type UpdateCampaign = { id: string; campaign: CampaignInput; ip: string };

export async function updateCampaign(deps: Deps, s: SessionContext, { id, campaign: input, ip }: UpdateCampaign) {
  await withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s), { lock: true });
    if (!c) throw campaignNotFound();
    if (c.status === 'closed') throw conflict('campaign_closed', 'Cette campagne est terminée : elle ne peut plus être modifiée.');
    if (c.status !== 'draft' && !(await repo.sameSegment(trx, id, input.segment))) {
      throw conflict('segment_locked', 'Le segment d’une campagne lancée ne change plus : créez une nouvelle campagne pour d’autres ménages.');
    }
    await checkCallers(trx, input.callerIds);
    await repo.updateCampaign(trx, id, input);
    await repo.setCallers(trx, id, input.callerIds);
    await recordAudit(trx, actorOf(s, ip), { action: 'campaign.updated', objectType: 'campaign', objectId: id, details: { callers: input.callerIds.length } });
  });
}

const summaryOf = (r: repo.CampaignListRow): CampaignSummary => ({
  id: r.id,
  name: r.name,
  purpose: r.purpose,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  launchedAt: r.launched_at?.toISOString() ?? null,
  targeted: r.targeted,
  reached: r.reached,
  callers: r.callers,
});

export function listCampaigns(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await repo.listCampaigns(trx, { scope: scopeOf(s) })).map(summaryOf));
}

export async function getCampaign(deps: Deps, s: SessionContext, id: string): Promise<CampaignDetail> {
  return withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s));
    const counts = await repo.campaignCounts(trx, id);
    if (!c || !counts) throw campaignNotFound();
    return {
      ...summaryOf(counts),
      segment: c.segment,
      script: c.script as CallScript,
      retryPolicy: c.retry_policy,
      callWindows: c.call_windows,
      callWindowsText: describeWindows(c.call_windows),
      claimTimeoutMinutes: c.claim_timeout_minutes,
      callerLimits: c.caller_limits,
      excludedNoCall: c.excluded_no_call,
      callerIds: await repo.callerIds(trx, id),
    };
  });
}

/** Why an action is refused, by action (the transitions themselves are the contracts'). */
const refusals: Record<CampaignAction, string> = {
  pause: 'Seule une campagne en cours peut être mise en pause.',
  resume: 'Seule une campagne en pause peut reprendre.',
  close: 'Cette campagne est déjà terminée.',
};

export type ChangeStatus = { id: string; action: CampaignAction; ip: string };

export async function changeStatus(deps: Deps, s: SessionContext, { id, action, ip }: ChangeStatus) {
  const t = campaignTransitions[action];
  return withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s), { lock: true });
    if (!c) throw campaignNotFound();
    if (!(await repo.setStatus(trx, id, [...t.from], t.to, nowOf(deps)))) throw conflict('campaign_status', refusals[action]);
    await recordAudit(trx, actorOf(s, ip), { action: `campaign.${action}d`, objectType: 'campaign', objectId: id });
    return { status: t.to };
  });
}

// ——— Home page figures, in the caller's transaction (each scoped as the matching list is) ———

/** Running campaigns the session may manage, with reached / targeted. */
export const runningCampaignsFor = (trx: Tx, s: SessionContext) => repo.runningCampaigns(trx, scopeOf(s));

/** Running campaigns whose caller pool holds the session's user. */
export async function poolCampaignsFor(trx: Tx, s: SessionContext) {
  return (await repo.listCampaigns(trx, { caller: s.userId })).map((c) => ({ id: c.id, name: c.name }));
}

/** Running campaigns whose caller pool holds this user, as the caller's list shows them (for the calls module). */
export async function campaignsOfCaller(trx: Tx, userId: string) {
  return (await repo.listCampaigns(trx, { caller: userId })).map(summaryOf);
}

// ——— For the calls module (launch, dashboard), in its transaction ———

/** A campaign the scope sees (locked for a launch), or undefined. */
export const campaignOf = (trx: Tx, q: { id: string; scope: Scope; lock?: boolean }) => repo.findCampaign(trx, q.id, q.scope, { lock: q.lock ?? false });

/** A campaign as the lists show it (name, status, figures), or undefined. */
export async function campaignSummaryOf(trx: Tx, id: string) {
  const r = await repo.campaignCounts(trx, id);
  return r ? summaryOf(r) : undefined;
}

/** How many households a segment holds within `scope`, and how many « ne pas appeler » leaves out. */
export const segmentCountIn = (trx: Tx, q: { segment: HouseholdFilters; scope: Scope }) => repo.countSegment(trx, q.segment, q.scope);

/** A draft campaign becomes active (launched at `now`); false when it was no longer a draft. */
export const markLaunched = (trx: Tx, q: { id: string; excludedNoCall: number; now: Date }) => repo.markLaunched(trx, q.id, q.excludedNoCall, q.now);

/** A draft campaign with the ready script and its caller pool, for the demo landlord (whole organisation in scope). */
export async function seedDraftCampaign(
  trx: Tx,
  c: { name: string; purpose: string; segment: HouseholdFilters; callWindows: CallWindows; callerIds: string[]; createdBy: string },
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
  return id;
}
