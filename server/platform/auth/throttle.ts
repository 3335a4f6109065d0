import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { throttleKey } from './tokens.ts';

/**
 * Progressive delays against password and code guessing (TRUST AA-07), with no lockout that a
 * third party can renew. Each key (an account, an address, an account from one address, a
 * second factor) keeps the instants of its failures within a sliding window of one hour. Past
 * a key's free failures, the next attempt must wait 30 s, then 1, 2, 4, 8 min, never more than
 * 15 min after the last failure; failures older than the window no longer count. The delay is
 * computed, never stored, so nothing extends it but failures within the window.
 */
const windowSeconds = 60 * 60;
const baseDelaySeconds = 30;
export const maxDelaySeconds = 15 * 60;
/** Most instants kept per key: well past the cap (free + 5 doublings), bounded under attack. */
const keptInstants = 64;

/** Free failures per kind of key, within the window. */
const allowance: Record<string, number> = { acct: 10, pair: 5, ip: 30, totp: 5, 'portal-ip': 20, 'portal-contact': 5 };

function kindOf(key: string) {
  return key.split(':')[0] ?? '';
}

/** Seconds to wait after `failures` failures when `free` are allowed: 0, then 30 s doubling up to 15 min. */
export function delayAfter(failures: number, free: number): number {
  return failures < free ? 0 : Math.min(maxDelaySeconds, baseDelaySeconds * 2 ** (failures - free));
}

async function recentFailures(database: Database, keys: string[], now: Date): Promise<Map<string, Date[]>> {
  const since = now.getTime() - windowSeconds * 1000;
  const rows = keys.length ? await database.db.selectFrom('auth_throttle').select(['key', 'failures_at']).where('key', 'in', keys).execute() : [];
  return new Map(rows.map((r) => [r.key, r.failures_at.map((t) => new Date(t)).filter((t) => t.getTime() > since)]));
}

/** Seconds before a key may try again (0: now). */
function secondsToWait(key: string, failures: Date[] | undefined, now: Date): number {
  if (!failures?.length) return 0;
  const delay = delayAfter(failures.length, allowance[kindOf(key)] ?? 5);
  const last = Math.max(...failures.map((t) => t.getTime()));
  return Math.max(0, Math.ceil((last + delay * 1000 - now.getTime()) / 1000));
}

function tooMany(seconds: number, detail = 'Trop de tentatives infructueuses.') {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new AppError('too_many_attempts', 429, `${detail} Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`, {
    retryAfterSeconds: seconds,
  });
}

/** Refuse with 429 and a French message while any key must wait; otherwise, the keys that have failures within the window (the others need no clearing after a success). */
export async function assertNotThrottled(database: Database, keys: string[], now = new Date()): Promise<Set<string>> {
  const recent = await recentFailures(database, keys, now);
  const seconds = Math.max(0, ...keys.map((k) => secondsToWait(k, recent.get(k), now)));
  if (seconds > 0) throw tooMany(seconds);
  return new Set([...recent].filter(([, instants]) => instants.length > 0).map(([key]) => key));
}

/** The throttling keys of one sign-in attempt (hashed: no e-mail or address stored). */
export type SignInKeys = { account: string; pair: string; address: string };

export function signInKeys(email: string, ip: string): SignInKeys {
  return { account: throttleKey('acct', email), pair: throttleKey('pair', `${email}\n${ip}`), address: throttleKey('ip', ip) };
}

/**
 * May this address try this account's password now? Every wait runs from the caller's own last
 * failure, so nobody else can renew it: the address's delay (many accounts tried from it), the
 * delay of this account from this address, and, for an address that has itself failed on the
 * account within the window, the account's delay (many addresses failing on it: a distributed
 * attack gets one guess per address per delay). An address with no failure on the account, such
 * as the real user's, is never held back by other addresses' failures.
 */
