import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { isolationWatchScript } from '../campaigns/index.ts';
import { importFile } from '../registry/index.ts';

let h: Harness;
let org: TestOrg;
let other: TestOrg;
const cookies: Record<string, string> = {};
const users: Record<string, TestUser> = {};
let campaignId: string;
const ids: Record<string, string> = {};

/** Monday 30 November 2026, 10:00 in Paris. */
const now = new Date('2026-11-30T09:00:00Z');
const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
// H3 (agency A1) and H5 (agency A2) have no phone: they go to the doorstep list at launch.
const rows = [
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;H1;P1;Martin;Jeanne;03/04/1935;06 12 34 56 01',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L2;H2;P2;Bernard;Paul;12/11/1950;06 12 34 56 02',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L3;H3;P3;Petit;Sarah;12/11/1940;',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L4;H4;P4;Durand;Louis;01/01/1945;06 12 34 56 04',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L5;H5;P5;Leroy;Anne;01/01/1940;',
];
const home = (cookie: string) => h.app.inject({ method: 'GET', url: '/api/home', headers: { cookie } });
const followup = (householdId: string, agencyId: string, urgent: boolean, createdAt: Date, assignedTo: string | null = null) =>
  h.owner.query(
    `insert into followups (organisation_id, household_id, agency_id, need, label, urgent, created_at, assigned_to)
     values ($1, $2, $3, 'isolation', 'Isolement', $4, $5, $6)`,
    [org.id, householdId, agencyId, urgent, createdAt, assignedTo],
  );

beforeAll(async () => {
  h = await startHarness();
  h.deps.clock = () => now;
  org = await newOrganisation(h);
  other = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...rows].join('\n'))]), { fileName: 'x.csv' });
  for (const r of (await h.owner.query('select erp_ref, id from households where organisation_id = $1', [org.id])).rows) ids[r.erp_ref] = r.id;
  const [a1, a2] = org.agencyIds as [string, string];
  const make = async (key: string, org_: TestOrg, role: TestUser['role'], options: Parameters<typeof newUser>[3] = {}) => {
    users[key] = await newUser(h, org_, role, options);
    cookies[key] = await signIn(h, users[key]);
  };
  await make('admin', org, 'org_admin');
  await make('manager', org, 'manager');
  await make('managerA2', org, 'manager', { agencyIds: [a2] });
  await make('staffA1', org, 'staff', { agencyIds: [a1] });
  await make('staffA2', org, 'staff', { agencyIds: [a2] });
  await make('social', org, 'social_worker', { agencyIds: [a1] });
  await make('caretakerA1', org, 'caretaker', { agencyIds: [a1] });
  await make('caretakerA2', org, 'caretaker', { agencyIds: [a2] });
  await make('volunteer', org, 'volunteer', { endDate: '2027-06-30' });
  await make('partner', org, 'partner');
  await make('analyst', org, 'federation_analyst');
  await make('otherManager', other, 'manager');
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/campaigns',
    headers: { cookie: cookies.manager as string },
    payload: {
      name: 'Veille grand froid',
      segment: { status: 'active' },
      script: isolationWatchScript,
      callWindows: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' },
      callerIds: [users.volunteer?.id, users.staffA1?.id],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  campaignId = created.json().id;
  expect((await h.app.inject({ method: 'POST', url: `/api/campaigns/${campaignId}/launch`, headers: { cookie: cookies.manager as string } })).statusCode).toBe(
    200,
  );
  // H1 reached; H2's callback, promised by the volunteer, came due an hour ago; H4's is due tomorrow.
  await h.owner.query(`update campaign_targets set final_outcome = 'reached', status = 'done' where household_id = $1`, [ids.H1]);
  await h.owner.query(`update campaign_targets set status = 'waiting', callback_user_id = $2, next_attempt_at = $3 where household_id = $1`, [
    ids.H2,
    users.volunteer?.id,
    new Date(now.getTime() - 3_600_000),
  ]);
  await h.owner.query(`update campaign_targets set status = 'waiting', callback_user_id = $2, next_attempt_at = $3 where household_id = $1`, [
    ids.H4,
    users.volunteer?.id,
    new Date(now.getTime() + 86_400_000),
  ]);
  // Follow-ups: in A1 one urgent today and one ordinary opened 10 days ago (overdue), assigned to
  // the A1 staff member; in A2 one ordinary today; one closed (never counted).
  await followup(ids.H1 as string, a1, true, now);
  await followup(ids.H2 as string, a1, false, new Date(now.getTime() - 10 * 86_400_000), users.staffA1?.id);
  await followup(ids.H4 as string, a2, false, now);
  await h.owner.query(
    `insert into followups (organisation_id, household_id, agency_id, need, label, urgent, created_at, status) values ($1, $2, $3, 'isolation', 'Isolement', true, $4, 'closed')`,
    [org.id, ids.H4, a2, now],
  );
  // Cases: each follow-up above opened its household's case (the closed one a closed case). H2's,
  // assigned to the A1 staff member, stays open with a task due yesterday (overdue); H1's waits
  // for a partner, H4's (A2) for the tenant.
  const caseOf = async (householdId: string) =>
    (await h.owner.query(`select id from cases where household_id = $1 and status <> 'closed'`, [householdId])).rows[0].id as string;
  const task = async (householdId: string, dueOn: string) =>
    h.owner.query(`insert into case_tasks (organisation_id, case_id, title, due_on) values ($1, $2, 'Rappeler le CCAS', $3)`, [
      org.id,
      await caseOf(householdId),
      dueOn,
    ]);
  await task(ids.H2 as string, '2026-11-29');
  await task(ids.H1 as string, '2026-12-02');
  await h.owner.query(`update cases set status = 'waiting_partner' where id = $1`, [await caseOf(ids.H1 as string)]);
  await h.owner.query(`update cases set status = 'waiting_tenant' where id = $1`, [await caseOf(ids.H4 as string)]);
});
afterAll(() => h.close());

