/**
 * Vacant homes lent (issue 17): offers of vacant units, requests from hospitals, care homes and
 * associations, matching, the occupancy agreement, keys handed and returned. A shelter's address
 * (audience `violence_shelter`) reaches only its keeper and the request's referent: the database
 * hides its unit from anyone else (lending.repository.ts), and the service never looks it up
 * another way.
 */
import type { LendingOfferBody, LendingOfferRow, LendingRequestBody, LendingRequestRow, LendingRow } from '../../../contracts/solidarity.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import { isActiveWith, userNames } from '../identity/index.ts';
import { type LendableUnit, lendableUnits, scopeOf, vacantUnits } from '../registry/index.ts';
import * as repo from './lending.repository.ts';
import { indexOffers, matchesFor, suits } from './matching.ts';
import { lendingRequesters } from './solidarity.policy.ts';

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** The vacant units of the session's agencies not already on offer or lent, to offer. */
export function listVacantUnits(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const taken = await repo.unitsOnOffer(trx);
    return (await vacantUnits(trx, scopeOf(s)))
      .filter((u) => !taken.has(u.id))
      .map((u) => ({
        id: u.id,
        erpRef: u.erpRef,
        residence: u.residence,
        address: u.address,
        postalCode: u.postalCode,
        city: u.city,
        rooms: u.rooms,
        floor: u.floor,
      }));
  });
}

const placeOf = (u: LendableUnit | undefined) =>
  u ? { residence: u.residence, address: `${u.address}, ${u.postalCode} ${u.city}`, unitRef: u.erpRef, floor: u.floor } : null;

async function offerRows(trx: Tx, rows: repo.OfferRow[]): Promise<LendingOfferRow[]> {
  const units = await lendableUnits(
    trx,
    rows.flatMap((o) => (o.unit_id ? [o.unit_id] : [])),
  );
  const names = await userNames(trx, [...new Set(rows.map((o) => o.keeper_id))]);
  return rows.map((o) => ({
    id: o.id,
    audience: o.audience,
    furnished: o.furnished,
    availableFrom: o.available_from,
    availableTo: o.available_to,
    postalCode: o.postal_code,
    city: o.city,
    capacity: o.capacity,
    status: o.status,
    keeper: names.get(o.keeper_id) ?? '',
    place: o.unit_id ? placeOf(units.get(o.unit_id)) : null,
  }));
}

/** Offer a vacant unit; the session's user keeps the offer (and, for a shelter, alone knows its address until it is lent). */
export async function createOffer(deps: Deps, s: SessionContext, body: LendingOfferBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const unit = (await lendableUnits(trx, [body.unitId])).get(body.unitId);
    const scope = scopeOf(s);
    if (!unit || (scope !== null && !scope.includes(unit.agencyId))) throw notFound('Logement', 'unit_not_found');
    if (!unit.vacant) throw conflict('unit_not_vacant', 'Ce logement est occupé : seul un logement vacant peut être prêté.');
    let id: string;
    try {
      id = await repo.insertOffer(trx, { ...body, postalCode: unit.postalCode, city: unit.city, keeperId: s.userId });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict('unit_on_offer', 'Ce logement est déjà proposé au prêt.');
      throw e;
    }
    // A shelter's unit is not written in the trail: the trail is read by others than the two people.
    await recordAudit(trx, actorOf(s, ip), {
      action: 'lending.offer_created',
      objectType: 'lending_offer',
      objectId: id,
      details: { audience: body.audience, ...(body.audience === 'violence_shelter' ? {} : { unitId: body.unitId }) },
    });
    return { id };
  });
}

export function listOffers(deps: Deps, s: SessionContext, status: repo.OfferRow['status'] | null) {
  return withSession(deps.database, s, async (trx) => offerRows(trx, await repo.listOffers(trx, status)));
}

/** A partner's user follows only the requests whose referent they are. */
const onlyOwnRequests = (s: SessionContext) => !can(s.role, 'lending.manage');

