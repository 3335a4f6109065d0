/**
 * Dashboards of a landlord (issue 18): the period's figures of every module for the organisation
 * or one agency (the user's agency scope enforced), optionally compared with a segment's
 * households. Each figure is computed by the module that owns its table (`*Figures` on their
 * index.ts); this module only composes, labels, exports and prints them. No person leaves here:
 * only counts and sums.
 */
import { sql } from 'kysely';
import { caseOutcomeLabels } from '../../../contracts/cases.ts';
import { messageStatusLabel, sentStatuses } from '../../../contracts/message-status.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { referralStatuses, referralStatusLabels } from '../../../contracts/partners.ts';
import {
  type Dashboard,
  type DashboardBody,
  dashboardBody,
  type ReportRow,
  type ReportTable,
  type ReportTableId,
  reportTableTitles,
  segmentDescription,
} from '../../../contracts/reporting.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { FigureScope } from '../../platform/db/figures.ts';
import { organisationOf } from '../../platform/db/organisations.ts';
import { notFound } from '../../platform/errors/app-error.ts';
import { messageFigures } from '../../platform/outbox/outbox.ts';
import { parisToday } from '../../platform/time.ts';
import { planFigures } from '../arrears/index.ts';
import { callFigures } from '../calls/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { caseFigures, needFigures } from '../followups/index.ts';
import { activeUsers, agencyNameOf } from '../identity/index.ts';
import { referralFigures } from '../partners/index.ts';
import { agencyHouseholdsSql, arrearsSinceFigures, type Scope, scopeOf, segmentHouseholdIds } from '../registry/index.ts';
import { deliveryFigures, outreachFigures, volunteerFigures } from '../solidarity/index.ts';

type Line = { key: string; label: string; value: number };

const channelLabels: Record<string, string> = { email: 'E-mails', sms: 'SMS' };

/** The Mondays of the weeks the period touches, as ISO dates. */
export function weeksOf(from: string, to: string): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const weeks: string[] = [];
  for (const d = start; d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 7)) weeks.push(d.toISOString().slice(0, 10));
  return weeks;
}

/** The figures of one set of households (all of the scope, or the segment's), as labelled lines per table. */
async function linesOf(trx: Tx, f: FigureScope, o: { now: Date; messages: boolean; organisationWide: boolean }) {
  const weeks = weeksOf(f.from, f.to);
  const calls = await callFigures(trx, f, weeks);
  const byWeek = new Map(calls.weeks.map((w) => [w.week, w.reached]));
  const needs = await needFigures(trx, f);
  const cases = await caseFigures(trx, f, parisToday(o.now));
  const referrals = await referralFigures(trx, f, o.now);
  const sum = (rows: { n: number }[]) => rows.reduce((n, r) => n + r.n, 0);
  const lines: Partial<Record<ReportTableId, Line[]>> = {
    households_reached: weeks.map((w) => ({ key: w, label: `Semaine du ${frenchDay(w)}`, value: byWeek.get(w) ?? 0 })),
    calls: [
      { key: 'households_called', label: 'Ménages appelés', value: calls.called },
      { key: 'households_reached', label: 'Ménages joints', value: calls.reached },
      { key: 'call_attempts', label: 'Appels passés', value: calls.attempts },
    ],
    needs: [
      { key: 'needs_found', label: 'Besoins repérés', value: needs.reduce((n, x) => n + x.found, 0) },
      { key: 'needs_closed', label: 'dont traités (clos)', value: needs.reduce((n, x) => n + x.closed, 0) },
      { key: 'needs_open', label: 'dont encore ouverts', value: needs.reduce((n, x) => n + x.found - x.closed, 0) },
      ...needs.map((x) => ({ key: `need.${x.need}`, label: x.label, value: x.found })),
    ],
    cases: [
      { key: 'cases_open', label: 'Dossiers ouverts aujourd’hui', value: cases.open },
      { key: 'cases_overdue', label: 'dont avec une tâche en retard', value: cases.overdue },
      { key: 'cases_opened', label: 'Dossiers ouverts dans la période', value: cases.opened },
      { key: 'cases_closed', label: 'Dossiers clos dans la période', value: sum(cases.closedBy) },
    ],
    case_outcomes: cases.closedBy.map((x) => ({
      key: x.outcome ?? 'none',
      label: x.outcome ? caseOutcomeLabels[x.outcome as keyof typeof caseOutcomeLabels] : 'Sans issue indiquée',
      value: x.n,
    })),
    referrals: [
      { key: 'referrals_sent', label: 'Orientations envoyées', value: sum(referrals) },
      ...referralStatuses.map((st) => ({
        key: `referral.${st}`,
        label: `Réponse : ${referralStatusLabels[st].toLowerCase()}`,
        value: referrals.find((x) => x.status === st)?.n ?? 0,
      })),
      { key: 'referrals_late', label: 'Accusé de réception en retard ou attendu', value: referrals.reduce((n, x) => n + x.late, 0) },
    ],
  };
  const deliveries = await deliveryFigures(trx, f);
  lines.solidarity = [
    { key: 'deliveries_done', label: 'Livraisons faites', value: deliveries.done },
    { key: 'deliveries_not_home', label: 'Livraisons : personne absente', value: deliveries.notHome },
    { key: 'deliveries_refused', label: 'Livraisons refusées', value: deliveries.refused },
  ];
  // An outreach event belongs to a residence: counted for the whole organisation only.
  if (o.organisationWide) {
    const outreach = await outreachFigures(trx, f);
    lines.solidarity.push(
      { key: 'outreach_events', label: 'Rencontres au pied des immeubles', value: outreach.events },
      { key: 'outreach_contacts', label: 'Contacts pendant ces rencontres', value: outreach.contacts },
    );
  }
  if (o.messages) {
    const messages = await messageFigures(trx, f);
    const isSent = (s: string) => (sentStatuses as readonly string[]).includes(s);
    lines.messages = [
      { key: 'messages_created', label: 'Messages créés', value: sum(messages) },
      { key: 'messages_sent', label: 'dont envoyés', value: sum(messages.filter((m) => isSent(m.status))) },
      { key: 'messages_failed', label: 'dont en échec', value: sum(messages.filter((m) => m.status === 'failed')) },
      ...messages.map((m) => ({
        key: `messages.${m.channel}.${m.status}`,
        label: `${channelLabels[m.channel]} ${messageStatusLabel(m.status, m.n)}`,
        value: m.n,
      })),
    ];
  }
  return lines;
}