describe('GET /api/home: what each role has to do now', () => {
  it('a manager sees the running campaign with its progress, every follow-up, what is overdue and the doorstep visits', async () => {
    const res = await home(cookies.manager as string);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      calling: { campaigns: [], callbacksDue: 0 },
      campaigns: [{ id: campaignId, name: 'Veille grand froid', status: 'active', targeted: 5, reached: 1 }],
      overdueCallbacks: 1,
      followups: { open: 3, urgent: 1, mine: 0, overdue: 1, overdueDays: 7 },
      cases: { open: 1, waitingPartner: 1, waitingTenant: 1, mine: 0, overdue: 1 },
      doorstep: { pending: 2 },
      notesToReview: null,
    });
  });

  it('a manager of one agency sees only that agency: not a campaign over the whole organisation, not the other agency’s follow-ups', async () => {
    const body = (await home(cookies.managerA2 as string)).json();
    expect(body.campaigns).toEqual([]);
    expect(body.overdueCallbacks).toBe(0);
    expect(body.followups).toEqual({ open: 1, urgent: 0, mine: 0, overdue: 0, overdueDays: 7 });
    expect(body.cases).toEqual({ open: 0, waitingPartner: 0, waitingTenant: 1, mine: 0, overdue: 0 });
    expect(body.doorstep).toEqual({ pending: 1 });
  });

  it('the org admin sees the whole organisation and the notes to review', async () => {
    const body = (await home(cookies.admin as string)).json();
    expect(body.campaigns).toHaveLength(1);
    expect(body.followups.open).toBe(3);
    expect(body.notesToReview).toBe(0);
  });

  it('a volunteer sees the campaign of their pool and the callback they promised that is due, nothing else', async () => {
    const res = await home(cookies.volunteer as string);
    expect(res.json()).toEqual({
      calling: { campaigns: [{ id: campaignId, name: 'Veille grand froid' }], callbacksDue: 1 },
      campaigns: null,
      overdueCallbacks: null,
      followups: null,
      cases: null,
      doorstep: null,
      notesToReview: null,
    });
  });

  it('a partner outside any caller pool has no campaign to call', async () => {
    expect((await home(cookies.partner as string)).json().calling).toEqual({ campaigns: [], callbacksDue: 0 });
  });

  it('staff and social workers see the follow-ups and cases of their agency (those assigned to them too) and their caller pool', async () => {
    const staff = (await home(cookies.staffA1 as string)).json();
    expect(staff.followups).toEqual({ open: 2, urgent: 1, mine: 1, overdue: 1, overdueDays: 7 });
    expect(staff.cases).toEqual({ open: 1, waitingPartner: 1, waitingTenant: 0, mine: 1, overdue: 1 });
    expect(staff.calling.campaigns).toEqual([{ id: campaignId, name: 'Veille grand froid' }]);
    expect(staff.campaigns).toBeNull();
    expect(staff.doorstep).toBeNull();
    expect((await home(cookies.staffA2 as string)).json().followups).toEqual({ open: 1, urgent: 0, mine: 0, overdue: 0, overdueDays: 7 });
    expect((await home(cookies.social as string)).json().followups).toMatchObject({ open: 2, mine: 0 });
    expect((await home(cookies.social as string)).json().cases).toMatchObject({ open: 1, mine: 0, overdue: 1 });
  });

  it('a caretaker sees only the doorstep visits of their agency', async () => {
    for (const [key, pending] of [
      ['caretakerA1', 1],
      ['caretakerA2', 1],
    ] as const) {
      expect((await home(cookies[key] as string)).json()).toEqual({
        calling: null,
        campaigns: null,
        overdueCallbacks: null,
        followups: null,
        cases: null,
        doorstep: { pending },
        notesToReview: null,
      });
    }
    // A visit done leaves the count.
    await h.owner.query(`update doorstep_visits set status = 'done', result = 'met' where household_id = $1`, [ids.H3]);
    expect((await home(cookies.caretakerA1 as string)).json().doorstep).toEqual({ pending: 0 });
    await h.owner.query(`update doorstep_visits set status = 'pending', result = null where household_id = $1`, [ids.H3]);
  });

  it('another organisation sees none of it; the analyst has no home figures; signed out is refused', async () => {
    const body = (await home(cookies.otherManager as string)).json();
    expect(body).toMatchObject({ campaigns: [], overdueCallbacks: 0, followups: { open: 0 }, cases: { open: 0, overdue: 0 }, doorstep: { pending: 0 } });
    expect((await home(cookies.analyst as string)).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/home' })).statusCode).toBe(401);
  });
});
