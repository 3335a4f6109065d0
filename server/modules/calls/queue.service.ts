// The queue of a campaign (ADR 0010): who may be put in a caller pool (charter), the launch that
// fills the queue, the dashboard and its export, the callbacks due. URLs under /api/campaigns.
import ExcelJS from 'exceljs';
import { type CallOutcome, callOutcomeLabels, type Dashboard, doorstepResultLabels } from '../../../contracts/campaigns.ts';
import { type HouseholdFilters, householdAccess } from '../../../contracts/households.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can, rolesWith } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { neutraliseCell } from '../../platform/csv/csv-writer.ts';
import type { Tx } from '../../platform/db/database.ts';
import { invalid, notFound } from '../../platform/errors/app-error.ts';
import {
  type CallWindows,
  CHARTER_VERSION,
  campaignLadder,
  campaignOf,
  campaignSummaryOf,
  markLaunched,
  seedDraftCampaign,
  segmentCountIn,
} from '../campaigns/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { openVisits } from '../doorstep/index.ts';
import { needsOfCampaign, urgentOfCampaign } from '../followups/index.ts';
import { activeUsers } from '../identity/index.ts';
import { type Scope, scopeOf } from '../registry/index.ts';
import * as repo from './queue.repository.ts';

const campaignNotFound = () => notFound('Campagne', 'campaign_not_found');

/** Active users who may be put in a caller pool, whether each must accept the charter (`calls.restricted`), and whether they did. */
export function callerCandidates(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const users = await activeUsers(trx, { roles: rolesWith('calls.make') });
    const accepted = await repo.charterAcceptedAmong(trx, { userIds: users.map((u) => u.id), version: CHARTER_VERSION });
    return users.map((u) => ({
      id: u.id,
      name: `${u.first_name} ${u.last_name}`,
      role: u.role,
      charterRequired: can(u.role, 'calls.restricted'),
      charterAccepted: accepted.has(u.id),
    }));
  });
}

/** Fills the queue of a draft campaign from its segment (within `scope`), sends the phoneless households to the doorstep, opens the campaign. */
async function fillAndOpen(trx: Tx, q: { campaignId: string; segment: HouseholdFilters; scope: Scope; now: Date; refuseEmpty: boolean }) {
  const count = await segmentCountIn(trx, { segment: q.segment, scope: q.scope });
  if (q.refuseEmpty && count.targeted === 0) throw invalid('segment_empty', 'Aucun ménage à appeler dans ce segment : élargissez les filtres.');
  await repo.insertTargets(trx, { campaignId: q.campaignId, segment: q.segment, scope: q.scope, now: q.now });
  const phoneless = await repo.markPhoneless(trx, q.campaignId, q.now);
  await openVisits(
    trx,
    phoneless.map((t) => ({ campaignId: q.campaignId, targetId: t.id, householdId: t.household_id, residenceId: t.residence_id, agencyId: t.agency_id })),
  );
  await markLaunched(trx, { id: q.campaignId, excludedNoCall: count.excludedNoCall, now: q.now });
  return count;
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
    const c = await campaignOf(trx, { id, scope: scopeOf(s), lock: true });
    if (!c) throw campaignNotFound();
    if (c.status === 'draft') {
      // The segment stays inside the agencies of the manager who created the campaign.
      const count = await fillAndOpen(trx, { campaignId: id, segment: c.segment, scope: c.agency_ids, now, refuseEmpty: true });
      await recordAudit(trx, actorOf(s, ip), {
        action: 'campaign.launched',
        objectType: 'campaign',
        objectId: id,
        details: { excludedNoCall: count.excludedNoCall },
      });
      // The escalation ladder's SMS before the first call, if the campaign has one (issue 15).
      await campaignLadder()?.launched(deps, trx, { organisationId: s.organisationId, campaignId: id, userId: s.userId });
    }
    const after = await campaignOf(trx, { id, scope: scopeOf(s) });
    const summary = await campaignSummaryOf(trx, id);
    return { status: after?.status ?? c.status, targets: summary?.targeted ?? 0, excludedNoCall: after?.excluded_no_call ?? 0 };
  });
  // Statistics for the new queue (else the planner sorts it at every claim), after the commit so
  // the ANALYZE lock is not held for the whole launch.
  await withSession(deps.database, s, (trx) => repo.analyzeTargets(trx));
  return result;
}

/** A launched campaign with the ready script, for the demo landlord (whole organisation in scope). */
export async function seedLaunchedCampaign(
  trx: Tx,
  c: { name: string; purpose: string; segment: HouseholdFilters; callWindows: CallWindows; callerIds: string[]; createdBy: string },
  now = new Date(),
) {
  const id = await seedDraftCampaign(trx, c);
  await fillAndOpen(trx, { campaignId: id, segment: c.segment, scope: null, now, refuseEmpty: false });
  await repo.analyzeTargets(trx);
  return id;
}

// ——— Watching ———

export async function getDashboard(deps: Deps, s: SessionContext, id: string): Promise<Dashboard> {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const c = await campaignOf(trx, { id, scope: scopeOf(s) });
    const campaign = await campaignSummaryOf(trx, id);
    if (!c || !campaign) throw campaignNotFound();
    const d = await repo.dashboardData(trx, id, now);
    const needs = await needsOfCampaign(trx, id);
    const urgent = await urgentOfCampaign(trx, id);
    const t = d.totals ?? { targeted: 0, reached: 0, queued: 0, assigned: 0, done: 0, doorstep: 0, attempts: 0, callers_active: 0 };
    return {
      campaign,
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

/** Due callbacks (home page), in its transaction: those the user promised (`mine`), or all those of the campaigns the session manages. */
export const dueCallbacksFor = (trx: Tx, s: SessionContext, now: Date, mine: boolean) =>
  repo.countDueCallbacks(trx, mine ? { caller: s.userId } : { scope: scopeOf(s) }, now);
