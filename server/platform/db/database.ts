import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CompiledQuery,
  type ControlledTransaction,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type PostgresDialectConfig,
  PostgresDriver,
  type QueryResult,
  sql,
  type Transaction,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

// count(*) and bigint columns as numbers: counts here stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// Dates (not timestamps) stay ISO strings: no time-zone shift on birth dates.
pg.types.setTypeParser(1082, (v) => v);

/** Role that owns the schema and runs migrations (bypasses RLS, never used by requests). */
export const OWNER_ROLE = 'lien_owner';
/** Role the application connects as: owns nothing, not superuser, NOBYPASSRLS. */
export const APP_ROLE = 'lien_app';

/** Organisation-scoped transaction handle. */
export type Tx = Transaction<DB>;
/**
 * Who acts: the organisation and (when known) the user; `lock`, a transaction-level advisory lock
 * taken in the same round trip as `begin` (e.g. `next:<user>`: letters, digits, `_`, `-`
 * and `:` only, as it is sent inline), held until the transaction ends.
 */
export type OrgContext = { organisationId: string; userId?: string | null; lock?: string };

/** The application's database: a Kysely instance on the app role, and the scoped runner. */
export type Database = {
  db: Kysely<DB>;
  pool: pg.Pool;
  /** Open a transaction with the organisation (and user) set transaction-locally. */
  withOrg: <T>(ctx: OrgContext, fn: (trx: Tx) => Promise<T>) => Promise<T>;
  /**
   * A transaction left open for the caller to commit or roll back, opened by `begin` followed by
   * `statements` in the same round trip (simple protocol, so no parameters: whatever they inline
   * must be checked by the caller); returns the rows of the last of them. The session of a
   * request is resolved this way (auth/sessions.repository.ts `openSessionTransaction`).
   */
  beginWith: (statements: string) => Promise<{ trx: ControlledTransaction<DB>; rows: Record<string, unknown>[] }>;
  /** The same, on a raw pg client (for COPY). */
  withOrgClient: <T>(ctx: OrgContext, fn: (client: pg.PoolClient) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

/**
 * Open the app-role connection pool. Its connections, once opened, are kept while idle (`min` =
 * `max`): a new backend starts with empty catalog caches and plans each hot prepared statement
 * for the first time — the claim's plan alone costs tens of milliseconds cold, a hundred and more
 * on a busy machine —, so a pool that closed its idle connections after 30 s made the first
 * requests after every lull (and the bench's paced run, after the bare loop) pay that on up to
 * 20 connections at once: a stall of every request for up to a second (docs/benchmarks.md,
 * 2026-12-01). Idle connections do not keep a command-line process alive (`allowExitOnIdle`).
 */
export function openDatabase(appUrl: string, poolSize = 20, options: { idleTimeoutMillis?: number } = {}): Database {
  const pool = new pg.Pool({
    connectionString: appUrl,
    max: poolSize,
    min: poolSize,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    allowExitOnIdle: true,
  });
  // A dropped connection (database restart) must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new OrgScopedDialect({ pool }) });
  // A Kysely transaction opened with the organisation and the user set transaction-locally, both
  // in its `begin` (one round trip; see OrgScopedDriver). RLS sees them; the next user of the
  // connection does not. `fn` runs outside the opening context, so a transaction it opens itself
  // gets no organisation by accident.
  const withOrg = async <T>(ctx: OrgContext, fn: (trx: Tx) => Promise<T>) => {
    checkContext(ctx);
    let opened: Tx | undefined;
    const result = await opening.run({ begin: beginWithOrg(ctx) }, () =>
      db.transaction().execute((trx) => {
        opened = trx;
        return opening.exit(() => fn(trx));
      }),
    );
    if (opened) await runAfterCommit(opened);
    return result;
  };
  const beginWith = async (statements: string) => {
    const store: Opening = { begin: `begin; ${statements}` };
    const trx = await opening.run(store, () => db.startTransaction().execute());
    const last = store.results?.at(-1);
    return { trx, rows: (last?.rows ?? []) as Record<string, unknown>[] };
  };
  const withOrgClient = async <T>(ctx: OrgContext, fn: (client: pg.PoolClient) => Promise<T>) => {
    const client = await pool.connect();
    try {
      await client.query(beginWithOrg(ctx));
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };
  return { db, pool, withOrg, beginWith, withOrgClient, close: () => db.destroy() };
}

/**
 * Work to do once a transaction has committed, never if it rolls back (files: a deleted record's
 * bytes are removed only when the deletion is for good). `withOrg` and `withSession` run it after
 * their commit, in order; each piece catches its own failures (the transaction is already
 * committed, the caller's answer stands).
 */
const afterCommits = new WeakMap<Tx, (() => Promise<void>)[]>();

export function afterCommit(trx: Tx, work: () => Promise<void>) {
  const list = afterCommits.get(trx);
  if (list) list.push(work);
  else afterCommits.set(trx, [work]);
}

/** Runs (once) what was registered on a transaction that has just committed. */
export async function runAfterCommit(trx: Tx) {
  const list = afterCommits.get(trx);
  afterCommits.delete(trx);
  for (const work of list ?? []) await work().catch(() => {});
}

/** Forgets what was registered on a transaction: its work was rolled back to a savepoint (a preview). */
export function dropAfterCommit(trx: Tx) {
  afterCommits.delete(trx);
}

/** The `begin` text of the transaction `withOrg` or `beginWith` is opening, read by the driver's `begin`, and what it returned. */
type Opening = { begin: string; results?: pg.QueryResult[] };
const opening = new AsyncLocalStorage<Opening>();

/**
 * A few hot statements run as named prepared statements (ADR 0009): their text starts with the
 * marker `prepared(name)` writes, e.g. sql`${prepared('claim_next')} with pick as …`. PostgreSQL
 * then parses and plans them once per connection instead of on every call (for the claim and
 * the caller's state, planning under RLS cost more than running them). The prepared name is the
 * marker's name plus a hash of the whole text, so a statement whose text varies (optional
 * fragments) gets one prepared statement per variant and never a wrong one. What is kept is a
 * plan in PostgreSQL's session, not data: a schema change invalidates it there, and a new
 * connection prepares again. Every other statement runs unnamed, as Kysely sends it.
 */
export function prepared(name: string) {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`prepared statement name ${name}: lowercase letters and _ only`);
  return sql.raw(`/* prepared:${name} */ `);
}

const preparedMarker = /^\/\* prepared:([a-z_]+) \*\/ /;

/**
 * Prepared names already derived, by statement text: a pure function of the text (no data, no
 * dispatch state), remembered so the hot statements are not hashed again at every execution. The
 * marked texts are a few variants per statement; the bound only guards against a bug that would
 * put values into a marked text.
 */
const preparedNames = new Map<string, string>();
const PREPARED_NAMES_MAX = 1000;

/** The name a statement is prepared under, or null for an ordinary (unnamed) statement. */
function preparedNameOf(text: string) {
  const m = preparedMarker.exec(text);
  if (!m) return null;
  const known = preparedNames.get(text);
  if (known) return known;
  const name = `${m[1]}_${createHash('sha1').update(text).digest('hex').slice(0, 12)}`;
  if (preparedNames.size >= PREPARED_NAMES_MAX) preparedNames.clear();
  preparedNames.set(text, name);
  return name;
}

/**
 * Marks a statement as the last of its transaction (ADR 0009, update « afternoon »): the driver
 * sends `commit` behind it in the same round trip (extended protocol: the statement's
 * parse/bind/execute, then those of `commit`, then one sync), and the transaction's own `commit`
 * then costs nothing. If the statement fails, PostgreSQL skips the `commit` and the transaction is
 * rolled back as usual; if the `commit` fails, the statement's call fails with its error. Once it
 * has committed, any other statement in that transaction is refused (it would run outside it),
 * and a rollback has nothing left to undo: so only a statement after which the use case writes
 * nothing and cannot fail may carry it. Put it right after `prepared(name)`, or first.
 */
export function thenCommit(yes = true) {
  return sql.raw(yes ? commitMarker : '');
}

const commitMarker = '/* then:commit */ ';
const commitMarkerAtStart = /^(\/\* prepared:[a-z_]+ \*\/ )?\/\* then:commit \*\/ /;

/** A pg query followed, in the same round trip, by `commit` (see `thenCommit`); its result is the statement's alone. */
class CommittingQuery extends pg.Query {
  committed = false;
  // Extended protocol even without parameters: the commit rides behind the statement's execute.
  requiresPreparation() {
    return true;
  }
  // pg sends execute then sync here for a statement without a row limit: `commit` goes in between.
  _getRows(connection: PgConnection) {
    connection.execute({ portal: (this as unknown as { portal: string }).portal });
    connection.parse({ text: 'commit' });
    connection.bind({});
    connection.execute({});
    connection.sync();
  }
  handleCommandComplete(msg: { text?: string }, connection: PgConnection) {
    // The `commit`'s completion is not a result of the statement.
    if (msg.text === 'COMMIT') this.committed = true;
    else (pg.Query.prototype as unknown as CommandHandler).handleCommandComplete.call(this, msg, connection);
  }
}
type PgConnection = {
  execute: (c: { portal?: string }) => void;
  parse: (c: { text: string }) => void;
  bind: (c: object) => void;
  sync: () => void;
};
type CommandHandler = { handleCommandComplete: (msg: unknown, connection: PgConnection) => void };

/** A pg result as Kysely's. */
function resultOf<R>(r: pg.QueryResult): QueryResult<R> {
  const writes = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(r.command);
  return { numAffectedRows: writes ? BigInt(r.rowCount ?? 0) : undefined, rows: (r.rows ?? []) as R[] };
}

/** A Kysely connection on a pg client that sends marked statements as named prepared statements (pg prepares each name once per connection). */
class PreparingConnection implements DatabaseConnection {
  readonly client: pg.PoolClient;
  discarded = false;
  /** The transaction was committed by its last statement (`thenCommit`): its `commit` is already done. */
  committedAhead = false;
  constructor(client: pg.PoolClient) {
    this.client = client;
  }
  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.committedAhead) throw new Error('statement after the one that committed its transaction (thenCommit): it would run outside it');
    const values = [...compiledQuery.parameters];
    const name = preparedNameOf(compiledQuery.sql);
    if (commitMarkerAtStart.test(compiledQuery.sql)) return this.executeAndCommit<R>(compiledQuery.sql, values, name);
    const r = await (name ? this.client.query({ name, text: compiledQuery.sql, values }) : this.client.query(compiledQuery.sql, values));
    if (r.command === 'ROLLBACK' || r.command === 'COMMIT') return { rows: [{ command: r.command } as R] };
    return resultOf<R>(r);
  }
  private async executeAndCommit<R>(text: string, values: unknown[], name: string | null): Promise<QueryResult<R>> {
    let query: CommittingQuery | undefined;
    const r = await new Promise<pg.QueryResult>((resolve, reject) => {
      query = new CommittingQuery({ text, values, ...(name ? { name } : {}) }, (error: Error | null, result: pg.QueryResult) =>
        error ? reject(error) : resolve(result),
      );
      this.client.query(query);
    });
    if (!query?.committed) throw new Error('thenCommit: the commit sent with the statement did not complete');
    this.committedAhead = true;
    return resultOf<R>(r);
  }
  // biome-ignore lint/correctness/useYield: no streaming on this pool (no cursor configured).
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not configured on the application pool');
  }
}