/** Volunteers: open accounts, those who paused themselves, those who settled a delivery in the period. */
async function volunteerLines(trx: Tx, f: FigureScope): Promise<Line[]> {
  const ids = (await activeUsers(trx, { roles: ['volunteer'] })).map((u) => u.id);
  const v = await volunteerFigures(trx, f, ids);
  return [
    { key: 'volunteers_open', label: 'Bénévoles (comptes ouverts)', value: ids.length },
    { key: 'volunteers_paused', label: 'dont en pause', value: v.paused },
    { key: 'volunteers_delivering', label: 'dont ayant livré dans la période', value: v.delivering },
  ];
}

/**
 * Arrears and payment plans, last in the transaction: the arrears statement sets its own planner
 * settings for the rest of the transaction (ADR 0015), which the other figures must not inherit.
 */
async function arrearsLines(trx: Tx, f: FigureScope, o: { scope: Scope; seesRestricted: boolean }): Promise<Line[]> {
  const debts = await arrearsSinceFigures(trx, { since: f.from, households: f.households }, o.scope, o.seesRestricted);
  // A segment's households are already within the agencies.
  const plans = await planFigures(trx, f, f.households ? null : agencyHouseholdsSql(o.scope));
  return [
    { key: 'arrears_new', label: `Nouvelles dettes depuis le ${frenchDay(f.from)}`, value: debts.fresh },
    { key: 'arrears_grown', label: `Dettes aggravées depuis le ${frenchDay(f.from)}`, value: debts.grown },
    { key: 'arrears_growth_euros', label: 'Hausse des dettes (€)', value: Math.round(debts.growthCents / 100) },
    { key: 'plans_signed', label: 'Plans d’apurement signés', value: plans.signed },
    { key: 'instalments_due', label: 'Échéances de la période', value: plans.met + plans.missed + plans.pending },
    { key: 'instalments_met', label: 'dont honorées', value: plans.met },
    { key: 'instalments_missed', label: 'dont non honorées', value: plans.missed },
    { key: 'instalments_pending', label: 'dont pas encore vérifiées', value: plans.pending },
  ];
}

