/**
 * What other modules may know of identity's tables (`users`, `agencies`, `user_agencies`),
 * through index.ts, in the caller's transaction (issue 10: one owner per table). Names and
 * look-ups only; the SQL fragments let a module's own statement show a name or map an agency
 * code without naming these tables itself.
 */
import { type Expression, type Insertable, type RawBuilder, sql } from 'kysely';
import type { Role } from '../../../contracts/roles.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';

/** A list scoped to agencies (null: the whole organisation). */
type Scope = readonly string[] | null;

/** « Prénom Nom » of the user whose id is `id` (a column or value of the embedding statement), or null. */
export const userNameOf = (id: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string | null> =>
  sql<string | null>`(select u.first_name || ' ' || u.last_name from users u where u.id = ${id})`;

/** The name of the agency whose id is `id`. */
export const agencyNameOf = (id: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`(select ag.name from agencies ag where ag.id = ${id})`;

/** The on-duty phone of the agency whose id is `id`, or null. */
export const agencyDutyPhoneOf = (id: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string | null> =>
  sql<string | null>`(select ag.duty_phone from agencies ag where ag.id = ${id})`;

/** The id of the agency whose code is `code`, or null. */
export const agencyIdOfCode = (code: Expression<string | null> | RawBuilder<unknown>): RawBuilder<string | null> =>
  sql<string | null>`(select ag.id from agencies ag where ag.code = ${code})`;

/**
 * The statement that creates the agencies of `source` (a query of rows with `code` and `name`,
 * one per code, e.g. from an import's valid lines) and renames those whose name changed: the
 * import runs it in its transaction, as one statement.
 */
export const agenciesUpsert = (source: RawBuilder<{ code: string; name: string }>): RawBuilder<unknown> => sql`
    insert into agencies (organisation_id, code, name)
    select lien_current_org(), s.code, s.name from (${source}) s
    on conflict (organisation_id, code) do update set name = excluded.name where agencies.name is distinct from excluded.name`;

/** « Prénom Nom » of each of these users of the organisation, by id. */
export async function userNames(trx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx
    .selectFrom('users')
    .select(['id', sql<string>`first_name || ' ' || last_name`.as('name')])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type ActiveUsersQuery = { roles: readonly Role[] };
export type DirectoryUser = { id: string; first_name: string; last_name: string; role: Role; email: string };

/** Active users with one of these roles, in French alphabetical order (at most 2,000). */
export async function activeUsers(trx: Tx, q: ActiveUsersQuery): Promise<DirectoryUser[]> {
  if (!q.roles.length) return [];
  return trx
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name', 'role', 'email'])
    .where('status', '=', 'active')
    .where('role', 'in', [...q.roles])
    .orderBy(sql`last_name collate "fr-FR-x-icu"`)
    .orderBy(sql`first_name collate "fr-FR-x-icu"`)
    .limit(2000)
    .execute() as Promise<DirectoryUser[]>;
}

/** Whether this user is active with one of these roles. */
export async function isActiveWith(trx: Tx, q: { userId: string; roles: readonly Role[] }) {
  if (!q.roles.length) return false;
  const row = await trx
    .selectFrom('users')
    .select('id')
    .where('id', '=', q.userId)
    .where('status', '=', 'active')
    .where('role', 'in', [...q.roles])
    .executeTakeFirst();
  return row !== undefined;
}

/** The ids of the users with these e-mails (any status), by e-mail: the demo seed's accounts. */
export async function usersByEmail(trx: Tx, emails: readonly string[]): Promise<Map<string, string>> {
  if (!emails.length) return new Map();
  const rows = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', 'in', [...emails])
    .execute();
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** Active caretakers of the organisation who may serve the scope: of one of its agencies, or of the whole organisation. */
export async function caretakers(trx: Tx, scope: Scope) {
  const r = await sql<{ id: string; name: string; agency_ids: string[] }>`
    select u.id, u.first_name || ' ' || u.last_name as name,
      array(select ua.agency_id from user_agencies ua where ua.user_id = u.id order by ua.agency_id) as agency_ids
    from users u where u.role = 'caretaker' and u.status = 'active'
      ${
        scope
          ? sql`and (not exists (select 1 from user_agencies ua where ua.user_id = u.id)
              or exists (select 1 from user_agencies ua where ua.user_id = u.id and ua.agency_id = any(${scope}::uuid[])))`
          : sql``
      }
    order by u.last_name collate "fr-FR-x-icu", u.first_name collate "fr-FR-x-icu"`.execute(trx);
  return r.rows;
}

/** An active caretaker of the organisation, and whether they serve this agency (`lien_caretaker_serves`). */
export async function caretakerFor(trx: Tx, q: { caretakerId: string; agencyId: string }) {
  const r = await sql<{ name: string; serves: boolean }>`
    select u.first_name || ' ' || u.last_name as name, lien_caretaker_serves(u.id, ${q.agencyId}) as serves
    from users u where u.id = ${q.caretakerId} and u.role = 'caretaker' and u.status = 'active'`.execute(trx);
  return r.rows[0];
}

/** Active org admins (id, e-mail), who receive the security alerts. */
export function activeOrgAdmins(trx: Tx) {
  return trx.selectFrom('users').select(['id', 'email']).where('role', '=', 'org_admin').where('status', '=', 'active').execute();
}

/** Creates agencies (the demo landlord, tests), ignoring codes that exist. */
export async function insertAgencies(trx: Tx, rows: Omit<Insertable<DB['agencies']>, 'organisation_id'>[]) {
  if (!rows.length) return;
  await trx
    .insertInto('agencies')
    .values(rows.map((r) => ({ ...r, organisation_id: sql<string>`lien_current_org()` })))
    .onConflict((oc) => oc.columns(['organisation_id', 'code']).doNothing())
    .execute();
}

/** Agency ids by code. */
export async function agencyIdsByCode(trx: Tx, codes: readonly string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await trx
    .selectFrom('agencies')
    .select(['id', 'code'])
    .where('code', 'in', [...codes])
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** The e-mail address of an active user (a notification's recipient), or undefined. */
export async function activeUserEmail(trx: Tx, userId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('users').select('email').where('id', '=', userId).where('status', '=', 'active').executeTakeFirst();
  return row?.email;
}
