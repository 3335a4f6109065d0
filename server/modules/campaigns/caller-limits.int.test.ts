import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../../platform/jobs/maintenance.ts';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { purgeCallerEvents } from '../calls/index.ts';
import { importFile } from '../registry/index.ts';
import { isolationWatchScript } from './script-template.ts';

// « Appeler le suivant » then « Rendre » in a loop must not hand one caller household after
// household: the campaign's hourly limits stop it, say when calls resume, and alert the managers.

let h: Harness;
let org: TestOrg;
let manager: string;
let managerUser: TestUser;
let adminUser: TestUser;

/** The controllable clock: Monday 30 November 2026, 10:00 in Paris. */
let now = new Date('2026-11-30T09:00:00Z');
const minutes = (n: number) => {
  now = new Date(now.getTime() + n * 60_000);
};

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
const rows = Array.from({ length: 40 }, (_, i) => {
  const n = String(i + 10);
  return `A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L${n};H${n};P${n};Nom${n};Prénom${n};03/04/1940;06 12 34 56 ${n}`;
});

const allDay = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' };
const inject = (cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function newCampaign(callerIds: string[], overrides: Record<string, unknown> = {}) {
  const res = await inject(manager, 'POST', '/api/campaigns', {
    name: 'Veille limites',
    segment: { status: 'active' },
    script: isolationWatchScript,
    callWindows: allDay,
    claimTimeoutMinutes: 2,
    callerIds,
    ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await inject(manager, 'POST', `/api/campaigns/${id}/launch`)).statusCode).toBe(200);
  return id;
}

async function newCaller() {
  const user = await newUser(h, org, 'staff');
  return { user, cookie: await signIn(h, user) };
}

const next = (cookie: string, campaignId: string) => inject(cookie, 'POST', '/api/calls/next', { campaignId });
const release = (cookie: string, targetId: string) => inject(cookie, 'POST', `/api/calls/${targetId}/release`);

beforeAll(async () => {
  h = await startHarness();
  h.deps.clock = () => now;
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from([HEADER, ...rows].join('\n'))]), { fileName: 'x.csv' });
  managerUser = await newUser(h, org, 'manager');
  manager = await signIn(h, managerUser);
  adminUser = await newUser(h, org, 'org_admin');
});
afterAll(() => h.close());
afterEach(() => {
  now = new Date('2026-11-30T09:00:00Z');
});

