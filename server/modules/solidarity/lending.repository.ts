/**
 * SQL of vacant homes lent (issue 17). `lending_offer_units` is read and written under its
 * restrictive policy: a confidential row (a shelter) exists for this transaction only when its
 * user is the offer's keeper or the request's referent, so every query here that joins it sees
 * the unit of a shelter only for those two (migration 2026-12-02T0800, ADR 0018).
 */
import { sql } from 'kysely';
import type { LendingAudience, LendingStatus, OfferStatus, RequesterKind } from '../../../contracts/solidarity.ts';
import type { Tx } from '../../platform/db/database.ts';

export type OfferRow = {
  id: string;
  audience: LendingAudience;
  furnished: boolean;
  available_from: string;
  available_to: string;
  postal_code: string;
  city: string;
  capacity: number;
  status: OfferStatus;
  keeper_id: string;
  /** Null when the reader may not know which unit it is. */
  unit_id: string | null;
};

export type RequestRow = {
  id: string;
  audience: LendingAudience;
  requester_kind: RequesterKind;
  requester_name: string;
  needed_from: string;
  needed_to: string;
  area: string;
  household_size: number;
  referent_id: string;
  status: 'open' | 'matched' | 'closed';
  lending_id: string | null;
};

export type LendingDbRow = {
  id: string;
  offer_id: string;
  request_id: string;
  status: LendingStatus;
  keys_handed_at: Date | null;
  keys_returned_at: Date | null;
};

const offerColumns = sql`o.id, o.audience, o.furnished, to_char(o.available_from, 'YYYY-MM-DD') as available_from,
  to_char(o.available_to, 'YYYY-MM-DD') as available_to, o.postal_code, o.city, o.capacity, o.status, o.keeper_id, u.unit_id`;

export async function insertOffer(
  trx: Tx,
  o: {
    audience: LendingAudience;
    furnished: boolean;
    availableFrom: string;
    availableTo: string;
    postalCode: string;
    city: string;
    capacity: number;
    keeperId: string;
    unitId: string;
  },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into lending_offers (organisation_id, audience, furnished, available_from, available_to, postal_code, city, capacity, keeper_id)
    values (lien_current_org(), ${o.audience}, ${o.furnished}, ${o.availableFrom}, ${o.availableTo}, ${o.postalCode}, ${o.city}, ${o.capacity}, ${o.keeperId})
    returning id`.execute(trx);
  const id = r.rows[0]?.id as string;
  await sql`
    insert into lending_offer_units (offer_id, organisation_id, unit_id, confidential, keeper_id)
    values (${id}, lien_current_org(), ${o.unitId}, ${o.audience === 'violence_shelter'}, ${o.keeperId})`.execute(trx);
  return id;
}

/** Offers, newest first; `status` filters (null: all but closed). */
export async function listOffers(trx: Tx, status: OfferStatus | null): Promise<OfferRow[]> {
  const r = await sql<OfferRow>`
    select ${offerColumns} from lending_offers o left join lending_offer_units u on u.organisation_id = o.organisation_id and u.offer_id = o.id
    where ${status === null ? sql`o.status <> 'closed'` : sql`o.status = ${status}`}
    order by o.created_at desc limit 500`.execute(trx);
  return r.rows;
}

export async function offerById(trx: Tx, id: string, lock = false): Promise<OfferRow | undefined> {
  const r = await sql<OfferRow>`
    select ${offerColumns} from lending_offers o left join lending_offer_units u on u.organisation_id = o.organisation_id and u.offer_id = o.id
    where o.id = ${id} ${lock ? sql`for update of o` : sql``}`.execute(trx);
  return r.rows[0];
}

/** The open offers of an audience, for matching. */
export async function openOffers(trx: Tx, audience: LendingAudience): Promise<OfferRow[]> {
  const r = await sql<OfferRow>`
    select ${offerColumns} from lending_offers o left join lending_offer_units u on u.organisation_id = o.organisation_id and u.offer_id = o.id
    where o.status = 'open' and o.audience = ${audience}`.execute(trx);
  return r.rows;
}

export async function setOfferStatus(trx: Tx, id: string, status: OfferStatus, at: Date) {
  await sql`update lending_offers set status = ${status}, closed_at = ${status === 'closed' ? at : null} where id = ${id}`.execute(trx);
}

/**
 * Gives the offer's unit row its referent (the second person who may know a shelter's address).
 * Under the policy, only its keeper can: returns whether a row was changed.
 */
export async function setReferent(trx: Tx, offerId: string, referentId: string): Promise<boolean> {
  const r = await sql`update lending_offer_units set referent_id = ${referentId} where offer_id = ${offerId}`.execute(trx);
  return Number(r.numAffectedRows ?? 0n) === 1;
}

/** The unit is vacant again (keys returned): it may be offered anew. Only a reader of the row can. */
export async function releaseUnit(trx: Tx, offerId: string, at: Date): Promise<boolean> {
  const r = await sql`update lending_offer_units set released_at = ${at} where offer_id = ${offerId} and released_at is null`.execute(trx);
  return Number(r.numAffectedRows ?? 0n) === 1;
}

const requestColumns = sql`q.id, q.audience, q.requester_kind, q.requester_name, to_char(q.needed_from, 'YYYY-MM-DD') as needed_from,
  to_char(q.needed_to, 'YYYY-MM-DD') as needed_to, q.area, q.household_size, q.referent_id, q.status,
  (select l.id from lendings l where l.request_id = q.id) as lending_id`;

export async function insertRequest(
  trx: Tx,
  q: {
    audience: LendingAudience;
    requesterKind: RequesterKind;
    requesterName: string;
    neededFrom: string;
    neededTo: string;
    area: string;
    householdSize: number;
    referentId: string;
    createdBy: string;
  },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into lending_requests (organisation_id, audience, requester_kind, requester_name, needed_from, needed_to, area, household_size, referent_id, created_by)
    values (lien_current_org(), ${q.audience}, ${q.requesterKind}, ${q.requesterName}, ${q.neededFrom}, ${q.neededTo}, ${q.area}, ${q.householdSize},
            ${q.referentId}, ${q.createdBy})
    returning id`.execute(trx);
  return r.rows[0]?.id as string;
}

