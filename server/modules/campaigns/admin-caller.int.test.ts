import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness } from '../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('an administrator who wants to call', () => {
  it('may be put among the callers of a campaign, as the « Appels » page tells them', async () => {
    const org = await newOrganisation(h);
    const admin = await newUser(h, org, 'org_admin');
    const cookie = await signIn(h, admin);
    const res = await h.app.inject({ method: 'GET', url: '/api/campaigns/caller-candidates', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { id: string; role: string }[]).find((c) => c.id === admin.id)?.role).toBe('org_admin');
  });

  it('the candidates say who must accept the charter first: volunteers and partners (calls.restricted), not the staff', async () => {
    const org = await newOrganisation(h);
    const admin = await newUser(h, org, 'org_admin');
    const volunteer = await newUser(h, org, 'volunteer');
    const partner = await newUser(h, org, 'partner');
    const staff = await newUser(h, org, 'staff');
    const res = await h.app.inject({ method: 'GET', url: '/api/campaigns/caller-candidates', headers: { cookie: await signIn(h, admin) } });
    const required = new Map((res.json() as { id: string; charterRequired: boolean }[]).map((c) => [c.id, c.charterRequired]));
    expect([admin, volunteer, partner, staff].map((u) => required.get(u.id))).toEqual([false, true, true, false]);
  });
});
