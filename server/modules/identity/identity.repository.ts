import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { DB, Role } from '../../platform/db/schema.ts';

/** Columns of a user shown to admins and to the user. */
const publicColumns = ['id', 'email', 'first_name', 'last_name', 'role', 'status', 'totp_enabled', 'end_date', 'created_at'] as const;

export function findUser(trx: Tx, userId: string) {
  return trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export async function agencyIdsOf(trx: Tx, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return map;
  const rows = await trx.selectFrom('user_agencies').select(['user_id', 'agency_id']).where('user_id', 'in', userIds).execute();
  for (const r of rows) map.get(r.user_id)?.push(r.agency_id);
  return map;
}

export function listUsers(trx: Tx) {
  return trx
    .selectFrom('users')
    .select(publicColumns)
    .orderBy(sql`last_name collate "fr-FR-x-icu"`)
    .orderBy(sql`first_name collate "fr-FR-x-icu"`)
    .limit(1000)
    .execute();
}

export function findPublicUser(trx: Tx, userId: string) {
  return trx.selectFrom('users').select(publicColumns).where('id', '=', userId).executeTakeFirst();
}

/** Whether an account of the current organisation (RLS) has this e-mail. */
export async function emailInOrganisation(trx: Tx, email: string) {
  return (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

export type NewUser = {
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  endDate: string | null;
  passwordHash?: string | null;
  status?: 'invited' | 'active';
  /** An already enrolled second factor (demo accounts, tests). */
  totpSecret?: string | null;
};

export async function insertUser(trx: Tx, user: NewUser) {
  const row = await trx
    .insertInto('users')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      email: user.email,
      first_name: user.firstName,
      last_name: user.lastName,
      role: user.role,
      end_date: user.endDate,
      password_hash: user.passwordHash ?? null,
      status: user.status ?? 'invited',
      totp_secret: user.totpSecret ?? null,
      totp_enabled: Boolean(user.totpSecret),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setAgencies(trx: Tx, userId: string, agencyIds: string[]) {
  await trx.deleteFrom('user_agencies').where('user_id', '=', userId).execute();
  if (agencyIds.length) {
    await trx
      .insertInto('user_agencies')
      .values(agencyIds.map((agencyId) => ({ organisation_id: sql<string>`lien_current_org()`, user_id: userId, agency_id: agencyId })))
      .execute();
  }
}

export type UserChanges = Partial<{
  role: Role;
  status: 'invited' | 'active' | 'inactive';
  end_date: string | null;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: number | null;
}>;

export async function updateUser(trx: Tx, userId: string, changes: UserChanges) {
  await trx
    .updateTable('users')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

/** Accept a TOTP step only if newer than the last one used (no code reuse). */
export async function consumeTotpStep(trx: Tx, userId: string, step: number): Promise<boolean> {
  const r = await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step) as never)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Replace a user's recovery codes by these hashes (the old ones, used or not, are gone). */
export async function replaceRecoveryCodes(trx: Tx, userId: string, hashes: Buffer[]) {
  await deleteRecoveryCodes(trx, userId);
  await trx
    .insertInto('user_recovery_codes')
    .values(hashes.map((code_hash) => ({ organisation_id: sql<string>`lien_current_org()`, user_id: userId, code_hash })))
    .execute();
}

export async function deleteRecoveryCodes(trx: Tx, userId: string) {
  const r = await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Use a recovery code: true once for an unused code of this user, false ever after. */
export async function consumeRecoveryCode(trx: Tx, userId: string, codeHash: Buffer): Promise<boolean> {
  const r = await trx
    .updateTable('user_recovery_codes')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(trx: Tx, userId: string): Promise<number> {
  const r = await trx
    .selectFrom('user_recovery_codes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function insertToken(trx: Tx, userId: string, purpose: 'password_reset' | 'invitation', tokenHash: Buffer, ttlMinutes: number) {
  await trx
    .insertInto('user_tokens')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      user_id: userId,
      purpose,
      token_hash: tokenHash,
      expires_at: sql<Date>`now() + make_interval(mins => ${ttlMinutes})`,
    })
    .execute();
}

/** Void a user's unused tokens of one purpose (a new link replaces the old ones). */
export async function voidTokens(trx: Tx, userId: string, purpose: 'password_reset' | 'invitation') {
  await trx
    .updateTable('user_tokens')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** A user, row-locked until the end of the transaction (serialises requests about one account). */
export function lockUser(trx: Tx, userId: string) {
  return trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
}

/** How many links of one purpose were issued to a user in the last `minutes` (used or not). */
export async function countTokensSince(trx: Tx, userId: string, purpose: 'password_reset' | 'invitation', minutes: number) {
  const r = await trx
    .selectFrom('user_tokens')
    .select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every account of an address, one per organisation at most (before any organisation is known). */
export function lookUpUsersByEmail(trx: Kysely<DB>, email: string) {
  return sql<{ id: string; organisation_id: string }>`select * from auth_user_by_email(${email})`.execute(trx).then((r) => r.rows);
}

export function lookUpToken(trx: Kysely<DB>, tokenHash: Buffer) {
  return sql<{ token_id: string; organisation_id: string }>`select * from auth_token_by_hash(${tokenHash})`.execute(trx).then((r) => r.rows[0]);
}

/** Lock an unused, unexpired token for consumption. */
export function claimToken(trx: Tx, tokenId: string) {
  return trx
    .selectFrom('user_tokens')
    .select(['id', 'user_id', 'purpose'])
    .where('id', '=', tokenId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .forUpdate()
    .executeTakeFirst();
}

export async function markTokenUsed(trx: Tx, tokenId: string) {
  await trx.updateTable('user_tokens').set({ used_at: sql`now()` }).where('id', '=', tokenId).execute();
}

export function listAgencies(trx: Tx) {
  return trx.selectFrom('agencies').select(['id', 'code', 'name']).orderBy(sql`name collate "fr-FR-x-icu"`).execute();
}

export async function countAgencies(trx: Tx, agencyIds: string[]) {
  if (!agencyIds.length) return 0;
  const r = await trx.selectFrom('agencies').select(sql<number>`count(*)`.as('n')).where('id', 'in', agencyIds).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Deactivate the volunteers whose end date has passed (Europe/Paris calendar). The update is the
 * claim: a concurrent run waits for the rows, finds them inactive and returns nothing.
 */
export async function deactivateVolunteersPastEndDate(trx: Tx, today: string) {
  const rows = await trx
    .updateTable('users')
    .set({ status: 'inactive', updated_at: sql`now()` })
    .where('role', '=', 'volunteer')
    .where('status', '=', 'active')
    .where('end_date', '<', today)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** First and last name of users, by id (for messages and review lists of other modules). */
/**
 * Who hears about something in a campaign: its author, and the active managers whose agencies
 * meet `agencyIds` (null: every agency), organisation-wide managers always; `except` left out.
 */
export async function campaignAlertRecipients(
  trx: Tx,
  a: { authorId: string | null; agencyIds: string[] | null; except: string | null; managerRoles: readonly string[] },
) {
  const r = await sql<{ id: string; email: string }>`
    select u.id, u.email from users u where u.status = 'active' and u.id is distinct from ${a.except}::uuid and (
      u.id = ${a.authorId}::uuid
      or (u.role = any(${a.managerRoles}::text[]) and (not exists (select 1 from user_agencies ua where ua.user_id = u.id)
          or exists (select 1 from user_agencies ua where ua.user_id = u.id and (${a.agencyIds}::uuid[] is null or ua.agency_id = any(${a.agencyIds}::uuid[]))))))
    order by u.id`.execute(trx);
  return r.rows;
}
