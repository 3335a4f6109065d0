import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { isolationWatchScript } from '../campaigns/index.ts';
import { importFile } from '../registry/index.ts';

let h: Harness;
let org: TestOrg;
let manager: string;
let managerUser: TestUser;
let _admin: string;
const callers: { user: TestUser; cookie: string }[] = [];
let _volunteer: { user: TestUser; cookie: string };
const ids: Record<string, string> = {};

/** The controllable clock: Monday 30 November 2026, 10:00 in Paris. */
let now = new Date('2026-11-30T09:00:00Z');
const at = (iso: string) => {
  now = new Date(iso);
};

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
// H1 oldest and living alone (most fragile), H5 « ne pas appeler ».
const rows = [
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;H1;P1;Martin;Jeanne;03/04/1935;06 12 34 56 01',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L2;H2;P2;Bernard;Paul;12/11/1950;06 12 34 56 02',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L3;H3;P3;Petit;Sarah;12/11/1990;06 12 34 56 03',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L4;H4;P4;Durand;Louis;01/01/1945;06 12 34 56 04',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L5;H5;P5;Leroy;Anne;01/01/1980;06 12 34 56 05',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L6;H6;P6;Moreau;Luc;01/06/1955;06 12 34 56 06',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L7;H7;P7;Simon;Emma;01/01/1985;06 12 34 56 07',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L8;H8;P8;Laurent;Rose;01/01/1940;06 12 34 56 08',
];

const allDay = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
const inject = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function newCampaign(overrides: Record<string, unknown> = {}, callerIds = callers.map((c) => c.user.id)) {
  const res = await inject(manager, 'POST', '/api/campaigns', {
    name: 'Veille test',
    segment: { status: 'active' },
    script: isolationWatchScript,
    callWindows: allDay,
    callerIds,
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const launched = await inject(manager, 'POST', `/api/campaigns/${id}/launch`);
  expect(launched.statusCode, launched.body).toBe(200);
  return id;
}
const next = (cookie: string, campaignId: string) => inject(cookie, 'POST', '/api/calls/next', { campaignId });
const outcome = (cookie: string, targetId: string, body: Record<string, unknown>) => inject(cookie, 'POST', `/api/calls/${targetId}/outcome`, body);
const _refOfTarget = async (targetId: string) =>
  (await h.owner.query('select h.erp_ref from campaign_targets t join households h on h.id = t.household_id where t.id = $1', [targetId])).rows[0]
    ?.erp_ref as string;

beforeAll(async () => {
  h = await startHarness();
  h.deps.clock = () => now;
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...rows].join('\n'))]), { fileName: 'x.csv' });
  for (const r of (await h.owner.query('select erp_ref, id from households where organisation_id = $1', [org.id])).rows) ids[r.erp_ref] = r.id;
  // The import marks one-person households as living alone; keep it for H1 and H7 only.
  await h.owner.query(`delete from vulnerability_indicators where organisation_id = $1 and kind = 'lives_alone' and household_id <> all($2::uuid[])`, [
    org.id,
    [ids.H1, ids.H7],
  ]);
  expect((await h.owner.query(`select count(*)::int as n from vulnerability_indicators where organisation_id = $1`, [org.id])).rows[0].n).toBe(2);
  await h.owner.query(`insert into objections (organisation_id, household_id, kind) values ($1, $2, 'no_call')`, [org.id, ids.H5]);
  managerUser = await newUser(h, org, 'manager');
  manager = await signIn(h, managerUser);
  _admin = await signIn(h, await newUser(h, org, 'org_admin'));
  for (let i = 0; i < 8; i++) {
    const user = await newUser(h, org, 'staff');
    callers.push({ user, cookie: await signIn(h, user) });
  }
  const v = await newUser(h, org, 'volunteer', { endDate: '2027-06-30' });
  _volunteer = { user: v, cookie: await signIn(h, v) };
});
afterAll(() => h.close());
afterEach(() => at('2026-11-30T09:00:00Z'));

describe('doorstep visits', () => {
  it('the caretaker of the agency records the result; a concern opens a follow-up', async () => {
    const c = callers[4] as { cookie: string };
    // The residence's own caretaker gets the visit; another caretaker of the agency does not.
    const mine = await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[1] as string] });
    await h.owner.query(`update residences set caretaker_id = $2 where organisation_id = $1 and agency_id = $3`, [org.id, mine.id, org.agencyIds[1]]);
    const id = await newCampaign(
      { name: 'Porte', segment: { status: 'active', agencyId: org.agencyIds[1] }, retryPolicy: { retryAfterMinutes: 15, maxAttempts: 1 } },
      [callers[4]?.user.id as string],
    );
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    expect((await outcome(c.cookie, t, { outcome: 'busy' })).json().doorstep).toBe(true);
    const caretaker = await signIn(h, mine);
    const sameAgency = await signIn(h, await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[1] as string] }));
    const otherCaretaker = await signIn(h, await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[0] as string] }));
    const visits = (await inject(caretaker, 'GET', '/api/doorstep')).json();
    const visit = visits.find((v: { campaign: string }) => v.campaign === 'Porte');
    expect(visit).toBeDefined();
    expect((await inject(otherCaretaker, 'GET', '/api/doorstep')).json().find((v: { campaign: string }) => v.campaign === 'Porte')).toBeUndefined();
    expect((await inject(sameAgency, 'GET', '/api/doorstep')).json().find((v: { id: string }) => v.id === visit.id)).toBeUndefined();
    expect((await inject(sameAgency, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'met' })).statusCode).toBe(404);
    const flagged = await inject(caretaker, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'concern', note: 'Il est fou' });
    expect(flagged.statusCode).toBe(422);
    expect((await inject(caretaker, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'concern', note: 'Courrier qui s’accumule.' })).statusCode).toBe(200);
    expect((await inject(caretaker, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'met' })).statusCode).toBe(409);
    const f = await h.owner.query(`select count(*)::int as n from followups where household_id = $1 and need = 'porte_a_porte'`, [visit.householdId]);
    expect(f.rows[0].n).toBe(1);
    await h.owner.query(`update residences set caretaker_id = null where organisation_id = $1`, [org.id]);
  });

  it('a household without any phone goes straight to a doorstep visit at launch', async () => {
    const phones = await h.owner.query(
      `delete from contact_points c using persons p where p.id = c.person_id and p.household_id = $1 returning c.organisation_id, c.person_id, c.kind, c.value, c.source`,
      [ids.H3],
    );
    try {
      const id = await newCampaign({ name: 'Sans téléphone', segment: { status: 'active', agencyId: org.agencyIds[0] } }, []);
      const target = await h.owner.query('select status, final_outcome from campaign_targets where campaign_id = $1 and household_id = $2', [id, ids.H3]);
      expect(target.rows[0]).toEqual({ status: 'doorstep', final_outcome: 'no_phone' });
      const visits = await h.owner.query('select count(*)::int as n from doorstep_visits where campaign_id = $1', [id]);
      expect(visits.rows[0].n).toBe(1);
    } finally {
      for (const p of phones.rows) {
        await h.owner.query('insert into contact_points (organisation_id, person_id, kind, value, source) values ($1, $2, $3, $4, $5)', [
          p.organisation_id,
          p.person_id,
          p.kind,
          p.value,
          p.source,
        ]);
      }
    }
  });
});
