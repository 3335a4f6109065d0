/** SQL of calls for help by SMS (issue 17): the call, its recipients with the hash of their personal link, their answers. */
import { sql } from 'kysely';
import type { VolunteerSkill } from '../../../contracts/solidarity.ts';
import type { Database, Tx } from '../../platform/db/database.ts';

export type HelpCallDbRow = {
  id: string;
  question: string;
  skill: VolunteerSkill;
  audience: 'volunteers' | 'segment';
  segment: unknown;
  plan: { total: number; channels: Record<string, number>; excluded: Record<string, number> };
  status: 'draft' | 'sent' | 'closed';
  created_by: string | null;
  created_at: Date;
  sent: number;
  yes: number;
  no: number;
};

/** A call with its counts (recipients, « oui », « non »), counted in one pass over its recipients. */
const callsWithCounts = sql`select c.id, c.question, c.skill, c.audience, c.segment, c.plan, c.status, c.created_by, c.created_at, n.sent, n.yes, n.no
  from help_calls c
  cross join lateral (
    select count(*)::int as sent, (count(*) filter (where r.answer = 'yes'))::int as yes, (count(*) filter (where r.answer = 'no'))::int as no
    from help_call_recipients r where r.organisation_id = c.organisation_id and r.call_id = c.id
  ) n`;

