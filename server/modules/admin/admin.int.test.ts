import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';

let h: Harness;
let org: TestOrg;
let admin: TestUser;
let cookie: string;

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  admin = await newUser(h, org, 'org_admin');
  cookie = await signIn(h, admin);
});
afterAll(() => h.close());

const search = (payload: object) => h.app.inject({ method: 'POST', url: '/api/audit/search', headers: { cookie }, payload });

describe('audit trail for the org admin', () => {
  it('lists who did what, filters by action and object, and audits its own reading', async () => {
    const staff = await newUser(h, org, 'staff');
    await h.app.inject({ method: 'PATCH', url: `/api/users/${staff.id}`, headers: { cookie }, payload: { role: 'manager' } });
    const all = await search({});
    expect(all.statusCode).toBe(200);
    const updated = (await search({ action: 'user.updated', objectId: staff.id })).json();
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ action: 'user.updated', actorId: admin.id, actorName: 'Test org_admin', objectId: staff.id, ip: expect.any(String) });
    const reads = (await search({ action: 'audit.read', actorId: admin.id })).json();
    expect(reads.length).toBeGreaterThanOrEqual(2);
  });

  it('filters by date range and pages with `before`', async () => {
    const future = (await search({ from: new Date(Date.now() + 86_400_000).toISOString() })).json();
    expect(future).toEqual([]);
    const page1 = (await search({ limit: 2 })).json();
    expect(page1).toHaveLength(2);
    const page2 = (await search({ limit: 2, before: page1[1].id })).json();
    expect(page2[0].id < page1[1].id).toBe(true);
  });

  it('caps the page size at 200', async () => {
    const res = await search({ limit: 100000 });
    expect(res.statusCode).toBe(400);
  });

  it("never shows another organisation's events", async () => {
    const other = await newOrganisation(h);
    const otherAdmin = await newUser(h, other, 'org_admin');
    await signIn(h, otherAdmin);
    const events = (await search({ actorId: otherAdmin.id })).json();
    expect(events).toEqual([]);
  });
});

describe('outbox page for the org admin', () => {
  it('shows the messages of the organisation, personal links masked (issue 9)', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie },
      payload: { email: `invite-${Date.now()}@test.lien.fr`, firstName: 'Léa', lastName: 'Nguyen', role: 'caretaker' },
    });
    const res = await h.app.inject({ method: 'POST', url: '/api/outbox/search', headers: { cookie }, payload: {} });
    expect(res.statusCode).toBe(200);
    const messages = res.json();
    expect(messages[0]).toMatchObject({ channel: 'email', purpose: 'invitation', subject: 'Votre invitation à Lien' });
    expect(messages[0].body).toContain('[lien personnel masqué]');
    expect(res.body).not.toMatch(/#[A-Za-z0-9_-]{43}/);
    expect(Object.keys(messages[0])).not.toContain('sealedBody');
  });
});
