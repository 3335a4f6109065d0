/** SQL of food distributions (issue 17): the distribution, its invited households, who came. */
import { sql } from 'kysely';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { DistributionKind } from '../../../contracts/solidarity.ts';
import type { Tx } from '../../platform/db/database.ts';
import { type Scope, segmentHouseholds } from '../registry/index.ts';

export type DistributionDbRow = {
  id: string;
  partner_id: string;
  kind: DistributionKind;
  held_on: string;
  place: string;
  capacity: number;
  invited: number;
  attended: number;
  invitation_send_id: string | null;
};

const columns = sql`d.id, d.partner_id, d.invitation_send_id, d.kind, to_char(d.held_on, 'YYYY-MM-DD') as held_on, d.place, d.capacity,
  (select count(*)::int from distribution_invitees i where i.distribution_id = d.id) as invited,
  (select count(*)::int from distribution_invitees i where i.distribution_id = d.id and i.attended) as attended`;

export async function insertDistribution(
  trx: Tx,
  d: { partnerId: string; kind: DistributionKind; heldOn: string; place: string; capacity: number; createdBy: string },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into distributions (organisation_id, partner_id, kind, held_on, place, capacity, created_by)
    values (lien_current_org(), ${d.partnerId}, ${d.kind}, ${d.heldOn}, ${d.place}, ${d.capacity}, ${d.createdBy}) returning id`.execute(trx);
  return r.rows[0]?.id as string;
}

/** Distributions, the coming ones first; `partnerId` narrows to one partner's. */
export async function listDistributions(trx: Tx, partnerId: string | null): Promise<DistributionDbRow[]> {
  const r = await sql<DistributionDbRow>`
    select ${columns} from distributions d where (${partnerId}::uuid is null or d.partner_id = ${partnerId})
    order by d.held_on desc, d.created_at desc limit 200`.execute(trx);
  return r.rows;
}

export async function distributionById(trx: Tx, id: string, lock = false): Promise<DistributionDbRow | undefined> {
  const r = await sql<DistributionDbRow>`select ${columns} from distributions d where d.id = ${id} ${lock ? sql`for update of d` : sql``}`.execute(trx);
  return r.rows[0];
}

/** The messaging send that carries the distribution's invitations. */
export async function setInvitationSend(trx: Tx, id: string, sendId: string) {
  await sql`update distributions set invitation_send_id = ${sendId} where id = ${id}`.execute(trx);
}

/** Invites these households (those already invited are skipped); the number added. */
export async function inviteHouseholds(trx: Tx, distributionId: string, householdIds: readonly string[], source: 'segment' | 'food_case'): Promise<number> {
  if (!householdIds.length) return 0;
  const r = await sql`insert into distribution_invitees (organisation_id, distribution_id, household_id, source)
    select lien_current_org(), ${distributionId}, x, ${source} from unnest(${[...householdIds]}::uuid[]) x
    on conflict (distribution_id, household_id) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0n);
}

/** The households of a segment not yet invited, in the scope, at most `limit`. */
export async function segmentNotInvited(trx: Tx, distributionId: string, segment: HouseholdFilters, scope: Scope, limit: number): Promise<string[]> {
  const r = await sql<{ household_id: string }>`
    select s.household_id from (${segmentHouseholds(segment, scope)}) s
    where not exists (select 1 from distribution_invitees i where i.distribution_id = ${distributionId} and i.household_id = s.household_id)
    order by s.household_id limit ${limit}`.execute(trx);
  return r.rows.map((x) => x.household_id);
}

export async function inviteesOf(trx: Tx, distributionId: string) {
  const r = await sql<{ household_id: string; attended: boolean | null }>`
    select household_id, attended from distribution_invitees where distribution_id = ${distributionId} order by invited_at, household_id`.execute(trx);
  return r.rows;
}

export async function markAttendance(trx: Tx, distributionId: string, householdId: string, attended: boolean, at: Date): Promise<boolean> {
  const r = await sql`update distribution_invitees set attended = ${attended}, marked_at = ${at}
    where distribution_id = ${distributionId} and household_id = ${householdId}`.execute(trx);
  return Number(r.numAffectedRows ?? 0n) === 1;
}

/** A household's invitations (right of access, TRUST DP-06). */
export async function invitationRowsOf(trx: Tx, householdId: string) {
  return {
    distribution_invitees: await trx.selectFrom('distribution_invitees').selectAll().where('household_id', '=', householdId).orderBy('invited_at').execute(),
  };
}

/** Erasure of a household's invitations (TRUST DP-07); the count deleted. */
export async function eraseInvitationsOf(trx: Tx, householdId: string): Promise<number> {
  const r = await trx.deleteFrom('distribution_invitees').where('household_id', '=', householdId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
