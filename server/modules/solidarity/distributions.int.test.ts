// Food distributions (issue 17): planned with a partner, households invited from the open cases of
// type « food » or from a segment, never past the capacity; who came; the partner's list with only
// the name to call out and how many people, read only by staff and by that partner's users.
import { describe, expect, it } from 'vitest';
import { admin, callers, h, ids, inject, manager, org, setUpCampaignWorld, volunteer } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { solidarityMatrix } from '../../test/solidarity-matrix.ts';
import { partnerListLines } from './partner-list.ts';

setUpCampaignWorld();

const ok = (res: Awaited<ReturnType<typeof inject>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('food distributions', () => {
  it('invites food cases then a segment up to the capacity; the partner’s list holds the name and the size only', async () => {
    const partnerId = ok(await inject(admin, 'POST', '/api/partners', { name: 'Secours populaire de Vitry', kind: 'association' })).id as string;
    const otherPartnerId = ok(await inject(admin, 'POST', '/api/partners', { name: 'Restos du cœur', kind: 'association' })).id as string;
    const member = await newUser(h, org, 'partner');
    const outsider = await newUser(h, org, 'partner');
    ok(await inject(admin, 'POST', '/api/partners/users', { userId: member.id, partnerId }));
    ok(await inject(admin, 'POST', '/api/partners/users', { userId: outsider.id, partnerId: otherPartnerId }));
    const partner = await signIn(h, member);
    const otherPartner = await signIn(h, outsider);
    // Two households with an open food case.
    for (const hh of [ids.H1, ids.H3]) ok(await inject(manager, 'POST', '/api/cases', { householdId: hh, type: 'food', origin: 'staff' }));

    const staff = (callers[0] as { cookie: string }).cookie;
    expect(
      (await inject(staff, 'POST', '/api/solidarity/distributions', { partnerId, kind: 'food_parcel', heldOn: '2026-12-05', place: 'x', capacity: 3 }))
        .statusCode,
    ).toBe(400);
    const id = ok(
      await inject(staff, 'POST', '/api/solidarity/distributions', {
        partnerId,
        kind: 'food_parcel',
        heldOn: '2026-12-05',
        place: 'Salle commune des Tilleuls',
        capacity: 3,
      }),
    ).id as string;
    expect(ok(await inject(staff, 'POST', `/api/solidarity/distributions/${id}/invitees`, { from: 'food_cases' }))).toEqual({ added: 2 });
    // The messaging module wrote to the two households just invited, in the invitation's transaction (invitations.int.test.ts for the channels).
    const figures = (ok(await inject(staff, 'GET', '/api/solidarity/distributions')) as { id: string; invitations: Record<string, number> | null }[]).find(
      (d) => d.id === id,
    )?.invitations;
    expect((figures?.sms ?? 0) + (figures?.letters ?? 0) + (figures?.excluded ?? 0)).toBe(2);
    // A segment fills the one place left, and no more.
    expect(ok(await inject(staff, 'POST', `/api/solidarity/distributions/${id}/invitees`, { from: 'segment', segment: { status: 'active' } }))).toEqual({
      added: 1,
    });
    const full = await inject(staff, 'POST', `/api/solidarity/distributions/${id}/invitees`, { from: 'segment', segment: { status: 'active' } });
    expect(full.statusCode).toBe(409);
    expect(full.json().detail).toContain('complète');

    // The partner's user at the door: the list of their partner's distribution, and who came.
    const list = ok(await inject(partner, 'GET', `/api/solidarity/distributions/${id}/list`));
    expect(list.partner).toBe('Secours populaire de Vitry');
    expect(list.lines).toHaveLength(3);
    // The list's fields are the matrix's (authz-matrix.yaml, « solidarity.partnerList »), no more.
    for (const line of list.lines) expect(Object.keys(line).sort()).toEqual([...solidarityMatrix.partnerList.fields].sort());
    // Each role of the matrix reads it (the staff roles and that partner's users); the others do not.
    for (const cookie of [admin, manager, staff]) expect(ok(await inject(cookie, 'GET', `/api/solidarity/distributions/${id}/list`)).lines).toHaveLength(3);
    expect(solidarityMatrix.partnerList.roles).toEqual(['org_admin', 'manager', 'staff', 'social_worker', 'partner']);
    // Staff of one agency read only their agency's households on it (H1 and H3 are of the first).
    const agencyStaff = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[1] as string] }));
    const theirs = ok(await inject(agencyStaff, 'GET', `/api/solidarity/distributions/${id}/list`)).lines as { householdId: string }[];
    expect(theirs.map((l) => l.householdId)).not.toContain(ids.H1);
    expect(theirs.map((l) => l.householdId)).not.toContain(ids.H3);
    expect(list.lines.find((l: { householdId: string }) => l.householdId === ids.H1)).toMatchObject({ name: 'Martin Jeanne', persons: 1 });
    const body = JSON.stringify(list);
    for (const hidden of ['Jean Jaurès', '+336', '1935', 'food_case', 'segment', 'alimentation']) expect(body).not.toContain(hidden);
    ok(await inject(partner, 'POST', `/api/solidarity/distributions/${id}/attendance`, { householdId: ids.H1, attended: true }));
    expect((await inject(partner, 'POST', `/api/solidarity/distributions/${id}/attendance`, { householdId: ids.H8, attended: true })).statusCode).toBe(404);
    expect((ok(await inject(partner, 'GET', '/api/solidarity/distributions')) as { id: string; attended: number }[]).find((d) => d.id === id)?.attended).toBe(
      1,
    );
    const pdf = await inject(partner, 'GET', `/api/solidarity/distributions/${id}/list.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // The paper list, read as printed: the names, nothing of what the partner may not see.
    const printed = pdfText(pdf.rawPayload);
    expect(printed).toContain('Martin Jeanne');
    for (const hidden of ['Jean Jaurès', '+336', '1935']) expect(printed).not.toContain(hidden);

    // Another partner's user, a volunteer, a caretaker: nothing.
    expect((await inject(otherPartner, 'GET', `/api/solidarity/distributions/${id}/list`)).statusCode).toBe(404);
    expect((await inject(otherPartner, 'POST', `/api/solidarity/distributions/${id}/attendance`, { householdId: ids.H1, attended: false })).statusCode).toBe(
      404,
    );
    expect((ok(await inject(otherPartner, 'GET', '/api/solidarity/distributions')) as { id: string }[]).map((d) => d.id)).not.toContain(id);
    expect((await inject(volunteer.cookie, 'GET', `/api/solidarity/distributions/${id}/list`)).statusCode).toBe(403);
    const caretaker = await signIn(h, await newUser(h, org, 'caretaker'));
    expect((await inject(caretaker, 'GET', `/api/solidarity/distributions/${id}/list`)).statusCode).toBe(403);
    expect((await inject(partner, 'POST', `/api/solidarity/distributions/${id}/invitees`, { from: 'food_cases' })).statusCode).toBe(403);

    // The printed list's text.
    expect(partnerListLines(list)).toEqual([
      'Colis alimentaires — Secours populaire de Vitry',
      'Le 05/12/2026, Salle commune des Tilleuls — 3 ménages invités',
      ...list.lines.map((l: { name: string; persons: number }) => `☐ ${l.name} — ${l.persons} personne${l.persons > 1 ? 's' : ''}`),
    ]);
  });
});
