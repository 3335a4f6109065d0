/**
 * Brevo's SMS callbacks (issue 15, TRUST IN-11, FT-09): delivery states, replies and opt-outs.
 *
 * A callback arrives without an organisation. Two reviewed SECURITY DEFINER look-ups give the
 * ids needed to open the right organisation's transaction (its message by Brevo's id or by the
 * tag, the outbox id, Lien gave it; the organisations that sent SMS to a number); everything else
 * runs under that organisation's row-level security, like any request.
 *
 * Each event is kept once (`message_events`, unique per provider event): Brevo sends no event id,
 * so its id is built from what identifies it (message, state, time). A state only moves forward:
 * `sent` < `delivered` or `failed` (whichever comes first); an older event arriving late is kept
 * but changes nothing.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { enqueueMessage, OPT_OUT_CONFIRMATION_PURPOSE } from './outbox.ts';
import { fromProviderNumber, isStopReply } from './sms.ts';

/** What the registry does when a number answers STOP: records (and audits) « pas de SMS » on the households with that mobile. */
export type SmsOptOutHook = (trx: Tx, phone: string) => Promise<void>;

/**
 * What a module does with a reply that is not STOP (e.g. « OUI » to a call for help), in the
 * organisation that wrote last to the number, once per reply; true when it used it.
 */
export type SmsReplyHook = (trx: Tx, reply: { phone: string; text: string; at: Date }) => Promise<boolean>;

/** One Brevo transactional SMS event, as its webhook posts it (fields Lien reads). */
export type BrevoSmsEvent = {
  msg_status?: string;
  event?: string;
  messageId?: string | number;
  to?: string;
  ts_event?: number;
  tag?: string;
  reply?: string;
  text?: string;
};

export type CallbackOutcome = 'applied' | 'kept' | 'duplicate' | 'unknown_message' | 'opted_out' | 'replied';

const PROVIDER = 'brevo';

/** How far each state is along; a callback never moves a message back (FT-09). */
const rank: Record<string, number> = { queued: 0, sending: 0, delayed: 0, unknown: 0, sent: 1, delivered: 2, failed: 2 };

/** Brevo's states (both spellings it uses) and the message state each leads to; null: kept, no change. */
const targets: Record<string, { status: 'sent' | 'delivered' | 'failed' | null; error?: string }> = {
  sent: { status: 'sent' },
  accepted: { status: 'sent' },
  delivered: { status: 'delivered' },
  soft_bounce: { status: null },
  softbounce: { status: null },
  hard_bounce: { status: 'failed', error: 'Numéro injoignable : refus définitif de l’opérateur.' },
  hardbounce: { status: 'failed', error: 'Numéro injoignable : refus définitif de l’opérateur.' },
  rejected: { status: 'failed', error: 'SMS refusé par le fournisseur.' },
  reject: { status: 'failed', error: 'SMS refusé par le fournisseur.' },
  blacklisted: { status: 'failed', error: 'Numéro sur la liste de blocage du fournisseur (STOP reçu par lui).' },
  skip: { status: 'failed', error: 'SMS non envoyé par le fournisseur.' },
};

export class CallbackRefused extends Error {}

/** The text of the confirmation sent, once, to a number that answered STOP. */
export const OPT_OUT_CONFIRMATION = 'Votre demande est enregistrée : vous ne recevrez plus de SMS de votre bailleur par ce service.';

export async function handleBrevoSmsEvent(
  deps: { database: Database; jobs: Jobs; onSmsOptOut: SmsOptOutHook; onSmsReply?: SmsReplyHook; maxAgeMinutes: number },
  event: BrevoSmsEvent,
  now = Date.now(),
): Promise<CallbackOutcome> {
  const state = String(event.msg_status ?? event.event ?? '')
    .toLowerCase()
    .trim();
  if (!state) throw new CallbackRefused('Événement sans état (msg_status).');
  if (typeof event.ts_event !== 'number' || !Number.isFinite(event.ts_event)) throw new CallbackRefused('Événement sans horodatage (ts_event).');
  const occurredAt = event.ts_event * 1000;
  // Replays (IN-11): an event older than the window, or from the future, is refused.
  if (now - occurredAt > deps.maxAgeMinutes * 60_000)
    throw new CallbackRefused(`Événement trop ancien (plus de ${deps.maxAgeMinutes} minutes) : rejeu refusé.`);
  if (occurredAt - now > 5 * 60_000) throw new CallbackRefused('Événement daté du futur : refusé.');
  const providerId = event.messageId === undefined || event.messageId === null ? null : String(event.messageId);

  if (state === 'replied' || state === 'reply' || state === 'unsubscribe' || state === 'unsubscribed') {
    const phone = fromProviderNumber(String(event.to ?? ''));
    if (!phone) throw new CallbackRefused('Réponse sans numéro valable.');
    const text = String(event.reply ?? event.text ?? '');
    const optOut = state.startsWith('unsubscribe') || isStopReply(text);
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const eventId = `${state}:${providerId ?? ''}:${phone}:${event.ts_event}:${digest}`;
    return optOut
      ? optOutNumber(deps, phone, eventId, new Date(occurredAt), state === 'replied' || state === 'reply')
      : recordReply(deps, phone, text, eventId, new Date(occurredAt));
  }

  const target = targets[state];
  if (!target) throw new CallbackRefused(`État inconnu : ${state.slice(0, 40)}.`);
  if (!providerId) throw new CallbackRefused('Événement sans identifiant de message (messageId).');
  const { rows } = await sql<{ message_id: string; organisation_id: string }>`
    select * from outbox_message_by_provider_id(${PROVIDER}, ${providerId}, ${event.tag ?? null})`.execute(deps.database.db);
  const found = rows[0];
  if (!found) return 'unknown_message';
  return deps.database.withOrg({ organisationId: found.organisation_id }, async (trx) => {
    const inserted = await trx
      .insertInto('message_events')
      .values({
        organisation_id: found.organisation_id,
        message_id: found.message_id,
        provider: PROVIDER,
        event_id: `${providerId}:${state}:${event.ts_event}`,
        event: state,
        occurred_at: new Date(occurredAt),
      })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return 'duplicate';
    const m = await trx
      .selectFrom('messages')
      .select(['status', 'provider_message_id'])
      .where('id', '=', found.message_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!target.status || (rank[target.status] ?? 0) <= (rank[m.status] ?? 3)) return 'kept';
    await trx
      .updateTable('messages')
      .set({
        status: target.status,
        provider_message_id: m.provider_message_id ?? providerId,
        sent_at: sql`coalesce(sent_at, ${new Date(occurredAt)})`,
        ...(target.status === 'delivered' ? { delivered_at: new Date(occurredAt), last_error: null } : {}),
        ...(target.error ? { last_error: target.error } : {}),
        sealed_body: null,
      })
      .where('id', '=', found.message_id)
      .execute();
    return 'applied';
  });
}

