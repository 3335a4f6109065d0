/**
 * The SQL of the portal's tables (module portal owns them; see the migration 2026-12-02T1200_portal).
 * The statements of a tenant's sign-in and hot reads are marked `prepared` (ADR 0009): planned once
 * per pooled connection instead of at every call.
 */
import { sql } from 'kysely';
import { isFinished, type RequestCategory, type RequestStatus } from '../../../contracts/portal.ts';
import { prepared, type Tx, thenCommit } from '../../platform/db/database.ts';
import { documentRowsOf } from './documents.repository.ts';

// ——— Codes ———

export async function insertCode(trx: Tx, c: { id: string; personId: string; householdId: string; contactPointId: string; codeHash: Buffer; minutes: number }) {
  await sql`
${prepared('portal_insert_code')}
    insert into portal_codes (id, organisation_id, person_id, household_id, contact_point_id, code_hash, expires_at)
    values (${c.id}, lien_current_org(), ${c.personId}, ${c.householdId}, ${c.contactPointId}, ${c.codeHash}, now() + make_interval(mins => ${c.minutes}))`.execute(
    trx,
  );
}

export type CodeRow = { id: string; person_id: string; household_id: string; contact_point_id: string; code_hash: Buffer; live: boolean; attempts: number };

/**
 * A code by its challenge id (locked for its attempt when `lock`); `live`: not used, not expired,
 * attempts left. `thenCommit`: the transaction's last statement (a read alone), committed with it.
 */
export async function codeForAttempt(trx: Tx, id: string, lock: boolean, options: { thenCommit?: boolean } = {}): Promise<CodeRow | undefined> {
  const r = await sql<CodeRow>`${prepared('portal_code_for_attempt')}${thenCommit(options.thenCommit === true)}
    select id, person_id, household_id, contact_point_id, code_hash, attempts,
      (used_at is null and expires_at > now() and attempts < 5) as live
    from portal_codes where id = ${id}::uuid ${lock ? sql`for update` : sql``}`.execute(trx);
  return r.rows[0];
}

export async function countWrongAttempt(trx: Tx, id: string) {
  await sql`update portal_codes set attempts = least(attempts + 1, 5) where id = ${id}::uuid`.execute(trx);
}

/**
 * Mark a code used (false when it already was: single use, even under a race) and, in the same
 * statement, whether its person still belongs to a current household (`member`, the condition
 * the registry writes, on the code's columns): a used code of a person who left opens nothing.
 */
export async function consumeCode(trx: Tx, id: string, member: string): Promise<{ used: boolean; member: boolean }> {
  const r = await sql<{ member: boolean }>`${prepared('portal_consume_code')}update portal_codes set used_at = now()
    where id = ${id}::uuid and used_at is null returning ${sql.raw(member)} as member`.execute(trx);
  const row = r.rows[0];
  return { used: row !== undefined, member: row?.member === true };
}

// ——— Sessions ———

