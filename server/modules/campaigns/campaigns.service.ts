import ExcelJS from 'exceljs';
import {
  type CallOutcome,
  type CallScript,
  type CampaignAction,
  type CampaignDetail,
  type CampaignInput,
  callOutcomeLabels,
  campaignTransitions,
  type Dashboard,
  doorstepResultLabels,
} from '../../../contracts/campaigns.ts';
import { type HouseholdFilters, householdAccess } from '../../../contracts/households.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { rolesWith } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { neutraliseCell } from '../../platform/csv/csv-writer.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { sendPhonelessToDoorstep } from '../doorstep/index.ts';
import { needsOfCampaign, urgentOfCampaign } from '../followups/index.ts';
import { activeUsers } from '../identity/index.ts';
import { scopeOf } from '../registry/index.ts';
import { charterAcceptedAmong } from './calls-lookups.repository.ts';
import * as repo from './campaigns.repository.ts';
import { CHARTER_VERSION } from './charter.ts';
import { describeWindows } from './schedule.ts';

export const campaignManagers = rolesWith('campaigns.manage');

const campaignNotFound = () => notFound('Campagne', 'campaign_not_found');

// ——— Preparing ———

export function countSegment(deps: Deps, s: SessionContext, segment: HouseholdFilters) {
  return withSession(deps.database, s, (trx) => repo.countSegment(trx, segment, scopeOf(s)));
}

/** Active users who may be put in a caller pool, and whether each accepted the charter. */
async function candidatesOf(trx: Tx) {
  const users = await activeUsers(trx, { roles: rolesWith('calls.make') });
  const accepted = await charterAcceptedAmong(trx, { userIds: users.map((u) => u.id), version: CHARTER_VERSION });
  return users.map((u) => ({ ...u, charter: accepted.has(u.id) }));
}

async function checkCallers(trx: Tx, ids: string[]) {
  if (!ids.length) return;
  const candidates = new Set((await candidatesOf(trx)).map((c) => c.id));
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

const summaryOf = (r: repo.CampaignListRow) => ({
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

export function callerCandidates(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) =>
    (await candidatesOf(trx)).map((u) => ({
      id: u.id,
      name: `${u.first_name} ${u.last_name}`,
      role: u.role,
      charterAccepted: u.charter,
    })),
  );
}

/**
 * Launch: fill the queue from the segment and open the campaign. Safe to call twice at once
 * (double click, two nodes): the campaign row is locked, the second call finds it active and
 * the unique key on (campaign, household) adds nothing (TRUST FT-03).
 */
export type LaunchCampaign = { id: string; ip: string };

export async function launchCampaign(deps: Deps, s: SessionContext, { id, ip }: LaunchCampaign) {
  const now = nowOf(deps);
  const result = await withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s), { lock: true });
    if (!c) throw campaignNotFound();
    if (c.status === 'draft') {
      // The segment stays inside the agencies of the manager who created the campaign.
      const count = await repo.countSegment(trx, c.segment, c.agency_ids);
      if (count.targeted === 0) throw invalid('segment_empty', 'Aucun ménage à appeler dans ce segment : élargissez les filtres.');
      await repo.insertTargets(trx, id, c.segment, c.agency_ids, now);
      await sendPhonelessToDoorstep(trx, { campaignId: id, now });
      await repo.markLaunched(trx, id, count.excludedNoCall, now);
      await recordAudit(trx, actorOf(s, ip), {
        action: 'campaign.launched',
        objectType: 'campaign',
        objectId: id,
        details: { excludedNoCall: count.excludedNoCall },
      });
    }
    const after = await repo.findCampaign(trx, id, scopeOf(s));
    const counts = await repo.campaignCounts(trx, id);
    return { status: after?.status ?? c.status, targets: counts?.targeted ?? 0, excludedNoCall: after?.excluded_no_call ?? 0 };
  });
  // Statistics for the new queue (else the planner sorts it at every claim), after the commit so
  // the ANALYZE lock is not held for the whole launch.
  await withSession(deps.database, s, (trx) => repo.analyzeTargets(trx));
  return result;
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

// ——— Watching ———

