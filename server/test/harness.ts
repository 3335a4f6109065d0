import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { inject } from 'vitest';
import type { Role } from '../../contracts/roles.ts';
import { type App, buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Deps } from '../modules/deps.ts';
import { assignAgencies, createActiveUser, insertAgencies } from '../modules/identity/index.ts';
import { hashPassword } from '../platform/auth/password.ts';
import { currentTotp, newTotpSecret } from '../platform/auth/totp.ts';
import { type Database, openDatabase, openOwnerPool } from '../platform/db/database.ts';
import { createOrganisation } from '../platform/db/organisations.ts';
import { createJobs, type Jobs } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;

/** A real app on the test database, plus an owner pool for what only tests may do. */
export type Harness = { app: App; deps: Deps; database: Database; jobs: Jobs; owner: pg.Pool; close: () => Promise<void> };

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  // The data folder of the test run (message key, development mailbox), shared by every test file — their
  // workers deliver each other's messages — and never the project's own `.lien/`.
  const config = loadConfig({
    DATABASE_URL: inject('ownerUrl'),
    APP_DATABASE_URL: inject('appUrl'),
    LIEN_DATA_DIR: inject('dataDir'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const database = openDatabase(inject('appUrl'), 10);
  const jobs = createJobs(inject('ownerUrl'), database, createLogger('silent'));
  await jobs.start();
  const deps: Deps = { config, database, jobs };
  const app = await buildApp(deps, false);
  await app.ready();
  const owner = openOwnerPool(inject('ownerUrl'), 2);
  return {
    app,
    deps,
    database,
    jobs,
    owner,
    close: async () => {
      await app.close();
      await jobs.stop();
      await database.close();
      await owner.end();
    },
  };
}

export type TestOrg = { id: string; slug: string; agencyIds: string[] };
export type TestUser = { id: string; email: string; role: Role; totpSecret: string | null; organisationId: string };

/** A new organisation with two agencies. */
export async function newOrganisation(h: Harness): Promise<TestOrg> {
  const slug = `org-${randomBytes(4).toString('hex')}`;
  const id = await createOrganisation(h.database, { slug, name: `Bailleur ${slug}` });
  const agencyIds = await h.database.withOrg({ organisationId: id }, async (trx) => {
    await insertAgencies(trx, [
      { code: 'A1', name: 'Agence 1', duty_phone: null },
      { code: 'A2', name: 'Agence 2', duty_phone: null },
    ]);
    return (await trx.selectFrom('agencies').select('id').orderBy('code').execute()).map((a) => a.id);
  });
  return { id, slug, agencyIds };
}

/** An active user with an enrolled second factor (every role has one), unless `totp: false`. */
export async function newUser(
  h: Harness,
  org: TestOrg,
  role: Role,
  options: { totp?: boolean; agencyIds?: string[]; endDate?: string | null } = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(PASSWORD);
  const email = `${role}-${randomBytes(4).toString('hex')}@test.lien.fr`;
  const totpSecret = (options.totp ?? true) ? newTotpSecret() : null;
  const id = await h.database.withOrg({ organisationId: org.id }, async (trx) => {
    const userId = await createActiveUser(trx, {
      email,
      firstName: 'Test',
      lastName: role,
      role,
      endDate: options.endDate ?? null,
      passwordHash: await passwordHash,
      totpSecret,
    });
    if (options.agencyIds) await assignAgencies(trx, userId, options.agencyIds);
    return userId;
  });
  return { id, email, role, totpSecret, organisationId: org.id };
}

/** The session cookie of a response, as a `name=value` pair. */
export function cookieOf(response: LightMyRequestResponse): string {
  const raw = response.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (!first) throw new Error(`no cookie set (status ${response.statusCode}: ${response.body})`);
  return first.split(';')[0] as string;
}

/**
 * The test user's current TOTP code, usable now: the last used step is forgotten first (each
 * code works once), for a second sign-in or a re-authentication within the same 30 seconds.
 */
export async function totpCodeOf(h: Harness, user: TestUser): Promise<string> {
  if (!user.totpSecret) throw new Error('this test user has no second factor');
  await h.owner.query('update users set totp_last_step = null where id = $1', [user.id]);
  return currentTotp(user.totpSecret);
}

/** Sign in through the API (with the second factor when the user has one). */
/** A private address of its own for each sign-in: test files share one database, so a shared address would add up their failures (per-address limits). */
const anyAddress = () => `10.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 250)}`;

export async function signIn(h: Harness, user: TestUser, ip = anyAddress()): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, password: PASSWORD }, remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  let cookie = cookieOf(res);
  if (res.json().stage === 'second_factor' && user.totpSecret) {
    // Each code works once: let the test user's last step be forgotten so consecutive sign-ins in a test work.
    await h.owner.query('update users set totp_last_step = null where id = $1', [user.id]);
    const second = await h.app.inject({
      method: 'POST',
      url: '/api/auth/second-factor',
      payload: { code: currentTotp(user.totpSecret) },
      headers: { cookie },
      remoteAddress: ip,
    });
    if (second.statusCode !== 200) throw new Error(`second factor failed: ${second.body}`);
    cookie = cookieOf(second);
  }
  return cookie;
}