async function requestRows(trx: Tx, rows: repo.RequestRow[]): Promise<LendingRequestRow[]> {
  const names = await userNames(trx, [...new Set(rows.map((q) => q.referent_id))]);
  return rows.map((q) => ({
    id: q.id,
    audience: q.audience,
    requesterKind: q.requester_kind,
    requesterName: q.requester_name,
    neededFrom: q.needed_from,
    neededTo: q.needed_to,
    area: q.area,
    householdSize: q.household_size,
    referent: names.get(q.referent_id) ?? '',
    status: q.status,
    lendingId: q.lending_id,
  }));
}

/** A request: only dates, area and size; its referent is the caller (always, for a partner's user) or the account named. */
export async function createRequest(deps: Deps, s: SessionContext, body: LendingRequestBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const referentId = onlyOwnRequests(s) ? s.userId : (body.referentId ?? s.userId);
    // The referent will read a shelter's address: an active account that files and follows requests, nobody else.
    if (referentId !== s.userId && !(await isActiveWith(trx, { userId: referentId, roles: lendingRequesters })))
      throw invalid('referent_unknown', 'Le ou la référent·e doit être un compte actif qui suit les demandes de logement.');
    const id = await repo.insertRequest(trx, { ...body, referentId, createdBy: s.userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'lending.request_created',
      objectType: 'lending_request',
      objectId: id,
      details: { audience: body.audience },
    });
    return { id };
  });
}

export function listRequests(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => requestRows(trx, await repo.listRequests(trx, onlyOwnRequests(s) ? s.userId : null)));
}

/** The open offers suiting a request, best first. */
export function matchesOf(deps: Deps, s: SessionContext, requestId: string) {
  return withSession(deps.database, s, async (trx) => {
    const q = await repo.requestById(trx, requestId);
    if (!q) throw notFound('Demande', 'request_not_found');
    const offers = await repo.openOffers(trx, q.audience);
    const found = matchesFor(indexOffers(offers.map(asMatchOffer)), asMatchRequest(q), 20);
    const rows = await offerRows(
      trx,
      found.map((m) => m.offer.row),
    );
    return found.map((m, i) => ({ offer: rows[i] as LendingOfferRow, score: m.score }));
  });
}

const asMatchOffer = (o: repo.OfferRow) => ({
  id: o.id,
  audience: o.audience,
  availableFrom: o.available_from,
  availableTo: o.available_to,
  postalCode: o.postal_code,
  capacity: o.capacity,
  row: o,
});
const asMatchRequest = (q: repo.RequestRow) => ({
  id: q.id,
  audience: q.audience,
  neededFrom: q.needed_from,
  neededTo: q.needed_to,
  area: q.area,
  householdSize: q.household_size,
});

/**
 * Lend an offer to a request. A shelter is lent by its keeper only (the one who knows which unit
 * it is): the referent of the request then becomes the second person who knows the address.
 */
export async function createLending(deps: Deps, s: SessionContext, input: { offerId: string; requestId: string }, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const offer = await repo.offerById(trx, input.offerId, true);
    const q = await repo.requestById(trx, input.requestId, true);
    if (!offer) throw notFound('Offre', 'offer_not_found');
    if (!q) throw notFound('Demande', 'request_not_found');
    if (offer.status !== 'open') throw conflict('offer_taken', 'Ce logement n’est plus disponible.');
    if (q.status !== 'open') throw conflict('request_matched', 'Cette demande a déjà un logement.');
    if (!suits(asMatchOffer(offer), asMatchRequest(q)))
      throw invalid('offer_unsuited', 'Ce logement ne convient pas à la demande (public, dates, secteur ou nombre de personnes).');
    if (offer.unit_id === null || !(await repo.setReferent(trx, offer.id, q.referent_id)))
      throw new AppError('keeper_only', 403, 'Seule la personne qui garde cette offre de mise à l’abri peut l’attribuer.');
    const id = await repo.insertLending(trx, { offerId: offer.id, requestId: q.id, createdBy: s.userId, at: now });
    await repo.setOfferStatus(trx, offer.id, 'matched', now);
    await repo.setRequestStatus(trx, q.id, 'matched', now);
    await recordAudit(trx, actorOf(s, ip), { action: 'lending.matched', objectType: 'lending', objectId: id, details: { audience: offer.audience } });
    return { id };
  });
}