/** The tables: the whole's lines, each with the segment's figure beside it (0 when the segment has none of it). */
function tablesOf(all: Partial<Record<ReportTableId, Line[]>>, segment: Partial<Record<ReportTableId, Line[]>> | null, noSegment: ReportTableId[]) {
  return (Object.keys(reportTableTitles) as ReportTableId[])
    .filter((id) => all[id])
    .map(
      (id): ReportTable => ({
        id,
        title: reportTableTitles[id],
        rows: (all[id] ?? []).map(
          (l): ReportRow => ({
            ...l,
            segment: segment && !noSegment.includes(id) ? (segment[id]?.find((x) => x.key === l.key)?.value ?? 0) : null,
          }),
        ),
      }),
    );
}

/**
 * The dashboard of the period: for the organisation (org admins, or a user without agencies), the
 * user's agencies, or one of them (404 for an agency outside the scope). Arrears only for the roles
 * that work on them (TRUST DP-04); messages only for the whole organisation (they carry no agency).
 */
export function dashboardOf(deps: Deps, s: SessionContext, input: DashboardBody): Promise<Dashboard> {
  const body = dashboardBody.parse(input);
  return withSession(deps.database, s, (trx) => dashboardIn(trx, deps, s, body));
}

export async function dashboardIn(trx: Tx, deps: Deps, s: SessionContext, body: DashboardBody): Promise<Dashboard> {
  const now = nowOf(deps);
  const userScope = scopeOf(s);
  if (body.agencyId && userScope && !userScope.includes(body.agencyId)) throw notFound('Agence', 'agency_not_found');
  const agencies: Scope = body.agencyId ? [body.agencyId] : userScope;
  const names = agencies
    ? (await sql<{ name: string | null }>`select ${agencyNameOf(sql`a.id`)} as name from unnest(${agencies}::uuid[]) as a(id)`.execute(trx)).rows.map(
        (r) => r.name,
      )
    : [];
  if (body.agencyId && !names[0]) throw notFound('Agence', 'agency_not_found');
  const scopeLabel = !agencies
    ? 'Toute l’organisation'
    : body.agencyId
      ? `Agence ${names[0]}`
      : `${names.length > 1 ? 'Vos agences' : 'Votre agence'} : ${names
          .filter(Boolean)
          .sort((a, b) => (a ?? '').localeCompare(b ?? '', 'fr'))
          .join(', ')}`;
  const notes: string[] = [];
  const arrears = can(s.role, 'arrears.work');
  if (!arrears) notes.push('Impayés : réservés aux rôles qui traitent les impayés.');
  const messages = agencies === null;
  const organisationWide = agencies === null;
  if (!messages) notes.push('Messages envoyés : comptés pour toute l’organisation seulement (un message n’a pas d’agence).');
  if (!organisationWide)
    notes.push('Rencontres au pied des immeubles et bénévoles : comptés pour toute l’organisation seulement (ni une rencontre ni un·e bénévole n’a d’agence).');
  // The period's counts sort up to a few hundred thousand rows: in memory, for this transaction only.
  await sql`select set_config('work_mem', '32MB', true)`.execute(trx);
  const period = { from: body.from, to: body.to, agencies };
  const whole: FigureScope = { ...period, households: null };
  const part: FigureScope | null = body.segment ? { ...period, households: await segmentHouseholdIds(trx, body.segment, agencies) } : null;
  const all = await linesOf(trx, whole, { now, messages, organisationWide });
  const segment = part ? await linesOf(trx, part, { now, messages: false, organisationWide }) : null;
  if (organisationWide) all.volunteers = await volunteerLines(trx, whole);
  if (arrears) {
    const o = { scope: agencies, seesRestricted: can(s.role, 'households.restricted') };
    all.arrears = await arrearsLines(trx, whole, o);
    if (segment && part) segment.arrears = await arrearsLines(trx, part, o);
  }
  return {
    from: body.from,
    to: body.to,
    scopeLabel,
    segmentLabel: body.segment ? segmentDescription(body.segment) : null,
    notes,
    tables: tablesOf(all, segment, ['messages', 'volunteers']),
  };
}

/** The dashboard for an export (a table as CSV or XLSX, or the PDF report), audited with what was exported. */
export function dashboardForExport(deps: Deps, s: SessionContext, input: DashboardBody, what: { table: ReportTableId | 'pdf'; format: string }, ip: string) {
  const body = dashboardBody.parse(input);
  return withSession(deps.database, s, async (trx) => {
    const d = await dashboardIn(trx, deps, s, body);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'reporting.exported',
      details: { table: what.table, format: what.format, from: body.from, to: body.to, agencyId: body.agencyId ?? null, segment: d.segmentLabel },
    });
    return { dashboard: d, organisation: (await organisationOf(trx)).name };
  });
}
