import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import { type FigureScope, inPeriod } from '../db/figures.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { MaintenanceTask } from '../jobs/maintenance.ts';
import type { OutboxAdapter } from './adapters.ts';
import { type MessageKey, maskSecrets, seal, sealContext, UnreadableSecret } from './sealing.ts';

const OUTBOX_QUEUE = 'outbox-send';
const MAX_ATTEMPTS = 5;

/** A message to send. The key makes it unique in its organisation: enqueueing twice sends once. */
export type NewMessage = {
  channel: 'email' | 'sms';
  recipient: string;
  subject?: string | null;
  body: string;
  /** Why it is sent (password_reset, invitation, campaign…). */
  purpose: string;
  idempotencyKey: string;
  /**
   * Parts of `body` that only the recipient may read (a personal link with its token). The
   * stored body has them masked (what the outbox page and a database dump show); the full text
   * is sealed with `key` (AES-256-GCM, the key is not in the database), opened only by the
   * sending adapter, and erased once the message is settled or `validMinutes` have passed.
   */
  secret?: { values: string[]; key: MessageKey; validMinutes: number };
};

/**
 * Put a message in the outbox inside the caller's transaction, with its send job. Returns the
 * message id, or null when a message with this key already exists.
 */
export async function enqueueMessage(trx: Tx, jobs: Jobs, organisationId: string, message: NewMessage): Promise<string | null> {
  const { secret } = message;
  const context = sealContext({ organisation_id: organisationId, recipient: message.recipient, idempotency_key: message.idempotencyKey });
  const row = await trx
    .insertInto('messages')
    .values({
      organisation_id: organisationId,
      channel: message.channel,
      recipient: message.recipient,
      subject: message.subject ?? null,
      body: secret ? maskSecrets(message.body, secret.values) : message.body,
      purpose: message.purpose,
      idempotency_key: message.idempotencyKey,
      ...(secret
        ? {
            sealed_body: seal(secret.key, message.body, context),
            sealed_until: sql<Date>`now() + make_interval(mins => ${secret.validMinutes})`,
          }
        : {}),
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'idempotency_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return null;
  await jobs.send(trx, OUTBOX_QUEUE, { organisationId, messageId: row.id });
  return row.id;
}

/**
 * Deliver one message; safe to run twice. The message is claimed (`sending`) in a first
 * transaction and settled in a second, so a crash in between is visible: on the next try a
 * non-idempotent provider's message becomes `unknown` and is never sent again automatically.
 * While one run delivers it holds a session lock on the message (released by PostgreSQL if its
 * process dies), so a duplicate run at the same time leaves it alone instead of taking its
 * `sending` for a crash; the job of a run that died is retried by the queue.
 */
export async function deliverMessage(database: Database, adapter: OutboxAdapter, organisationId: string, messageId: string): Promise<void> {
  const lock = await database.pool.connect();
  try {
    const { rows } = await lock.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [`outbox:${messageId}`]);
    if (!rows[0]?.locked) return;
    try {
      await deliverLocked(database, adapter, organisationId, messageId);
    } finally {
      await lock.query('select pg_advisory_unlock(hashtextextended($1, 0))', [`outbox:${messageId}`]);
    }
  } finally {
    lock.release();
  }
}

async function deliverLocked(database: Database, adapter: OutboxAdapter, organisationId: string, messageId: string): Promise<void> {
  const claimed = await database.withOrg({ organisationId }, async (trx) => {
    const m = await trx.selectFrom('messages').selectAll().where('id', '=', messageId).forUpdate().executeTakeFirst();
    if (!m) return null;
    if (m.status === 'sending' && !adapter.idempotent) {
      await trx
        .updateTable('messages')
        .set({ status: 'unknown', last_error: 'Envoi interrompu : statut à vérifier auprès du fournisseur.', sealed_body: null })
        .where('id', '=', m.id)
        .execute();
      return null;
    }
    if (m.status !== 'queued' && m.status !== 'sending') return null;
    if (m.sealed_body && m.sealed_until && m.sealed_until.getTime() <= Date.now()) {
      await trx.updateTable('messages').set(expiredSecret).where('id', '=', m.id).execute();
      return null;
    }
    await trx.updateTable('messages').set({ status: 'sending', attempts: sql`attempts + 1`, adapter: adapter.name }).where('id', '=', m.id).execute();
    return m;
  });
  if (!claimed) return;
  try {
    const result = await adapter.deliver({
      key: claimed.id,
      channel: claimed.channel,
      recipient: claimed.recipient,
      subject: claimed.subject,
      body: claimed.body,
      sealed: claimed.sealed_body ? { body: claimed.sealed_body, context: sealContext(claimed) } : null,
    });
    await database.withOrg({ organisationId }, (trx) =>
      trx
        .updateTable('messages')
        .set({ status: result.status, provider_message_id: result.providerMessageId, sent_at: sql`now()`, last_error: null, sealed_body: null })
        .where('id', '=', messageId)
        .execute(),
    );
  } catch (error) {
    // A text that cannot be opened (key changed or lost) will never open: no retry.
    const last = claimed.attempts + 1 >= MAX_ATTEMPTS || error instanceof UnreadableSecret;
    await database.withOrg({ organisationId }, (trx) =>
      trx
        .updateTable('messages')
        .set({
          status: last ? 'failed' : 'queued',
          last_error: String((error as Error).message ?? error).slice(0, 500),
          ...(last ? { sealed_body: null } : {}),
        })
        .where('id', '=', messageId)
        .execute(),
    );
    if (!last) throw error;
  }
}

/** Register the outbox worker. */
export async function startOutboxWorker(jobs: Jobs, adapter: OutboxAdapter): Promise<void> {
  await jobs.work<{ organisationId: string; messageId: string }>(OUTBOX_QUEUE, ({ database, organisationId, data }) =>
    deliverMessage(database, adapter, organisationId, data.messageId),
  );
}

const expiredSecret = {
  status: 'failed',
  last_error: 'Le lien personnel a expiré avant l’envoi : renvoyez l’invitation ou redemandez le lien.',
  sealed_body: null,
} as const;

/**
 * Maintenance (every minute): the sealed text of a message still unsent when its link expired
 * is erased, and the message marked failed. Safe to run twice.
 */
export const eraseExpiredSecrets: MaintenanceTask = {
  name: 'outbox.expired_secrets',
  run: async (trx, now) => {
    const rows = await trx
      .updateTable('messages')
      .set(expiredSecret)
      .where('sealed_body', 'is not', null)
      .where('sealed_until', '<=', now)
      .where('status', 'in', ['queued', 'sending'])
      .returning('id')
      .execute();
    return rows.length;
  },
};

/** The organisation's outbox, newest first; the sealed text never leaves this module. */
export function listMessages(trx: Tx, limit: number, before?: string) {
  let q = trx
    .selectFrom('messages')
    .select(['id', 'channel', 'recipient', 'subject', 'body', 'purpose', 'status', 'adapter', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) q = q.where('id', '<', before);
  return q.execute();
}

/**
 * The e-mails and SMS sent to these addresses or numbers (a person's contacts), oldest first, for
 * the right of access (TRUST DP-06); the sealed text (a secret, erased after use) never leaves.
 */
export function messagesTo(trx: Tx, recipients: readonly string[]) {
  if (!recipients.length) return Promise.resolve([]);
  return trx
    .selectFrom('messages')
    .select(['id', 'channel', 'recipient', 'subject', 'body', 'purpose', 'status', 'created_at', 'sent_at'])
    .where('recipient', 'in', [...recipients])
    .orderBy('id')
    .execute();
}

/**
 * Erasure (TRUST DP-07): the messages of a purpose to a person's addresses are deleted, queued
 * ones too (no more messages to them); one being handed to the provider right now is left to finish.
 */
export async function eraseMessagesTo(trx: Tx, recipients: readonly string[], purpose: string) {
  if (!recipients.length) return 0;
  const r = await trx
    .deleteFrom('messages')
    .where('recipient', 'in', [...recipients])
    .where('purpose', '=', purpose)
    .where('status', '<>', 'sending')
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Messages of the organisation created during the period, by channel and status (reporting,
 * issue 18). Messages carry no agency nor household: the figure is the whole organisation's.
 */
export async function messageFigures(trx: Tx, f: Pick<FigureScope, 'from' | 'to'>) {
  const r = await sql<{ channel: 'email' | 'sms'; status: string; n: number }>`
    select m.channel, m.status, count(*)::int as n from messages m where ${inPeriod(sql.ref('m.created_at'), f)}
    group by m.channel, m.status order by m.channel, m.status`.execute(trx);
  return r.rows;
}
