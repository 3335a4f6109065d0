import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../app.ts';
import { maxDelaySeconds } from '../../platform/auth/throttle.ts';
import { type Harness, newOrganisation, newUser, PASSWORD, startHarness, type TestOrg } from '../../test/harness.ts';

let h: Harness;
let app: App;
let org: TestOrg;
/** The controllable clock (deps.clock): sign-in delays are computed from it. */
let now = new Date('2026-11-30T09:00:00Z');
const advance = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

beforeAll(async () => {
  h = await startHarness();
  // The app copies its deps when it registers routes: build one that has the clock from the start.
  app = await buildApp({ ...h.deps, clock: () => now }, false);
  await app.ready();
  org = await newOrganisation(h);
});
afterAll(async () => {
  await app.close();
  await h.close();
});
beforeEach(() => {
  // Each test starts an hour later: earlier tests' failures are outside the window.
  advance(2 * 3600);
});

const signIn = (email: string, password: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password }, remoteAddress: ip });

describe('progressive delays without a lockout a third party can renew (AA-07)', () => {
  it('an attacker sending a wrong password at every delay end cannot keep the real user out', async () => {
    const user = await newUser(h, org, 'staff');
    const attacker = '10.70.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await signIn(user.email, 'wrong password!!', attacker)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const waits: number[] = [];
    for (let period = 0; period < 12; period++) {
      const refused = await signIn(user.email, 'wrong password!!', attacker);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().detail).toMatch(/^Trop de tentatives infructueuses\. Réessayez dans \d+ minutes?\.$/);
      const wait = refused.json().retryAfterSeconds as number;
      waits.push(wait);
      // The real user, from their own address, is never held back by the attacker's failures.
      expect((await signIn(user.email, PASSWORD, `10.71.0.${period}`)).statusCode).toBe(200);
      advance(wait);
      // The delay is over: the attacker's next wrong password is checked (401) and renews only its own delay.
      expect((await signIn(user.email, 'wrong password!!', attacker)).statusCode).toBe(401);
    }
    // Progressive (30 s, 1, 2, 4, 8 min…) and capped at 15 minutes.
    expect(waits.slice(0, 5)).toEqual([30, 60, 120, 240, 480]);
    expect(Math.max(...waits)).toBe(maxDelaySeconds);
    // Once the capped delay has passed, even from the attacker's address the real user gets in.
    advance(maxDelaySeconds);
    expect((await signIn(user.email, PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('load test: 100 wrong passwords get 429s; the real user signs in from another address, and from the same one after the delay', async () => {
    const user = await newUser(h, org, 'staff');
    const addresses = ['10.72.0.1', '10.72.0.2', '10.72.0.3', '10.72.0.4'];
    const counts = { 401: 0, 429: 0 } as Record<number, number>;
    for (let i = 0; i < 100; i++) {
      const res = await signIn(user.email, `wrong password ${i}`, addresses[i % addresses.length] as string);
      counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
    }
    expect(counts[429]).toBeGreaterThan(75);
    expect(counts[401]).toBeLessThanOrEqual(20);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(100);
    // Right away from another address…
    expect((await signIn(user.email, PASSWORD, '10.73.0.1')).statusCode).toBe(200);
    // …and from an attacking address once its (capped) delay is over.
    const refused = await signIn(user.email, PASSWORD, addresses[0] as string);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().retryAfterSeconds).toBeLessThanOrEqual(maxDelaySeconds);
    advance(refused.json().retryAfterSeconds);
    expect((await signIn(user.email, PASSWORD, addresses[0] as string)).statusCode).toBe(200);
  });

  it('many addresses failing on one account: each failing address waits, a fresh one still gets in', async () => {
    const user = await newUser(h, org, 'staff');
    for (let i = 0; i < 12; i++) expect((await signIn(user.email, 'wrong password!!', `10.74.0.${i}`)).statusCode).toBe(401);
    // The account is under attack: an address that already failed on it waits…
    expect((await signIn(user.email, 'wrong password!!', '10.74.0.0')).statusCode).toBe(429);
    expect((await signIn(user.email, PASSWORD, '10.74.0.1')).statusCode).toBe(429);
    // …but not the real user's own address.
    expect((await signIn(user.email, PASSWORD, '10.75.0.1')).statusCode).toBe(200);
  });

  it('failures older than an hour no longer count (sliding window)', async () => {
    const user = await newUser(h, org, 'staff');
    const ip = '10.76.0.1';
    for (let i = 0; i < 5; i++) await signIn(user.email, 'wrong password!!', ip);
    expect((await signIn(user.email, PASSWORD, ip)).statusCode).toBe(429);
    advance(3601);
    for (let i = 0; i < 4; i++) expect((await signIn(user.email, 'wrong password!!', ip)).statusCode).toBe(401);
    expect((await signIn(user.email, PASSWORD, ip)).statusCode).toBe(200);
  });

  it('limits one address trying many accounts', async () => {
    const ip = '10.77.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await signIn(`nobody-${i}@test.lien.fr`, 'whatever password', ip)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toContain(429);
    // The address's delay applies to any account, with a clear French message.
    const user = await newUser(h, org, 'staff');
    const res = await signIn(user.email, PASSWORD, ip);
    expect(res.statusCode).toBe(429);
    expect(res.json().detail).toContain('Trop de tentatives');
  });
});
