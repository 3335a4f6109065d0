import type { Purpose } from '../../../contracts/data-protection.ts';
import type { ErasurePlan, ObjectablePurpose, SubjectRequestKind, SubjectRequestRow } from '../../../contracts/privacy.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { isFreshlyAuthenticated, type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors/app-error.ts';
import { parisToday } from '../../platform/time.ts';
import { type Deps, nowOf } from '../deps.ts';
import { personLabels, subjectOf } from '../registry/index.ts';
import { accessCsv, accessJson, accessPdf, buildAccessExport } from './access-export.ts';
import { executePlan, previewPlan } from './erasure.ts';
import { erasureLetterPdf } from './erasure-letter.ts';
import { privacyRoles } from './privacy.policy.ts';
import * as repo from './privacy.repository.ts';

const requestNotFound = () => notFound('Demande', 'subject_request_not_found');
const DAY = 86_400_000;

function check(s: SessionContext) {
  if (!privacyRoles.includes(s.role)) throw forbidden();
}

/** Whole days from `today` to `day` (YYYY-MM-DD both): negative when `day` is past. */
export function daysBetween(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY);
}

function toRow(r: repo.RequestRow, names: { personName: string; householdRef: string }, today: string): SubjectRequestRow {
  const daysLeft = daysBetween(today, r.due_on);
  return {
    id: r.id,
    kind: r.kind,
    personId: r.person_id,
    householdId: r.household_id,
    personName: names.personName,
    householdRef: names.householdRef,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    daysLeft,
    overdue: r.status === 'open' && daysLeft < 0,
    status: r.status,
    recordedBy: r.recorded_by_name,
    answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
    notes: r.notes,
    purposes: r.purposes as Purpose[],
    executedAt: r.executed_at ? r.executed_at.toISOString() : null,
    refusalReason: r.refusal_reason,
  };
}

export type RecordRequest = {
  personId: string;
  kind: SubjectRequestKind;
  receivedOn: string;
  notes?: string | undefined;
  purposes?: ObjectablePurpose[] | undefined;
  ip: string;
};

/** Records a person's request, due one month after it was received; audited. */
export async function recordRequest(deps: Deps, s: SessionContext, input: RecordRequest): Promise<SubjectRequestRow> {
  check(s);
  const today = parisToday(nowOf(deps));
  if (Number.isNaN(Date.parse(`${input.receivedOn}T00:00:00Z`)) || new Date(`${input.receivedOn}T00:00:00Z`).toISOString().slice(0, 10) !== input.receivedOn) {
    throw invalid('received_on_invalid', 'Date de réception invalide.');
  }
  if (input.receivedOn > today) throw invalid('received_on_future', 'La date de réception ne peut pas être dans le futur.');
  return withSession(deps.database, s, async (trx) => {
    const subject = await subjectOf(trx, input.personId);
    if (!subject) throw notFound('Personne', 'person_not_found');
    const { id } = await repo.insertRequest(trx, {
      householdId: subject.householdId,
      personId: subject.personId,
      kind: input.kind,
      purposes: input.kind === 'objection' ? [...new Set(input.purposes ?? [])] : [],
      receivedOn: input.receivedOn,
      notes: input.notes?.trim() || null,
      recordedBy: s.userId,
    });
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'privacy.request_recorded',
      objectType: 'person',
      objectId: subject.personId,
      details: { requestId: id, kind: input.kind, receivedOn: input.receivedOn, ...(input.kind === 'objection' ? { purposes: input.purposes } : {}) },
    });
    const row = (await repo.findRequest(trx, id)) as repo.RequestRow;
    return toRow(row, { personName: `${subject.first_name} ${subject.last_name}`, householdRef: subject.erp_ref }, today);
  });
}

/** The organisation's requests with their due day and the days left (negative: late). */
export async function listRequests(deps: Deps, s: SessionContext): Promise<SubjectRequestRow[]> {
  check(s);
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.listRequests(trx, 500);
    const labels = await personLabels(trx, [...new Set(rows.map((r) => r.person_id))]);
    return rows.map((r) => {
      const label = labels.get(r.person_id);
      return toRow(r, { personName: label?.name ?? '—', householdRef: label?.householdRef ?? '—' }, today);
    });
  });
}

