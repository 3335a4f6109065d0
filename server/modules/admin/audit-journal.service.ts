import {
  AUDIT_COUNT_CAP,
  type AuditEvent,
  type AuditFilters,
  type AuditPage,
  auditActionLabel,
  auditActorLabel,
  describeAuditEvent,
  frenchDateTime,
} from '../../../contracts/audit.ts';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { type AuditRow, countAuditEvents, listAuditEvents } from '../../platform/audit/journal.ts';
import { isFreshlyAuthenticated, type SessionContext } from '../../platform/auth/sessions.repository.ts';
import { CSV_BOM, csvLine } from '../../platform/csv/csv-writer.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, invalid } from '../../platform/errors/app-error.ts';
import * as calls from '../calls/index.ts';
import * as campaigns from '../campaigns/index.ts';
import type { Deps } from '../deps.ts';
import * as followups from '../followups/index.ts';
import * as identity from '../identity/index.ts';
import * as registry from '../registry/index.ts';

type Actor = { userId: string | null; role: string | null; ip: string | null };

/** Rows an export may hold: beyond, the admin narrows the filters (dates, user, action). */
export const MAX_AUDIT_EXPORT_ROWS = 50_000;

/**
 * Human names of the objects a page of the journal mentions, one query per object type (never
 * one per row), inside the organisation (RLS), each from the module that owns it: household →
 * holder and ERP reference, user → first and last name, campaign → name, import → file name,
 * residence → name; a call target, attempt or follow-up → its household.
 */
async function objectNames(trx: Tx, byType: Map<string, Set<string>>): Promise<Map<string, string>> {
  const ids = (type: string) => [...(byType.get(type) ?? [])];
  const names = new Map<string, string>();
  const add = (found: Map<string, string>) => {
    for (const [id, name] of found) names.set(id, name);
  };
  // Objects about a household take its name: first which household each one is.
  const viaHousehold = new Map<string, string>();
  for (const found of [
    await calls.targetHouseholds(trx, ids('campaign_target')),
    await followups.followupHouseholds(trx, ids('followup')),
    await calls.attemptHouseholds(trx, ids('call_attempt')),
  ]) {
    for (const [id, householdId] of found) viaHousehold.set(id, householdId);
  }
  const households = await registry.householdNames(trx, [...new Set([...ids('household'), ...viaHousehold.values()])]);
  for (const id of ids('household')) {
    const name = households.get(id);
    if (name) names.set(id, name);
  }
  for (const [id, householdId] of viaHousehold) {
    const name = households.get(householdId);
    if (name) names.set(id, name);
  }
  add(await identity.userNames(trx, ids('user')));
  add(await campaigns.campaignNames(trx, ids('campaign')));
  add(await registry.importFileNames(trx, ids('import')));
  add(await registry.residenceNames(trx, ids('residence')));
  return names;
}

/** Name the objects and actors of these rows (one query per type) and turn each into a readable entry. */
async function readable(trx: Tx, rows: AuditRow[]): Promise<AuditEvent[]> {
  const byType = new Map<string, Set<string>>();
  const want = (type: string, id: unknown) => {
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) return;
    if (!byType.has(type)) byType.set(type, new Set());
    byType.get(type)?.add(id);
  };
  for (const r of rows) {
    if (r.object_type && r.object_id) want(r.object_type, r.object_id);
    // The user a follow-up is given to, the new caretaker of a residence.
    if (r.action === 'followup.assigned' || r.action === 'residence.caretaker_set') want('user', r.details.to);
  }
  const names = await objectNames(trx, byType);
  const actors = await identity.userNames(trx, [...new Set(rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])))]);
  return rows.map((r) => {
    const objectName = r.object_id ? (names.get(r.object_id) ?? null) : null;
    const details = { ...r.details };
    if (typeof details.to === 'string') details.toName = names.get(details.to) ?? null;
    return {
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_id ? (actors.get(r.actor_id) ?? null) : null,
      actorRole: r.actor_role,
      action: r.action,
      actionLabel: auditActionLabel(r.action),
      objectType: r.object_type,
      objectId: r.object_id,
      objectName,
      summary: describeAuditEvent({ action: r.action, objectType: r.object_type, objectName, details }),
      ip: r.ip,
    };
  });
}

/** One page of the journal, its total (capped) and the cursor of the next page. Audited. */
export async function searchJournal(
  deps: Deps,
  s: SessionContext,
  query: AuditFilters & { limit: number; after?: { at: string; id: string } | undefined },
  actor: Actor,
): Promise<AuditPage> {
  const { limit, after, ...filters } = query;
  return deps.database.withOrg({ organisationId: s.organisationId, userId: s.userId }, async (trx) => {
    const rows = await listAuditEvents(trx, { filters, limit: limit + 1, after });
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const count = await countAuditEvents(trx, filters, AUDIT_COUNT_CAP);
    const events = await readable(trx, page);
    await recordAudit(trx, actor, { action: 'audit.read', details: { filters: Object.keys(filters), page: after ? 'next' : 'first' } });
    const last = page.at(-1);
    return {
      events,
      total: Math.min(count, AUDIT_COUNT_CAP),
      totalCapped: count > AUDIT_COUNT_CAP,
      next: more && last ? { at: last.at, id: last.id } : null,
    };
  });
}

const role = (r: string | null) => (r ? (roleLabels[r as Role] ?? (r === 'system' ? 'Automatique' : r === 'tenant' ? 'Locataire' : r)) : '');

/**
 * The filtered journal as CSV (`;`, UTF-8 with BOM, cells neutralised against formulas, TRUST
 * IN-07). A bulk export of personal data: fresh authentication (TRUST AA-09), audited.
 */
export async function exportJournal(deps: Deps, s: SessionContext, filters: AuditFilters, actor: Actor) {
  if (!isFreshlyAuthenticated(s)) {
    throw new AppError('reauthentication_required', 403, 'Pour exporter le journal, confirmez votre identité (mot de passe et code).');
  }
  return deps.database.withOrg({ organisationId: s.organisationId, userId: s.userId }, async (trx) => {
    const count = await countAuditEvents(trx, filters, MAX_AUDIT_EXPORT_ROWS);
    if (count > MAX_AUDIT_EXPORT_ROWS) {
      throw invalid(
        'export_too_large',
        `Un export du journal est limité à ${MAX_AUDIT_EXPORT_ROWS.toLocaleString('fr-FR')} lignes : affinez les filtres (dates, utilisateur, action).`,
      );
    }
    const lines = [csvLine(['Date', 'Qui', 'Rôle', 'Action', 'Objet', 'Détail', 'Adresse IP'])];
    let after: { at: string; id: string } | undefined;
    let rows = 0;
    for (;;) {
      const batch = await listAuditEvents(trx, { filters, limit: 1000, after });
      for (const e of await readable(trx, batch)) {
        lines.push(csvLine([frenchDateTime(e.at), auditActorLabel(e) ?? '', role(e.actorRole), e.actionLabel, e.objectName ?? '', e.summary, e.ip ?? '']));
      }
      rows += batch.length;
      const last = batch.at(-1);
      if (batch.length < 1000 || !last) break;
      after = { at: last.at, id: last.id };
    }
    await recordAudit(trx, actor, { action: 'audit.exported', details: { format: 'csv', rows, filters: Object.keys(filters) } });
    return { fileName: 'journal-audit.csv', contentType: 'text/csv; charset=utf-8', body: Buffer.from(CSV_BOM + lines.join('')) };
  });
}
