/**
 * Arrears (issue 14): the SQL of the tables `payment_plans`, `plan_instalments`, `arrears_pauses`
 * and `arrears_steps`. Balances are the registry's (through its index.ts); cases and tasks are
 * followups'.
 */
import { sql } from 'kysely';
import type { InstalmentStatus, PlanKind, StepKind } from '../../../contracts/arrears.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Instalment } from './schedule.ts';

type PlanRow = {
  id: string;
  household_id: string;
  case_id: string | null;
  kind: PlanKind;
  amount_cents: string;
  start_on: string;
  months: number;
  signed_on: string;
  grace_days: number;
  baseline_cents: string;
  status: 'active' | 'completed' | 'cancelled';
  created_at: Date;
};
type InstalmentRow = { plan_id: string; seq: number; due_on: string; amount_cents: string; status: InstalmentStatus };

export async function insertPlan(
  trx: Tx,
  p: {
    householdId: string;
    caseId: string;
    kind: PlanKind;
    amountCents: number;
    startOn: string;
    months: number;
    signedOn: string;
    graceDays: number;
    baselineCents: number;
    userId: string;
    instalments: Instalment[];
  },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into payment_plans (organisation_id, household_id, case_id, kind, amount_cents, start_on, months, signed_on, grace_days, baseline_cents, created_by)
    values (lien_current_org(), ${p.householdId}, ${p.caseId}, ${p.kind}, ${p.amountCents}, ${p.startOn}::date, ${p.months}, ${p.signedOn}::date,
      ${p.graceDays}, ${p.baselineCents}, ${p.userId}) returning id`.execute(trx);
  const id = (r.rows[0] as { id: string }).id;
  await sql`
    insert into plan_instalments (organisation_id, plan_id, seq, due_on, amount_cents)
    select lien_current_org(), ${id}::uuid, i.seq, i.due_on, i.amount_cents
    from unnest(${p.instalments.map((i) => i.seq)}::int[], ${p.instalments.map((i) => i.dueOn)}::date[], ${p.instalments.map((i) => i.amountCents)}::bigint[])
      as i(seq, due_on, amount_cents)`.execute(trx);
  return id;
}

const planColumns = sql`p.id, p.household_id, p.case_id, p.kind, p.amount_cents, to_char(p.start_on, 'YYYY-MM-DD') as start_on, p.months,
  to_char(p.signed_on, 'YYYY-MM-DD') as signed_on, p.grace_days, p.baseline_cents, p.status, p.created_at`;

async function withInstalments(trx: Tx, plans: PlanRow[]) {
  if (!plans.length) return [];
  const r = await sql<InstalmentRow>`
    select plan_id, seq, to_char(due_on, 'YYYY-MM-DD') as due_on, amount_cents, status from plan_instalments
    where plan_id = any(${plans.map((p) => p.id)}::uuid[]) order by plan_id, seq`.execute(trx);
  return plans.map((p) => ({ ...p, instalments: r.rows.filter((i) => i.plan_id === p.id) }));
}

/** A household's plans, newest first, with their instalments. */
export async function plansOf(trx: Tx, householdId: string) {
  const r = await sql<PlanRow>`select ${planColumns} from payment_plans p where p.household_id = ${householdId} order by p.created_at desc`.execute(trx);
  return withInstalments(trx, r.rows);
}

/** One plan with its instalments. */
export async function planOf(trx: Tx, id: string) {
  const r = await sql<PlanRow>`select ${planColumns} from payment_plans p where p.id = ${id}`.execute(trx);
  return (await withInstalments(trx, r.rows))[0];
}

/** The active plan of each of these households (the newest when several). */
export async function activePlans(trx: Tx, householdIds: readonly string[]): Promise<Map<string, string>> {
  if (!householdIds.length) return new Map();
  const r = await sql<{ household_id: string; id: string }>`
    select distinct on (household_id) household_id, id from payment_plans
    where household_id = any(${[...householdIds]}::uuid[]) and status = 'active' order by household_id, created_at desc`.execute(trx);
  return new Map(r.rows.map((x) => [x.household_id, x.id]));
}

/** The pause in force on `on` of each of these households (the one lasting longest). */
export async function pausesOn(trx: Tx, householdIds: readonly string[], on: string): Promise<Map<string, { untilOn: string; reason: string }>> {
  if (!householdIds.length) return new Map();
  const r = await sql<{ household_id: string; until_on: string; reason: string }>`
    select distinct on (household_id) household_id, to_char(until_on, 'YYYY-MM-DD') as until_on, reason from arrears_pauses
    where household_id = any(${[...householdIds]}::uuid[]) and until_on >= ${on}::date and lifted_at is null
    order by household_id, until_on desc`.execute(trx);
  return new Map(r.rows.map((x) => [x.household_id, { untilOn: x.until_on, reason: x.reason }]));
}

/** Pauses the reminders of these households until a date: one row each. */
export async function insertPauses(trx: Tx, p: { householdIds: readonly string[]; untilOn: string; reason: string; userId: string }) {
  if (!p.householdIds.length) return 0;
  const r = await sql`
    insert into arrears_pauses (organisation_id, household_id, until_on, reason, created_by)
    select lien_current_org(), h, ${p.untilOn}::date, ${p.reason}, ${p.userId} from unnest(${[...p.householdIds]}::uuid[]) h`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export type PendingInstalment = {
  id: string;
  plan_id: string;
  household_id: string;
  case_id: string | null;
  kind: PlanKind;
  seq: number;
  due_on: string;
  grace_days: number;
  amount_cents: string;
  /** The balance the plan expects once this instalment is paid: the baseline less instalments 1..seq. */
  expected_cents: string;
  last: boolean;
};

/**
 * The households whose balance the ERP import dates even when unchanged: those with an active
 * plan with an instalment still pending (the registry's import reads this query, run in its
 * transaction under RLS; `payment_plans_active_idx` narrows it to the active plans).
 */
export const plansToWatchSql = () =>
  sql<{ household_id: string }>`select p.household_id from payment_plans p
    where p.status = 'active' and exists (select 1 from plan_instalments i where i.plan_id = p.id and i.status = 'pending')`;

/** The pending instalments of active plans whose due date plus grace is on or before `on`. */
export async function dueInstalments(trx: Tx, on: string): Promise<PendingInstalment[]> {
  const r = await sql<PendingInstalment>`
    select i.id, i.plan_id, p.household_id, p.case_id, p.kind, i.seq, to_char(i.due_on, 'YYYY-MM-DD') as due_on, p.grace_days, i.amount_cents,
      p.baseline_cents - (select sum(j.amount_cents) from plan_instalments j where j.organisation_id = i.organisation_id and j.plan_id = i.plan_id and j.seq <= i.seq) as expected_cents,
      i.seq = (select max(j.seq) from plan_instalments j where j.organisation_id = i.organisation_id and j.plan_id = i.plan_id) as last
    from plan_instalments i join payment_plans p on p.organisation_id = i.organisation_id and p.id = i.plan_id
    where i.status = 'pending' and p.status = 'active' and i.due_on + p.grace_days <= ${on}::date
    order by p.id, i.seq
    -- Two checks at once (the daily one and a manager's): each instalment is judged by one only,
    -- so its task is raised once.
    for update of i skip locked`.execute(trx);
  return r.rows;
}

/** Records the result of a check: met instalments, missed ones with the task raised; plans whose last instalment is met are completed. */
export async function recordCheck(trx: Tx, met: readonly string[], missed: readonly { id: string; taskId: string | null }[]) {
  if (met.length)
    await sql`update plan_instalments set status = 'met', checked_at = now() where id = any(${[...met]}::uuid[]) and status = 'pending'`.execute(trx);
  if (missed.length)
    await sql`update plan_instalments i set status = 'missed', checked_at = now(), task_id = m.task_id
      from unnest(${missed.map((m) => m.id)}::uuid[], ${missed.map((m) => m.taskId)}::uuid[]) as m(id, task_id)
      where i.id = m.id and i.status = 'pending'`.execute(trx);
  await sql`update payment_plans p set status = 'completed' where p.status = 'active'
    and not exists (select 1 from plan_instalments i where i.organisation_id = p.organisation_id and i.plan_id = p.id and i.status <> 'met')`.execute(trx);
}

export async function insertStep(
  trx: Tx,
  s: {
    caseId: string;
    householdId: string;
    kind: StepKind;
    filedOn: string;
    decidedOn: string | null;
    decision: 'granted' | 'refused' | null;
    amountCents: number | null;
    userId: string;
  },
) {
  const r = await sql<{ id: string }>`
    insert into arrears_steps (organisation_id, case_id, household_id, kind, filed_on, decided_on, decision, amount_cents, created_by)
    values (lien_current_org(), ${s.caseId}, ${s.householdId}, ${s.kind}, ${s.filedOn}::date, ${s.decidedOn}::date, ${s.decision}, ${s.amountCents}, ${s.userId})
    returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export async function stepsOf(trx: Tx, householdId: string) {
  const r = await sql<{
    id: string;
    case_id: string | null;
    kind: StepKind;
    filed_on: string;
    decided_on: string | null;
    decision: 'granted' | 'refused' | null;
    amount_cents: string | null;
    created_at: Date;
  }>`
    select id, case_id, kind, to_char(filed_on, 'YYYY-MM-DD') as filed_on, to_char(decided_on, 'YYYY-MM-DD') as decided_on, decision, amount_cents, created_at
    from arrears_steps where household_id = ${householdId} order by filed_on desc, created_at desc`.execute(trx);
  return r.rows;
}

/** Every row of a household in the module's tables (the right-of-access export, TRUST DP-06). */
export async function arrearsRowsOf(trx: Tx, householdId: string) {
  const plans = await sql<Record<string, unknown>>`select * from payment_plans where household_id = ${householdId} order by created_at`.execute(trx);
  const instalments = await sql<Record<string, unknown>>`
    select i.* from plan_instalments i join payment_plans p on p.organisation_id = i.organisation_id and p.id = i.plan_id
    where p.household_id = ${householdId} order by i.plan_id, i.seq`.execute(trx);
  const pauses = await sql<Record<string, unknown>>`select * from arrears_pauses where household_id = ${householdId} order by created_at`.execute(trx);
  const steps = await sql<Record<string, unknown>>`select * from arrears_steps where household_id = ${householdId} order by created_at`.execute(trx);
  return { payment_plans: plans.rows, plan_instalments: instalments.rows, arrears_pauses: pauses.rows, arrears_steps: steps.rows };
}

/** Erases a household's arrears rows (erasure once no debt is owed); the counts by table. */
export async function eraseArrearsOf(trx: Tx, householdId: string) {
  const instalments = await sql`delete from plan_instalments i using payment_plans p
    where p.organisation_id = i.organisation_id and p.id = i.plan_id and p.household_id = ${householdId}`.execute(trx);
  const plans = await sql`delete from payment_plans where household_id = ${householdId}`.execute(trx);
  const pauses = await sql`delete from arrears_pauses where household_id = ${householdId}`.execute(trx);
  const steps = await sql`delete from arrears_steps where household_id = ${householdId}`.execute(trx);
  return {
    plan_instalments: Number(instalments.numAffectedRows ?? 0),
    payment_plans: Number(plans.numAffectedRows ?? 0),
    arrears_pauses: Number(pauses.numAffectedRows ?? 0),
    arrears_steps: Number(steps.numAffectedRows ?? 0),
  };
}

/** The household's plans, missed instalments and steps as timeline events. */
export async function arrearsEventsOf(trx: Tx, householdId: string) {
  const r = await sql<{ at: Date; kind: string; case_id: string | null; detail: string; cents: string | null; on: string | null }>`
    select p.created_at as at, 'plan.created' as kind, p.case_id, p.kind as detail, p.amount_cents as cents, to_char(p.signed_on, 'YYYY-MM-DD') as on
      from payment_plans p where p.household_id = ${householdId}
    union all
    select i.checked_at, 'plan.missed', p.case_id, p.kind, i.amount_cents, to_char(i.due_on, 'YYYY-MM-DD')
      from plan_instalments i join payment_plans p on p.organisation_id = i.organisation_id and p.id = i.plan_id where p.household_id = ${householdId} and i.status = 'missed'
    union all
    select s.created_at, 'step.' || s.kind, s.case_id, coalesce(s.decision, 'filed'), s.amount_cents, to_char(s.filed_on, 'YYYY-MM-DD')
      from arrears_steps s where s.household_id = ${householdId}
    union all
    select a.created_at, 'pause', null, a.reason, null, to_char(a.until_on, 'YYYY-MM-DD')
      from arrears_pauses a where a.household_id = ${householdId}`.execute(trx);
  return r.rows;
}
