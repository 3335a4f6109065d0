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
    // Only the organisation created as « demo » by the seed is marked as the demo one, not these.
    const marked = await h.owner.query('select is_demo from organisations where id = any($1::uuid[])', [[result.organisationId, twin.organisationId]]);
    expect(marked.rows).toEqual([{ is_demo: false }, { is_demo: false }]);
  });

  it('the demo landlord comes with its accounts and a running call campaign the demo callers can use', async () => {
    const result = await seedDemo(h.deps, { ownerUrl: inject('ownerUrl'), households: 60, seed: 3, slug: 'demo' });
    const q = (text: string) => h.owner.query(text, [result.organisationId]).then((r) => r.rows);
    // The demo organisation is marked as such, and its eight accounts come with a second factor.
    expect(await q('select is_demo from organisations where id = $1')).toEqual([{ is_demo: true }]);
    expect(await q('select count(*)::int as n from users where organisation_id = $1 and totp_enabled and totp_secret is not null')).toEqual([{ n: 8 }]);
    // Agency Nord's appointment calendar (issue 16): Tuesday and Thursday mornings, a few bookings.
    const slots = await q(`select count(*)::int as n, min(capacity) as seats from appointment_slots where organisation_id = $1`);
    expect(slots[0].n).toBeGreaterThanOrEqual(30);
    expect(slots[0].seats).toBe(3);
    expect(await q(`select count(*)::int as n from appointment_bookings where organisation_id = $1 and status = 'booked'`)).toEqual([{ n: 6 }]);
    // The ninth, the federation analyst, belongs to the demo's federation, which counts the landlord
    // among its members; the landlord shares every indicator and the first aggregates are computed (issue 18).
    const federation = await q(`select o.kind, o.is_demo, u.role, m.member_id = $1 as member, a.indicators
      from users u join organisations o on o.id = u.organisation_id
      join federation_members m on m.organisation_id = o.id
      join federation_agreements a on a.organisation_id = m.member_id and a.federation_id = o.id
      where u.email = 'analyste@demo.lien.fr'`);
    expect(federation).toEqual([
      {
        kind: 'federation',
        is_demo: true,
        role: 'federation_analyst',
        member: true,
        indicators: expect.arrayContaining(['cases_opened', 'households_reached']),
      },
    ]);
    expect((await q(`select count(*)::int as n from federation_aggregates where organisation_id = $1 and dimension = 'total'`))[0].n).toBeGreaterThan(0);
    // Its administrator, who manages the members, is enrolled too.
    const admins = await h.owner.query(
      `select u.role, u.totp_enabled, o.kind from users u join organisations o on o.id = u.organisation_id where u.email = 'federation@demo.lien.fr'`,
    );
    expect(admins.rows).toEqual([{ role: 'org_admin', totp_enabled: true, kind: 'federation' }]);
    // The demo caretaker keeps two residences of their agency (Agence Sud), and no other.
    const kept = await q(`select r.erp_code, a.code as agency from residences r join agencies a on a.id = r.agency_id
      join users u on u.id = r.caretaker_id where r.organisation_id = $1 and u.email = 'gardien@demo.lien.fr' order by 1`);
    expect(kept.length).toBe(2);
    expect(kept.every((r) => r.agency === 'SUD')).toBe(true);
    const [campaign] = await q(`select id, status, (select count(*)::int from campaign_targets t where t.campaign_id = c.id) as targets,
      (select array_agg(u.email order by u.email) from campaign_callers cc join users u on u.id = cc.user_id where cc.campaign_id = c.id) as callers
      from campaigns c where organisation_id = $1`);
    expect(campaign.status).toBe('active');
    expect(campaign.targets).toBeGreaterThan(5);
    expect(campaign.callers).toContain('benevole@demo.lien.fr');
    // No « ne pas appeler » household and only households aged 70+ or living alone.
    const outside = await q(`select count(*)::int as n from campaign_targets t join households h on h.id = t.household_id
      where t.organisation_id = $1 and not (h.oldest_birth_date <= current_date - interval '70 years'
        or exists (select 1 from vulnerability_indicators v where v.household_id = h.id and v.kind = 'lives_alone'))`);
    expect(outside[0].n).toBe(0);
    // A few cases in Agence Nord (issue 14): one with an overdue task, one with a restricted health note, one closed.
    // (The arrears demo opens rent cases of origin « staff », or joins the rent case below when it
    // picks the same household, and the demo's outreach event opens its own: the cases are the others.)
    const cases = await q(`select c.type, c.status, a.code as agency,
      exists (select 1 from case_tasks t where t.case_id = c.id and t.done_at is null and t.due_on < current_date) as overdue,
      exists (select 1 from case_notes n where n.case_id = c.id and n.kind = 'health') as health_note
      from cases c join agencies a on a.id = c.agency_id where c.organisation_id = $1
        and c.origin <> 'staff'
        and not (c.type = 'technical' and c.origin = 'outreach'
          and exists (select 1 from outreach_contacts oc where oc.household_id = c.household_id and oc.cases_opened > 0))
      order by c.type`);
    expect(cases.map((c) => c.type)).toEqual(['food', 'health', 'isolation', 'rent', 'technical']);
    expect(cases.every((c) => c.agency === 'NORD')).toBe(true);
    expect(cases.filter((c) => c.overdue).map((c) => c.type)).toEqual(['isolation']);
    expect(cases.filter((c) => c.health_note).map((c) => c.type)).toEqual(['health']);
    expect(cases.filter((c) => c.status === 'closed').map((c) => c.type)).toEqual(['food']);
    // Arrears (issue 14): eight households whose debt grew in 2020, two plans in rent cases, one crisis pause.
    expect(
      await q(
        `select count(distinct household_id)::int as n from household_balances where organisation_id = $1 and balance_on in ('2020-03-01', '2020-06-01')`,
      ),
    ).toEqual([{ n: 8 }]);
    expect(await q(`select p.kind, c.type from payment_plans p join cases c on c.id = p.case_id where p.organisation_id = $1 order by p.kind`)).toEqual([
      { kind: 'clearance', type: 'rent' },
      { kind: 'instalments', type: 'rent' },
    ]);
    expect(await q(`select count(*)::int as n from arrears_pauses where organisation_id = $1`)).toEqual([{ n: 1 }]);
    // Solidarity (issue 17): every page shows something.
    const count = async (table: string, where = 'true') => (await q(`select count(*)::int as n from ${table} where organisation_id = $1 and ${where}`))[0].n;
    expect(await count('lending_offers', `status = 'open'`)).toBe(2);
    expect(await count('lending_requests')).toBe(1);
    // Volunteers: Paul active (training passed), Léa in training, a sign-up to vet.
    const volunteers = await q(`select a.first_name, a.status, p.training_version is not null as trained from volunteer_applications a
      left join volunteer_profiles p on p.user_id = a.user_id where a.organisation_id = $1 order by a.first_name`);
    expect(volunteers).toEqual([
      { first_name: 'Léa', status: 'accepted', trained: false },
      { first_name: 'Paul', status: 'accepted', trained: true },
      { first_name: 'Yasmine', status: 'pending', trained: false },
    ]);
    expect(await count('deliveries')).toBe(3);
    expect(await count('deliveries', `status = 'done'`)).toBe(1);
    const [distribution] = await q(`select (select count(*)::int from distribution_invitees i where i.distribution_id = d.id) as invited,
      s.audience, s.recipients from distributions d join message_sends s on s.id = d.invitation_send_id where d.organisation_id = $1`);
    expect(distribution.audience).toBe('distribution');
    expect(distribution.invited).toBeGreaterThan(0);
    expect(distribution.recipients).toBeGreaterThan(0);
    expect(await count('outreach_events', 'invitation_send_id is not null')).toBe(1);
    expect(await count('outreach_contacts')).toBe(3);
    const [help] = await q(`select c.status, count(r.*) filter (where r.answer = 'yes')::int as yes, count(r.*) filter (where r.answer = 'no')::int as no
      from help_calls c join help_call_recipients r on r.call_id = c.id where c.organisation_id = $1 group by c.status`);
    expect(help).toEqual({ status: 'sent', yes: 2, no: 1 });
  });
});
