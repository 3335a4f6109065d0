// Issue 18, TRUST DP-14: a federation sees its members' actions without seeing a person. Members
// are listed by the federation's administrator and share what they choose; aggregates are
// computed in each member's own context, small cells are hidden (and their complements); a member
// that leaves stops being shared at once and disappears from the next aggregates; the analyst
// reaches no person by any route; no relation a federation reads holds an identifier column.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Dashboard } from '../../../contracts/indicators.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg } from '../../test/harness.ts';
import { runRefresh, startFederationWorker } from './federation.service.ts';
import { federationReadable, identifierColumns } from './federation-readable.ts';

let h: Harness;
let fed: TestOrg;
let landlordA: TestOrg;
let landlordB: TestOrg;
const cookie = {} as Record<'fedAdmin' | 'analyst' | 'adminA' | 'adminB' | 'staffA', string>;
const month = DateTime.now().setZone('Europe/Paris').toFormat('yyyy-MM');

const q = async (text: string, params: unknown[] = []) => (await h.owner.query(text, params)).rows;

/** A residence with `n` households, each with a case opened now (and a debt when `debt`). */
async function residence(org: TestOrg, code: string, postal: string, qpv: boolean, n: number, debt = false) {
  const [r] = await q(`insert into residences (organisation_id, agency_id, erp_code, name, postal_code, qpv) values ($1, $2, $3, $3, $4, $5) returning id`, [
    org.id,
    org.agencyIds[0],
    code,
    postal,
    qpv,
  ]);
  const households = await q(
    `with u as (insert into housing_units (organisation_id, residence_id, erp_ref) select $1, $2, $3 || '-' || g from generate_series(1, $4) g returning id, erp_ref)
     insert into households (organisation_id, unit_id, erp_ref) select $1, u.id, u.erp_ref from u returning id`,
    [org.id, r.id, code, n],
  );
  const ids = households.map((x) => x.id as string);
  await q(`insert into cases (organisation_id, household_id, agency_id, type, origin) select $1, unnest($2::uuid[]), $3, 'isolation', 'call'`, [
    org.id,
    ids,
    org.agencyIds[0],
  ]);
  if (debt) await q(`insert into household_balances (organisation_id, household_id, balance_cents) select $1, unnest($2::uuid[]), 45000`, [org.id, ids]);
  return ids;
}

const api = (who: keyof typeof cookie, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload === undefined ? {} : { payload: payload as object }) });

const board = async (who: keyof typeof cookie, indicatorId: string) => {
  const res = await api(who, 'POST', '/api/federation/dashboard', { indicatorId, from: month, to: month });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Dashboard;
};

beforeAll(async () => {
  h = await startHarness();
  fed = await newOrganisation(h);
  await q(`update organisations set kind = 'federation', name = 'Fédération test ' || slug where id = $1`, [fed.id]);
  landlordA = await newOrganisation(h);
  landlordB = await newOrganisation(h);
  cookie.fedAdmin = await signIn(h, await newUser(h, fed, 'org_admin'));
  cookie.analyst = await signIn(h, await newUser(h, fed, 'federation_analyst'));
  cookie.adminA = await signIn(h, await newUser(h, landlordA, 'org_admin'));
  cookie.adminB = await signIn(h, await newUser(h, landlordB, 'org_admin'));
  cookie.staffA = await signIn(h, await newUser(h, landlordA, 'staff'));
  // A: 15 cases in Paris (QPV), 30 in Seine-Saint-Denis, 5 in Val-de-Marne: 50.
  await residence(landlordA, 'R1', '75011', true, 15);
  await residence(landlordA, 'R2', '93200', false, 30);
  await residence(landlordA, 'R3', '94400', false, 5);
  // B: 40 cases and 40 households in debt in Toulouse.
  await residence(landlordB, 'T1', '31000', false, 40, true);
  await startFederationWorker(h.deps);
});
afterAll(() => h.close());

