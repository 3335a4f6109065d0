import { sql } from 'kysely';
import { plural, word } from '../../../contracts/plural.ts';
import type { Database, Tx } from '../db/database.ts';
import { type FigureScope, inPeriod } from '../db/figures.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { MaintenanceTask } from '../jobs/maintenance.ts';
import { DeliveryUncertain, type OutboxAdapter, ProviderRefused, ProviderUnavailable } from './provider.ts';
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
  /** SMS: `marketing` for anything the tenant did not ask for (campaigns, invitations to call back); it carries the opt-out mention. */
  smsType?: 'transactional' | 'marketing';
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
      sms_type: message.smsType ?? 'transactional',
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

/** States in which a message still waits to leave. */
const PENDING = ['queued', 'sending', 'delayed'] as const;
/** The one SMS a number that answered STOP still receives: the confirmation of its opt-out. */
export const OPT_OUT_CONFIRMATION_PURPOSE = 'sms_opt_out_confirmation';

/** Seconds before a delayed message is tried again: 5 s, 10 s, 20 s… up to 5 minutes (TRUST FT-06). */
export const backoffSeconds = (attempts: number) => Math.min(300, 5 * 2 ** Math.min(Math.max(attempts - 1, 0), 6));

/**
 * Deliver one message; safe to run twice. The message is claimed (`sending`) in a first
 * transaction and settled in a second, so a crash in between is visible: on the next try a
 * non-idempotent provider's message becomes `unknown` and is never sent again automatically.
 * While one run delivers it holds a session lock on the message (released by PostgreSQL if its
 * process dies), so a duplicate run at the same time leaves it alone instead of taking its
 * `sending` for a crash; the job of a run that died is retried by the queue.
 *
 * A provider outage (its adapter throws `ProviderUnavailable`, or its circuit breaker is open)
 * puts the message back as `delayed` with a new job due later, in one transaction: it is never
 * lost and never counted as failed (FT-06). `jobs` is needed for that; without it (tests that
 * call this directly) the message is marked `delayed` and waits for a later call.
 */
export async function deliverMessage(database: Database, adapter: OutboxAdapter, organisationId: string, messageId: string, jobs?: Jobs): Promise<void> {
  const lock = await database.pool.connect();
  try {
    const { rows } = await lock.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [`outbox:${messageId}`]);
    if (!rows[0]?.locked) return;
    try {
      await deliverLocked(database, adapter, organisationId, messageId, jobs);
    } finally {
      await lock.query('select pg_advisory_unlock(hashtextextended($1, 0))', [`outbox:${messageId}`]);
    }
  } finally {
    lock.release();
  }
}

/** Put a message back as `delayed`, with its next job (same transaction: both or neither). */
async function delay(trx: Tx, jobs: Jobs | undefined, organisationId: string, messageId: string, seconds: number, reason: string) {
  const wait = Math.max(1, Math.ceil(seconds));
  await trx
    .updateTable('messages')
    .set({ status: 'delayed', last_error: reason.slice(0, 500), next_attempt_at: sql<Date>`now() + make_interval(secs => ${wait})` })
    .where('id', '=', messageId)
    .execute();
  if (jobs) await jobs.send(trx, OUTBOX_QUEUE, { organisationId, messageId }, { startAfterSeconds: wait });
}