export async function assertSignInAllowed(database: Database, keys: SignInKeys, now = new Date()): Promise<void> {
  const recent = await recentFailures(database, [keys.account, keys.pair, keys.address], now);
  const own = recent.get(keys.pair) ?? [];
  const accountDelay = own.length ? delayAfter(recent.get(keys.account)?.length ?? 0, allowance.acct as number) : 0;
  const lastOwn = own.length ? Math.max(...own.map((t) => t.getTime())) : 0;
  const seconds = Math.max(
    secondsToWait(keys.address, recent.get(keys.address), now),
    secondsToWait(keys.pair, own, now),
    Math.ceil((lastOwn + accountDelay * 1000 - now.getTime()) / 1000),
  );
  if (seconds > 0) throw tooMany(seconds);
}

/** Append `now` to a key's instants, keeping only those within the window; returns how many remain. */
async function appendInstant(database: Database, key: string, now: Date, window = windowSeconds): Promise<Date[]> {
  const { rows } = await sql<{ failures_at: Date[] }>`
    insert into auth_throttle as t (key, failures_at) values (${key}, array[${now}::timestamptz])
    on conflict (key) do update set failures_at = array(
      select i from unnest(t.failures_at || ${now}::timestamptz) as i
      where i > ${now}::timestamptz - make_interval(secs => ${window})
      order by i desc limit ${keptInstants}
    )
    returning failures_at
  `.execute(database.db);
  return (rows[0]?.failures_at ?? []).map((t) => new Date(t));
}

/** Count a failure on each key. */
export async function recordFailure(database: Database, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) await appendInstant(database, key, now);
}

/** Forget failures after a success. */
export async function clearFailures(database: Database, keys: string[]): Promise<void> {
  await database.db.deleteFrom('auth_throttle').where('key', 'in', keys).execute();
}

/**
 * Count one request against a plain limit (at most `limit` per `windowSeconds`, sliding); past
 * it, a French 429 saying when to come back. Refused requests count too: hammering keeps waiting.
 */
export async function takeAllowance(
  database: Database,
  key: string,
  limit: { count: number; windowSeconds: number; detail: string },
  now = new Date(),
): Promise<void> {
  const instants = await appendInstant(database, key, now, limit.windowSeconds);
  if (instants.length <= limit.count) return;
  const oldestCounted = Math.min(...instants.slice(0, limit.count).map((t) => t.getTime()));
  throw tooMany(Math.max(1, Math.ceil((oldestCounted + limit.windowSeconds * 1000 - now.getTime()) / 1000)), limit.detail);
}

/**
 * `takeAllowance` for several keys sharing one window, in one statement (one round trip instead
 * of one per key): each key's request is counted, then the call is refused if any key is past its
 * limit, with the longest wait. Counting every key even when another one refuses changes nothing
 * an attacker can use: each key still counts every request made against it.
 */
export async function takeAllowances(
  database: Database,
  limits: { key: string; count: number }[],
  window: { windowSeconds: number; detail: string },
  now = new Date(),
): Promise<void> {
  // Rows locked in key order, so two requests sharing keys cannot deadlock.
  const keys = [...new Set(limits.map((l) => l.key))].sort();
  const { rows } = await sql<{ key: string; failures_at: Date[] }>`
    insert into auth_throttle as t (key, failures_at)
    select k, array[${now}::timestamptz] from unnest(${keys}::text[]) k order by k
    on conflict (key) do update set failures_at = array(
      select i from unnest(t.failures_at || ${now}::timestamptz) as i
      where i > ${now}::timestamptz - make_interval(secs => ${window.windowSeconds})
      order by i desc limit ${keptInstants}
    )
    returning key, failures_at
  `.execute(database.db);
  const byKey = new Map(rows.map((r) => [r.key, r.failures_at.map((t) => new Date(t).getTime())]));
  let wait = 0;
  for (const { key, count } of limits) {
    const instants = byKey.get(key) ?? [];
    if (instants.length <= count) continue;
    const oldestCounted = Math.min(...instants.slice(0, count));
    wait = Math.max(wait, Math.max(1, Math.ceil((oldestCounted + window.windowSeconds * 1000 - now.getTime()) / 1000)));
  }
  if (wait > 0) throw tooMany(wait, window.detail);
}
