/** SQL of deliveries (issue 17): meals, groceries and medicines brought to a household by a volunteer or a caretaker. */
import { sql } from 'kysely';
import type { DeliveryKind, DeliveryStatus } from '../../../contracts/solidarity.ts';
import type { Tx } from '../../platform/db/database.ts';

export type DeliveryDbRow = {
  id: string;
  household_id: string;
  agency_id: string;
  kind: DeliveryKind;
  detail: string | null;
  due_on: string;
  assignee_id: string;
  status: DeliveryStatus;
  not_home_count: number;
};

const columns = sql`d.id, d.household_id, d.agency_id, d.kind, d.detail, to_char(d.due_on, 'YYYY-MM-DD') as due_on, d.assignee_id, d.status, d.not_home_count`;

export async function insertDelivery(
  trx: Tx,
  d: { householdId: string; agencyId: string; kind: DeliveryKind; detail: string | null; dueOn: string; assigneeId: string; createdBy: string },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into deliveries (organisation_id, household_id, agency_id, kind, detail, due_on, assignee_id, created_by)
    values (lien_current_org(), ${d.householdId}, ${d.agencyId}, ${d.kind}, ${d.detail}, ${d.dueOn}, ${d.assigneeId}, ${d.createdBy}) returning id`.execute(
    trx,
  );
  return r.rows[0]?.id as string;
}

/** A deliverer's deliveries: those still to do first, by day. */
export async function deliveriesOf(trx: Tx, assigneeId: string): Promise<DeliveryDbRow[]> {
  const r = await sql<DeliveryDbRow>`
    select ${columns} from deliveries d where d.assignee_id = ${assigneeId}
      and (d.status = 'assigned' or d.done_at > now() - interval '7 days')
    order by d.status <> 'assigned', d.due_on, d.created_at limit 200`.execute(trx);
  return r.rows;
}

/** Deliveries of these agencies (null: all), newest days first. */
export async function listDeliveries(trx: Tx, scope: readonly string[] | null): Promise<DeliveryDbRow[]> {
  const r = await sql<DeliveryDbRow>`
    select ${columns} from deliveries d where (${scope === null} or d.agency_id = any(${scope ?? []}::uuid[]))
    order by d.status <> 'assigned', d.due_on desc, d.created_at desc limit 500`.execute(trx);
  return r.rows;
}

export async function deliveryById(trx: Tx, id: string): Promise<DeliveryDbRow | undefined> {
  const r = await sql<DeliveryDbRow>`select ${columns} from deliveries d where d.id = ${id} for update`.execute(trx);
  return r.rows[0];
}

export async function recordOutcome(trx: Tx, id: string, o: { status: DeliveryStatus; notHomeCount: number; at: Date }) {
  await sql`update deliveries set status = ${o.status}, not_home_count = ${o.notHomeCount},
    done_at = ${o.status === 'assigned' ? null : o.at} where id = ${id}`.execute(trx);
}

export async function countDone(trx: Tx, assigneeId: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from deliveries where assignee_id = ${assigneeId} and status = 'done'`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

/** A household's deliveries (right of access, TRUST DP-06). */
export async function deliveryRowsOf(trx: Tx, householdId: string) {
  return { deliveries: await trx.selectFrom('deliveries').selectAll().where('household_id', '=', householdId).orderBy('created_at').execute() };
}

/** Erasure of a household's deliveries (TRUST DP-07); the count deleted. */
export async function eraseDeliveriesOf(trx: Tx, householdId: string): Promise<number> {
  const r = await trx.deleteFrom('deliveries').where('household_id', '=', householdId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