async function deliverLocked(database: Database, adapter: OutboxAdapter, organisationId: string, messageId: string, jobs: Jobs | undefined): Promise<void> {
  const head = await database.withOrg({ organisationId }, (trx) =>
    trx.selectFrom('messages').select(['channel', 'status']).where('id', '=', messageId).executeTakeFirst(),
  );
  if (!head || !(PENDING as readonly string[]).includes(head.status)) return;
  const provider = adapter.route?.(head.channel) ?? adapter;
  // The rate limit waits before the claim: a process killed while it waits leaves the message queued, not `sending`.
  if (head.status !== 'sending') await provider.guard?.slot();
  const claimed = await database.withOrg({ organisationId }, async (trx) => {
    const m = await trx.selectFrom('messages').selectAll().where('id', '=', messageId).forUpdate().executeTakeFirst();
    if (!m) return null;
    if (m.status === 'sending' && !provider.idempotent) {
      await trx
        .updateTable('messages')
        .set({ status: 'unknown', last_error: 'Envoi interrompu : statut à vérifier auprès du fournisseur.', sealed_body: null })
        .where('id', '=', m.id)
        .execute();
      return null;
    }
    if (!(PENDING as readonly string[]).includes(m.status)) return null;
    if (m.sealed_body && m.sealed_until && m.sealed_until.getTime() <= Date.now()) {
      await trx.updateTable('messages').set(expiredSecret).where('id', '=', m.id).execute();
      return null;
    }
    if (m.channel === 'sms' && m.purpose !== OPT_OUT_CONFIRMATION_PURPOSE && (await isOptedOut(trx, m.recipient))) {
      await trx
        .updateTable('messages')
        .set({ status: 'opted_out', last_error: 'Ce numéro a répondu STOP : aucun SMS ne lui est plus envoyé.', sealed_body: null })
        .where('id', '=', m.id)
        .execute();
      return null;
    }
    const closedFor = provider.guard?.closedFor() ?? 0;
    if (closedFor > 0) {
      await delay(trx, jobs, organisationId, m.id, closedFor / 1000, `Fournisseur ${provider.name} indisponible : envoi retardé, nouvel essai automatique.`);
      return null;
    }
    await trx.updateTable('messages').set({ status: 'sending', attempts: sql`attempts + 1`, adapter: provider.name }).where('id', '=', m.id).execute();
    return m;
  });
  if (!claimed) return;
  try {
    const result = await provider.deliver({
      key: claimed.id,
      channel: claimed.channel,
      recipient: claimed.recipient,
      subject: claimed.subject,
      body: claimed.body,
      sealed: claimed.sealed_body ? { body: claimed.sealed_body, context: sealContext(claimed) } : null,
      smsType: claimed.sms_type,
    });
    provider.guard?.succeeded();
    await database.withOrg({ organisationId }, (trx) =>
      trx
        .updateTable('messages')
        .set({
          status: result.status,
          provider_message_id: result.providerMessageId,
          sent_at: sql`now()`,
          last_error: null,
          sealed_body: null,
          next_attempt_at: null,
        })
        .where('id', '=', messageId)
        .where('status', '=', 'sending')
        .execute(),
    );
  } catch (error) {
    const text = String((error as Error).message ?? error).slice(0, 500);
    if (error instanceof ProviderUnavailable) {
      provider.guard?.failed();
      const seconds = Math.max(backoffSeconds(claimed.attempts + 1), (provider.guard?.closedFor() ?? 0) / 1000);
      await database.withOrg({ organisationId }, (trx) => delay(trx, jobs, organisationId, messageId, seconds, text));
      return;
    }
    if (error instanceof DeliveryUncertain) {
      provider.guard?.failed();
      await database.withOrg({ organisationId }, (trx) =>
        // Only from `sending`: a delivery callback that came first keeps its state (FT-09).
        trx
          .updateTable('messages')
          .set({ status: 'unknown', last_error: text, sealed_body: null })
          .where('id', '=', messageId)
          .where('status', '=', 'sending')
          .execute(),
      );
      return;
    }
    // Brevo answered (it refused this message): the provider itself is up.
    if (error instanceof ProviderRefused) provider.guard?.succeeded();
    // A text that cannot be opened (key changed or lost) will never open, a refused message will
    // never pass: no retry.
    const last = claimed.attempts + 1 >= MAX_ATTEMPTS || error instanceof UnreadableSecret || error instanceof ProviderRefused;
    await database.withOrg({ organisationId }, (trx) =>
      trx
        .updateTable('messages')
        .set({ status: last ? 'failed' : 'queued', last_error: text, ...(last ? { sealed_body: null } : {}) })
        .where('id', '=', messageId)
        .execute(),
    );
    if (!last) throw error;
  }
}

/**
 * The numbers among these (E.164) that answered STOP to the organisation: no SMS leaves for them
 * (the caller's transaction, under its RLS). For the messaging module's dry run and for the sender.
 */
export async function optedOutAmong(trx: Tx, phones: readonly string[]): Promise<Set<string>> {
  if (!phones.length) return new Set();
  // One array parameter, not one parameter per number: a dry run may ask for 100,000.
  const { rows } = await sql<{ phone: string }>`select phone from sms_opt_outs where phone = any(${[...phones]}::text[])`.execute(trx);
  return new Set(rows.map((r) => r.phone));
}

async function isOptedOut(trx: Tx, phone: string): Promise<boolean> {
  return (await optedOutAmong(trx, [phone])).has(phone);
}

