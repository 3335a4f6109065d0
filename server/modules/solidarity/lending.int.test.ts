// Vacant homes lent (issue 17): offers of vacant units only, requests with only what matching
// needs, matching, the agreement, keys handed and returned (occupied, then vacant again), and the
// address of a shelter for a person fleeing violence: only its keeper and the request's referent
// read it, by every route and in the database itself (restrictive policy on lending_offer_units).
import { describe, expect, it } from 'vitest';
import { admin, callers, h, ids, inject, manager, managerUser, org, setUpCampaignWorld, volunteer } from '../../test/campaign-world.ts';
import { newUser, signIn, type TestUser } from '../../test/harness.ts';
import { solidarityMatrix } from '../../test/solidarity-matrix.ts';
import { agreementLines } from './agreement.ts';

setUpCampaignWorld();

type Res = Awaited<ReturnType<typeof inject>>;
const ok = (res: Res) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** A new vacant unit of Les Tilleuls (Vitry-sur-Seine, 94400), with a reference no other row has. */
async function vacantUnit(ref: string): Promise<string> {
  const r = await h.owner.query(
    `insert into housing_units (organisation_id, residence_id, erp_ref, floor, rooms)
     select $1, id, $2, 3, 2 from residences where organisation_id = $1 and erp_code = 'G1' returning id`,
    [org.id, ref],
  );
  return r.rows[0].id;
}

/** Rows of lending_offer_units a transaction of this user (or of nobody) sees, in the app role under RLS. */
const unitRowsSeenBy = (userId: string | undefined, offerId: string) =>
  h.database.withOrg(
    { organisationId: org.id, ...(userId ? { userId } : {}) },
    async (trx) => (await trx.selectFrom('lending_offer_units').select(['unit_id', 'referent_id']).where('offer_id', '=', offerId).execute()).length,
  );

