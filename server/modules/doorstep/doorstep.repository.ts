import { sql } from 'kysely';
import type { DoorstepStatus } from '../../../contracts/campaigns.ts';
import type { Tx } from '../../platform/db/database.ts';
import { householdHasPhone, householdUnitRow, residenceRow, type Scope } from '../registry/index.ts';

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

/** Households of a launched campaign's queue with no phone at all: straight to a doorstep visit. */
export async function sendPhonelessToDoorstep(trx: Tx, campaignId: string, now: Date) {
  const r = await sql`
    with phoneless as (
      update campaign_targets t set status = 'doorstep', final_outcome = 'no_phone', updated_at = ${now}
      where t.campaign_id = ${campaignId} and t.status = 'queued'
        and not ${householdHasPhone(sql.ref('t.household_id'))}
      returning t.*)
    insert into doorstep_visits (organisation_id, campaign_id, target_id, household_id, residence_id, agency_id)
    select lien_current_org(), p.campaign_id, p.id, p.household_id, p.residence_id, p.agency_id from phoneless p
    on conflict (organisation_id, target_id) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export async function listDoorstep(trx: Tx, status: DoorstepStatus, { scope, caretakerId }: Visible) {
  const r = await sql<{
    id: string;
    household_id: string;
    campaign: string;
    residence: string;
    address: string;
    unit: string;
    floor: number | null;
    holder: string | null;
    created_at: Date;
    status: DoorstepStatus;
    result: string | null;
  }>`
    select d.id, d.household_id, c.name as campaign, r.name as residence,
      coalesce(r.address || ', ', '') || coalesce(r.postal_code || ' ', '') || coalesce(r.city, '') as address, u.unit, u.floor,
      u.holder, d.created_at, d.status, d.result
    from doorstep_visits d join campaigns c on c.id = d.campaign_id cross join lateral (${householdUnitRow(sql.ref('d.household_id'))}) u
      ${visitResidence}
    where d.status = ${status} ${agencyScoped(scope, sql.ref('d.agency_id'))} ${forCaretaker(caretakerId)}
    order by r.name collate "fr-FR-x-icu", u.floor nulls first, u.unit limit 500`.execute(trx);
  return r.rows;
}

export async function findDoorstep(trx: Tx, id: string, { scope, caretakerId }: Visible) {
  const r = await sql<{ id: string; household_id: string; agency_id: string; campaign_id: string; target_id: string; status: string }>`
    select d.id, d.household_id, d.agency_id, d.campaign_id, d.target_id, d.status from doorstep_visits d ${visitResidence}
    where d.id = ${id} ${agencyScoped(scope, sql.ref('d.agency_id'))} ${forCaretaker(caretakerId)} for update of d`.execute(trx);
  return r.rows[0];
}

/** A visit made: its result on the visit, and as the final outcome of its call target. */
export type VisitMade = { id: string; targetId: string; result: string; note: string | null; userId: string; at: Date };

export async function recordDoorstep(trx: Tx, v: VisitMade) {
  await sql`update doorstep_visits set status = 'done', result = ${v.result}, note = ${v.note}, visited_at = ${v.at}, visited_by = ${v.userId} where id = ${v.id}`.execute(
    trx,
  );
  await sql`update campaign_targets set final_outcome = ${`doorstep_${v.result}`}, updated_at = ${v.at} where id = ${v.targetId}`.execute(trx);
}

/** Doorstep visits still to make, counted as `listDoorstep` lists them. */
export async function countPendingDoorstep(trx: Tx, { scope, caretakerId }: Visible) {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from doorstep_visits d ${visitResidence}
    where d.status = 'pending' ${agencyScoped(scope, sql.ref('d.agency_id'))} ${forCaretaker(caretakerId)}`.execute(trx);
  return r.rows[0]?.n ?? 0;
}

/** The caretaker's visit of a household the calls did not reach (once per campaign target). */
export async function openVisit(trx: Tx, v: { campaignId: string; targetId: string; householdId: string; residenceId: string; agencyId: string }) {
  await sql`insert into doorstep_visits (organisation_id, campaign_id, target_id, household_id, residence_id, agency_id)
    values (lien_current_org(), ${v.campaignId}, ${v.targetId}, ${v.householdId}, ${v.residenceId}, ${v.agencyId})
    on conflict (organisation_id, target_id) do nothing`.execute(trx);
}
