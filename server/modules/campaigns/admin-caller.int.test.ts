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
});
