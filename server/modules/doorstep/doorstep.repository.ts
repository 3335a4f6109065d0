import { type Expression, type RawBuilder, sql } from 'kysely';
import type { DoorstepStatus } from '../../../contracts/campaigns.ts';
import type { Tx } from '../../platform/db/database.ts';
import { campaignNameOf } from '../campaigns/index.ts';
import { householdUnitRow, residenceRow, type Scope } from '../registry/index.ts';

const agencyScoped = (scope: Scope, column: ReturnType<typeof sql.ref>) => (scope ? sql`and ${column} = any(${scope}::uuid[])` : sql``);

/**
 * What a caretaker sees: the visits of the residences given to them, and of those whose caretaker
 * is none or no longer serves the agency (deactivated, another role or agency) — read from the
 * residence as it is now, so a change of caretaker or of the caretaker's account applies at once.
 */
const forCaretaker = (caretakerId: string | null) =>
  caretakerId ? sql`and (r.caretaker_id = ${caretakerId} or not coalesce(lien_caretaker_serves(r.caretaker_id, r.agency_id), false))` : sql``;

/** Which visits a session sees: its agencies (null: all), and for a caretaker their residences. */
export type Visible = { scope: Scope; caretakerId: string | null };

/** The visit's residence as it is now, as `r`. */
const visitResidence = sql`cross join lateral (${residenceRow(sql.ref('d.residence_id'))}) r`;

export async function listDoorstep(trx: Tx, status: DoorstepStatus, { scope, caretakerId }: Visible) {
  const r = await sql<{
    id: string;
    household_id: string;
    campaign: string | null;
    residence: string;
    address: string;
    unit: string;
    floor: number | null;
    holder: string | null;
    created_at: Date;
    status: DoorstepStatus;
    result: string | null;
  }>`
    select d.id, d.household_id, coalesce(${campaignNameOf(sql.ref('d.campaign_id'))}, case when d.delivery_id is not null then 'Livraison : absent deux fois' end) as campaign, r.name as residence,
      coalesce(r.address || ', ', '') || coalesce(r.postal_code || ' ', '') || coalesce(r.city, '') as address, u.unit, u.floor,
      u.holder, d.created_at, d.status, d.result
    from doorstep_visits d cross join lateral (${householdUnitRow(sql.ref('d.household_id'))}) u
      ${visitResidence}
    where d.status = ${status} ${agencyScoped(scope, sql.ref('d.agency_id'))} ${forCaretaker(caretakerId)}
    order by r.name collate "fr-FR-x-icu", u.floor nulls first, u.unit limit 500`.execute(trx);
  return r.rows;
}

export async function findDoorstep(trx: Tx, id: string, { scope, caretakerId }: Visible) {
  const r = await sql<{ id: string; household_id: string; agency_id: string; campaign_id: string | null; target_id: string | null; status: string }>`
    select d.id, d.household_id, d.agency_id, d.campaign_id, d.target_id, d.status from doorstep_visits d ${visitResidence}
    where d.id = ${id} ${agencyScoped(scope, sql.ref('d.agency_id'))} ${forCaretaker(caretakerId)} for update of d`.execute(trx);
  return r.rows[0];
}

/** A visit made: its result (the call target's final outcome reads it through `visitResultOf`). */
export type VisitMade = { id: string; result: string; note: string | null; userId: string; at: Date };

export async function recordDoorstep(trx: Tx, v: VisitMade) {
  await sql`update doorstep_visits set status = 'done', result = ${v.result}, note = ${v.note}, visited_at = ${v.at}, visited_by = ${v.userId} where id = ${v.id}`.execute(
    trx,
  );
}

/** The result of the visit of the call target whose id is `targetId`, or null while none is recorded (the campaign export). */
export const visitResultOf = (targetId: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string | null> =>
  sql<string | null>`(select dv.result from doorstep_visits dv where dv.target_id = ${targetId} and dv.status = 'done')`;

/** Doorstep visits still to make, counted as `listDoorstep` lists them. */
export async function countPendingDoorstep(trx: Tx, { scope, caretakerId }: Visible) {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from doorstep_visits d ${visitResidence}
    where d.status = 'pending' ${agencyScoped(scope, sql.ref('d.agency_id'))} ${forCaretaker(caretakerId)}`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

/** A household the calls did not reach, for the caretaker to visit. */
export type NewVisit = { campaignId: string; targetId: string; householdId: string; residenceId: string; agencyId: string };

/** The caretaker's visits of households the calls did not reach (once per campaign target), in one statement. */
export async function openVisits(trx: Tx, visits: readonly NewVisit[]) {
  if (!visits.length) return;
  await sql`insert into doorstep_visits (organisation_id, campaign_id, target_id, household_id, residence_id, agency_id)
    select lien_current_org(), v.campaign_id, v.target_id, v.household_id, v.residence_id, v.agency_id
    from jsonb_to_recordset(${JSON.stringify(
      visits.map((v) => ({
        campaign_id: v.campaignId,
        target_id: v.targetId,
        household_id: v.householdId,
        residence_id: v.residenceId,
        agency_id: v.agencyId,
      })),
    )}::jsonb) as v(campaign_id uuid, target_id uuid, household_id uuid, residence_id uuid, agency_id uuid)
    on conflict (organisation_id, target_id) do nothing`.execute(trx);
}

/** The caretaker's visit of a household the calls did not reach (once per campaign target). */
export const openVisit = (trx: Tx, v: NewVisit) => openVisits(trx, [v]);

/** A household's doorstep visits, pending and done (right of access, TRUST DP-06). */
export async function doorstepRowsOf(trx: Tx, householdId: string) {
  return { doorstep_visits: await trx.selectFrom('doorstep_visits').selectAll().where('household_id', '=', householdId).orderBy('created_at').execute() };
}

/** Erasure of a household's doorstep visits (TRUST DP-07); the count deleted. */
export async function eraseVisitsOf(trx: Tx, householdId: string) {
  const r = await trx.deleteFrom('doorstep_visits').where('household_id', '=', householdId).executeTakeFirst();
  return { doorstep_visits: Number(r.numDeletedRows) };
}

/** A household a deliverer found away twice (issue 17): the caretaker goes to see (once per delivery). */
export type NewDeliveryVisit = { deliveryId: string; householdId: string; residenceId: string; agencyId: string };

export async function openDeliveryVisit(trx: Tx, v: NewDeliveryVisit) {
  await sql`insert into doorstep_visits (organisation_id, delivery_id, household_id, residence_id, agency_id)
    values (lien_current_org(), ${v.deliveryId}, ${v.householdId}, ${v.residenceId}, ${v.agencyId})
    on conflict (organisation_id, delivery_id) do nothing`.execute(trx);
}
