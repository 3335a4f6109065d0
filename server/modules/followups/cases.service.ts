import type { z } from 'zod';
import {
  type CaseBoardBody,
  type CaseNoteKind,
  type CaseOrigin,
  type CaseOutcome,
  type CaseType,
  caseNoteKindLabels,
  caseOriginLabels,
  caseOutcomeLabels,
  type caseStatusBody,
  caseTypeLabels,
} from '../../../contracts/cases.ts';
import type { TimelineEvent } from '../../../contracts/households.ts';
import { checkNote } from '../../../contracts/note-guard.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors/app-error.ts';
import { parisToday } from '../../platform/time.ts';
import { type Deps, nowOf } from '../deps.ts';
import { isActiveWith } from '../identity/index.ts';
import { householdAgencyOf, scopeOf } from '../registry/index.ts';
import * as repo from './cases.repository.ts';
import { followupAssigners, followupRoles } from './followups.policy.ts';

const caseNotFound = () => notFound('Dossier', 'case_not_found');
const sensitive = (kind: CaseNoteKind) => kind !== 'general';

type Row = Awaited<ReturnType<typeof repo.board>>[number];
const rowOf = (c: Row, today: string) => ({
  id: c.id,
  householdId: c.household_id,
  householdRef: c.erp_ref,
  holder: c.holder ?? '',
  agency: c.agency,
  type: c.type,
  origin: c.origin,
  status: c.status,
  urgent: c.urgent,
  assignedTo: c.assigned_to,
  assignedName: c.assigned_name,
  createdAt: c.created_at.toISOString(),
  nextDue: c.next_due,
  overdue: c.next_due !== null && c.next_due < today,
  openTasks: c.open_tasks,
});

/** The board (or « mes dossiers » with `assignee: 'me'`): the cases of the caller's agencies; the households listed are audited. */
export function caseBoard(deps: Deps, s: SessionContext, f: CaseBoardBody, ip: string) {
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    const rows = await repo.board(trx, { ...f, assignee: f.assignee === 'me' ? s.userId : f.assignee }, scopeOf(s), today);
    await recordAudit(trx, actorOf(s, ip), { action: 'case.listed', details: { [HOUSEHOLD_IDS]: [...new Set(rows.map((c) => c.household_id))] } });
    return rows.map((c) => rowOf(c, today));
  });
}

/** Counts by status, mine and with an overdue task, in the caller's agencies (no household: not audited). */
export function caseSummary(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, (trx) => caseFiguresFor(trx, s, nowOf(deps)));
}

/** The same counts inside the caller's transaction (the home page composes them with other modules' figures). */
export async function caseFiguresFor(trx: Tx, s: SessionContext, now: Date) {
  const rows = await repo.caseCounts(trx, scopeOf(s), s.userId, parisToday(now));
  const by = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return {
    open: by('open'),
    waitingPartner: by('waiting_partner'),
    waitingTenant: by('waiting_tenant'),
    mine: rows.reduce((n, r) => n + r.mine, 0),
    overdue: rows.reduce((n, r) => n + r.overdue, 0),
  };
}

/** One case with its tasks, the notes the database lets the caller read, and the needs heard; audited. */
export function caseDetail(deps: Deps, s: SessionContext, id: string, ip: string) {
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    const c = await repo.findCase(trx, id, scopeOf(s));
    if (!c) throw caseNotFound();
    const [tasks, notes, needs] = [await repo.tasksOf(trx, id), await repo.notesOf(trx, id), await repo.needsOf(trx, id)];
    await recordAudit(trx, actorOf(s, ip), { action: 'case.read', objectType: 'case', objectId: id, details: { [HOUSEHOLD_IDS]: [c.household_id] } });
    return {
      ...rowOf(c, today),
      outcome: c.outcome,
      outcomeNote: c.outcome_note,
      closedAt: c.closed_at?.toISOString() ?? null,
      tasks: tasks.map((t) => ({
        id: t.id,
        title: t.title,
        dueOn: t.due_on,
        remind: t.remind,
        overdue: !t.done_at && t.due_on !== null && t.due_on < today,
        doneAt: t.done_at?.toISOString() ?? null,
      })),
      notes: notes.map((n) => ({ id: n.id, kind: n.kind, body: n.body, author: n.author, createdAt: n.created_at.toISOString() })),
      needs: needs.map((n) => ({ id: n.id, label: n.label, urgent: n.urgent, createdAt: n.created_at.toISOString(), campaign: n.campaign })),
    };
  });
}