/** A lending as its reader may know it; a partner's user only as the request's referent. */
async function lendingOf(trx: Tx, s: SessionContext, id: string) {
  const l = await repo.lendingById(trx, id);
  if (!l) throw notFound('Prêt', 'lending_not_found');
  const [offer, q] = [await repo.offerById(trx, l.offer_id), await repo.requestById(trx, l.request_id)];
  if (!offer || !q) throw notFound('Prêt', 'lending_not_found');
  if (onlyOwnRequests(s) && q.referent_id !== s.userId) throw notFound('Prêt', 'lending_not_found');
  const unit = offer.unit_id ? (await lendableUnits(trx, [offer.unit_id])).get(offer.unit_id) : undefined;
  const names = await userNames(trx, [offer.keeper_id, q.referent_id]);
  const row: LendingRow = {
    id: l.id,
    offerId: offer.id,
    requestId: q.id,
    audience: offer.audience,
    requesterName: q.requester_name,
    from: q.needed_from,
    to: q.needed_to,
    status: l.status,
    keysHandedAt: l.keys_handed_at?.toISOString() ?? null,
    keysReturnedAt: l.keys_returned_at?.toISOString() ?? null,
    keeper: names.get(offer.keeper_id) ?? '',
    referent: names.get(q.referent_id) ?? '',
    place: placeOf(unit),
  };
  return { row, offer, request: q, lending: l, unit };
}

export function getLending(deps: Deps, s: SessionContext, id: string) {
  return withSession(deps.database, s, async (trx) => (await lendingOf(trx, s, id)).row);
}

/** What the occupancy agreement prints; only for whom may know the address (else « introuvable »). */
export function agreementOf(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const found = await lendingOf(trx, s, id);
    if (!found.row.place) throw notFound('Convention', 'agreement_not_found');
    await recordAudit(trx, actorOf(s, ip), { action: 'lending.agreement_printed', objectType: 'lending', objectId: id });
    return { ...found.row, place: found.row.place, furnished: found.offer.furnished, householdSize: found.request.household_size };
  });
}

/** Keys handed (the unit is occupied) or returned (vacant again, the offer and the request end). A shelter's keys: its two people only. */
export async function recordKeys(deps: Deps, s: SessionContext, id: string, event: 'handed' | 'returned', ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const l = await repo.lendingById(trx, id, true);
    if (!l) throw notFound('Prêt', 'lending_not_found');
    const offer = await repo.offerById(trx, l.offer_id, true);
    if (!offer) throw notFound('Prêt', 'lending_not_found');
    if (offer.unit_id === null) throw forbidden();
    if (event === 'handed' && l.status !== 'agreed') throw conflict('keys_already_handed', 'Les clés ont déjà été remises.');
    if (event === 'returned' && l.status !== 'occupied') throw conflict('keys_not_handed', 'Les clés n’ont pas été remises, ou sont déjà rendues.');
    await repo.setKeys(trx, id, event, now);
    if (event === 'handed') await repo.setOfferStatus(trx, offer.id, 'occupied', now);
    else {
      await repo.setOfferStatus(trx, offer.id, 'closed', now);
      await repo.setRequestStatus(trx, l.request_id, 'closed', now);
      await repo.releaseUnit(trx, offer.id, now);
    }
    await recordAudit(trx, actorOf(s, ip), {
      action: event === 'handed' ? 'lending.keys_handed' : 'lending.keys_returned',
      objectType: 'lending',
      objectId: id,
    });
  });
}

/** Withdraw an open offer (not lent): closed, its unit free to be offered again. A shelter's: its keeper only. */
export async function withdrawOffer(deps: Deps, s: SessionContext, id: string, ip: string) {
  const now = nowOf(deps);
  return withSession(deps.database, s, async (trx) => {
    const offer = await repo.offerById(trx, id, true);
    if (!offer) throw notFound('Offre', 'offer_not_found');
    if (offer.unit_id === null) throw new AppError('keeper_only', 403, 'Seule la personne qui garde cette offre de mise à l’abri peut la retirer.');
    if (offer.status !== 'open') throw conflict('offer_taken', 'Ce logement est attribué : il se libère quand les clés sont rendues.');
    await repo.setOfferStatus(trx, id, 'closed', now);
    await repo.releaseUnit(trx, id, now);
    await recordAudit(trx, actorOf(s, ip), { action: 'lending.offer_withdrawn', objectType: 'lending_offer', objectId: id });
  });
}