/** Marks a request answered; a second time is refused. Audited. */
export async function answerRequest(deps: Deps, s: SessionContext, input: { id: string; ip: string }) {
  check(s);
  return withSession(deps.database, s, async (trx) => {
    const r = await repo.findRequest(trx, input.id);
    if (!r) throw requestNotFound();
    // An erasure or an objection is answered by what was done (its execution) or by a reasoned refusal.
    if (r.kind !== 'access')
      throw conflict(
        'subject_request_needs_outcome',
        'Une demande d’effacement ou d’opposition reçoit sa réponse quand elle est exécutée, ou par un refus motivé : utilisez « Exécuter » ou « Refuser ».',
      );
    if (!(await repo.markAnswered(trx, input.id, s.userId, nowOf(deps)))) {
      throw invalid('subject_request_answered', 'Cette demande a déjà reçu sa réponse.');
    }
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'privacy.request_answered',
      objectType: 'person',
      objectId: r.person_id,
      details: { requestId: input.id },
    });
  });
}

export type ExportFile = { fileName: string; contentType: string; body: string | Buffer };

/**
 * The right-of-access file of a request's person, in one format: everything held about them, so
 * a fresh authentication first (TRUST AA-09); every export is audited (who exported whose data).
 */
export async function exportRequest(deps: Deps, s: SessionContext, input: { id: string; format: 'json' | 'csv' | 'pdf'; ip: string }): Promise<ExportFile> {
  check(s);
  if (!isFreshlyAuthenticated(s)) {
    throw new AppError('reauthentication_required', 403, 'Pour télécharger les données d’une personne, confirmez votre identité (mot de passe et code).');
  }
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const r = await repo.findRequest(trx, input.id);
    if (!r) throw requestNotFound();
    const e = await buildAccessExport(trx, { householdId: r.household_id, personId: r.person_id }, now);
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'privacy.exported',
      objectType: 'person',
      objectId: r.person_id,
      details: { requestId: r.id, format: input.format, rows: Object.values(e.sections).reduce((n, rows) => n + rows.length, 0) },
    });
    const base = `donnees-${parisToday(now)}-${r.id.slice(-8)}`;
    if (input.format === 'csv') return { fileName: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: accessCsv(e) };
    if (input.format === 'pdf') return { fileName: `${base}.pdf`, contentType: 'application/pdf', body: await accessPdf(e, 'votre bailleur') };
    return { fileName: `${base}.json`, contentType: 'application/json; charset=utf-8', body: accessJson(e) };
  });
}

/** An erasure or objection request of the organisation, or the French error: not found (404), or of another kind (422). */
async function erasureRequest(trx: Tx, id: string) {
  const r = await repo.findRequest(trx, id);
  if (!r) throw requestNotFound();
  if (r.kind === 'access') throw invalid('subject_request_not_erasure', 'Cette demande est une demande d’accès : elle ne s’exécute pas, elle s’exporte.');
  return r as repo.RequestRow & { kind: 'erasure' | 'objection' };
}

const planInput = (r: repo.RequestRow & { kind: 'erasure' | 'objection' }) => ({
  requestId: r.id,
  kind: r.kind,
  purposes: r.purposes,
  subject: { householdId: r.household_id, personId: r.person_id },
});

/**
 * What an erasure or objection would do (before), or what it did (after): per table, deleted,
 * restricted or kept, and why. Reading it reads the person's data, so it is audited.
 */
export async function erasurePlanOf(deps: Deps, s: SessionContext, input: { id: string; ip: string }): Promise<ErasurePlan> {
  check(s);
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const r = await erasureRequest(trx, input.id);
    if (r.outcome) return r.outcome;
    const held = await buildAccessExport(trx, { householdId: r.household_id, personId: r.person_id }, now);
    const plan = await previewPlan(trx, planInput(r), held);
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'privacy.erasure_previewed',
      objectType: 'person',
      objectId: r.person_id,
      details: { requestId: r.id },
    });
    return plan;
  });
}

