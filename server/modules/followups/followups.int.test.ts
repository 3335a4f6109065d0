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

describe('follow-ups', () => {
  it('can be given to managers, staff, social workers and org admins', async () => {
    const assignees = (await inject(manager, 'GET', '/api/followups/assignees')).json() as { role: string }[];
    expect(new Set(assignees.map((a) => a.role))).toEqual(new Set(['manager', 'staff', 'org_admin']));
  });

  it('an emergency opens an urgent follow-up: listed and counted within the agencies, assigned, then closed with a checked resolution', async () => {
    const c = callers[6] as { cookie: string };
    const id = await newCampaign({ name: 'Urgence', segment: { status: 'active', agencyId: org.agencyIds[1] } }, [callers[6]?.user.id as string]);
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    const res = await outcome(c.cookie, t, { outcome: 'reached', answers: { urgence: 'yes' } });
    expect(res.json().urgent).toBe(true);
    const list = (await inject(manager, 'POST', '/api/followups/list', { urgentOnly: true })).json();
    expect(list.some((f: { need: string; urgent: boolean }) => f.need === 'urgence' && f.urgent)).toBe(true);
    // Staff of agency 1 do not see the follow-ups of agency 2.
    const nord = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[0] as string] }));
    const scoped = (await inject(nord, 'POST', '/api/followups/list', { urgentOnly: true })).json();
    expect(scoped).toEqual([]);
    // Every page of the managers shows the open emergencies.
    const urgentCount = async () => (await inject(manager, 'GET', '/api/followups/urgent-count')).json().open as number;
    const before = await urgentCount();
    expect(before).toBeGreaterThanOrEqual(1);
    expect((await inject(nord, 'GET', '/api/followups/urgent-count')).json().open).toBe(0);
    // Assign then close; staff of another agency cannot touch it, and the resolution is checked like a note.
    const fid = list[0].id;
    expect((await inject(nord, 'POST', `/api/followups/${fid}/close`, { resolution: 'Fait.' })).statusCode).toBe(404);
    const flaggedClose = await inject(manager, 'POST', `/api/followups/${fid}/close`, { resolution: 'Elle est folle' });
    expect(flaggedClose.statusCode).toBe(422);
    expect((await inject(manager, 'POST', `/api/followups/${fid}/assign`, { userId: callers[0]?.user.id })).statusCode).toBe(200);
    expect((await inject(callers[0]?.cookie as string, 'POST', `/api/followups/${fid}/close`, { resolution: 'Rappelé, voisin prévenu.' })).statusCode).toBe(
      200,
    );
    expect((await inject(manager, 'POST', '/api/followups/list', { status: 'closed' })).json()[0]).toMatchObject({
      id: fid,
      resolution: 'Rappelé, voisin prévenu.',
    });
  });
});