describe('vacant homes lent', () => {
  let keeper: { user: TestUser; cookie: string };
  let referent: { user: TestUser; cookie: string };
  let otherPartner: { user: TestUser; cookie: string };
  let caretaker: string;

  it('offers only vacant units, once each, with French errors', async () => {
    keeper = callers[0] as { user: TestUser; cookie: string };
    const unit = await vacantUnit('PRET-1');
    const units = ok(await inject(keeper.cookie, 'GET', '/api/solidarity/vacant-units')) as { id: string; erpRef: string }[];
    expect(units.map((u) => u.erpRef)).toContain('PRET-1');
    // Every imported unit has an active household: none of them is vacant.
    expect(units.map((u) => u.erpRef).filter((r) => /^L\d$/.test(r))).toEqual([]);
    const occupied = (await h.owner.query('select unit_id from households where id = $1', [ids.H1])).rows[0].unit_id;
    const base = { audience: 'health_workers', furnished: true, availableFrom: '2026-12-01', availableTo: '2027-03-31', capacity: 2 };
    const refused = await inject(keeper.cookie, 'POST', '/api/solidarity/offers', { ...base, unitId: occupied });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('seul un logement vacant');
    const backwards = await inject(keeper.cookie, 'POST', '/api/solidarity/offers', { ...base, unitId: unit, availableTo: '2026-11-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('La fin de disponibilité précède son début.');
    ok(await inject(keeper.cookie, 'POST', '/api/solidarity/offers', { ...base, unitId: unit }));
    const again = await inject(keeper.cookie, 'POST', '/api/solidarity/offers', { ...base, unitId: unit });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('Ce logement est déjà proposé au prêt.');
    expect((ok(await inject(keeper.cookie, 'GET', '/api/solidarity/vacant-units')) as { erpRef: string }[]).map((u) => u.erpRef)).not.toContain('PRET-1');
    // An open offer is withdrawn (the unit offered again later); a lent one is not.
    const spare = await vacantUnit('PRET-2');
    const withdrawn = ok(await inject(keeper.cookie, 'POST', '/api/solidarity/offers', { ...base, unitId: spare })).id;
    ok(await inject(manager, 'POST', `/api/solidarity/offers/${withdrawn}/withdraw`));
    expect((await inject(manager, 'POST', `/api/solidarity/offers/${withdrawn}/withdraw`)).statusCode).toBe(409);
    expect((ok(await inject(keeper.cookie, 'GET', '/api/solidarity/vacant-units')) as { erpRef: string }[]).map((u) => u.erpRef)).toContain('PRET-2');
    // Neither a caretaker nor a volunteer offers homes.
    caretaker = await signIn(h, await newUser(h, org, 'caretaker'));
    expect((await inject(caretaker, 'POST', '/api/solidarity/offers', { ...base, unitId: unit })).statusCode).toBe(403);
    expect((await inject(volunteer.cookie, 'GET', '/api/solidarity/offers')).statusCode).toBe(403);
  });

  it('matches a health worker’s request by audience, dates, area and size; agreement, keys, occupied then vacant again', async () => {
    const request = ok(
      await inject(manager, 'POST', '/api/solidarity/requests', {
        audience: 'health_workers',
        requesterKind: 'hospital',
        requesterName: 'Hôpital Bicêtre',
        neededFrom: '2026-12-10',
        neededTo: '2027-01-31',
        area: '94',
        householdSize: 2,
      }),
    ).id as string;
    // The referent, who may read a shelter's address, is an account that follows requests: not a volunteer.
    const volunteerReferent = await inject(manager, 'POST', '/api/solidarity/requests', {
      audience: 'violence_shelter',
      requesterKind: 'association',
      requesterName: 'Asso',
      neededFrom: '2026-12-10',
      neededTo: '2027-01-31',
      area: '94',
      householdSize: 1,
      referentId: volunteer.user.id,
    });
    expect(volunteerReferent.statusCode).toBe(422);
    // Data minimisation: a request takes no name of the person.
    const named = await inject(manager, 'POST', '/api/solidarity/requests', {
      audience: 'other',
      requesterKind: 'association',
      requesterName: 'Asso',
      neededFrom: '2026-12-10',
      neededTo: '2027-01-31',
      area: '94',
      householdSize: 1,
      guestName: 'Jeanne Martin',
    });
    expect(named.statusCode).toBe(400);
    const tooBig = ok(
      await inject(manager, 'POST', '/api/solidarity/requests', {
        audience: 'health_workers',
        requesterKind: 'hospital',
        requesterName: 'Hôpital Bicêtre',
        neededFrom: '2026-12-10',
        neededTo: '2027-01-31',
        area: '94',
        householdSize: 4,
      }),
    ).id as string;
    const matches = ok(await inject(manager, 'GET', `/api/solidarity/requests/${request}/matches`)) as { offer: { id: string; place: { unitRef: string } } }[];
    expect(matches.map((m) => m.offer.place.unitRef)).toEqual(['PRET-1']);
    expect(ok(await inject(manager, 'GET', `/api/solidarity/requests/${tooBig}/matches`))).toEqual([]);
    const offerId = matches[0]?.offer.id as string;
    const unsuited = await inject(manager, 'POST', '/api/solidarity/lendings', { offerId, requestId: tooBig });
    expect(unsuited.statusCode).toBe(422);
    const lending = ok(await inject(manager, 'POST', '/api/solidarity/lendings', { offerId, requestId: request })).id as string;
    expect((await inject(manager, 'POST', '/api/solidarity/lendings', { offerId, requestId: request })).statusCode).toBe(409);
    const pdf = await inject(manager, 'GET', `/api/solidarity/lendings/${lending}/agreement`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await inject(manager, 'POST', `/api/solidarity/lendings/${lending}/keys`, { event: 'returned' })).statusCode).toBe(409);
    ok(await inject(manager, 'POST', `/api/solidarity/lendings/${lending}/keys`, { event: 'handed' }));
    expect((ok(await inject(manager, 'GET', '/api/solidarity/offers')) as { id: string; status: string }[]).find((o) => o.id === offerId)?.status).toBe(
      'occupied',
    );
    expect((ok(await inject(manager, 'GET', `/api/solidarity/lendings/${lending}`)) as { status: string }).status).toBe('occupied');
    ok(await inject(manager, 'POST', `/api/solidarity/lendings/${lending}/keys`, { event: 'returned' }));
    const ended = ok(await inject(manager, 'GET', `/api/solidarity/lendings/${lending}`));
    expect(ended.status).toBe('ended');
    expect(ended.keysReturnedAt).not.toBeNull();
    // Vacant again: the unit may be offered anew.
    expect((ok(await inject(manager, 'GET', '/api/solidarity/vacant-units')) as { erpRef: string }[]).map((u) => u.erpRef)).toContain('PRET-1');
    const audit = await h.owner.query(`select action from audit_events where organisation_id = $1 and object_id = $2 order by at, id`, [org.id, lending]);
    expect(audit.rows.map((r) => r.action)).toEqual(['lending.matched', 'lending.agreement_printed', 'lending.keys_handed', 'lending.keys_returned']);
  });

  it('a shelter’s address reaches only its keeper and the request’s referent, by every route and in the database', async () => {
    const pa = await newUser(h, org, 'partner');
    const pb = await newUser(h, org, 'partner');
    referent = { user: pa, cookie: await signIn(h, pa) };
    otherPartner = { user: pb, cookie: await signIn(h, pb) };
    const unit = await vacantUnit('ABRI-7');
    const offerId = ok(
      await inject(keeper.cookie, 'POST', '/api/solidarity/offers', {
        unitId: unit,
        audience: 'violence_shelter',
        furnished: true,
        availableFrom: '2026-12-01',
        availableTo: '2027-06-30',
        capacity: 3,
      }),
    ).id as string;
    // The partner's user files the request and is its referent, whatever they send.
    const requestId = ok(
      await inject(referent.cookie, 'POST', '/api/solidarity/requests', {
        audience: 'violence_shelter',
        requesterKind: 'association',
        requesterName: 'Solidarité Femmes 94',
        neededFrom: '2026-12-05',
        neededTo: '2027-02-28',
        area: '94400',
        householdSize: 2,
        referentId: managerUser.id,
      }),
    ).id as string;
    expect((ok(await inject(otherPartner.cookie, 'GET', '/api/solidarity/requests')) as { id: string }[]).map((q) => q.id)).not.toContain(requestId);
    expect((ok(await inject(referent.cookie, 'GET', '/api/solidarity/requests')) as { id: string }[]).map((q) => q.id)).toEqual([requestId]);
    expect((await inject(referent.cookie, 'GET', '/api/solidarity/offers')).statusCode).toBe(403);

    // Before the lending: the keeper alone.
    const offerOf = async (cookie: string) =>
      (ok(await inject(cookie, 'GET', '/api/solidarity/offers')) as { id: string; place: unknown }[]).find((o) => o.id === offerId);
    expect((await offerOf(keeper.cookie))?.place).toMatchObject({ unitRef: 'ABRI-7', residence: 'Les Tilleuls' });
    for (const cookie of [manager, admin, (callers[1] as { cookie: string }).cookie]) expect((await offerOf(cookie))?.place).toBeNull();
    // Matching shows the offer to the manager, without its address; only its keeper may lend it.
    const seen = ok(await inject(manager, 'GET', `/api/solidarity/requests/${requestId}/matches`)) as { offer: { id: string; place: unknown } }[];
    expect(seen.map((m) => [m.offer.id, m.offer.place])).toEqual([[offerId, null]]);
    const byManager = await inject(manager, 'POST', '/api/solidarity/lendings', { offerId, requestId });
    expect(byManager.statusCode).toBe(403);
    expect(byManager.json().detail).toContain('Seule la personne qui garde cette offre');
    const lending = ok(await inject(keeper.cookie, 'POST', '/api/solidarity/lendings', { offerId, requestId })).id as string;

    // After it: the keeper and the referent read the place and print the agreement; nobody else.
    const others = [
      ['manager', manager],
      ['org_admin', admin],
      ['staff', (callers[1] as { cookie: string }).cookie],
      ['social_worker', await signIn(h, await newUser(h, org, 'social_worker'))],
    ] as const;
    for (const cookie of [keeper.cookie, referent.cookie]) {
      const place = ok(await inject(cookie, 'GET', `/api/solidarity/lendings/${lending}`)).place;
      expect(place).toMatchObject({ unitRef: 'ABRI-7', address: '12 rue Jean Jaurès, 94400 Vitry-sur-Seine' });
      // The place's fields are the matrix's (authz-matrix.yaml, « solidarity.lentFlatAddress »).
      expect(Object.keys(place).sort()).toEqual([...solidarityMatrix.lentFlatAddress.fields].sort());
      expect((await inject(cookie, 'GET', `/api/solidarity/lendings/${lending}/agreement`)).statusCode).toBe(200);
    }
    // Every role the matrix hides it from is tried (a partner: the other partner below).
    expect(new Set([...others.map(([role]) => role), 'partner'])).toEqual(new Set(solidarityMatrix.lentFlatAddress.hiddenFrom));
    for (const [role, cookie] of others) {
      const row = ok(await inject(cookie, 'GET', `/api/solidarity/lendings/${lending}`));
      expect(row.place, role).toBeNull();
      expect((await inject(cookie, 'GET', `/api/solidarity/lendings/${lending}/agreement`)).statusCode, role).toBe(404);
      for (const url of ['/api/solidarity/offers', '/api/solidarity/offers?status=matched', `/api/solidarity/lendings/${lending}`]) {
        expect((await inject(cookie, 'GET', url)).body, `${role} ${url}`).not.toContain('ABRI-7');
      }
      expect((await inject(cookie, 'POST', `/api/solidarity/lendings/${lending}/keys`, { event: 'handed' })).statusCode, role).toBe(403);
    }
    // To the others the shelter's unit looks like any vacant unit of the registry: nothing links it to an offer.
    const asVacant = (ok(await inject(manager, 'GET', '/api/solidarity/vacant-units')) as { id: string }[]).find((u) => u.id === unit);
    expect(Object.keys(asVacant ?? {}).sort()).toEqual(['address', 'city', 'erpRef', 'floor', 'id', 'postalCode', 'residence', 'rooms']);
    expect((ok(await inject(keeper.cookie, 'GET', '/api/solidarity/vacant-units')) as { id: string }[]).map((u) => u.id)).not.toContain(unit);
    // Another partner does not even see the lending; the caretaker and the volunteer have no route.
    expect((await inject(otherPartner.cookie, 'GET', `/api/solidarity/lendings/${lending}`)).statusCode).toBe(404);
    expect((await inject(otherPartner.cookie, 'GET', `/api/solidarity/lendings/${lending}/agreement`)).statusCode).toBe(404);
    for (const cookie of [caretaker, volunteer.cookie]) expect((await inject(cookie, 'GET', `/api/solidarity/lendings/${lending}`)).statusCode).toBe(403);

    // The database itself: the unit row exists only for the two people's transactions.
    expect(await unitRowsSeenBy(keeper.user.id, offerId)).toBe(1);
    expect(await unitRowsSeenBy(referent.user.id, offerId)).toBe(1);
    for (const u of [managerUser.id, (callers[1] as { user: TestUser }).user.id, otherPartner.user.id, undefined])
      expect(await unitRowsSeenBy(u, offerId)).toBe(0);
    const changed = await h.database.withOrg({ organisationId: org.id, userId: managerUser.id }, async (trx) =>
      Number(
        (await trx.updateTable('lending_offer_units').set({ referent_id: managerUser.id }).where('offer_id', '=', offerId).executeTakeFirst()).numUpdatedRows,
      ),
    );
    expect(changed).toBe(0);
    // Nor can anyone write a shelter's unit row naming two others.
    const sneaky = h.database.withOrg({ organisationId: org.id, userId: managerUser.id }, (trx) =>
      trx
        .insertInto('lending_offer_units')
        .values({ offer_id: offerId, organisation_id: org.id, unit_id: unit, confidential: true, keeper_id: keeper.user.id })
        .execute(),
    );
    await expect(sneaky).rejects.toThrow(/row-level security/);
    // The trail names no unit of a shelter.
    const trail = await h.owner.query(`select details::text as d from audit_events where organisation_id = $1 and action like 'lending.%'`, [org.id]);
    expect(trail.rows.filter((r) => r.d.includes(unit))).toEqual([]);

    // Keys: the keeper hands them; returned, the shelter is vacant again, for its keeper only to see.
    expect((await inject(manager, 'POST', `/api/solidarity/offers/${offerId}/withdraw`)).statusCode).toBe(403);
    expect((await inject(keeper.cookie, 'POST', `/api/solidarity/offers/${offerId}/withdraw`)).statusCode).toBe(409);
    ok(await inject(keeper.cookie, 'POST', `/api/solidarity/lendings/${lending}/keys`, { event: 'handed' }));
    ok(await inject(keeper.cookie, 'POST', `/api/solidarity/lendings/${lending}/keys`, { event: 'returned' }));
    expect((ok(await inject(keeper.cookie, 'GET', '/api/solidarity/vacant-units')) as { erpRef: string }[]).map((u) => u.erpRef)).toContain('ABRI-7');
  });

  it('the agreement names the place, the dates and leaves the guest’s name to be written by hand', () => {
    const lines = agreementLines({
      audience: 'violence_shelter',
      requesterName: 'Solidarité Femmes 94',
      from: '2026-12-05',
      to: '2027-02-28',
      furnished: false,
      householdSize: 2,
      keeper: 'Anne Roux',
      referent: 'Léa Blanc',
      place: { residence: 'Les Tilleuls', address: '12 rue Jean Jaurès, 94400 Vitry-sur-Seine', unitRef: 'ABRI-7', floor: 0 },
    });
    expect(lines[0]).toBe('Convention d’occupation temporaire et gratuite');
    expect(lines).toContain(
      'Du 05/12/2026 au 28/02/2027 inclus. La présente convention ne constitue pas un bail et ne confère aucun droit au maintien dans les lieux.',
    );
    expect(lines.join('\n')).toContain(
      'le logement ABRI-7 de la résidence Les Tilleuls, 12 rue Jean Jaurès, 94400 Vitry-sur-Seine, rez-de-chaussée, non meublé, pour 2 personnes au plus',
    );
    expect(lines.join('\n')).toContain('Article 5 – Confidentialité');
    expect(lines.join('\n')).toContain('(à écrire à la remise des clés)');
  });
});
