// The report of a user's accesses to households over a window (TRUST DP-15): which households,
// which categories of data, from the audit trail; shown to the DPO and downloaded as CSV or JSON,
// each report itself audited.

import { auditActionLabel } from '../../../contracts/audit.ts';
import {
  BREACH_SCREEN_ROWS,
  type BreachHousehold,
  type BreachQuery,
  type BreachReport,
  type DataCategoryRow,
  MAX_BREACH_WINDOW_DAYS,
} from '../../../contracts/breach.ts';
import { dataClasses } from '../../../contracts/data-protection.ts';
import { accessedData, categoryOf, tablesTouched } from '../../data-protection/accessed-data.ts';
import { actionCountsOf, type ObjectAccess, objectAccessesOf } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { isFreshlyAuthenticated, type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { CSV_BOM, csvLine } from '../../platform/csv/csv-writer.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { TableName } from '../../platform/db/tables.ts';
import { AppError, invalid, notFound } from '../../platform/errors/app-error.ts';
import { attemptHouseholds, targetHouseholds } from '../calls/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { caseHouseholds, followupHouseholds } from '../followups/index.ts';
import { userNames } from '../identity/index.ts';
import { householdNames, subjectOf } from '../registry/index.ts';

type Window = { userId: string; from: Date; to: Date };

/** Objects that are about one household, and how to find it (each from its owner). */
async function householdOfObjects(trx: Tx, accesses: ObjectAccess[]): Promise<Map<string, string>> {
  const ids = (type: string) => [...new Set(accesses.filter((a) => a.object_type === type).map((a) => a.object_id))];
  const found = new Map<string, string>();
  for (const id of ids('household')) found.set(id, id);
  for (const m of [
    await targetHouseholds(trx, ids('campaign_target')),
    await attemptHouseholds(trx, ids('call_attempt')),
    await followupHouseholds(trx, ids('followup')),
    await caseHouseholds(trx, ids('case')),
  ]) {
    for (const [id, householdId] of m) found.set(id, householdId);
  }
  // A person (right-of-access requests): a handful at most, one query each.
  for (const id of ids('person')) {
    const subject = await subjectOf(trx, id);
    if (subject) found.set(id, subject.householdId);
  }
  return found;
}

// One collator for the whole report: \`localeCompare(…, 'fr')\` builds one per call, which a report
// of a hundred thousand households pays millions of times.
const french = new Intl.Collator('fr');
const bySensitivity = (a: DataCategoryRow, b: DataCategoryRow) =>
  dataClasses.indexOf(b.class) - dataClasses.indexOf(a.class) || french.compare(a.label, b.label);
const categoriesOf = (tables: Iterable<TableName>): DataCategoryRow[] => [...new Set(tables)].map(categoryOf).sort(bySensitivity);

/** Build the report inside the caller's transaction (RLS: the organisation's trail only). */
async function buildReport(trx: Tx, w: Window, now: Date): Promise<BreachReport> {
  const user = (await userNames(trx, [w.userId])).get(w.userId);
  if (!user) throw notFound('Utilisateur·rice', 'user_not_found');
  const accesses = await objectAccessesOf(trx, { actorId: w.userId, from: w.from, to: w.to });
  const households = await householdOfObjects(trx, accesses);
  type Acc = { first: Date; last: Date; events: number; actions: Set<string>; tables: Set<TableName> };
  const acc = new Map<string, Acc>();
  for (const a of accesses) {
    if (accessedData[a.action]?.kind !== 'household') continue;
    const householdId = households.get(a.object_id);
    if (!householdId) continue;
    const h = acc.get(householdId) ?? { first: a.first_at, last: a.last_at, events: 0, actions: new Set(), tables: new Set() };
    if (a.first_at < h.first) h.first = a.first_at;
    if (a.last_at > h.last) h.last = a.last_at;
    h.events += a.events;
    h.actions.add(a.action);
    for (const t of tablesTouched(a.action, a.actor_role)) h.tables.add(t);
    acc.set(householdId, h);
  }
  const names = await householdNames(trx, [...acc.keys()]);
  const rows: BreachHousehold[] = [...acc]
    .map(([householdId, h]) => ({
      householdId,
      name: names.get(householdId) ?? null,
      firstAt: h.first.toISOString(),
      lastAt: h.last.toISOString(),
      accesses: h.events,
      actions: [...h.actions].map(auditActionLabel).sort(french.compare),
      categories: categoriesOf(h.tables).map((c) => c.table),
    }))
    .sort((a, b) => a.firstAt.localeCompare(b.firstAt) || (a.name ?? '').localeCompare(b.name ?? ''));
  const counts = await actionCountsOf(trx, { actorId: w.userId, from: w.from, to: w.to });
  const unlisted = new Map<string, { events: number; first: Date; last: Date; tables: Set<TableName> }>();
  for (const c of counts) {
    if (accessedData[c.action]?.kind !== 'unlisted') continue;
    const u = unlisted.get(c.action) ?? { events: 0, first: c.first_at, last: c.last_at, tables: new Set() };
    u.events += c.events;
    if (c.first_at < u.first) u.first = c.first_at;
    if (c.last_at > u.last) u.last = c.last_at;
    for (const t of tablesTouched(c.action, c.actor_role)) u.tables.add(t);
    unlisted.set(c.action, u);
  }
  const latestRole = counts.reduce<{ at: Date; role: string | null } | null>(
    (best, c) => (!best || c.last_at > best.at ? { at: c.last_at, role: c.actor_role } : best),
    null,
  );
  return {
    user: { id: w.userId, name: user, role: latestRole?.role ?? null },
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    generatedAt: now.toISOString(),
    totalHouseholds: rows.length,
    households: rows,
    categories: categoriesOf([...acc.values()].flatMap((h) => [...h.tables])),
    unlisted: [...unlisted].map(([action, u]) => ({
      action,
      label: auditActionLabel(action),
      events: u.events,
      firstAt: u.first.toISOString(),
      lastAt: u.last.toISOString(),
      categories: categoriesOf(u.tables),
    })),
  };
}

function windowOf(q: BreachQuery): Window {
  const from = new Date(q.from);
  const to = new Date(q.to);
  // The contract checks it too; the export's body is checked here.
  if (!(from < to)) throw invalid('invalid_window', 'La date de fin doit suivre la date de début.');
  if (to.getTime() - from.getTime() > MAX_BREACH_WINDOW_DAYS * 86_400_000)
    throw invalid('invalid_window', `La période couvre au plus ${MAX_BREACH_WINDOW_DAYS} jours : raccourcissez-la.`);
  return { userId: q.userId, from, to };
}

const audited = (trx: Tx, s: SessionContext, ip: string, r: BreachReport, format: 'screen' | 'json' | 'csv') =>
  recordAudit(trx, actorOf(s, ip), {
    action: 'breach.exported',
    objectType: 'user',
    objectId: r.user.id,
    details: { format, from: r.from, to: r.to, households: r.households.length },
  });

/** The report on screen; audited like a download (it names the households). */
export function breachReport(deps: Deps, s: SessionContext, q: BreachQuery & { ip: string }): Promise<BreachReport> {
  const w = windowOf(q);
  return withSession(deps.database, s, async (trx) => {
    const r = await buildReport(trx, w, nowOf(deps));
    await audited(trx, s, q.ip, r, 'screen');
    return { ...r, households: r.households.slice(0, BREACH_SCREEN_ROWS) };
  });
}

// One formatter for the whole file: building one per cell made a CSV of 150,000 households take minutes.
const parisDateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Paris' });
const frenchDateTime = (iso: string) => parisDateTime.format(new Date(iso));

/** The report as a CSV: one line per household, then the events that name no household. */
export function breachCsv(r: BreachReport): Buffer {
  const byTable = new Map(r.categories.map((c) => [c.table, c]));
  const lines = [
    csvLine([
      'Ménage',
      'Identifiant du ménage',
      'Premier accès (Paris)',
      'Dernier accès (Paris)',
      'Accès',
      'Actions',
      'Catégories de données',
      'Classe la plus sensible',
    ]),
    ...r.households.map((h) =>
      csvLine([
        h.name ?? '(ménage supprimé)',
        h.householdId,
        frenchDateTime(h.firstAt),
        frenchDateTime(h.lastAt),
        h.accesses,
        h.actions.join(' ; '),
        h.categories.map((t) => byTable.get(t)?.label ?? t).join(' ; '),
        byTable.get(h.categories[0] ?? '')?.classLabel ?? '',
      ]),
    ),
    ...r.unlisted.map((u) =>
      csvLine([
        `(sans liste de ménages) ${u.label}`,
        '',
        frenchDateTime(u.firstAt),
        frenchDateTime(u.lastAt),
        u.events,
        u.label,
        u.categories.map((c) => c.label).join(' ; '),
        u.categories[0]?.classLabel ?? '',
      ]),
    ),
  ];
  return Buffer.from(CSV_BOM + lines.join(''));
}

/** The download (CSV or JSON), after a recent confirmation of identity like every bulk export (TRUST AA-09); audited. */
export async function exportBreach(deps: Deps, s: SessionContext, q: BreachQuery & { format: 'json' | 'csv'; ip: string }) {
  const w = windowOf(q);
  if (!isFreshlyAuthenticated(s)) {
    throw new AppError(
      'reauthentication_required',
      403,
      'Pour exporter, confirmez votre identité (mot de passe, et code si la double authentification est activée).',
    );
  }
  const r = await withSession(deps.database, s, async (trx) => {
    const report = await buildReport(trx, w, nowOf(deps));
    await audited(trx, s, q.ip, report, q.format);
    return report;
  });
  const base = `acces-${r.from.slice(0, 10)}-${r.to.slice(0, 10)}-${r.user.id.slice(-8)}`;
  if (q.format === 'csv') return { fileName: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: breachCsv(r) };
  return { fileName: `${base}.json`, contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(r, null, 2)) };
}
