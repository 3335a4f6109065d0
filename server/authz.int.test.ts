// TRUST AA-01: the authorization matrix (authz-matrix.yaml) is the single source of truth for
// who may call each route. The router table must match it, and every route is called as every
// role: a role the matrix does not list gets 403, a signed-out caller 401, and every role it
// lists gets past the policy (with random ids and empty bodies: 404, 400, 409, 422 — never 401
// or 403).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Role, roles } from '../contracts/roles.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness } from './test/harness.ts';

type Entry = 'public' | 'session' | 'tenant' | Role[];
const matrix = (parse(readFileSync(path.join(import.meta.dirname, '..', 'authz-matrix.yaml'), 'utf8')) as { routes: Record<string, Entry> }).routes;

let h: Harness;
const cookies = new Map<Role, string>();
beforeAll(async () => {
  h = await startHarness();
  const org = await newOrganisation(h);
  for (const role of roles) cookies.set(role, await signIn(h, await newUser(h, org, role, { endDate: role === 'volunteer' ? '2099-12-31' : null })));
});
afterAll(() => h.close());

const apiRoutes = () => h.app.routeInventory.filter((r) => r.url.startsWith('/api/'));
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace('*', 'x');

describe('authorization matrix (TRUST AA-01)', () => {
  it('lists every route, and only existing routes', () => {
    const routes = apiRoutes().map(key).sort();
    expect(routes.filter((r) => !(r in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('each route declares the policy the matrix gives it', () => {
    const differing = apiRoutes()
      .filter((r) => {
        const entry = matrix[key(r)];
        const p = r.policy;
        if (!p || entry === undefined) return true;
        if (p.kind === 'public' || p.kind === 'session' || p.kind === 'tenant') return entry !== p.kind;
        return !Array.isArray(entry) || [...entry].sort().join() !== [...p.roles].sort().join();
      })
      .map(key);
    expect(differing).toEqual([]);
  });

  it('every role the matrix does not list gets 403 on every route; signed out gets 401', async () => {
    const wrong: string[] = [];
    for (const route of apiRoutes()) {
      const entry = matrix[key(route)];
      if (!Array.isArray(entry)) continue;
      const url = concrete(route.url);
      const method = route.method as 'GET';
      const payload = route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} };
      const anonymous = await h.app.inject({ method, url, ...payload });
      if (anonymous.statusCode !== 401) wrong.push(`anonymous ${key(route)} → ${anonymous.statusCode}`);
      for (const role of roles) {
        if (entry.includes(role)) continue;
        const res = await h.app.inject({ method, url, headers: { cookie: cookies.get(role) as string }, ...payload });
        if (res.statusCode !== 403) wrong.push(`${role} ${key(route)} → ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every role the matrix lists for a route gets past its policy', async () => {
    const wrong: string[] = [];
    for (const route of apiRoutes()) {
      const entry = matrix[key(route)];
      if (!Array.isArray(entry)) continue;
      const url = concrete(route.url);
      const method = route.method as 'GET';
      const payload = route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} };
      for (const role of entry) {
        const res = await h.app.inject({ method, url, headers: { cookie: cookies.get(role) as string }, ...payload });
        if (res.statusCode === 401 || res.statusCode === 403) wrong.push(`${role} ${key(route)} → ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('tenant routes (the portal, issue 16) refuse every staff role and a signed-out caller with 401', async () => {
    const wrong: string[] = [];
    for (const route of apiRoutes()) {
      if (matrix[key(route)] !== 'tenant') continue;
      const url = concrete(route.url);
      const method = route.method as 'GET';
      const payload = route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} };
      const anonymous = await h.app.inject({ method, url, ...payload });
      if (anonymous.statusCode !== 401) wrong.push(`anonymous ${key(route)} → ${anonymous.statusCode}`);
      for (const role of roles) {
        const res = await h.app.inject({ method, url, headers: { cookie: cookies.get(role) as string }, ...payload });
        if (res.statusCode !== 401) wrong.push(`${role} ${key(route)} → ${res.statusCode}`);
      }
    }
    expect(Object.values(matrix).filter((e) => e === 'tenant').length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('volunteers and partners reach nothing but their calls and their account (TRUST AA-03, DP-04)', () => {
    for (const role of ['volunteer', 'partner'] as const) {
      const reachable = Object.entries(matrix)
        .filter(([, entry]) => Array.isArray(entry) && entry.includes(role))
        .map(([route]) => route);
      expect(
        // GET /api/home gives them only what /api/calls/campaigns does (their pool's campaign
        // names) and the count of callbacks they promised: asserted in home.int.test.ts.
        // A partner's user also reads and answers the referrals addressed to their partner (the
        // database narrows them: partners/referrals.int.test.ts), never a household file. And
        // files requests for a lent home, following its own only (solidarity/lending.int.test.ts).
        // A volunteer has their own page (training, tally, pause) and, once trained, their own
        // deliveries: first name, door and phone only (solidarity/deliveries.int.test.ts).
        reachable.every(
          (r) =>
            r.includes('/api/calls/') ||
            r === 'GET /api/home' ||
            (role === 'volunteer' && (r.includes(' /api/volunteers/me') || r.includes(' /api/solidarity/deliveries/'))) ||
            (role === 'partner' &&
              (r.includes(' /api/referrals/') ||
                r.includes(' /api/solidarity/requests') ||
                r.includes(' /api/solidarity/lendings/') ||
                r.includes(' /api/solidarity/distributions'))),
        ),
        `${role}: ${reachable.join(', ')}`,
      ).toBe(true);
    }
  });
});
