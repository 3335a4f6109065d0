import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { type Harness, newOrganisation, newUser, PASSWORD, signIn, startHarness } from './test/harness.ts';

let h: Harness;
/** The harness's configuration variables, to build a second app with one more setting. */
const configEnv = (_h: Harness) => ({ DATABASE_URL: inject('ownerUrl'), APP_DATABASE_URL: inject('appUrl'), LOG_LEVEL: 'silent' });
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
    // Files of the built web app (`/assets/…`, named by the bundler after source files such as phone.ts) hold no data.
    const suspicious = h.app.routeInventory.filter((r) => !r.url.startsWith('/assets/') && /email|phone|name|nom|tel/i.test(r.url));
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

const auditRows = async (userId: string, action: string) =>
  (await h.owner.query('select ip, object_id, details from audit_events where actor_id = $1 and action = $2 order by at, id', [userId, action])).rows;

describe('client address behind proxies (X-Forwarded-For)', () => {
  it('with no proxy configured, a forged header changes neither the audited address nor the per-address limit', async () => {
    const org = await newOrganisation(h);
    const user = await newUser(h, org, 'staff');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: PASSWORD },
      remoteAddress: '10.20.0.1',
      headers: { 'x-forwarded-for': '203.0.113.77' },
    });
    expect(res.statusCode).toBe(200);
    expect((await auditRows(user.id, 'auth.signed_in')).map((r) => r.ip)).toEqual(['10.20.0.1']);

    // One socket address, a new forged address each time: the per-address limit still trips.
    const statuses: number[] = [];
    for (let i = 0; i < 45 && !statuses.includes(429); i++) {
      const attempt = await h.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: `nobody-${i}-${org.slug}@test.lien.fr`, password: 'not the password' },
        remoteAddress: '10.20.0.2',
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
      });
      statuses.push(attempt.statusCode);
    }
    expect(statuses).toContain(429);
  });

  it('with the proxy configured, the address it forwards is the one audited; other senders are not believed', async () => {
    const config = loadConfig({ ...process.env, ...configEnv(h), TRUSTED_PROXIES: '10.30.0.1, 10.31.0.0/16' });
    const app = await buildApp({ ...h.deps, config }, false);
    try {
      const org = await newOrganisation(h);
      const user = await newUser(h, org, 'staff');
      for (const [remoteAddress, forwarded] of [
        ['10.30.0.1', '203.0.113.50'],
        ['10.31.4.2', '203.0.113.51'],
        ['10.32.0.1', '203.0.113.52'],
      ] as const) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: user.email, password: PASSWORD },
          remoteAddress,
          headers: { 'x-forwarded-for': forwarded },
        });
        expect(res.statusCode).toBe(200);
      }
      expect((await auditRows(user.id, 'auth.signed_in')).map((r) => r.ip)).toEqual(['203.0.113.50', '203.0.113.51', '10.32.0.1']);
    } finally {
      await app.close();
    }
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or range', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1,proxy.example.fr' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.1 , ::1, 10.1.0.0/16,loopback' }).TRUSTED_PROXIES).toEqual(['10.0.0.1', '::1', '10.1.0.0/16', 'loopback']);
  });
});

describe('route policies follow the matched route, whatever the URL spelling', () => {
  const spellings = ['/%61pi/users', '/%61%70%69/users', '/api/%75sers', '/ap%69/users?x=1'];

  it('an encoded path to a protected route answers 401 signed out and 403 to a wrong role, audited', async () => {
    const org = await newOrganisation(h);
    const staff = await newUser(h, org, 'staff');
    const cookie = await signIn(h, staff);
    for (const url of spellings) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      const res = await h.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(res.statusCode, url).toBe(403);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const denied = await auditRows(staff.id, 'access.denied');
    expect(denied.map((r) => r.details)).toEqual(spellings.map(() => ({ route: '/api/users', method: 'GET' })));
    const id = randomUUID();
    expect((await h.app.inject({ method: 'GET', url: `/%61pi/users/${id}` })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'PATCH', url: `/%61pi/users/${id}`, payload: {}, headers: { cookie } })).statusCode).toBe(403);
  });

  it('the role the route allows still reaches it through an encoded path', async () => {
    const org = await newOrganisation(h);
    const cookie = await signIn(h, await newUser(h, org, 'org_admin'));
    const res = await h.app.inject({ method: 'GET', url: '/%61pi/users', headers: { cookie } });
    expect(res.statusCode).toBe(200);
  });
});

