/**
 * Many messages at once (issue 15, messaging module): a send to a segment puts up to 100,000 SMS
 * and e-mails in the outbox. Same rule as `enqueueMessage` (outbox.ts): the key makes a message
 * unique in its organisation, enqueueing twice sends once, and each new message gets its
 * `outbox-send` job in the caller's transaction — but in one statement per batch, not one per
 * message. The reads of a send's and a household's messages live here too: only the outbox names
 * its table.
 */
import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import type { Jobs } from '../jobs/jobs.ts';

const OUTBOX_QUEUE = 'outbox-send';

/** A message of a send to a tenant household or a volunteer (no secret part: nothing to seal). */
export type BatchedMessage = {
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  purpose: string;
  idempotencyKey: string;
  sendId: string | null;
  householdId: string | null;
  /** A send to tenants is `marketing` for the SMS provider (it carries the opt-out mention); default transactional. */
  smsType?: 'transactional' | 'marketing';
};

/** Rows per statement: arrays of 5,000 keep each statement well under a second. */
const BATCH = 5000;

/**
 * Put the messages in the outbox inside the caller's transaction, each with its send job; those
 * whose key already exists are skipped. Returns how many were new.
 */
export async function enqueueMessages(trx: Tx, jobs: Jobs, organisationId: string, messages: readonly BatchedMessage[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < messages.length; i += BATCH) {
    const batch = messages.slice(i, i + BATCH);
    const { rows } = await sql<{ id: string }>`
      insert into messages (organisation_id, channel, recipient, subject, body, purpose, idempotency_key, send_id, household_id, sms_type)
      select ${organisationId}::uuid, m.channel, m.recipient, m.subject, m.body, m.purpose, m.idempotency_key, m.send_id, m.household_id, m.sms_type
      from unnest(${batch.map((m) => m.channel)}::text[], ${batch.map((m) => m.recipient)}::text[], ${batch.map((m) => m.subject)}::text[],
        ${batch.map((m) => m.body)}::text[], ${batch.map((m) => m.purpose)}::text[], ${batch.map((m) => m.idempotencyKey)}::text[],
        ${batch.map((m) => m.sendId)}::uuid[], ${batch.map((m) => m.householdId)}::uuid[], ${batch.map((m) => m.smsType ?? 'transactional')}::text[])
        as m (channel, recipient, subject, body, purpose, idempotency_key, send_id, household_id, sms_type)
      on conflict (organisation_id, idempotency_key) do nothing
      returning id`.execute(trx);
    await jobs.sendMany(
      trx,
      OUTBOX_QUEUE,
      rows.map((r) => ({ organisationId, messageId: r.id })),
    );
    added += rows.length;
  }
  return added;
}

/** How many messages of a send are in each status (the send's report). */
export async function sendStatusCounts(trx: Tx, sendId: string): Promise<{ status: string; channel: string; n: number }[]> {
  const { rows } = await sql<{ status: string; channel: string; n: number }>`
    select status, channel, count(*)::int as n from messages where send_id = ${sendId} group by status, channel`.execute(trx);
  return rows;
}

/** The messages sent to a household, newest first (its timeline). */
export function householdMessages(trx: Tx, householdId: string, limit = 200) {
  return trx
    .selectFrom('messages')
    .select(['id', 'channel', 'recipient', 'subject', 'body', 'status', 'send_id', 'created_at', 'sent_at'])
    .where('household_id', '=', householdId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