describe('members and agreements', () => {
  it('the federation’s administrator adds landlords by their identifier; an unknown one is a clear 404', async () => {
    for (const org of [landlordA, landlordB]) expect((await api('fedAdmin', 'POST', '/api/federation/members', { slug: org.slug })).statusCode).toBe(200);
    const unknown = await api('fedAdmin', 'POST', '/api/federation/members', { slug: 'nobody-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe('Bailleur introuvable.');
    // A federation is never a member; a landlord's administrator has no members to add.
    expect((await api('fedAdmin', 'POST', '/api/federation/members', { slug: fed.slug })).statusCode).toBe(404);
    const notFed = await api('adminA', 'POST', '/api/federation/members', { slug: landlordB.slug });
    expect(notFed.statusCode).toBe(409);
    // The look-up itself answers a federation's transaction only.
    const lookUp = (org: TestOrg) =>
      h.database.withOrg({ organisationId: org.id }, (trx) => sql<{ id: string }>`select id from lien_landlord_by_slug(${landlordB.slug})`.execute(trx));
    expect((await lookUp(fed)).rows).toEqual([{ id: landlordB.id }]);
    expect((await lookUp(landlordA)).rows).toEqual([]);
    const space = (await api('fedAdmin', 'GET', '/api/federation/space')).json();
    expect(space.kind).toBe('federation');
    expect(space.members.map((m: { memberId: string }) => m.memberId).sort()).toEqual([landlordA.id, landlordB.id].sort());
    expect(space.members.every((m: { agreement: unknown }) => m.agreement === null)).toBe(true);
  });

  it('a member’s administrator sees the invitation and previews exactly what would leave, small cells hidden', async () => {
    const space = (await api('adminA', 'GET', '/api/federation/space')).json();
    expect(space.kind).toBe('landlord');
    expect(space.memberships).toEqual([expect.objectContaining({ federationId: fed.id, indicators: [], leftAt: null })]);
    const res = await api('adminA', 'POST', `/api/federation/memberships/${fed.id}/preview`, { indicators: ['cases_opened'] });
    expect(res.statusCode, res.body).toBe(200);
    const cells = res.json().cells.filter((c: { period: string }) => c.period === `${month}-01`);
    const v = Object.fromEntries(
      cells.map((c: { dimension: string; dimensionValue: string; value: number | null }) => [`${c.dimension}:${c.dimensionValue}`, c.value]),
    );
    expect(v).toEqual({
      'total:': 50,
      // 94 has 5 households: hidden; 75 (the smallest other) hidden with it, so 94 is not 50 − 30 − 15.
      'department:94': null,
      'department:75': null,
      'department:93': 30,
      'qpv:qpv': 15,
      'qpv:hors_qpv': 35,
    });
    // Nothing is written by a preview.
    expect(await q('select count(*)::int as n from federation_aggregates where organisation_id = $1', [landlordA.id])).toEqual([{ n: 0 }]);
  });

  it('only the landlord’s administrator decides, and only for a federation that lists it', async () => {
    expect((await api('staffA', 'PUT', `/api/federation/memberships/${fed.id}`, { indicators: ['cases_opened'] })).statusCode).toBe(403);
    const other = await newOrganisation(h);
    expect((await api('adminA', 'PUT', `/api/federation/memberships/${other.id}`, { indicators: ['cases_opened'] })).statusCode).toBe(404);
    const bad = await api('adminA', 'PUT', `/api/federation/memberships/${fed.id}`, { indicators: ['persons'] });
    expect(bad.statusCode).toBe(400);
  });
});

describe('aggregates only', () => {
  it('a refresh job computes each sharing member’s aggregates in its own context, with its progress', async () => {
    expect((await api('adminA', 'PUT', `/api/federation/memberships/${fed.id}`, { indicators: ['cases_opened'] })).statusCode).toBe(200);
    expect((await api('adminB', 'PUT', `/api/federation/memberships/${fed.id}`, { indicators: ['cases_opened', 'arrears_households'] })).statusCode).toBe(200);
    const started = await api('analyst', 'POST', '/api/federation/refresh');
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ status: 'queued', membersDone: 0 });
    let status = started.json();
    for (let i = 0; i < 100 && status.status !== 'done' && status.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await api('analyst', 'GET', '/api/federation/refresh')).json().refresh;
    }
    expect(status).toMatchObject({ status: 'done', membersTotal: 2, membersDone: 2 });
    // A shares one indicator: only it left A.
    expect(
      await q('select distinct indicator_id from federation_aggregates where organisation_id = $1 and federation_id = $2', [landlordA.id, fed.id]),
    ).toEqual([{ indicator_id: 'cases_opened' }]);
  });

  it('the analyst sees the members’ figures by member, department and QPV, hidden cells counted apart', async () => {
    const b = await board('analyst', 'cases_opened');
    expect(b.members).toBe(2);
    expect(b.total).toEqual({ value: 90, hidden: 0 });
    expect(b.overTime.at(-1)).toEqual({ period: month, value: 90, hidden: 0 });
    expect(b.byMember.map((m) => [m.memberId, m.value])).toEqual([
      [landlordA.id, 50],
      [landlordB.id, 40],
    ]);
    expect(Object.fromEntries(b.byDepartment.map((d) => [d.department, [d.value, d.hidden]]))).toEqual({
      '31': [40, 0],
      '75': [0, 1],
      '93': [30, 0],
      '94': [0, 1],
    });
    expect(Object.fromEntries(b.byQpv.map((d) => [d.qpv, d.value]))).toEqual({ qpv: 15, hors_qpv: 75 });
    // B alone shares the arrears.
    const arrears = await board('analyst', 'arrears_households');
    expect(arrears.byMember.map((m) => [m.memberId, m.value])).toEqual([[landlordB.id, 40]]);
  });

  it('a member reads only its own aggregates; a landlord gets no federation dashboard', async () => {
    const rows = await h.database.withOrg({ organisationId: landlordB.id }, (trx) =>
      trx.selectFrom('federation_aggregates').select('organisation_id').execute(),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.organisation_id))).toEqual(new Set([landlordB.id]));
    expect((await api('adminA', 'POST', '/api/federation/dashboard', { indicatorId: 'cases_opened', from: month, to: month })).statusCode).toBe(409);
    // The federation cannot write a member's aggregates (select-only policy).
    await expect(
      h.database.withOrg({ organisationId: fed.id }, (trx) => trx.deleteFrom('federation_aggregates').where('organisation_id', '=', landlordB.id).execute()),
    ).resolves.toEqual([expect.objectContaining({ numDeletedRows: 0n })]);
  });

  it('the periodic report is a PDF of the indicators and the members’ texts', async () => {
    expect(
      (await api('analyst', 'PUT', `/api/federation/members/${landlordA.id}/report-text`, { text: '69 000 appels pendant la canicule.' })).statusCode,
    ).toBe(204);
    const res = await api('analyst', 'GET', `/api/federation/report?from=${month}&to=${month}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(1500);
  });
});

describe('leaving', () => {
  it('a member that leaves stops being shared at once, and is absent from the next aggregates', async () => {
    expect((await api('adminA', 'DELETE', `/api/federation/memberships/${fed.id}`)).statusCode).toBe(204);
    // From that moment: its rows are gone, the dashboard no longer counts it.
    expect(await q('select count(*)::int as n from federation_aggregates where organisation_id = $1', [landlordA.id])).toEqual([{ n: 0 }]);
    const now = await board('analyst', 'cases_opened');
    expect(now.byMember.map((m) => m.memberId)).toEqual([landlordB.id]);
    expect(now.total).toEqual({ value: 40, hidden: 0 });
    // The next refresh computes B only.
    await runRefresh(h.database, fed.id, null);
    expect(await q('select count(*)::int as n from federation_aggregates where organisation_id = $1', [landlordA.id])).toEqual([{ n: 0 }]);
    expect((await q('select count(*)::int as n from federation_aggregates where organisation_id = $1', [landlordB.id]))[0].n).toBeGreaterThan(0);
    const space = (await api('fedAdmin', 'GET', '/api/federation/space')).json();
    expect(space.members.find((m: { memberId: string }) => m.memberId === landlordA.id).agreement.leftAt).not.toBeNull();
  });

  it('a member the federation removes is left out of the dashboard and of the next aggregates', async () => {
    expect((await api('fedAdmin', 'DELETE', `/api/federation/members/${landlordB.id}`)).statusCode).toBe(204);
    expect((await board('analyst', 'cases_opened')).members).toBe(0);
    await runRefresh(h.database, fed.id, null);
    expect(await q('select count(*)::int as n from federation_aggregates where federation_id = $1', [fed.id])).toEqual([{ n: 0 }]);
  });
});

describe('the analyst reaches no person (TRUST DP-14)', () => {
  const matrix = (parse(readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'authz-matrix.yaml'), 'utf8')) as { routes: Record<string, unknown> })
    .routes;

  it('the matrix opens to the analyst the federation’s routes and its own account only', () => {
    const open = Object.entries(matrix)
      .filter(([, entry]) => Array.isArray(entry) && entry.includes('federation_analyst'))
      .map(([route]) => route);
    expect(open.length).toBeGreaterThan(5);
    expect(open.filter((r) => !r.split(' ')[1]?.startsWith('/api/federation/'))).toEqual([]);
  });

  it('every route the analyst calls answers with organisations and counts, never a person’s id', async () => {
    const ours = new Set([fed.id, landlordA.id, landlordB.id]);
    const uuids = (text: string) => text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    const bodies = [
      (await api('analyst', 'GET', '/api/federation/space')).body,
      (await api('analyst', 'GET', '/api/federation/indicators')).body,
      ...(await Promise.all(['cases_opened', 'arrears_households', 'calls_made'].map(async (i) => JSON.stringify(await board('analyst', i))))),
    ];
    const refreshId = (await api('analyst', 'GET', '/api/federation/refresh')).json().refresh?.id;
    for (const body of bodies) for (const id of uuids(body)) expect(ours.has(id) || id === refreshId, id).toBe(true);
    // And the routes of households, persons, cases and calls refuse the analyst.
    for (const url of ['/api/households/list', '/api/households/search', '/api/arrears/view'])
      expect((await api('analyst', 'POST', url, {})).statusCode).toBe(403);
    expect((await api('analyst', 'GET', '/api/cases/summary')).statusCode).toBe(403);
  });

  it('no relation a federation reads holds an identifier column', async () => {
    const readable = await federationReadable(h.owner);
    expect(readable.map((r) => r.table).sort()).toEqual(['federation_aggregates', 'federation_agreements', 'federation_members']);
    expect(await identifierColumns(h.owner, readable)).toEqual([]);
  });

  it('the schema check names a federation-readable relation that would hold a household’s id', async () => {
    const client = await h.owner.connect();
    try {
      await client.query('begin');
      await client.query(
        `create table federation_leak (organisation_id uuid references organisations (id), federation_id uuid references organisations (id), household_id uuid, label text)`,
      );
      await client.query(`alter table federation_leak enable row level security`);
      await client.query(`create policy federation_leak_reads on federation_leak for select using (federation_id = lien_current_org())`);
      const readable = await federationReadable(client);
      expect(readable.map((r) => r.table)).toContain('federation_leak');
      expect(await identifierColumns(client, readable)).toEqual(['federation_leak.household_id']);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});

describe('one refresh at a time', () => {
  it('a request while a refresh is queued or running follows it; one left running by a dead worker is replaced after half an hour', async () => {
    const [running] = await q(`insert into federation_refreshes (organisation_id, status) values ($1, 'running') returning id`, [fed.id]);
    const follows = (await api('analyst', 'POST', '/api/federation/refresh')).json();
    expect(follows).toMatchObject({ id: running.id, status: 'running' });
    await q(`update federation_refreshes set requested_at = now() - interval '31 minutes' where id = $1`, [running.id]);
    const fresh = (await api('analyst', 'POST', '/api/federation/refresh')).json();
    expect(fresh.id).not.toBe(running.id);
    expect(fresh.status).toBe('queued');
  });
});