describe('cross-site request forgery (AA-12)', () => {
  let cookie: string;
  beforeAll(async () => {
    const org = await newOrganisation(h);
    cookie = await signIn(h, await newUser(h, org, 'staff'));
  });
  const list = (headers: Record<string, string>, payload: string | object = {}) =>
    h.app.inject({ method: 'POST', url: '/api/households/list', headers: { cookie, ...headers }, payload });

  it('refuses a state-changing request from another origin or site, in French', async () => {
    const refused: Record<string, string>[] = [
      { origin: 'https://evil.example', 'content-type': 'application/json' },
      { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
      { origin: 'null', 'content-type': 'application/json' },
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
    ];
    for (const headers of refused) {
      const res = await list(headers, headers['content-type'] === 'text/plain' ? '{}' : {});
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json()).toMatchObject({ code: 'cross_origin_refused', detail: expect.stringContaining('refusée') });
    }
    const signOut = await h.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(signOut.statusCode).toBe(403);
  });

  it('accepts its own origin, the address it was called at, same-origin fetches, and clients sending neither header', async () => {
    const accepted: Record<string, string>[] = [
      { origin: 'http://localhost:3000' },
      { origin: 'http://lien.example.fr', host: 'lien.example.fr' },
      { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000' },
      {},
    ];
    for (const headers of accepted) {
      const res = await list(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(200);
    }
    // Reads are not state-changing: a cross-site GET is left to the policy and SameSite.
    expect((await h.app.inject({ method: 'GET', url: '/api/agencies', headers: { cookie, 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });

  it('refuses a text/plain body where JSON is expected, and still takes multipart uploads', async () => {
    const res = await list({ 'content-type': 'text/plain' }, '{}');
    expect(res.statusCode).toBe(415);
    expect(res.json().detail).toContain('type de contenu');
    const org = await newOrganisation(h);
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    const boundary = 'lienboundary';
    const upload = await h.app.inject({
      method: 'POST',
      url: '/api/imports',
      headers: { cookie: manager, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--${boundary}--\r\n`,
    });
    expect(upload.statusCode).not.toBe(415);
    expect(upload.statusCode).toBeLessThan(500);
  });
});

describe('metrics access', () => {
  it('without METRICS_TOKEN, answers direct loopback connections only', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
    const remote = await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
    expect(remote.body).not.toContain('lien_http_request_duration_seconds');
    expect(remote.json().detail).toContain('métriques');
    // A proxy on the same machine relays outsiders: what it forwards is not local.
    const relayed = await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(relayed.statusCode).toBe(403);
    expect((await h.app.inject({ method: 'HEAD', url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode).toBe(403);
  });

  it('with METRICS_TOKEN, asks every caller for the bearer token', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const app = await buildApp({ ...h.deps, config: loadConfig({ ...process.env, ...configEnv(h), METRICS_TOKEN: token }) }, false);
    try {
      const get = (headers: Record<string, string>, remoteAddress = '203.0.113.9') => app.inject({ method: 'GET', url: '/metrics', headers, remoteAddress });
      expect((await get({})).statusCode).toBe(401);
      expect((await get({}, '127.0.0.1')).statusCode).toBe(401);
      expect((await get({ authorization: 'Bearer wrong-token-0123456789' })).statusCode).toBe(401);
      const ok = await get({ authorization: `Bearer ${token}` });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('lien_http_request_duration_seconds');
    } finally {
      await app.close();
    }
  });
});

describe('probes of unknown or foreign ids (AA-10, DP-11)', () => {
  it('audits each 404 on an object and alerts the org admins once past 20 denied reads in 10 minutes', async () => {
    const org = await newOrganisation(h);
    const other = await newOrganisation(h);
    const admin = await newUser(h, org, 'org_admin');
    const formerAdmin = await newUser(h, org, 'org_admin');
    await h.owner.query(`update users set status = 'inactive' where id = $1`, [formerAdmin.id]);
    const otherAdmin = await newUser(h, other, 'org_admin');
    const staff = await newUser(h, org, 'staff');
    const cookie = await signIn(h, staff);
    const ids = Array.from({ length: 15 }, () => randomUUID());
    for (const id of ids) {
      const res = await h.app.inject({ method: 'GET', url: `/api/households/${id}`, headers: { cookie }, payload: undefined });
      expect(res.statusCode).toBe(404);
    }
    for (let i = 0; i < 10; i++) expect((await h.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } })).statusCode).toBe(403);

    const notFound = await auditRows(staff.id, 'access.not_found');
    expect(notFound.map((r) => r.object_id)).toEqual(ids);
    expect(notFound[0].details).toEqual({ route: '/api/households/:id', method: 'GET', params: { id: ids[0] } });
    expect(notFound[0].ip).toBeTruthy();

    const alerts = await auditRows(staff.id, 'alert.raised');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ object_id: staff.id, details: { kind: 'denied_reads', denied: 21, windowMinutes: 10 } });
    const messages = (
      await h.owner.query(`select organisation_id, recipient, body from messages where purpose = 'security_alert' and body like '%' || $1 || '%'`, [staff.id])
    ).rows;
    expect(messages.map((m) => m.recipient)).toEqual([admin.email]);
    expect(messages[0].organisation_id).toBe(org.id);
    for (const id of ids) expect(messages[0].body).not.toContain(id);
    expect(messages.map((m) => m.recipient)).not.toContain(otherAdmin.email);
  });

  it('25 probes at once still raise exactly one alert and one e-mail per admin', async () => {
    const org = await newOrganisation(h);
    const admins = [await newUser(h, org, 'org_admin'), await newUser(h, org, 'org_admin')];
    const staff = await newUser(h, org, 'staff');
    const cookie = await signIn(h, staff);
    const responses = await Promise.all(
      Array.from({ length: 25 }, () => h.app.inject({ method: 'GET', url: `/api/households/${randomUUID()}`, headers: { cookie } })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 404));
    expect(await auditRows(staff.id, 'access.not_found')).toHaveLength(25);
    expect(await auditRows(staff.id, 'alert.raised')).toHaveLength(1);
    const messages = await h.owner.query(`select recipient from messages where organisation_id = $1 and purpose = 'security_alert' order by recipient`, [
      org.id,
    ]);
    expect(messages.rows.map((m) => m.recipient)).toEqual(admins.map((a) => a.email).sort());
  });

  it('a 404 under no session, or on an unknown path, leaves no probe row', async () => {
    const org = await newOrganisation(h);
    const staff = await newUser(h, org, 'staff');
    const cookie = await signIn(h, staff);
    expect((await h.app.inject({ method: 'GET', url: `/api/nothing/${randomUUID()}`, headers: { cookie } })).statusCode).toBe(404);
    expect(await auditRows(staff.id, 'access.not_found')).toEqual([]);
  });
});