/**
 * Kysely's PostgreSQL driver with two changes: its `begin` carries the organisation's settings
 * when `withOrg` opens the transaction, and its connections run marked statements prepared.
 */
class OrgScopedDriver extends PostgresDriver {
  readonly #pool: pg.Pool;
  readonly #connections = new WeakMap<pg.PoolClient, PreparingConnection>();
  constructor(config: PostgresDialectConfig & { pool: pg.Pool }) {
    super(config);
    this.#pool = config.pool;
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    const client = await this.#pool.connect();
    let connection = this.#connections.get(client);
    if (!connection) {
      connection = new PreparingConnection(client);
      this.#connections.set(client, connection);
    }
    connection.discarded = false;
    return connection;
  }
  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as PreparingConnection;
    c.committedAhead = false;
    c.client.release(c.discarded);
  }
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    (connection as PreparingConnection).committedAhead = false;
    const o = opening.getStore();
    if (!o || settings.isolationLevel || settings.accessMode) return super.beginTransaction(connection, settings);
    const { client } = connection as PreparingConnection;
    try {
      const r = (await client.query(o.begin)) as pg.QueryResult | pg.QueryResult[];
      o.results = Array.isArray(r) ? r : [r];
    } catch (error) {
      // A statement after `begin` failed: the connection goes back to the pool outside any transaction.
      await client.query('rollback').catch(() => {});
      throw error;
    }
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PreparingConnection;
    if (c.committedAhead) {
      c.committedAhead = false;
      return;
    }
    return super.commitTransaction(connection);
  }
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PreparingConnection;
    // Committed by its last statement (`thenCommit`): nothing is left to roll back.
    if (c.committedAhead) {
      c.committedAhead = false;
      return;
    }
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch (error) {
      // A connection that cannot roll back goes back to the pool destroyed.
      (connection as PreparingConnection).discarded = true;
      throw error;
    }
  }
}

class OrgScopedDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig & { pool: pg.Pool };
  constructor(config: PostgresDialectConfig & { pool: pg.Pool }) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new OrgScopedDriver(this.#config);
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const lockKeyPattern = /^[A-Za-z0-9_:-]{1,200}$/;

/** Organisation and user must be UUIDs, a lock key plain characters (anything else would be a bug, never user input). */
function checkContext(ctx: OrgContext) {
  if (!uuidPattern.test(ctx.organisationId) || (ctx.userId && !uuidPattern.test(ctx.userId))) throw new Error('withOrg needs UUIDs');
  if (ctx.lock !== undefined && !lockKeyPattern.test(ctx.lock)) throw new Error('withOrg lock key: letters, digits, _, - and : only');
}

/**
 * `begin`, the transaction-local organisation and user and, when asked, the transaction's advisory
 * lock, as one simple-protocol text (one round trip). The lock key is hashed as
 * `advisoryLockSql` hashes it, so both name the same lock.
 */
function beginWithOrg(ctx: OrgContext) {
  checkContext(ctx);
  // Inlined as literals: the ids were checked to be UUIDs, the lock key to hold no quote.
  const lock = ctx.lock === undefined ? '' : `; select pg_advisory_xact_lock(hashtextextended('${ctx.lock}', 0))`;
  return `begin; select set_config('lien.org_id', '${ctx.organisationId}', true), set_config('lien.user_id', '${ctx.userId ?? ''}', true)${lock}`;
}

/** The same transaction-level advisory lock as `OrgContext.lock`, as a statement of an open transaction. */
export function advisoryLockSql(key: string) {
  if (!lockKeyPattern.test(key)) throw new Error('advisory lock key: letters, digits, _, - and : only');
  return sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** Replace the user and password of a PostgreSQL URL. */
function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** Replace the database name of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function appPassword(dataDir: string | null): Promise<string> {
  if (process.env.LIEN_APP_DB_PASSWORD) return process.env.LIEN_APP_DB_PASSWORD;
  if (!dataDir) return randomBytes(24).toString('base64url');
  const file = path.join(dataDir, 'app-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Create the database if it does not exist (needs CREATEDB on the owner connection). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

/**
 * Prepare the two roles on a database reached through the owner URL: `lien_owner` (owns the
 * schema, runs migrations) and `lien_app` (what requests use). Returns the app URL. When the
 * app URL is given, the app role and its password are the operator's business.
 */
export async function prepareRoles(ownerUrl: string, options: { appUrl?: string; dataDir?: string | null } = {}): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(8675309)`);
    const exists = async (role: string) => ((await client.query('select 1 from pg_roles where rolname = $1', [role])).rowCount ?? 0) > 0;
    if (!(await exists(OWNER_ROLE))) await client.query(`create role ${OWNER_ROLE} nologin bypassrls`);
    if (!(await exists(APP_ROLE))) await client.query(`create role ${APP_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole`);
    await client.query(`grant ${OWNER_ROLE} to current_user`);
    const { rows } = await client.query('select current_database() as db');
    const dbName = rows[0].db as string;
    await client.query(`grant create, connect on database "${dbName}" to ${OWNER_ROLE}`);
    await client.query(`grant connect on database "${dbName}" to ${APP_ROLE}`);
    await client.query(`grant usage, create on schema public to ${OWNER_ROLE}`);
    await client.query(`grant usage on schema public to ${APP_ROLE}`);
    await client.query(`create extension if not exists pg_trgm`);
    await client.query(`create extension if not exists unaccent`);
    await client.query(`alter default privileges for role ${OWNER_ROLE} in schema public grant select, insert, update, delete on tables to ${APP_ROLE}`);
    await client.query(`alter default privileges for role ${OWNER_ROLE} in schema public grant usage, select on sequences to ${APP_ROLE}`);
    if (options.appUrl) return options.appUrl;
    const password = await appPassword(options.dataDir ?? null);
    await client.query(`alter role ${APP_ROLE} password '${password.replace(/'/g, "''")}'`);
    return withCredentials(ownerUrl, APP_ROLE, password);
  } finally {
    await client.query(`select pg_advisory_unlock(8675309)`).catch(() => {});
    await client.end();
  }
}

/** A pool on the owner URL acting as the owner role (migrations, job-queue maintenance). */
export function openOwnerPool(ownerUrl: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: ownerUrl, max, options: `-c role=${OWNER_ROLE}` });
  pool.on('error', () => {});
  return pool;
}