/** Opens a case for a household of the caller's agencies (409 when one of this type is open). */
export function openCase(deps: Deps, s: SessionContext, input: { householdId: string; type: CaseType; origin: CaseOrigin; ip: string }) {
  return withSession(deps.database, s, async (trx) => {
    const agencyId = await householdAgencyOf(trx, input.householdId);
    const scope = scopeOf(s);
    if (!agencyId || (scope && !scope.includes(agencyId))) throw notFound('Ménage', 'household_not_found');
    const id = await repo.openCase(trx, { householdId: input.householdId, agencyId, type: input.type, origin: input.origin, userId: s.userId });
    if (!id) throw conflict('case_open', 'Ce ménage a déjà un dossier ouvert de ce type : complétez-le plutôt que d’en ouvrir un autre.');
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'case.opened',
      objectType: 'case',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: [input.householdId] },
    });
    return { id };
  });
}

/** A changed or closed case: 404 outside the scope, 409 once closed. */
async function openCaseOf(trx: Tx, s: SessionContext, id: string) {
  const c = await repo.findCase(trx, id, scopeOf(s), true);
  if (!c) throw caseNotFound();
  if (c.status === 'closed') throw conflict('case_closed', 'Ce dossier est clos.');
  return c;
}

/** Moves a case between open and waiting, or closes it with an outcome and a note checked like a call note. */
export function changeStatus(deps: Deps, s: SessionContext, id: string, body: z.infer<typeof caseStatusBody>, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const c = await openCaseOf(trx, s, id);
    if (body.status === 'closed') {
      const flags = checkNote(body.note).flags;
      if (flags.length)
        throw invalid('note_flagged', 'Ce texte contient une information de santé ou un terme péjoratif : reformulez-le de façon factuelle.', { flags });
      const resolution = `${caseOutcomeLabels[body.outcome as CaseOutcome]} : ${body.note}`.slice(0, 500);
      await repo.closeCase(trx, { id, outcome: body.outcome, note: body.note, resolution, userId: s.userId, at: now });
    } else await repo.setStatus(trx, id, body.status);
    await recordAudit(trx, actorOf(s, ip), {
      action: body.status === 'closed' ? 'case.closed' : 'case.status',
      objectType: 'case',
      objectId: id,
      details: { status: body.status, [HOUSEHOLD_IDS]: [c.household_id] },
    });
  });
}

/** Gives cases (up to 200) to someone who works on cases, or to no one; 404 when one is not in the caller's agencies. */
export function assignCases(deps: Deps, s: SessionContext, input: { ids: string[]; userId: string | null; ip: string }) {
  if (!followupAssigners.includes(s.role)) throw forbidden();
  return withSession(deps.database, s, async (trx) => {
    if (input.userId && !(await isActiveWith(trx, { userId: input.userId, roles: followupRoles }))) {
      throw invalid('assignee_invalid', 'Cette personne ne peut pas recevoir de dossier (compte inactif ou rôle sans accès aux ménages).');
    }
    const ids = [...new Set(input.ids)];
    const changed = await repo.assignCases(trx, ids, input.userId, scopeOf(s));
    // All or nothing: one case outside the scope undoes the whole assignment.
    if (changed.length !== ids.length) throw caseNotFound();
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'case.assigned',
      details: { to: input.userId, cases: ids.length, [HOUSEHOLD_IDS]: [...new Set(changed.map((c) => c.household_id))] },
    });
    return { assigned: changed.length };
  });
}

/** Adds a task with its due date to an open case. */
export function addTask(deps: Deps, s: SessionContext, id: string, t: { title: string; dueOn: string | null; remind: boolean; ip: string }) {
  return withSession(deps.database, s, async (trx) => {
    const c = await openCaseOf(trx, s, id);
    if (t.dueOn && Number.isNaN(Date.parse(`${t.dueOn}T00:00:00Z`))) throw invalid('date_invalid', 'Date d’échéance invalide.');
    const taskId = await repo.addTask(trx, { caseId: id, title: t.title, dueOn: t.dueOn, remind: t.remind, userId: s.userId });
    await recordAudit(trx, actorOf(s, t.ip), { action: 'case.task_added', objectType: 'case', objectId: id, details: { [HOUSEHOLD_IDS]: [c.household_id] } });
    return { id: taskId };
  });
}

