import { sql } from 'kysely';
import type { ErasurePlan, SubjectRequestKind } from '../../../contracts/privacy.ts';
import type { Tx } from '../../platform/db/database.ts';
import { userNameOf } from '../identity/index.ts';

export type NewSubjectRequest = {
  householdId: string;
  personId: string;
  kind: SubjectRequestKind;
  purposes: string[];
  receivedOn: string;
  notes: string | null;
  recordedBy: string;
};

/** Records a request; its due day is one calendar month after it was received (RGPD art. 12.3). */
export async function insertRequest(trx: Tx, r: NewSubjectRequest): Promise<{ id: string; due_on: string }> {
  const row = await sql<{ id: string; due_on: string }>`
    insert into subject_requests (organisation_id, household_id, person_id, kind, purposes, received_on, due_on, recorded_by, notes)
    values (lien_current_org(), ${r.householdId}, ${r.personId}, ${r.kind}, ${r.purposes}::text[], ${r.receivedOn}::date,
      (${r.receivedOn}::date + interval '1 month')::date, ${r.recordedBy}, ${r.notes})
    returning id, to_char(due_on, 'YYYY-MM-DD') as due_on`.execute(trx);
  return row.rows[0] as { id: string; due_on: string };
}

export type RequestRow = {
  id: string;
  kind: SubjectRequestKind;
  purposes: string[];
  person_id: string;
  household_id: string;
  received_on: string;
  due_on: string;
  status: 'open' | 'answered';
  recorded_by_name: string | null;
  answered_at: Date | null;
  notes: string | null;
  outcome: ErasurePlan | null;
  executed_at: Date | null;
  refusal_reason: string | null;
};

const requestColumns = sql`r.id, r.kind, r.purposes, r.outcome, r.executed_at, r.person_id, r.household_id, to_char(r.received_on, 'YYYY-MM-DD') as received_on,
  to_char(r.due_on, 'YYYY-MM-DD') as due_on, r.status, ${userNameOf(sql.ref('r.recorded_by'))} as recorded_by_name, r.answered_at, r.notes, r.refusal_reason`;

/** The organisation's requests: open ones first, nearest due day first. */
export async function listRequests(trx: Tx, limit: number): Promise<RequestRow[]> {
  const r = await sql<RequestRow>`select ${requestColumns} from subject_requests r
    order by (r.status = 'open') desc, r.due_on, r.id limit ${limit}`.execute(trx);
  return r.rows;
}

export async function findRequest(trx: Tx, id: string): Promise<RequestRow | undefined> {
  const r = await sql<RequestRow>`select ${requestColumns} from subject_requests r where r.id = ${id}`.execute(trx);
  return r.rows[0];
}

/**
 * Keeps what an erasure or objection did and answers the request, once (false when it was
 * already carried out or answered: a second run changes nothing).
 */
export async function saveOutcome(trx: Tx, id: string, outcome: ErasurePlan, by: string, at: Date): Promise<boolean> {
  const r = await sql`update subject_requests set outcome = ${JSON.stringify(outcome)}::jsonb, executed_at = ${at}, executed_by = ${by},
      status = 'answered', answered_at = ${at}, answered_by = ${by}
    where id = ${id} and status = 'open' and executed_at is null`.execute(trx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function markAnswered(trx: Tx, id: string, by: string, at: Date): Promise<boolean> {
  const r = await trx
    .updateTable('subject_requests')
    .set({ status: 'answered', answered_at: at, answered_by: by })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Refuses an open erasure or objection with its reason, which answers it; false when it was already answered or carried out. */
export async function markRefused(trx: Tx, id: string, reason: string, by: string, at: Date): Promise<boolean> {
  const r = await trx
    .updateTable('subject_requests')
    .set({ status: 'answered', answered_at: at, answered_by: by, refusal_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('executed_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The requests a person made (they are part of what Lien holds about them). */
export async function requestRowsOf(trx: Tx, personId: string) {
  return { subject_requests: await trx.selectFrom('subject_requests').selectAll().where('person_id', '=', personId).orderBy('received_on').execute() };
}