/** Requests not closed, newest first; `referentId` narrows to one referent's (a partner's user). */
export async function listRequests(trx: Tx, referentId: string | null): Promise<RequestRow[]> {
  const r = await sql<RequestRow>`
    select ${requestColumns} from lending_requests q
    where q.status <> 'closed' and (${referentId}::uuid is null or q.referent_id = ${referentId})
    order by q.created_at desc limit 500`.execute(trx);
  return r.rows;
}

export async function requestById(trx: Tx, id: string, lock = false): Promise<RequestRow | undefined> {
  const r = await sql<RequestRow>`select ${requestColumns} from lending_requests q where q.id = ${id} ${lock ? sql`for update of q` : sql``}`.execute(trx);
  return r.rows[0];
}

export async function setRequestStatus(trx: Tx, id: string, status: RequestRow['status'], at: Date) {
  await sql`update lending_requests set status = ${status}, closed_at = ${status === 'closed' ? at : null} where id = ${id}`.execute(trx);
}

export async function insertLending(trx: Tx, l: { offerId: string; requestId: string; createdBy: string; at: Date }): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into lendings (organisation_id, offer_id, request_id, agreed_at, created_by)
    values (lien_current_org(), ${l.offerId}, ${l.requestId}, ${l.at}, ${l.createdBy}) returning id`.execute(trx);
  return r.rows[0]?.id as string;
}

export async function lendingById(trx: Tx, id: string, lock = false): Promise<LendingDbRow | undefined> {
  const r = await sql<LendingDbRow>`
    select l.id, l.offer_id, l.request_id, l.status, l.keys_handed_at, l.keys_returned_at from lendings l
    where l.id = ${id} ${lock ? sql`for update` : sql``}`.execute(trx);
  return r.rows[0];
}

export async function setKeys(trx: Tx, id: string, event: 'handed' | 'returned', at: Date) {
  if (event === 'handed') await sql`update lendings set status = 'occupied', keys_handed_at = ${at} where id = ${id}`.execute(trx);
  else await sql`update lendings set status = 'ended', keys_returned_at = ${at} where id = ${id}`.execute(trx);
}

/** The units on offer or lent now (keys not returned) that this transaction may see. */
export async function unitsOnOffer(trx: Tx): Promise<Set<string>> {
  const r = await sql<{ unit_id: string }>`select unit_id from lending_offer_units where released_at is null`.execute(trx);
  return new Set(r.rows.map((x) => x.unit_id));
}