export async function insertSession(trx: Tx, s: { personId: string; householdId: string; tokenHash: Buffer }, options: { thenCommit?: boolean } = {}) {
  const r = await sql<{ id: string }>`${prepared('portal_insert_session')}${thenCommit(options.thenCommit === true)}
    insert into tenant_sessions (organisation_id, person_id, household_id, token_hash)
    values (lien_current_org(), ${s.personId}, ${s.householdId}, ${s.tokenHash}) returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export type ResolvedSessionRow = {
  id: string;
  person_id: string;
  household_id: string;
  idle: boolean;
  expired: boolean;
  stale: boolean;
  member: boolean;
  household_set: boolean;
};

/**
 * The text that resolves a session by its token's hash (hexadecimal) in the `begin` round trip
 * of a tenant request (simple protocol: every value inlined, so only hex digits, constants and
 * code-written SQL go in). Its row: the session, its timeout flags and whether the person is
 * still a current member (`member`, the condition the registry writes). `setHousehold`: a live
 * session sets the household transaction-locally in the same statement — the filter runs on the
 * row before its projection sets it, so the staff-only policy of `tenant_sessions` still lets
 * the row be read; from then on the transaction sees only that household's rows.
 */
export function sessionResolutionSql(hashHex: string, idleMinutes: number, absoluteHours: number, member: string, setHousehold: boolean) {
  if (!/^[0-9a-f]+$/.test(hashHex) || !Number.isInteger(idleMinutes) || !Number.isInteger(absoluteHours)) throw new Error('sessionResolutionSql: bad input');
  const live = `not (s.idle or s.expired or s.stale) and s.member`;
  // `member` is written on the alias t (the session's row). `offset 0` keeps the inner select a
  // plan of its own: without it PostgreSQL pulls it up and plans and runs the membership test
  // once per use of `s.member` (twice), measured 1.07 ms a resolution against 0.73 ms with it.
  return `select s.id, s.person_id, s.household_id, s.idle, s.expired, s.stale, s.member,
    ${setHousehold ? `set_config('lien.household_id', case when ${live} then s.household_id::text else '' end, true) <> ''` : 'false'} as household_set
  from (
    select t.id, t.person_id, t.household_id,
      t.last_seen_at < now() - make_interval(mins => ${idleMinutes}) as idle,
      t.created_at < now() - make_interval(hours => ${absoluteHours}) as expired,
      t.last_seen_at < now() - interval '1 minute' as stale,
      ${member} as member
    from tenant_sessions t where t.token_hash = '\\x${hashHex}'::bytea and t.ended_at is null
    offset 0
  ) s`;
}

export async function touchSession(trx: Tx, id: string) {
  await sql`update tenant_sessions set last_seen_at = now() where id = ${id}::uuid`.execute(trx);
}

export async function endSession(trx: Tx, id: string, reason: string) {
  await sql`update tenant_sessions set ended_at = now(), end_reason = ${reason} where id = ${id}::uuid and ended_at is null`.execute(trx);
}

// ——— Deadlines ———

export async function deadlineDays(trx: Tx): Promise<Partial<Record<RequestCategory, number>>> {
  const r = await sql<{ category: RequestCategory; days: number }>`select category, days from portal_deadlines`.execute(trx);
  return Object.fromEntries(r.rows.map((x) => [x.category, x.days]));
}

export async function saveDeadline(trx: Tx, category: RequestCategory, days: number) {
  await sql`insert into portal_deadlines (organisation_id, category, days) values (lien_current_org(), ${category}, ${days})
    on conflict (organisation_id, category) do update set days = excluded.days`.execute(trx);
}

// ——— Requests ———

export async function insertRequest(
  trx: Tx,
  q: { householdId: string; agencyId: string; personId: string; category: RequestCategory; description: string; days: number },
) {
  const r = await sql<{ id: string }>`
    insert into portal_requests (organisation_id, household_id, agency_id, person_id, category, description, due_at)
    values (lien_current_org(), ${q.householdId}, ${q.agencyId}, ${q.personId}, ${q.category}, ${q.description}, now() + make_interval(days => ${q.days}))
    returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export type RequestRow = {
  id: string;
  household_id: string;
  agency_id: string;
  person_id: string | null;
  category: RequestCategory;
  description: string;
  status: RequestStatus;
  assigned_to: string | null;
  due_at: Date;
  case_id: string | null;
  created_at: Date;
  updated_at: Date;
};

const requestColumns = sql`id, household_id, agency_id, person_id, category, description, status, assigned_to, due_at, case_id, created_at, updated_at`;

/** One request (RLS: in a tenant's transaction, only their household's). */
export async function requestById(trx: Tx, id: string, forUpdate = false): Promise<RequestRow | undefined> {
  const r =
    await sql<RequestRow>`${prepared('portal_request_by_id')}select ${requestColumns} from portal_requests where id = ${id}::uuid ${forUpdate ? sql`for update` : sql``}`.execute(
      trx,
    );
  return r.rows[0];
}

/** The requests the transaction sees (a tenant's: their household's), newest first; the transaction's last statement, committed with it. */
export async function householdRequests(trx: Tx, householdId: string): Promise<RequestRow[]> {
  const r =
    await sql<RequestRow>`${prepared('portal_household_requests')}${thenCommit()}select ${requestColumns} from portal_requests where household_id = ${householdId}
    order by created_at desc limit 200`.execute(trx);
  return r.rows;
}

export type InboxQuery = {
  statuses: readonly RequestStatus[];
  category?: RequestCategory | undefined;
  agencyIds: readonly string[] | null;
  assignee?: string | undefined;
};

export async function inboxRequests(trx: Tx, q: InboxQuery): Promise<RequestRow[]> {
  const r = await sql<RequestRow>`
    select ${requestColumns}
    from portal_requests
    where status = any(${[...q.statuses]}::text[])
      ${q.category ? sql`and category = ${q.category}` : sql``}
      ${q.agencyIds ? sql`and agency_id = any(${[...q.agencyIds]}::uuid[])` : sql``}
      ${q.assignee ? sql`and assigned_to = ${q.assignee}::uuid` : sql``}
    order by due_at, created_at limit 500`.execute(trx);
  return r.rows;
}

export async function updateRequest(
  trx: Tx,
  id: string,
  change: { status?: RequestStatus | undefined; assignedTo?: string | null | undefined; caseId?: string },
) {
  await sql`update portal_requests set updated_at = now()
    ${change.status ? sql`, status = ${change.status}, closed_at = ${isFinished(change.status) ? sql`now()` : null}` : sql``}
    ${change.assignedTo !== undefined ? sql`, assigned_to = ${change.assignedTo}` : sql``}
    ${change.caseId ? sql`, case_id = ${change.caseId}` : sql``}
    where id = ${id}::uuid`.execute(trx);
}

// ——— Exchanges and notes ———

export type MessageRow = {
  id: string;
  created_at: Date;
  author: 'tenant' | 'landlord' | 'status';
  body: string;
  file_id: string | null;
};

export async function insertMessage(
  trx: Tx,
  m: {
    requestId: string;
    householdId: string;
    author: 'tenant' | 'landlord' | 'status';
    personId?: string | null;
    userId?: string | null;
    body: string;
    fileId?: string | null;
  },
) {
  const r = await sql<{ id: string }>`
    insert into portal_request_messages (organisation_id, request_id, household_id, author, person_id, user_id, body, file_id)
    values (lien_current_org(), ${m.requestId}, ${m.householdId}, ${m.author}, ${m.personId ?? null}, ${m.userId ?? null}, ${m.body}, ${m.fileId ?? null})
    returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export async function messagesOf(trx: Tx, requestId: string): Promise<MessageRow[]> {
  const r = await sql<MessageRow>`${prepared('portal_request_messages')}select id, created_at, author, body, file_id from portal_request_messages
    where request_id = ${requestId}::uuid order by created_at, id`.execute(trx);
  return r.rows;
}

/** Whether the transaction sees a message carrying this file (a tenant's: only on their household's requests). */
export async function fileRequest(trx: Tx, fileId: string): Promise<string | undefined> {
  const r = await sql<{ request_id: string }>`select request_id from portal_request_messages where file_id = ${fileId}::uuid limit 1`.execute(trx);
  return r.rows[0]?.request_id;
}

export async function insertNote(trx: Tx, n: { requestId: string; userId: string; body: string }) {
  const r = await sql<{ id: string }>`insert into portal_request_notes (organisation_id, request_id, user_id, body)
    values (lien_current_org(), ${n.requestId}, ${n.userId}, ${n.body}) returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export async function notesOf(trx: Tx, requestId: string) {
  const r = await sql<{ id: string; created_at: Date; user_id: string | null; body: string }>`
    select id, created_at, user_id, body from portal_request_notes where request_id = ${requestId}::uuid order by created_at, id`.execute(trx);
  return r.rows;
}

/** The requests of a household on its timeline (staff). */
export async function timelineRequests(trx: Tx, householdId: string) {
  const r = await sql<{ id: string; created_at: Date; category: RequestCategory; status: RequestStatus }>`
    select id, created_at, category, status from portal_requests where household_id = ${householdId} order by created_at desc limit 100`.execute(trx);
  return r.rows;
}

/** Every request of a household with its exchanges and notes, for the right-of-access file (privacy). */
export async function portalRowsOf(trx: Tx, householdId: string) {
  const requests = await sql<Record<string, unknown>>`select * from portal_requests where household_id = ${householdId} order by created_at`.execute(trx);
  const messages = await sql<
    Record<string, unknown>
  >`select m.* from portal_request_messages m where m.household_id = ${householdId} order by m.created_at`.execute(trx);
  const notes = await sql<Record<string, unknown>>`
    select n.* from portal_request_notes n join portal_requests q on q.organisation_id = n.organisation_id and q.id = n.request_id
    where q.household_id = ${householdId} order by n.created_at`.execute(trx);
  return {
    portal_requests: requests.rows,
    portal_request_messages: messages.rows,
    portal_request_notes: notes.rows,
    ...(await documentRowsOf(trx, householdId)),
  };
}

// ——— FAQ and news ———

export type ArticleRow = { id: string; kind: 'faq' | 'news'; agency_id: string | null; title: string; body: string; created_at: Date; updated_at: Date };

/** Articles for one agency's tenants and for all (`agencyId`), or every article (staff, `null`). */
export async function articles(trx: Tx, agencyId: string | null): Promise<ArticleRow[]> {
  const r = await sql<ArticleRow>`select id, kind, agency_id, title, body, created_at, updated_at from portal_articles
    ${agencyId ? sql`where agency_id is null or agency_id = ${agencyId}::uuid` : sql``}
    order by kind, created_at desc limit 200`.execute(trx);
  return r.rows;
}

export async function insertArticle(trx: Tx, a: { kind: 'faq' | 'news'; agencyId: string | null; title: string; body: string; userId: string }) {
  const r = await sql<{ id: string }>`insert into portal_articles (organisation_id, kind, agency_id, title, body, created_by)
    values (lien_current_org(), ${a.kind}, ${a.agencyId}, ${a.title}, ${a.body}, ${a.userId}) returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export async function updateArticle(trx: Tx, id: string, a: { kind: 'faq' | 'news'; agencyId: string | null; title: string; body: string }) {
  const r = await sql`update portal_articles set kind = ${a.kind}, agency_id = ${a.agencyId}, title = ${a.title}, body = ${a.body}, updated_at = now()
    where id = ${id}::uuid`.execute(trx);
  return Number(r.numAffectedRows) === 1;
}

export async function deleteArticle(trx: Tx, id: string) {
  const r = await sql`delete from portal_articles where id = ${id}::uuid`.execute(trx);
  return Number(r.numAffectedRows) === 1;
}

// ——— Settings ———

export async function showsBalance(trx: Tx): Promise<boolean> {
  const r = await sql<{ show_balance: boolean }>`select show_balance from portal_settings`.execute(trx);
  return r.rows[0]?.show_balance ?? false;
}

export async function saveShowBalance(trx: Tx, show: boolean) {
  await sql`insert into portal_settings (organisation_id, show_balance) values (lien_current_org(), ${show})
    on conflict (organisation_id) do update set show_balance = excluded.show_balance`.execute(trx);
}