/**
 * Register the outbox worker. Four loops take jobs 20 at a time and fetch a backlog again at once,
 * so a campaign drains at the provider's rate limit (each provider's guard spaces the four) rather
 * than one message per polling second or per provider round trip. Each loop holds two connections
 * of the database pool while it sends (the message's lock, then its transactions): the pool must
 * have more than eight (the app's has 20).
 */
export async function startOutboxWorker(jobs: Jobs, adapter: OutboxAdapter): Promise<void> {
  await jobs.work<{ organisationId: string; messageId: string }>(
    OUTBOX_QUEUE,
    ({ database, organisationId, data }) => deliverMessage(database, adapter, organisationId, data.messageId, jobs),
    { batchSize: 20, concurrency: 4 },
  );
}

/** A message delayed longer than this (provider down) raises an alert to the org admins (TRUST FT-06). */
export const DELAYED_ALERT_MINUTES = 15;

/**
 * Maintenance (every minute): when messages of the organisation have waited more than
 * DELAYED_ALERT_MINUTES because their provider is down, its active org admins get one e-mail per
 * hour saying how many (e-mail goes through its own adapter, not the SMS provider that is down).
 * No recipient or text in the alert. Returns the number of alerts queued.
 */
export function delayedMessagesAlert(jobs: Jobs, publicUrl: string, recipients: (trx: Tx) => Promise<{ id: string; email: string }[]>): MaintenanceTask {
  return {
    name: 'outbox.delayed_alert',
    run: async (trx, now, organisationId) => {
      const { count } = await trx
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('status', '=', 'delayed')
        .where('created_at', '<', new Date(now.getTime() - DELAYED_ALERT_MINUTES * 60_000))
        .executeTakeFirstOrThrow();
      const delayed = Number(count);
      if (!delayed) return 0;
      const hour = Math.floor(now.getTime() / 3_600_000);
      const body = [
        'Bonjour,',
        '',
        `${plural(delayed, 'message')} ${word(delayed, 'attend', 'attendent')} depuis plus de ${DELAYED_ALERT_MINUTES} minutes : le fournisseur d’envoi (SMS) ne répond pas.`,
        'Ils ne sont pas perdus : Lien les enverra dès que le fournisseur répondra de nouveau, une seule fois chacun.',
        'Si cela dure, vérifiez le compte chez le fournisseur (clé, crédits, expéditeur) ou son état de service.',
        '',
        `Boîte d’envoi : ${publicUrl}/admin/messages`,
        '',
        'Lien',
      ].join('\n');
      let queued = 0;
      for (const admin of await recipients(trx)) {
        const id = await enqueueMessage(trx, jobs, organisationId, {
          channel: 'email',
          recipient: admin.email,
          subject: 'Lien — alerte : envois retardés',
          body,
          purpose: 'service_alert',
          idempotencyKey: `alert:outbox_delayed:${hour}:${admin.id}`,
        });
        if (id) queued++;
      }
      return queued;
    },
  };
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
      .where('status', 'in', ['queued', 'sending', 'delayed'])
      .returning('id')
      .execute();
    return rows.length;
  },
};

/** The organisation's outbox, newest first; the sealed text never leaves this module. */
export function listMessages(trx: Tx, limit: number, before?: string) {
  let q = trx
    .selectFrom('messages')
    .select([
      'id',
      'channel',
      'recipient',
      'subject',
      'body',
      'purpose',
      'status',
      'adapter',
      'attempts',
      'last_error',
      'created_at',
      'sent_at',
      'next_attempt_at',
    ])
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
 * issue 18). Messages carry no agency (a send's carry their household): the figure is the whole organisation's.
 */
export async function messageFigures(trx: Tx, f: Pick<FigureScope, 'from' | 'to'>) {
  const r = await sql<{ channel: 'email' | 'sms'; status: string; n: number }>`
    select m.channel, m.status, count(*)::int as n from messages m where ${inPeriod(sql.ref('m.created_at'), f)}
    group by m.channel, m.status order by m.channel, m.status`.execute(trx);
  return r.rows;
}

/** The STOP answers recorded for these numbers (a person's contacts), for the right of access (TRUST DP-06). */
export function smsOptOutsOf(trx: Tx, phones: readonly string[]) {
  if (!phones.length) return Promise.resolve([]);
  return trx
    .selectFrom('sms_opt_outs')
    .select(['phone', 'source', 'recorded_at', 'confirmation_sent'])
    .where('phone', 'in', [...phones])
    .orderBy('recorded_at')
    .execute();
}