export function completeTask(deps: Deps, s: SessionContext, id: string, taskId: string, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const c = await openCaseOf(trx, s, id);
    if (!(await repo.completeTask(trx, { caseId: id, taskId, userId: s.userId, at: now }))) throw notFound('Tâche', 'task_not_found');
    await recordAudit(trx, actorOf(s, ip), { action: 'case.task_done', objectType: 'case', objectId: id, details: { [HOUSEHOLD_IDS]: [c.household_id] } });
  });
}

/**
 * Adds a note under the free-text guard: a pejorative word is refused; a health term is refused in
 * a general note (every case worker reads it) and accepted in a health or violence note, which only
 * social workers and managers may write and read (the database refuses the others too).
 */
export function addNote(deps: Deps, s: SessionContext, id: string, n: { kind: CaseNoteKind; body: string; ip: string }) {
  if (sensitive(n.kind) && !can(s.role, 'cases.sensitive_notes')) throw forbidden();
  return withSession(deps.database, s, async (trx) => {
    const c = await openCaseOf(trx, s, id);
    const check = checkNote(n.body);
    const refused = check.flags.filter((f) => f === 'pejorative' || !sensitive(n.kind));
    if (refused.length)
      throw invalid('note_flagged', 'Cette note contient une information de santé ou un terme péjoratif : reformulez-la de façon factuelle.', {
        flags: refused,
      });
    const noteId = await repo.addNote(trx, { caseId: id, kind: n.kind, body: n.body, authorId: s.userId });
    // The kind only, never the text (TRUST DP-11).
    await recordAudit(trx, actorOf(s, n.ip), {
      action: 'case.note_added',
      objectType: 'case',
      objectId: id,
      details: { kind: n.kind, [HOUSEHOLD_IDS]: [c.household_id] },
    });
    return { id: noteId };
  });
}

/** The needs the caller raised and whether each was taken care of (its case closed): no household, no detail. */
export function raisedNeeds(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) =>
    (await repo.raisedBy(trx, s.userId, 100)).map((n) => ({ id: n.id, label: n.label, raisedAt: n.created_at.toISOString(), takenCareOf: n.closed })),
  );
}

/**
 * The household's cases on its timeline (issue 14), for those who work on cases: opened, closed
 * with the outcome, needs heard, tasks set and done, notes written (their kind only; health and
 * violence notes only for the roles the database policy lets read them). Others: nothing.
 */
export async function caseTimeline(trx: Tx, s: SessionContext, householdId: string): Promise<TimelineEvent[]> {
  if (!followupRoles.includes(s.role)) return [];
  return (await repo.caseEventsOf(trx, householdId, scopeOf(s))).map((e) => {
    const of = `dossier ${caseTypeLabels[e.case_type]}`;
    const base = { at: e.at.toISOString(), kind: e.kind, caseId: e.case_id };
    switch (e.kind) {
      case 'case.opened':
        return { ...base, type: 'case', label: `Dossier ouvert : ${caseTypeLabels[e.case_type]} (${caseOriginLabels[e.detail as CaseOrigin] ?? e.detail})` };
      case 'case.closed':
        return { ...base, type: 'case', label: `Dossier clos : ${caseTypeLabels[e.case_type]} — ${e.outcome ? caseOutcomeLabels[e.outcome] : ''}` };
      case 'case.need':
        return { ...base, type: 'case', label: `Besoin repéré : ${e.detail} (${of})` };
      case 'case.task':
        return { ...base, type: 'task', label: `Tâche : ${e.detail}${e.due_on ? `, échéance ${frenchDay(e.due_on)}` : ''} (${of})` };
      case 'case.task_done':
        return { ...base, type: 'task', label: `Tâche faite : ${e.detail} (${of})` };
      default:
        return { ...base, type: 'note', label: `Note ${caseNoteKindLabels[e.detail as CaseNoteKind].toLowerCase()} (${of})` };
    }
  });
}
