import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness } from '../../test/harness.ts';

let h: Harness;
let cookie: string;

beforeAll(async () => {
  h = await startHarness();
  const org = await newOrganisation(h);
  cookie = await signIn(h, await newUser(h, org, 'org_admin'));
});
afterAll(() => h.close());

describe('names sorted as French readers expect', () => {
  it('lists users with accented names among the plain letters, not after Z', async () => {
    for (const [firstName, lastName] of [
      ['Zoé', 'Zola'],
      ['Émilie', 'Émery'],
      ['Paul', 'Dupont'],
      ['Anne', 'Eiffel'],
      ['Lucie', 'eboué'],
    ]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie },
        payload: {
          email: `${firstName}.${lastName}@test.lien.fr`.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
          firstName,
          lastName,
          role: 'staff',
          agencyIds: [],
        },
      });
      expect(res.statusCode).toBe(201);
    }
    const res = await h.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    const names = (res.json() as { lastName: string }[]).map((u) => u.lastName).filter((n) => n !== 'org_admin');
    expect(names).toEqual(['Dupont', 'eboué', 'Eiffel', 'Émery', 'Zola']);
  });
});