/**
 * Carries out an erasure or an objection, once, in one transaction, after a fresh authentication: the owners delete, the
 * household is restricted when a legal purpose remains, the objections are recorded; the outcome
 * is kept on the request (answered) and audited with its counts. A second run is refused.
 */
export async function executeRequest(deps: Deps, s: SessionContext, input: { id: string; ip: string }): Promise<ErasurePlan> {
  check(s);
  // Irreversible, on a person's data: a fresh authentication first, like the access export (TRUST AA-09).
  if (!isFreshlyAuthenticated(s)) {
    throw new AppError('reauthentication_required', 403, 'Pour exécuter un effacement ou une opposition, confirmez votre identité (mot de passe et code).');
  }
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const r = await erasureRequest(trx, input.id);
    if (r.executed_at || r.status !== 'open')
      throw invalid('subject_request_answered', 'Cette demande a déjà reçu sa réponse : elle ne peut pas être exécutée une seconde fois.');
    const subject = { householdId: r.household_id, personId: r.person_id };
    const held = await buildAccessExport(trx, subject, now);
    const plan = await previewPlan(trx, planInput(r), held);
    const outcome = await executePlan(trx, plan, subject, s.userId, now, { organisationId: s.organisationId, config: deps.config });
    if (!(await repo.saveOutcome(trx, r.id, outcome, s.userId, now))) {
      throw invalid('subject_request_answered', 'Cette demande a déjà reçu sa réponse : elle ne peut pas être exécutée une seconde fois.');
    }
    const sum = (a: 'delete' | 'restrict' | 'keep') => Object.fromEntries(outcome.lines.filter((l) => l.action === a).map((l) => [l.table, l.rows]));
    await recordAudit(trx, actorOf(s, input.ip), {
      action: r.kind === 'erasure' ? 'privacy.erasure_executed' : 'privacy.objection_executed',
      objectType: 'person',
      objectId: r.person_id,
      details: { requestId: r.id, deleted: sum('delete'), restricted: sum('restrict'), kept: sum('keep'), objections: outcome.objections },
    });
    return outcome;
  });
}

/**
 * Refuses an erasure or an objection, with the reason told to the person (RGPD art. 12.4): the
 * request is answered and can no longer be carried out; nothing of the person's data changes.
 * Audited (the reason stays on the request, not in the trail).
 */
export async function refuseRequest(deps: Deps, s: SessionContext, input: { id: string; reason: string; ip: string }) {
  check(s);
  return withSession(deps.database, s, async (trx) => {
    const r = await repo.findRequest(trx, input.id);
    if (!r) throw requestNotFound();
    if (r.kind === 'access') throw invalid('subject_request_not_erasure', 'Une demande d’accès ne se refuse pas ici : exportez les données de la personne.');
    if (!(await repo.markRefused(trx, input.id, input.reason, s.userId, nowOf(deps)))) {
      throw invalid('subject_request_answered', 'Cette demande a déjà reçu sa réponse : elle ne peut plus être refusée.');
    }
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'privacy.request_refused',
      objectType: 'person',
      objectId: r.person_id,
      details: { requestId: r.id, kind: r.kind },
    });
  });
}

/** The French letter to the requester: what was deleted, what is kept and why (PDF), once the request is carried out. */
export async function erasureLetter(deps: Deps, s: SessionContext, input: { id: string; ip: string }): Promise<ExportFile> {
  check(s);
  return withSession(deps.database, s, async (trx) => {
    const r = await erasureRequest(trx, input.id);
    if (!r.outcome) throw invalid('subject_request_not_executed', 'Exécutez d’abord la demande : la lettre dit ce qui a été effacé et ce qui est conservé.');
    const labels = await personLabels(trx, [r.person_id]);
    const label = labels.get(r.person_id);
    const body = await erasureLetterPdf(
      r.outcome,
      { personName: label?.name ?? '', householdRef: label?.householdRef ?? '', receivedOn: r.received_on },
      'votre bailleur',
    );
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'privacy.letter_downloaded',
      objectType: 'person',
      objectId: r.person_id,
      details: { requestId: r.id },
    });
    return { fileName: `reponse-${r.kind === 'erasure' ? 'effacement' : 'opposition'}-${r.id.slice(-8)}.pdf`, contentType: 'application/pdf', body };
  });
}
