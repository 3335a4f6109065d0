// Outreach events at the foot of buildings (issue 17): planned with the residence, partners and
// staff there; contacts recorded quickly, with or without the household; each topic with a
// household opens or joins a case of its type (origin « outreach »), a health one only with the
// tenant's agreement; the summary counts contacts, topics and cases.
import { describe, expect, it } from 'vitest';
import { admin, callers, h, ids, inject, manager, managerUser, org, setUpCampaignWorld, volunteer } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';

setUpCampaignWorld();

const ok = (res: Awaited<ReturnType<typeof inject>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('outreach events', () => {
  it('from planning to cases opened, and the summary', async () => {
    const partnerId = ok(await inject(admin, 'POST', '/api/partners', { name: 'Croix-Rouge de Vitry', kind: 'association' })).id as string;
    const [residence] = (await h.owner.query(`select id from residences where organisation_id = $1 and erp_code = 'G1'`, [org.id])).rows;
    const staff = callers[0] as { cookie: string; user: { id: string } };
    expect(
      (await inject(staff.cookie, 'POST', '/api/solidarity/outreach', { residenceId: residence.id, heldOn: '2026-12-04', staffIds: [volunteer.user.id] }))
        .statusCode,
    ).toBe(422);
    const id = ok(
      await inject(staff.cookie, 'POST', '/api/solidarity/outreach', {
        residenceId: residence.id,
        heldOn: '2026-12-04',
        partnerIds: [partnerId],
        staffIds: [staff.user.id, managerUser.id],
      }),
    ).id as string;

    // Without the household: counted, no case.
    expect(ok(await inject(staff.cookie, 'POST', `/api/solidarity/outreach/${id}/contacts`, { topics: ['isolation', 'technical'] })).caseIds).toEqual([]);
    // With the household: one case per topic, routed to its agency, origin « outreach ».
    const withHousehold = ok(
      await inject(staff.cookie, 'POST', `/api/solidarity/outreach/${id}/contacts`, { householdId: ids.H2, topics: ['arrears', 'technical'] }),
    );
    expect(withHousehold.caseIds).toHaveLength(2);
    const cases = await h.owner.query(`select type, origin, agency_id from cases where household_id = $1 order by type`, [ids.H2]);
    expect(cases.rows.map((c) => [c.type, c.origin])).toEqual([
      ['rent', 'outreach'],
      ['technical', 'outreach'],
    ]);
    expect(cases.rows[0].agency_id).toBe(org.agencyIds[0]);
    // A topic already open joins its case.
    expect(ok(await inject(staff.cookie, 'POST', `/api/solidarity/outreach/${id}/contacts`, { householdId: ids.H2, topics: ['technical'] })).caseIds).toEqual([
      withHousehold.caseIds[1],
    ]);
    // Health with a household: only with the tenant's agreement.
    const health = await inject(staff.cookie, 'POST', `/api/solidarity/outreach/${id}/contacts`, { householdId: ids.H3, topics: ['health'] });
    expect(health.statusCode).toBe(422);
    expect(health.json().detail).toContain('accord');
    expect(
      ok(await inject(staff.cookie, 'POST', `/api/solidarity/outreach/${id}/contacts`, { householdId: ids.H3, topics: ['health'], healthAgreed: true }))
        .caseIds,
    ).toHaveLength(1);

    const summary = ok(await inject(manager, 'GET', `/api/solidarity/outreach/${id}`));
    expect(summary).toMatchObject({
      residence: 'Les Tilleuls',
      heldOn: '2026-12-04',
      partners: ['Croix-Rouge de Vitry'],
      contacts: 4,
      withHousehold: 3,
      topics: { arrears: 1, technical: 3, health: 1, isolation: 1, other: 0 },
      casesOpened: 4,
    });
    expect(summary.staff).toHaveLength(2);
    expect((ok(await inject(manager, 'GET', '/api/solidarity/outreach')) as { id: string; contacts: number }[]).find((e) => e.id === id)?.contacts).toBe(4);
    // A household outside the staff member's agencies: not found, no case.
    const agencyStaff = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[1] as string] }));
    expect((await inject(agencyStaff, 'POST', `/api/solidarity/outreach/${id}/contacts`, { householdId: ids.H1, topics: ['other'] })).statusCode).toBe(404);
    // Volunteers and partners have no outreach route.
    expect((await inject(volunteer.cookie, 'GET', `/api/solidarity/outreach/${id}`)).statusCode).toBe(403);
  });
});
