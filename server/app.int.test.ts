import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { type Harness, newOrganisation, newUser, PASSWORD, signIn, startHarness } from './test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('route policies', () => {
  it('every registered route declares who may call it', () => {
    const routes = h.app.routeInventory;
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes.filter((r) => !r.policy).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('no route carries personal data in its path or query: searches use POST bodies (DP-13)', () => {
    const suspicious = h.app.routeInventory.filter((r) => /email|phone|name|nom|tel/i.test(r.url));
    expect(suspicious).toEqual([]);
  });
});

describe('security headers (AA-12)', () => {
  it('sends a strict CSP without inline scripts, HSTS and no-store on the API', async () => {
    const org = await newOrganisation(h);
    const cookie = await signIn(h, await newUser(h, org, 'staff'));
    for (const url of ['/api/auth/me', '/api/agencies', '/healthz']) {
      const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=(\d+)/);
      expect(Number(/max-age=(\d+)/.exec(String(res.headers['strict-transport-security']))?.[1])).toBeGreaterThanOrEqual(31_536_000);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      if (url.startsWith('/api/')) expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses oversized bodies with 413 and a French problem', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'a@b.fr', password: 'x'.repeat(2 * 1024 * 1024) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toContain('taille');
  });

  it('answers unknown API paths with a problem+json 404', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('OpenAPI and operations', () => {
  it('serves OpenAPI 3.1 listing the routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/sign-in', '/api/users', '/api/users/{id}', '/api/audit/search']));
  });

  it('serves a browsable API documentation page', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('has health, readiness and Prometheus metrics', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('lien_http_request_duration_seconds');
  });
});

describe('logs carry no personal data (DP-13)', () => {
  it('a sign-in request logs neither the e-mail nor the password nor the cookie', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const app = await buildApp(h.deps, pino({ level: 'trace' }, sink));
    const org = await newOrganisation(h);
    const user = await newUser(h, org, 'staff');
    const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password: PASSWORD } });
    await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: String(res.headers['set-cookie']).split(';')[0] } });
    await app.close();
    const log = chunks.join('');
    expect(log).toContain('/api/auth/sign-in');
    expect(log).not.toContain(user.email);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(String(res.headers['set-cookie']).split(';')[0]?.split('=')[1]);
  });
});