export async function insertCall(
  trx: Tx,
  c: { question: string; skill: VolunteerSkill; audience: 'volunteers' | 'segment'; segment: unknown; plan: unknown; createdBy: string },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into help_calls (organisation_id, question, skill, audience, segment, plan, created_by)
    values (lien_current_org(), ${c.question}, ${c.skill}, ${c.audience}, ${c.segment === null ? null : JSON.stringify(c.segment)}::jsonb,
      ${JSON.stringify(c.plan)}::jsonb, ${c.createdBy})
    returning id`.execute(trx);
  return r.rows[0]?.id as string;
}

export async function listCalls(trx: Tx): Promise<HelpCallDbRow[]> {
  const r = await sql<HelpCallDbRow>`${callsWithCounts} order by c.created_at desc limit 200`.execute(trx);
  return r.rows;
}

export async function callById(trx: Tx, id: string, lock = false): Promise<HelpCallDbRow | undefined> {
  const r = await sql<HelpCallDbRow>`${callsWithCounts} where c.id = ${id} ${lock ? sql`for update of c` : sql``}`.execute(trx);
  return r.rows[0];
}

export async function setCallStatus(trx: Tx, id: string, status: 'sent' | 'closed', plan?: unknown) {
  await sql`update help_calls set status = ${status},
    sent_at = case when ${status} = 'sent' then now() else sent_at end,
    closed_at = case when ${status} = 'closed' then now() else closed_at end
    ${plan === undefined ? sql`` : sql`, plan = ${JSON.stringify(plan)}::jsonb`}
    where id = ${id}`.execute(trx);
}

export type NewRecipient = { householdId: string | null; userId: string | null; mobile: string; tokenHash: Buffer };

export async function insertRecipients(trx: Tx, callId: string, rows: readonly NewRecipient[]): Promise<string[]> {
  if (!rows.length) return [];
  const r = await sql<{ id: string }>`
    insert into help_call_recipients (organisation_id, call_id, household_id, user_id, mobile, token_hash)
    select lien_current_org(), ${callId}, h, u, m, t
    from unnest(${rows.map((x) => x.householdId)}::uuid[], ${rows.map((x) => x.userId)}::uuid[], ${rows.map((x) => x.mobile)}::text[],
      ${rows.map((x) => x.tokenHash)}::bytea[]) as x(h, u, m, t)
    returning id`.execute(trx);
  return r.rows.map((x) => x.id);
}

/** The organisation a personal link belongs to, through the one security-definer function (no session yet). */
export async function organisationOfToken(database: Database, hash: Buffer): Promise<{ id: string; name: string } | null> {
  const r = await sql<{ organisation_id: string; organisation_name: string }>`
    select organisation_id, organisation_name from lien_help_answer_org(${hash})`.execute(database.db);
  const o = r.rows[0];
  return o ? { id: o.organisation_id, name: o.organisation_name } : null;
}

export type RecipientDbRow = {
  id: string;
  call_id: string;
  household_id: string | null;
  user_id: string | null;
  mobile: string;
  answer: 'yes' | 'no' | null;
  note: string | null;
  answered_via: 'link' | 'sms' | null;
  answered_at: Date | null;
  application_id: string | null;
};

const recipientColumns = sql`r.id, r.call_id, r.household_id, r.user_id, r.mobile, r.answer, r.note, r.answered_via, r.answered_at, r.application_id`;

export async function recipientByHash(trx: Tx, hash: Buffer): Promise<RecipientDbRow | undefined> {
  const r = await sql<RecipientDbRow>`select ${recipientColumns} from help_call_recipients r where r.token_hash = ${hash} for update`.execute(trx);
  return r.rows[0];
}

export async function recipientById(trx: Tx, callId: string, id: string): Promise<RecipientDbRow | undefined> {
  const r = await sql<RecipientDbRow>`select ${recipientColumns} from help_call_recipients r where r.id = ${id} and r.call_id = ${callId} for update`.execute(
    trx,
  );
  return r.rows[0];
}

/** The latest recipient with this mobile whose call is still open (an SMS reply answers it). */
export async function latestOpenRecipientOf(trx: Tx, mobile: string): Promise<RecipientDbRow | undefined> {
  const r = await sql<RecipientDbRow>`
    select ${recipientColumns} from help_call_recipients r join help_calls c on c.organisation_id = r.organisation_id and c.id = r.call_id
    where r.mobile = ${mobile} and c.status = 'sent' order by r.created_at desc, r.id desc limit 1 for update of r`.execute(trx);
  return r.rows[0];
}

export async function answer(trx: Tx, id: string, a: { answer: 'yes' | 'no'; note: string | null; via: 'link' | 'sms'; at: Date }) {
  await sql`update help_call_recipients set answer = ${a.answer}, note = ${a.note}, answered_via = ${a.via}, answered_at = ${a.at} where id = ${id}`.execute(
    trx,
  );
}

export async function yesOf(trx: Tx, callId: string): Promise<RecipientDbRow[]> {
  const r = await sql<RecipientDbRow>`select ${recipientColumns} from help_call_recipients r
    where r.call_id = ${callId} and r.answer = 'yes' order by r.answered_at, r.id`.execute(trx);
  return r.rows;
}

export async function setApplication(trx: Tx, id: string, applicationId: string) {
  await sql`update help_call_recipients set application_id = ${applicationId} where id = ${id}`.execute(trx);
}

/** The accepted volunteers with the skill, not paused, with their phone (from their sign-up). */
export async function volunteersWithSkill(trx: Tx, skill: VolunteerSkill) {
  const r = await sql<{ user_id: string; phone: string | null; first_name: string; last_name: string }>`
    select a.user_id, a.phone, a.first_name, a.last_name from volunteer_applications a
    where a.status = 'accepted' and a.user_id is not null and ${skill} = any(a.skills)
      and not exists (select 1 from volunteer_profiles p where p.user_id = a.user_id and p.paused_at is not null)
    order by a.last_name, a.first_name`.execute(trx);
  return r.rows;
}

/** The names of volunteers by their account (from their sign-up). */
export async function volunteerNames(trx: Tx, userIds: string[]) {
  if (!userIds.length) return new Map<string, string>();
  const r = await sql<{ user_id: string; name: string }>`
    select distinct on (a.user_id) a.user_id, a.first_name || ' ' || a.last_name as name from volunteer_applications a
    where a.user_id = any(${userIds}::uuid[]) order by a.user_id, a.created_at desc`.execute(trx);
  return new Map(r.rows.map((x) => [x.user_id, x.name]));
}

/** A household's answers to calls for help (right of access, TRUST DP-06). */
export async function helpCallRowsOf(trx: Tx, householdId: string) {
  return {
    help_call_recipients: await trx
      .selectFrom('help_call_recipients')
      .select(['id', 'call_id', 'household_id', 'mobile', 'answer', 'note', 'answered_via', 'answered_at', 'application_id', 'created_at'])
      .where('household_id', '=', householdId)
      .orderBy('created_at')
      .execute(),
  };
}

/** Erasure of a household's answers to calls for help (TRUST DP-07); the count deleted. */
export async function eraseHelpCallsOf(trx: Tx, householdId: string): Promise<number> {
  const r = await trx.deleteFrom('help_call_recipients').where('household_id', '=', householdId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
