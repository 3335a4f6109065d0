// Deliveries (issue 17): staff assign a meal, groceries or medicines to a volunteer or a caretaker;
// the deliverer's card shows only the holder's first name, the door and a phone (medicines: no
// detail, refused at the door of the API and by the table); a deliverer sees only their own; a
// volunteer only after the charter; done / not at home / refused, « not at home » twice opening a
// doorstep check the caretakers see; the volunteer's tally counts deliveries done.
import { describe, expect, it } from 'vitest';
import { admin, callers, h, ids, inject, manager, org, setUpCampaignWorld, volunteer } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';
import { solidarityMatrix } from '../../test/solidarity-matrix.ts';

setUpCampaignWorld();

const ok = (res: Awaited<ReturnType<typeof inject>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('deliveries', () => {
  it('from assignment to « livré », with the deliverer’s card and nothing more', async () => {
    const caretakerUser = await newUser(h, org, 'caretaker');
    const caretaker = await signIn(h, caretakerUser);
    const otherCaretaker = await signIn(h, await newUser(h, org, 'caretaker'));
    const staff = (callers[0] as { cookie: string }).cookie;
    const deliverers = ok(await inject(staff, 'GET', '/api/solidarity/deliverers')) as { id: string; role: string }[];
    expect(deliverers.map((d) => d.id)).toEqual(expect.arrayContaining([caretakerUser.id, volunteer.user.id]));
    expect(deliverers.every((d) => d.role === 'volunteer' || d.role === 'caretaker')).toBe(true);

    // Medicines carry no detail: refused by the API, and by the table whatever the code does.
    const detailed = await inject(staff, 'POST', '/api/solidarity/deliveries', {
      householdId: ids.H1,
      kind: 'medicines',
      detail: 'Insuline',
      dueOn: '2026-12-01',
      assigneeId: caretakerUser.id,
    });
    expect(detailed.statusCode).toBe(400);
    expect(detailed.body).toContain('aucun détail');
    await expect(
      h.owner.query(
        `insert into deliveries (organisation_id, household_id, agency_id, kind, detail, due_on, assignee_id) select organisation_id, id, agency_id, 'medicines', 'Insuline', current_date, $2 from households where id = $1`,
        [ids.H1, caretakerUser.id],
      ),
    ).rejects.toThrow(/check constraint/);
    // Only to a volunteer or a caretaker.
    const toStaff = await inject(staff, 'POST', '/api/solidarity/deliveries', {
      householdId: ids.H1,
      kind: 'meal',
      dueOn: '2026-12-01',
      assigneeId: (callers[1] as { user: { id: string } }).user.id,
    });
    expect(toStaff.statusCode).toBe(422);

    const meal = ok(
      await inject(staff, 'POST', '/api/solidarity/deliveries', {
        householdId: ids.H1,
        kind: 'meal',
        detail: '2 repas chauds',
        dueOn: '2026-12-01',
        assigneeId: caretakerUser.id,
      }),
    ).id;
    const medicines = ok(
      await inject(staff, 'POST', '/api/solidarity/deliveries', { householdId: ids.H4, kind: 'medicines', dueOn: '2026-12-01', assigneeId: volunteer.user.id }),
    ).id;
    const groceries = ok(
      await inject(manager, 'POST', '/api/solidarity/deliveries', {
        householdId: ids.H2,
        kind: 'groceries',
        dueOn: '2026-12-02',
        assigneeId: caretakerUser.id,
      }),
    ).id;

    // The caretaker's cards: the first name, the door, a phone. No surname, no age, no fragility.
    const cards = ok(await inject(caretaker, 'GET', '/api/solidarity/deliveries/mine')).cards as Record<string, unknown>[];
    expect(cards.map((c) => c.id)).toEqual([meal, groceries]);
    // The card's fields are the matrix's (authz-matrix.yaml, « solidarity.delivererCard »), no more.
    expect(Object.keys(cards[0] ?? {}).sort()).toEqual([...solidarityMatrix.delivererCard.fields].sort());
    expect(solidarityMatrix.delivererCard.roles).toEqual(['volunteer', 'caretaker']);
    expect(cards[0]).toMatchObject({
      firstName: 'Jeanne',
      address: '12 rue Jean Jaurès, 94400 Vitry-sur-Seine',
      unit: 'L1',
      phone: '+33612345601',
      detail: '2 repas chauds',
    });
    const body = JSON.stringify(cards);
    for (const hidden of ['Martin', 'Bernard', '1935', 'lives_alone', 'H1']) expect(body).not.toContain(hidden);
    // Another caretaker sees none of them and cannot record them.
    expect(ok(await inject(otherCaretaker, 'GET', '/api/solidarity/deliveries/mine'))).toEqual({ blocked: null, message: null, cards: [] });
    expect((await inject(otherCaretaker, 'POST', `/api/solidarity/deliveries/${meal}/outcome`, { outcome: 'done' })).statusCode).toBe(404);
    // Staff follow the deliveries; deliverers have no such list.
    const list = ok(await inject(staff, 'GET', '/api/solidarity/deliveries')) as { id: string; household: string }[];
    expect(list.find((d) => d.id === meal)?.household).toBe('Jeanne Martin (H1)');
    expect((await inject(caretaker, 'GET', '/api/solidarity/deliveries')).statusCode).toBe(403);
    // Roles not in the matrix's « delivererCard » get no card.
    for (const cookie of [staff, manager, admin]) expect((await inject(cookie, 'GET', '/api/solidarity/deliveries/mine')).statusCode).toBe(403);

    // The volunteer: the charter first; medicines shown without any detail.
    const noCharter = ok(await inject(volunteer.cookie, 'GET', '/api/solidarity/deliveries/mine'));
    expect(noCharter).toMatchObject({ blocked: 'charter', cards: [] });
    expect(noCharter.message).toContain('charte de confidentialité');
    const blockedOutcome = await inject(volunteer.cookie, 'POST', `/api/solidarity/deliveries/${medicines}/outcome`, { outcome: 'done' });
    expect(blockedOutcome.statusCode).toBe(403);
    expect(blockedOutcome.json().code).toBe('charter_required');
    const charter = ok(await inject(volunteer.cookie, 'GET', '/api/calls/charter'));
    ok(await inject(volunteer.cookie, 'POST', '/api/calls/charter', { version: charter.version }));
    const mine = ok(await inject(volunteer.cookie, 'GET', '/api/solidarity/deliveries/mine')).cards as {
      id: string;
      kind: string;
      detail: string | null;
      firstName: string;
    }[];
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: medicines, kind: 'medicines', detail: null, firstName: 'Louis' });
    ok(await inject(volunteer.cookie, 'POST', `/api/solidarity/deliveries/${medicines}/outcome`, { outcome: 'done' }));
    expect((await inject(volunteer.cookie, 'POST', `/api/solidarity/deliveries/${medicines}/outcome`, { outcome: 'refused' })).statusCode).toBe(409);
    expect(ok(await inject(volunteer.cookie, 'GET', '/api/volunteers/me')).deliveriesDone).toBe(1);

    // Not at home once: to try again; twice: a doorstep check for the caretakers.
    expect(ok(await inject(caretaker, 'POST', `/api/solidarity/deliveries/${groceries}/outcome`, { outcome: 'not_home' }))).toEqual({
      status: 'assigned',
      doorstep: false,
    });
    expect(ok(await inject(caretaker, 'POST', `/api/solidarity/deliveries/${groceries}/outcome`, { outcome: 'not_home' }))).toEqual({
      status: 'not_home',
      doorstep: true,
    });
    const visits = ok(await inject(manager, 'GET', '/api/doorstep')) as { householdId: string; campaign: string }[];
    expect(visits.find((v) => v.householdId === ids.H2)?.campaign).toBe('Livraison : absent deux fois');
    expect(ok(await inject(caretaker, 'POST', `/api/solidarity/deliveries/${meal}/outcome`, { outcome: 'done' })).status).toBe('done');
    const audit = await h.owner.query(`select action from audit_events where organisation_id = $1 and action like 'delivery.%' order by at, id`, [org.id]);
    expect(new Set(audit.rows.map((r) => r.action))).toEqual(new Set(['delivery.assigned', 'delivery.cards_read', 'delivery.listed', 'delivery.recorded']));
  });
});
