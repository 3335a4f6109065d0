// The world the campaign, call, follow-up and doorstep integration tests share: one organisation
// imported from a small ERP file (eight households in two agencies, H1 the most fragile, H5
// « ne pas appeler »), a manager, an admin, eight staff callers and a volunteer, a controllable
// clock (Monday 30 November 2026, 10:00 in Paris) and request helpers. Each test file calls
// `setUpCampaignWorld()` once and gets its own world (Vitest isolates test files).
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { isolationWatchScript } from '../modules/campaigns/index.ts';
import { importFile } from '../modules/registry/index.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from './harness.ts';

export let h: Harness;
export let org: TestOrg;
export let manager: string;
export let managerUser: TestUser;
export let admin: string;
export const callers: { user: TestUser; cookie: string }[] = [];
export let volunteer: { user: TestUser; cookie: string };
export const ids: Record<string, string> = {};

/** The controllable clock: Monday 30 November 2026, 10:00 in Paris. */
export let now = new Date('2026-11-30T09:00:00Z');
export const at = (iso: string) => {
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

export const allDay = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
export const inject = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

export async function newCampaign(overrides: Record<string, unknown> = {}, callerIds = callers.map((c) => c.user.id)) {
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
export const next = (cookie: string, campaignId: string) => inject(cookie, 'POST', '/api/calls/next', { campaignId });
export const outcome = (cookie: string, targetId: string, body: Record<string, unknown>) => inject(cookie, 'POST', `/api/calls/${targetId}/outcome`, body);
export const refOfTarget = async (targetId: string) =>
  (await h.owner.query('select h.erp_ref from campaign_targets t join households h on h.id = t.household_id where t.id = $1', [targetId])).rows[0]
    ?.erp_ref as string;

/** Registers the hooks that build the world before the file's tests and reset the clock after each. */
export function setUpCampaignWorld(env: Record<string, string> = {}) {
  beforeAll(async () => {
    h = await startHarness(env);
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
    admin = await signIn(h, await newUser(h, org, 'org_admin'));
    for (let i = 0; i < 8; i++) {
      const user = await newUser(h, org, 'staff');
      callers.push({ user, cookie: await signIn(h, user) });
    }
    const v = await newUser(h, org, 'volunteer', { endDate: '2027-06-30' });
    volunteer = { user: v, cookie: await signIn(h, v) };
  });
  afterAll(() => h.close());
  afterEach(() => at('2026-11-30T09:00:00Z'));
}
