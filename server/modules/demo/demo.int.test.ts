import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Harness, startHarness } from '../../test/harness.ts';
import { seedDemo } from './demo.service.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('demo seed', () => {
  it('fills an organisation with N households in residences of two agencies, reproducibly', async () => {
    const slug = `demo-${Date.now()}`;
    const progress: number[] = [];
    const result = await seedDemo(h.deps, { ownerUrl: inject('ownerUrl'), households: 120, seed: 42, slug, onProgress: (done) => progress.push(done) });
    expect(result.households).toBe(120);
    expect(progress.at(-1)).toBe(120);
    const q = (text: string) => h.owner.query(text, [result.organisationId]).then((r) => r.rows);
    expect((await q('select count(*)::int as n from agencies where organisation_id = $1'))[0].n).toBe(2);
    expect((await q('select count(*)::int as n from residences where organisation_id = $1'))[0].n).toBe(6);
    const persons = (await q('select count(*)::int as n from persons where organisation_id = $1'))[0].n;
    expect(persons).toBeGreaterThanOrEqual(120);
    expect((await q(`select count(*)::int as n from vulnerability_indicators where organisation_id = $1 and kind = 'lives_alone'`))[0].n).toBeGreaterThan(10);
    // Re-running with the same seed adds nothing.
    const again = await seedDemo(h.deps, { ownerUrl: inject('ownerUrl'), households: 120, seed: 42, slug });
    expect(again.households).toBe(120);
    expect((await q('select count(*)::int as n from persons where organisation_id = $1'))[0].n).toBe(persons);
    // Another organisation seeded with the same seed gets the same people.
    const twin = await seedDemo(h.deps, { ownerUrl: inject('ownerUrl'), households: 120, seed: 42, slug: `${slug}-b` });
    const names = (id: string) =>
      h.owner.query('select first_name, last_name, birth_date from persons where organisation_id = $1 order by 2, 1, 3', [id]).then((r) => r.rows);
    expect(await names(twin.organisationId)).toEqual(await names(result.organisationId));
  });
});