export async function getDashboard(deps: Deps, s: SessionContext, id: string): Promise<Dashboard> {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const c = await repo.findCampaign(trx, id, scopeOf(s));
    const counts = await repo.campaignCounts(trx, id);
    if (!c || !counts) throw campaignNotFound();
    const d = await repo.dashboardData(trx, id, now);
    const needs = await needsOfCampaign(trx, id);
    const urgent = await urgentOfCampaign(trx, id);
    const t = d.totals ?? { targeted: 0, reached: 0, queued: 0, assigned: 0, done: 0, doorstep: 0, attempts: 0, callers_active: 0 };
    return {
      campaign: summaryOf(counts),
      totals: {
        targeted: t.targeted,
        reached: t.reached,
        reachedPct: t.targeted ? Math.round((1000 * t.reached) / t.targeted) / 10 : 0,
        queued: t.queued,
        assigned: t.assigned,
        done: t.done,
        doorstep: t.doorstep,
        attempts: t.attempts,
        excludedNoCall: c.excluded_no_call,
        callersActive: t.callers_active,
      },
      outcomes: d.outcomes.map((o) => ({ outcome: o.outcome, label: callOutcomeLabels[o.outcome as CallOutcome] ?? o.outcome, count: o.count })),
      needs,
      agencies: d.agencies,
      days: d.days,
      urgent: urgent.map((u) => ({
        id: u.id,
        at: u.at.toISOString(),
        label: u.label,
        status: u.status,
        erpRef: u.erp_ref,
        // The household as staff know it, within the role's field rules (identity), and its file when the role may open it.
        holder: householdAccess[s.role].fields.includes('identity') ? u.holder : null,
        householdId: householdAccess[s.role].scope === 'none' ? null : u.household_id,
      })),
    };
  });
}

/** Final outcome of a household: the call's, or the doorstep visit's. */
const finalOutcomeLabels: Record<string, string> = {
  ...callOutcomeLabels,
  doorstep: 'Confié au porte-à-porte',
  no_phone: 'Sans téléphone : porte-à-porte',
  ...Object.fromEntries(Object.entries(doorstepResultLabels).map(([k, v]) => [`doorstep_${k}`, `Porte-à-porte : ${v}`])),
};

const targetStatusLabels: Record<string, string> = {
  queued: 'À appeler',
  waiting: 'Relance programmée',
  assigned: 'En cours d’appel',
  done: 'Terminé',
  doorstep: 'Porte-à-porte',
};

/** The dashboard as a workbook: figures, then one line per household (reference, no names). Audited. */
export type ExportDashboard = { id: string; ip: string };

export async function exportDashboard(deps: Deps, s: SessionContext, { id, ip }: ExportDashboard) {
  const d = await getDashboard(deps, s, id);
  const rows = await withSession(deps.database, s, async (trx) => {
    await recordAudit(trx, actorOf(s, ip), { action: 'campaign.exported', objectType: 'campaign', objectId: id });
    return repo.exportRows(trx, id);
  });
  const wb = new ExcelJS.Workbook();
  const summary = wb.addWorksheet('Synthèse');
  summary.addRows([
    ['Campagne', neutraliseCell(d.campaign.name)],
    ['Ménages ciblés', d.totals.targeted],
    ['Ménages joints', d.totals.reached],
    ['Taux de joignabilité (%)', d.totals.reachedPct],
    ['Appels passés', d.totals.attempts],
    ['Exclus (« ne pas appeler »)', d.totals.excludedNoCall],
    ['Porte-à-porte', d.totals.doorstep],
    [],
    ['Issue', 'Nombre'],
    ...d.outcomes.map((o) => [o.label, o.count]),
    [],
    ['Besoin', 'Nombre'],
    ...d.needs.map((n) => [neutraliseCell(n.label), n.count]),
    [],
    ['Agence', 'Ciblés', 'Joints'],
    ...d.agencies.map((a) => [neutraliseCell(a.agency), a.targeted, a.reached]),
    [],
    ['Jour', 'Appels', 'Joints'],
    ...d.days.map((x) => [x.day, x.attempts, x.reached]),
  ]);
  const list = wb.addWorksheet('Ménages');
  list.addRow(['Réf. ménage', 'Agence', 'Résidence', 'État', 'Issue', 'Appels', 'Priorité']);
  for (const r of rows) {
    list.addRow([
      neutraliseCell(r.erp_ref),
      neutraliseCell(r.agency),
      neutraliseCell(r.residence),
      targetStatusLabels[r.status] ?? r.status,
      r.final_outcome ? (finalOutcomeLabels[r.final_outcome] ?? r.final_outcome) : '',
      r.attempts,
      r.priority,
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ——— Home page figures, in the caller's transaction (each scoped as the matching list is) ———

/** Running campaigns the session may manage, with reached / targeted. */
export const runningCampaignsFor = (trx: Tx, s: SessionContext) => repo.runningCampaigns(trx, scopeOf(s));

/** Running campaigns whose caller pool holds the session's user. */
export async function poolCampaignsFor(trx: Tx, s: SessionContext) {
  return (await repo.listCampaigns(trx, { caller: s.userId })).map((c) => ({ id: c.id, name: c.name }));
}

/** Due callbacks: those the user promised (`mine`), or all those of the campaigns the session manages. */
export const dueCallbacksFor = (trx: Tx, s: SessionContext, now: Date, mine: boolean) =>
  repo.countDueCallbacks(trx, mine ? { caller: s.userId } : { scope: scopeOf(s) }, now);

/** Running campaigns whose caller pool holds this user, as the caller's list shows them (for the calls module). */
export async function campaignsOfCaller(trx: Tx, userId: string) {
  return (await repo.listCampaigns(trx, { caller: userId })).map(summaryOf);
}
