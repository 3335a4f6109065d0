/**
 * Cases (dossiers d'accompagnement, issue 14): the SQL of the tables `cases`, `case_tasks` and
 * `case_notes`. Notes of type health or violence are filtered by the database (a restrictive
 * policy on `case_notes`), not here.
 */
import { sql } from 'kysely';
import type { CaseNoteKind, CaseOrigin, CaseOutcome, CaseStatus, CaseType } from '../../../contracts/cases.ts';
import type { Tx } from '../../platform/db/database.ts';
import { campaignNameOf } from '../campaigns/index.ts';
import { agencyNameOf, userNameOf } from '../identity/index.ts';
import { householdHolderOf, householdRefOf, type Scope, segmentHouseholds } from '../registry/index.ts';

const agencyScoped = (scope: Scope) => (scope ? sql`and c.agency_id = any(${scope}::uuid[])` : sql``);

/** The open case of this household and type, joined (urgent if the need is), or a new one: its id. */
export async function joinOrOpenCase(
  trx: Tx,
  c: { householdId: string; agencyId: string; type: CaseType; origin: CaseOrigin; urgent: boolean },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into cases (organisation_id, household_id, agency_id, type, origin, urgent, opened_by)
    values (lien_current_org(), ${c.householdId}, ${c.agencyId}, ${c.type}, ${c.origin}, ${c.urgent}, nullif(current_setting('lien.user_id', true), '')::uuid)
    on conflict (organisation_id, household_id, type) where status <> 'closed'
    do update set urgent = cases.urgent or excluded.urgent, updated_at = now()
    returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

/** A new case opened by staff; null when the household already has an open case of this type. */
export async function openCase(trx: Tx, c: { householdId: string; agencyId: string; type: CaseType; origin: CaseOrigin; userId: string }) {
  const r = await sql<{ id: string }>`
    insert into cases (organisation_id, household_id, agency_id, type, origin, opened_by, assigned_to)
    values (lien_current_org(), ${c.householdId}, ${c.agencyId}, ${c.type}, ${c.origin}, ${c.userId}, null)
    on conflict (organisation_id, household_id, type) where status <> 'closed' do nothing returning id`.execute(trx);
  return r.rows[0]?.id ?? null;
}

export type BoardFilter = { status: CaseStatus | 'active'; type?: CaseType | undefined; assignee?: string | 'none' | undefined; limit: number };

type BoardRow = {
  id: string;
  household_id: string;
  erp_ref: string;
  holder: string | null;
  agency: string;
  type: CaseType;
  origin: CaseOrigin;
  status: CaseStatus;
  urgent: boolean;
  assigned_to: string | null;
  assigned_name: string | null;
  created_at: Date;
  next_due: string | null;
  open_tasks: number;
};

const boardColumns = sql`c.id, c.household_id, ${householdRefOf(sql.ref('c.household_id'))} as erp_ref, ${householdHolderOf(sql.ref('c.household_id'))} as holder,
  ${agencyNameOf(sql.ref('c.agency_id'))} as agency, c.type, c.origin, c.status, c.urgent, c.assigned_to, ${userNameOf(sql.ref('c.assigned_to'))} as assigned_name,
  c.created_at, to_char(t.next_due, 'YYYY-MM-DD') as next_due, coalesce(t.open_tasks, 0)::int as open_tasks`;

const openTasksOf = sql`left join lateral (select min(k.due_on) as next_due, count(*) as open_tasks from case_tasks k
  where k.organisation_id = c.organisation_id and k.case_id = c.id and k.done_at is null) t on true`;

/**
 * The manager's board: cases of the scope by status, type and assignee; those with an overdue task
 * first, then urgent ones, then by their next due date and age (oldest first).
 */
export async function board(trx: Tx, f: BoardFilter, scope: Scope, today: string) {
  const status = f.status === 'active' ? sql`c.status <> 'closed'` : sql`c.status = ${f.status}`;
  const assignee = f.assignee === undefined ? sql`` : f.assignee === 'none' ? sql`and c.assigned_to is null` : sql`and c.assigned_to = ${f.assignee}`;
  const where = sql`${status} ${f.type ? sql`and c.type = ${f.type}` : sql``} ${assignee} ${agencyScoped(scope)}`;
  // Parts read in the order of cases_board_order_idx (next_due is kept on the case by a trigger),
  // each with plain conditions the index can check and each stopping at a page: the cases with an
  // overdue task, then the urgent ones by next due date (none last), then the others likewise.
  const part = (due: ReturnType<typeof sql>) => sql`array(select c.id from cases c where ${where} and ${due}
    order by c.urgent desc, c.next_due asc nulls last, c.created_at asc limit ${f.limit})`;
  const parts = [
    sql`c.next_due < ${today}::date`,
    sql`c.urgent and c.next_due >= ${today}::date`,
    sql`c.urgent and c.next_due is null`,
    sql`not c.urgent and c.next_due >= ${today}::date`,
    sql`not c.urgent and c.next_due is null`,
  ];
  const r = await sql<BoardRow>`
    with page as (${sql.join(
      parts.map((due, i) => sql`select u.id, ${i}::int as part, u.n from unnest(${part(due)}) with ordinality as u(id, n)`),
      sql` union all `,
    )})
    select ${boardColumns} from page p join cases c on c.id = p.id ${openTasksOf}
    order by p.part, p.n limit ${f.limit}`.execute(trx);
  return r.rows;
}

/** One case of the scope, locked when asked (before a change). */
export async function findCase(trx: Tx, id: string, scope: Scope, lock = false) {
  const r = await sql<BoardRow & { outcome: CaseOutcome | null; outcome_note: string | null; closed_at: Date | null; agency_id: string }>`
    select ${boardColumns}, c.outcome, c.outcome_note, c.closed_at, c.agency_id from cases c ${openTasksOf}
    where c.id = ${id} ${agencyScoped(scope)}`.execute(trx);
  if (lock && r.rows[0]) await sql`select 1 from cases where id = ${id} for update`.execute(trx);
  return r.rows[0];
}

/** The tasks of a case, open ones first by due date. */
export async function tasksOf(trx: Tx, caseId: string) {
  const r = await sql<{ id: string; title: string; due_on: string | null; remind: boolean; done_at: Date | null }>`
    select id, title, to_char(due_on, 'YYYY-MM-DD') as due_on, remind, done_at from case_tasks where case_id = ${caseId}
    order by done_at is not null, due_on asc nulls last, created_at`.execute(trx);
  return r.rows;
}

/** The notes of a case the database lets the user read (health and violence: social workers and managers). */
export async function notesOf(trx: Tx, caseId: string) {
  const r = await sql<{ id: string; kind: CaseNoteKind; body: string; author: string | null; created_at: Date }>`
    select n.id, n.kind, n.body, ${userNameOf(sql.ref('n.author_id'))} as author, n.created_at from case_notes n
    where n.case_id = ${caseId} order by n.created_at`.execute(trx);
  return r.rows;
}

export async function addNote(trx: Tx, n: { caseId: string; kind: CaseNoteKind; body: string; authorId: string }) {
  const r = await sql<{ id: string }>`
    insert into case_notes (organisation_id, case_id, kind, body, author_id)
    values (lien_current_org(), ${n.caseId}, ${n.kind}, ${n.body}, ${n.authorId}) returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

/** A task of a case; `userId` null when no person set it (the daily arrears compliance check). */
export async function addTask(trx: Tx, t: { caseId: string; title: string; dueOn: string | null; remind: boolean; userId: string | null }) {
  const r = await sql<{ id: string }>`
    insert into case_tasks (organisation_id, case_id, title, due_on, remind, created_by)
    values (lien_current_org(), ${t.caseId}, ${t.title}, ${t.dueOn}::date, ${t.remind}, ${t.userId}) returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

/** Marks an open task of the case done; false when there is no such open task. */
export async function completeTask(trx: Tx, t: { caseId: string; taskId: string; userId: string; at: Date }) {
  const r = await sql`update case_tasks set done_at = ${t.at}, done_by = ${t.userId}
    where id = ${t.taskId} and case_id = ${t.caseId} and done_at is null`.execute(trx);
  return Number(r.numAffectedRows ?? 0) === 1;
}

export async function setStatus(trx: Tx, id: string, status: Exclude<CaseStatus, 'closed'>) {
  await sql`update cases set status = ${status}, updated_at = now() where id = ${id}`.execute(trx);
}

/** Closes a case with its outcome; its open needs close with it (what their callers see). */
export async function closeCase(trx: Tx, c: { id: string; outcome: CaseOutcome; note: string; resolution: string; userId: string; at: Date }) {
  await sql`update cases set status = 'closed', outcome = ${c.outcome}, outcome_note = ${c.note}, closed_at = ${c.at}, closed_by = ${c.userId}, updated_at = ${c.at}
    where id = ${c.id}`.execute(trx);
  await sql`update followups set status = 'closed', resolution = ${c.resolution}, closed_at = ${c.at}, closed_by = ${c.userId}
    where case_id = ${c.id} and status = 'open'`.execute(trx);
}

/**
 * A need closed on its own (the « Suivis » page): once none of its case's needs is open, the case
 * closes too, « résolu » with the need's resolution as its note. The case closed, or null.
 */
export async function closeCaseOfLastNeed(trx: Tx, c: { followupId: string; note: string; userId: string; at: Date }) {
  const r = await sql<{ id: string; household_id: string }>`
    update cases k set status = 'closed', outcome = 'resolved', outcome_note = ${c.note}, closed_at = ${c.at}, closed_by = ${c.userId}, updated_at = ${c.at}
    where k.id = (select f.case_id from followups f where f.id = ${c.followupId}) and k.status <> 'closed'
      and not exists (select 1 from followups o where o.organisation_id = k.organisation_id and o.case_id = k.id and o.status = 'open')
    returning k.id, k.household_id`.execute(trx);
  return r.rows[0] ?? null;
}

/**
 * A household's case events for its timeline, as the transaction's user may read them (the
 * restrictive policy hides health and violence notes from the other roles): cases opened and
 * closed, needs heard, tasks set and done, notes written (their kind, not their text).
 */
export async function caseEventsOf(trx: Tx, householdId: string, scope: Scope) {
  const r = await sql<{
    at: Date;
    kind: 'case.opened' | 'case.closed' | 'case.need' | 'case.task' | 'case.task_done' | 'case.note';
    case_id: string;
    case_type: CaseType;
    outcome: CaseOutcome | null;
    detail: string | null;
    due_on: string | null;
  }>`
    with c as (select c.* from cases c where c.household_id = ${householdId} ${agencyScoped(scope)})
    select c.created_at as at, 'case.opened' as kind, c.id as case_id, c.type as case_type, null as outcome, c.origin as detail, null as due_on from c
    union all select c.closed_at, 'case.closed', c.id, c.type, c.outcome, null, null from c where c.closed_at is not null
    union all select f.created_at, 'case.need', c.id, c.type, null, f.label, null from c join followups f on f.organisation_id = c.organisation_id and f.case_id = c.id
    union all select t.created_at, 'case.task', c.id, c.type, null, t.title, to_char(t.due_on, 'YYYY-MM-DD') from c
      join case_tasks t on t.organisation_id = c.organisation_id and t.case_id = c.id
    union all select t.done_at, 'case.task_done', c.id, c.type, null, t.title, null from c
      join case_tasks t on t.organisation_id = c.organisation_id and t.case_id = c.id where t.done_at is not null
    union all select n.created_at, 'case.note', c.id, c.type, null, n.kind, null from c
      join case_notes n on n.organisation_id = c.organisation_id and n.case_id = c.id`.execute(trx);
  return r.rows;
}

/** Assigns the cases of the scope among `ids`; the ids changed. */
export async function assignCases(trx: Tx, ids: readonly string[], userId: string | null, scope: Scope) {
  const r = await sql<{ id: string; household_id: string }>`
    update cases c set assigned_to = ${userId}, updated_at = now() where c.id = any(${[...ids]}::uuid[]) ${agencyScoped(scope)}
    returning c.id, c.household_id`.execute(trx);
  return r.rows;
}

/** The needs heard that belong to a case. */
export async function needsOf(trx: Tx, caseId: string) {
  const r = await sql<{ id: string; label: string; urgent: boolean; created_at: Date; campaign: string | null }>`
    select f.id, f.label, f.urgent, f.created_at, ${campaignNameOf(sql.ref('f.campaign_id'))} as campaign from followups f
    where f.case_id = ${caseId} order by f.created_at`.execute(trx);
  return r.rows;
}

/** The needs a user raised (their calls, their visits), most recent first: label, date and whether closed. */
export async function raisedBy(trx: Tx, userId: string, limit: number) {
  const r = await sql<{ id: string; label: string; created_at: Date; closed: boolean }>`
    select f.id, f.label, f.created_at, c.status = 'closed' as closed from followups f join cases c on c.organisation_id = f.organisation_id and c.id = f.case_id
    where f.raised_by = ${userId} order by f.created_at desc limit ${limit}`.execute(trx);
  return r.rows;
}

/**
 * Open tasks with a reminder due by `through` (a Paris date) and not yet reminded, of cases not
 * closed, with whom to tell: the case's assignee, else whoever set the task. At most `limit`.
 */
export async function tasksToRemind(trx: Tx, through: string, limit: number) {
  const r = await sql<{ id: string; case_id: string; case_type: CaseType; due_on: string; recipient: string | null }>`
    select k.id, k.case_id, c.type as case_type, to_char(k.due_on, 'YYYY-MM-DD') as due_on, coalesce(c.assigned_to, k.created_by) as recipient
    from case_tasks k join cases c on c.organisation_id = k.organisation_id and c.id = k.case_id
    where k.remind and k.done_at is null and k.reminded_at is null and k.due_on <= ${through}::date and c.status <> 'closed'
    order by k.due_on limit ${limit}`.execute(trx);
  return r.rows;
}

export async function markReminded(trx: Tx, ids: readonly string[], at: Date) {
  if (ids.length)
    await trx
      .updateTable('case_tasks')
      .set({ reminded_at: at })
      .where('id', 'in', [...ids])
      .execute();
}

/** « Mes dossiers » figures and the board's counts by status, in the scope. */
export async function caseCounts(trx: Tx, scope: Scope, userId: string, today: string) {
  const r = await sql<{ status: CaseStatus; n: number; mine: number; overdue: number }>`
    select c.status, count(*)::int as n, count(*) filter (where c.assigned_to = ${userId})::int as mine,
      count(*) filter (where exists (select 1 from case_tasks k where k.organisation_id = c.organisation_id and k.case_id = c.id
        and k.done_at is null and k.due_on < ${today}::date))::int as overdue
    from cases c where c.status <> 'closed' ${agencyScoped(scope)} group by c.status`.execute(trx);
  return r.rows;
}

/**
 * Runs `work` with every case note readable, health and violence ones included, whoever the
 * transaction's user is (policy case_notes_sensitive reads `lien.case_notes_all`): for the right of
 * access, erasure, the purge and the demo seed only. The setting is the transaction's; it is put
 * back before returning (an error aborts the transaction, and the setting with it).
 */
export async function withAllCaseNotes<T>(trx: Tx, work: () => Promise<T>): Promise<T> {
  await sql`select set_config('lien.case_notes_all', 'on', true)`.execute(trx);
  const result = await work();
  await sql`select set_config('lien.case_notes_all', '', true)`.execute(trx);
  return result;
}

/** A household's cases with their tasks and notes, closed ones too, every note (right of access, TRUST DP-06). */
export function caseRowsOf(trx: Tx, householdId: string) {
  return withAllCaseNotes(trx, async () => {
    const cases = await trx.selectFrom('cases').selectAll().where('household_id', '=', householdId).orderBy('created_at').execute();
    const ids = cases.map((c) => c.id);
    const case_tasks = ids.length ? await trx.selectFrom('case_tasks').selectAll().where('case_id', 'in', ids).orderBy('created_at').execute() : [];
    const case_notes = ids.length ? await trx.selectFrom('case_notes').selectAll().where('case_id', 'in', ids).orderBy('created_at').execute() : [];
    return { cases, case_tasks, case_notes };
  });
}

/** Erasure of a household's cases, their tasks and notes (TRUST DP-07); the counts deleted. */
export async function eraseCasesOf(trx: Tx, householdId: string) {
  const { cases, case_tasks, case_notes } = await caseRowsOf(trx, householdId);
  await trx.deleteFrom('cases').where('household_id', '=', householdId).execute();
  return { cases: cases.length, case_tasks: case_tasks.length, case_notes: case_notes.length };
}

/** The household of each of these cases, by case id (breach map). */
export async function caseHouseholds(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom('cases')
    .select(['id', 'household_id'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.household_id]));
}

/**
 * A few cases for the demo landlord, so the board is not empty: in the staff member's agency an
 * isolation case with an overdue task (the social worker's), a rent case waiting for the tenant
 * (the staff member's), a health case with a restricted note, an unassigned technical case from a
 * doorstep visit, and a closed one. Dates relative to `now`.
 */
export async function seedDemoCases(trx: Tx, p: { agencyId: string; staffId: string; socialWorkerId: string; managerId: string; now: Date }) {
  const households = await sql<{ household_id: string }>`
    select s.household_id from (${segmentHouseholds({ status: 'active', agencyId: p.agencyId, fragilityMatch: 'all' }, null)}) s order by s.household_id limit 5`.execute(
    trx,
  );
  const day = (n: number) => new Date(p.now.getTime() + n * 86_400_000);
  const dayOf = (n: number) => day(n).toISOString().slice(0, 10);
  const plan: {
    type: CaseType;
    origin: CaseOrigin;
    status: CaseStatus;
    assignee: string | null;
    ageDays: number;
    task?: { title: string; dueIn: number };
    note?: { kind: CaseNoteKind; body: string; author: string };
  }[] = [
    {
      type: 'isolation',
      origin: 'call',
      status: 'open',
      assignee: p.socialWorkerId,
      ageDays: 12,
      task: { title: 'Proposer une visite de convivialité avec l’association du quartier', dueIn: -2 },
      note: { kind: 'general', body: 'Locataire d’accord pour une visite hebdomadaire.', author: p.socialWorkerId },
    },
    {
      type: 'rent',
      origin: 'call',
      status: 'waiting_tenant',
      assignee: p.staffId,
      ageDays: 6,
      task: { title: 'Recevoir les justificatifs de ressources', dueIn: 7 },
      note: { kind: 'general', body: 'Rendez-vous proposé à l’agence ; en attente des justificatifs.', author: p.staffId },
    },
    {
      type: 'health',
      origin: 'call',
      status: 'open',
      assignee: p.socialWorkerId,
      ageDays: 3,
      task: { title: 'Rappeler après le passage de l’infirmière', dueIn: 2 },
      note: { kind: 'health', body: 'Passage infirmier deux fois par semaine ; pas de besoin de portage pour l’instant.', author: p.socialWorkerId },
    },
    {
      type: 'technical',
      origin: 'doorstep',
      status: 'open',
      assignee: null,
      ageDays: 1,
      task: { title: 'Signaler la panne d’ascenseur au prestataire', dueIn: 1 },
    },
    { type: 'food', origin: 'outreach', status: 'closed', assignee: p.managerId, ageDays: 20 },
  ];
  const created: { id: string; type: CaseType; householdId: string }[] = [];
  for (const [i, c] of plan.entries()) {
    const householdId = households.rows[i]?.household_id;
    if (!householdId) break;
    const closed = c.status === 'closed';
    const r = await sql<{ id: string }>`
      insert into cases (organisation_id, household_id, agency_id, type, origin, status, outcome, outcome_note, assigned_to, opened_by, created_at, updated_at, closed_at, closed_by)
      values (lien_current_org(), ${householdId}, ${p.agencyId}, ${c.type}, ${c.origin}, ${c.status}, ${closed ? 'resolved' : null},
        ${closed ? 'Colis alimentaires livrés par l’épicerie solidaire pendant trois semaines.' : null}, ${c.assignee}, ${p.managerId},
        ${day(-c.ageDays)}, ${day(-c.ageDays)}, ${closed ? day(-2) : null}, ${closed ? p.managerId : null})
      on conflict do nothing returning id`.execute(trx);
    const caseId = r.rows[0]?.id;
    if (!caseId) continue;
    created.push({ id: caseId, type: c.type, householdId });
    if (c.task) await addTask(trx, { caseId, title: c.task.title, dueOn: dayOf(c.task.dueIn), remind: true, userId: p.managerId });
    if (c.note) {
      // The seed has no user in its transaction: the policy would refuse the health note, written here for the social worker.
      const note = c.note;
      await withAllCaseNotes(trx, () => addNote(trx, { caseId, kind: note.kind, body: note.body, authorId: note.author }));
    }
  }
  // The demo's referrals start from these (module partners).
  return created;
}

/** The households with an open case of this type in these agencies (null: all), oldest case first (a food distribution's invitations, issue 17). */
export async function householdsWithOpenCase(trx: Tx, q: { type: CaseType; agencyIds: readonly string[] | null; limit: number }): Promise<string[]> {
  const rows = await trx
    .selectFrom('cases')
    .select('household_id')
    .where('type', '=', q.type)
    .where('status', '<>', 'closed')
    .$if(q.agencyIds !== null, (b) => b.where('agency_id', 'in', [...(q.agencyIds ?? [])]))
    .orderBy('created_at')
    .limit(q.limit)
    .execute();
  return [...new Set(rows.map((r) => r.household_id))];
}