describe('caller limits (one household at a time)', () => {
  it('« next » then « Rendre » in a loop gets a 429 in French at the hand-back limit, until an hour after the first hand-back', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign([c.user.id]);
    const handed = new Set<string>();
    const firstRelease = new Date(now);
    let refused = null as Awaited<ReturnType<typeof next>> | null;
    for (let i = 0; i < 25 && !refused; i++) {
      const res = await next(c.cookie, campaignId);
      if (res.statusCode === 429) {
        refused = res;
        break;
      }
      expect(res.statusCode, res.body).toBe(200);
      const targetId = res.json().call.targetId as string;
      handed.add(targetId);
      expect((await release(c.cookie, targetId)).statusCode).toBe(200);
      minutes(1);
    }
    // Five hand-backs (the default): the sixth « next » hands nothing.
    expect(handed.size).toBe(5);
    expect(refused?.statusCode).toBe(429);
    const body = refused?.json();
    expect(body.code).toBe('caller_limit_reached');
    expect(body.detail).toContain('Vous avez rendu 5 ménages sans les appeler en moins d’une heure');
    expect(body.detail).toContain('Vous pourrez appeler le suivant à partir de lundi 30 novembre à 11:00');
    expect(body.retryAt).toBe(new Date(firstRelease.getTime() + 3600_000).toISOString());
    expect(Number(refused?.headers['retry-after'])).toBe(55 * 60);

    // Still refused a minute before the first hand-back is an hour old, then calls resume.
    now = new Date(firstRelease.getTime() + 59 * 60_000);
    expect((await next(c.cookie, campaignId)).statusCode).toBe(429);
    now = new Date(firstRelease.getTime() + 60 * 60_000);
    const resumed = await next(c.cookie, campaignId);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json().call).not.toBeNull();
  });

  it('alerts the campaign’s managers once per caller and hour: one audit event, one e-mail each, no household in it', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign([c.user.id], { callerLimits: { releasesPerHour: 2, claimsPerHour: 60 } });
    for (let i = 0; i < 2; i++) {
      const res = await next(c.cookie, campaignId);
      expect((await release(c.cookie, res.json().call.targetId)).statusCode).toBe(200);
    }
    // Refused again and again, double taps included: still one alert.
    for (let i = 0; i < 3; i++) expect((await next(c.cookie, campaignId)).statusCode).toBe(429);
    const together = await Promise.all(Array.from({ length: 5 }, () => next(c.cookie, campaignId)));
    expect(together.map((r) => r.statusCode)).toEqual([429, 429, 429, 429, 429]);

    const audit = await h.owner.query(
      `select actor_id, object_id, details from audit_events where organisation_id = $1 and action = 'call.limit_reached' and details ->> 'campaignId' = $2`,
      [org.id, campaignId],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_id: c.user.id, object_id: c.user.id, details: { kind: 'release', limit: 2 } });

    const mails = await h.owner.query(
      `select recipient, subject, body from messages where organisation_id = $1 and purpose = 'campaign_caller_limit' order by recipient`,
      [org.id],
    );
    const mine = mails.rows.filter((m) => m.body.includes(campaignId));
    // The campaign's author (a manager) and the organisation's admin; never the caller.
    expect(mine.map((m) => m.recipient).sort()).toEqual([adminUser.email, managerUser.email].sort());
    for (const m of mine) {
      expect(m.subject).toBe('Appels inhabituels — campagne « Veille limites »');
      expect(m.body).toContain('a rendu 2 ménages sans les appeler en moins d’une heure');
      expect(m.body).not.toMatch(/Nom\d|Prénom\d|06 12|H\d\d/);
    }
  });

  it('the claims ceiling also stops a caller who lets claims lapse instead of handing them back', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign([c.user.id], { callerLimits: { releasesPerHour: 5, claimsPerHour: 3 } });
    const handed = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await next(c.cookie, campaignId);
      expect(res.statusCode, res.body).toBe(200);
      handed.add(res.json().call.targetId);
      minutes(3); // past the 2-minute claim timeout: the claim lapses without a hand-back
    }
    expect(handed.size).toBe(3);
    const refused = await next(c.cookie, campaignId);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toContain('Vous avez reçu 3 ménages en moins d’une heure');
  });

  it('a caller recording outcomes is not limited, hand-backs below the limit included', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign([c.user.id]);
    for (let i = 0; i < 30; i++) {
      const res = await next(c.cookie, campaignId);
      expect(res.statusCode, res.body).toBe(200);
      const targetId = res.json().call.targetId as string;
      // Now and then a household the caller cannot call: handed back, well below the limit.
      if (i % 10 === 0) expect((await release(c.cookie, targetId)).statusCode).toBe(200);
      else expect((await inject(c.cookie, 'POST', `/api/calls/${targetId}/outcome`, { outcome: 'refused', answers: {} })).statusCode).toBe(200);
      minutes(1);
    }
  });

  it('a manager sets the limits on the campaign; events older than a day are purged', async () => {
    const c = await newCaller();
    const campaignId = await newCampaign([c.user.id], { callerLimits: { releasesPerHour: 3, claimsPerHour: 120 } });
    expect((await inject(manager, 'GET', `/api/campaigns/${campaignId}`)).json().callerLimits).toEqual({ releasesPerHour: 3, claimsPerHour: 120 });
    const bad = await inject(manager, 'POST', '/api/campaigns', {
      name: 'X',
      segment: { status: 'active' },
      script: isolationWatchScript,
      callerLimits: { releasesPerHour: 0, claimsPerHour: 60 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('Au moins 1 ménage rendu par heure.');

    expect((await next(c.cookie, campaignId)).statusCode).toBe(200);
    const count = async () =>
      (await h.owner.query('select count(*)::int as n from campaign_caller_events where campaign_id = $1', [campaignId])).rows[0].n as number;
    expect(await count()).toBe(1);
    // Other test files share the database (and some their own clocks): only this campaign's events are counted.
    await runMaintenance(h.database, [purgeCallerEvents], new Date(now.getTime() + 3600_000));
    expect(await count()).toBe(1);
    await runMaintenance(h.database, [purgeCallerEvents], new Date(now.getTime() + 25 * 3600_000));
    expect(await count()).toBe(0);
  });
});