type Sender = { organisation_id: string; message_id: string; recency: string };

async function sendersOf(database: Database, phone: string): Promise<Sender[]> {
  const { rows } = await sql<Sender>`select * from outbox_sms_senders_of(${phone})`.execute(database.db);
  // The organisation that wrote last comes first: it sends the confirmation.
  return rows.sort((a, b) => Number(a.recency) - Number(b.recency));
}

async function recordReply(
  deps: { database: Database; onSmsReply?: SmsReplyHook },
  phone: string,
  text: string,
  eventId: string,
  occurredAt: Date,
): Promise<CallbackOutcome> {
  const [last] = await sendersOf(deps.database, phone);
  if (!last) return 'unknown_message';
  return deps.database.withOrg({ organisationId: last.organisation_id }, async (trx) => {
    const inserted = await trx
      .insertInto('message_events')
      .values({
        organisation_id: last.organisation_id,
        message_id: last.message_id,
        provider: PROVIDER,
        event_id: eventId,
        event: 'replied',
        occurred_at: occurredAt,
      })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return 'duplicate';
    // The same reply delivered twice is handed to the module once (the event above is unique).
    if (deps.onSmsReply) await deps.onSmsReply(trx, { phone, text, at: occurredAt });
    return 'replied';
  });
}

/**
 * A number that answered STOP (or that Brevo reports unsubscribed): in every organisation that
 * sent it an SMS, the number is opted out at once (no SMS leaves for it any more), the registry
 * records « pas de SMS » on the households with that mobile, and the organisation that wrote last
 * sends one confirmation, once ever (its idempotency key is the number).
 */
async function optOutNumber(
  deps: { database: Database; jobs: Jobs; onSmsOptOut: SmsOptOutHook },
  phone: string,
  eventId: string,
  occurredAt: Date,
  confirm: boolean,
): Promise<CallbackOutcome> {
  const senders = await sendersOf(deps.database, phone);
  if (!senders.length) return 'unknown_message';
  let outcome: CallbackOutcome = 'duplicate';
  for (const [index, sender] of senders.entries()) {
    await deps.database.withOrg({ organisationId: sender.organisation_id }, async (trx) => {
      const inserted = await trx
        .insertInto('message_events')
        .values({
          organisation_id: sender.organisation_id,
          message_id: sender.message_id,
          provider: PROVIDER,
          event_id: `${eventId}:${sender.organisation_id}`,
          event: 'opt_out',
          occurred_at: occurredAt,
        })
        .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return;
      outcome = 'opted_out';
      await trx
        .insertInto('sms_opt_outs')
        .values({ organisation_id: sender.organisation_id, phone, source: confirm ? 'sms_reply' : 'provider' })
        .onConflict((oc) => oc.columns(['organisation_id', 'phone']).doNothing())
        .execute();
      await deps.onSmsOptOut(trx, phone);
      if (confirm && index === 0) {
        const queued = await enqueueMessage(trx, deps.jobs, sender.organisation_id, {
          channel: 'sms',
          recipient: phone,
          body: OPT_OUT_CONFIRMATION,
          purpose: OPT_OUT_CONFIRMATION_PURPOSE,
          idempotencyKey: `sms-opt-out-confirmation:${phone}`,
        });
        if (queued) await trx.updateTable('sms_opt_outs').set({ confirmation_sent: true }).where('phone', '=', phone).execute();
      }
    });
  }
  return outcome;
}
