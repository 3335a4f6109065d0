/**
 * Messaging (issue 15): templates with merge fields, the dry run of a send, its approval when it
 * reaches more than 1,000 recipients (TRUST LD-09, with a fresh re-authentication of the sender,
 * AA-09), the job that prepares and queues it, its report and its letters.
 */
import { PassThrough } from 'node:stream';
import type { z } from 'zod';
import {
  countSms,
  fieldsOf,
  type MergeField,
  mergeFields,
  renderTemplate,
  type SendChannel,
  type TemplateChannel,
  unknownFields,
} from '../../../contracts/messaging.ts';
import type { dryRunBody, previewBody, SendAnswer, TemplateBody } from '../../../contracts/messaging-api.ts';
import { reportGroups } from '../../../contracts/messaging-api.ts';
import { formatPhone } from '../../../contracts/phone.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can } from '../../platform/auth/abilities.ts';
import { isFreshlyAuthenticated, type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors/app-error.ts';
import { type BatchedMessage, enqueueMessages, sendStatusCounts } from '../../platform/outbox/enqueue-many.ts';
import { optedOutAmong } from '../../platform/outbox/outbox.ts';
import { smsOptOutMention, withSmsOptOutMention } from '../../platform/outbox/sms.ts';
import { campaignHouseholdIds } from '../calls/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { activeUsers } from '../identity/index.ts';
import { type MessageRecipient, messageRecipients, type Scope, scopeOf } from '../registry/index.ts';
import { type Letter, writeLetters } from './letters.ts';
import * as repo from './messaging.repository.ts';
import { count, decide, emptyPlan, type Plan, recipientsOf } from './plan.ts';

export const PREPARE_QUEUE = 'messaging-prepare';
/** Above this many recipients a send needs a second approver (TRUST LD-09). */
export const APPROVAL_THRESHOLD = 1000;
/** Recipients prepared per transaction (one progress step). */
const CHUNK = 5000;
const PURPOSE = 'messaging';

const frDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

// ——— Templates ———

function checkTemplate(body: TemplateBody) {
  const unknown = [...unknownFields(body.body), ...unknownFields(body.subject ?? '')];
  if (unknown.length) {
    const names = [...new Set(unknown)].map((f) => `{${f}}`).join(', ');
    throw invalid(
      'template_unknown_field',
      `Champ inconnu : ${names}. Champs possibles : ${Object.keys(mergeFields)
        .map((f) => `{${f}}`)
        .join(', ')}.`,
      { fields: [...new Set(unknown)] },
    );
  }
  if (body.channels.includes('email') && !body.subject) throw invalid('template_subject_missing', 'Un e-mail a besoin d’un objet : saisissez-le.');
  return { name: body.name, channels: body.channels, subject: body.subject, body: body.body };
}

const templateOut = (t: repo.TemplateRow) => ({
  id: t.id,
  name: t.name,
  channels: t.channels,
  subject: t.subject,
  body: t.body,
  updatedAt: t.updated_at.toISOString(),
});

export function listTemplates(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await repo.templates(trx)).map(templateOut));
}

export function createTemplate(deps: Deps, s: SessionContext, body: TemplateBody, ip: string) {
  const values = checkTemplate(body);
  return withSession(deps.database, s, async (trx) => {
    const id = await repo.insertTemplate(trx, values, s.userId);
    if (!id) throw conflict('template_name_taken', 'Un modèle porte déjà ce nom.');
    await recordAudit(trx, actorOf(s, ip), { action: 'message_template.created', objectType: 'message_template', objectId: id });
    return { id };
  });
}

export function updateTemplate(deps: Deps, s: SessionContext, id: string, body: TemplateBody, ip: string) {
  const values = checkTemplate(body);
  return withSession(deps.database, s, async (trx) => {
    const r = await repo.updateTemplate(trx, id, values);
    if (r === 'missing') throw notFound('Modèle', 'template_not_found');
    if (r === 'taken') throw conflict('template_name_taken', 'Un modèle porte déjà ce nom.');
    await recordAudit(trx, actorOf(s, ip), { action: 'message_template.updated', objectType: 'message_template', objectId: id });
  });
}

// ——— Rendering ———

const civilityWord = (c: MessageRecipient['civility']) => (c === 'Mme' ? 'Madame' : c === 'M.' ? 'Monsieur' : 'Madame, Monsieur');

/** The merge values of a household. */
function householdValues(r: MessageRecipient, typed: Record<string, string>): Partial<Record<MergeField, string>> {
  return {
    civilite: civilityWord(r.civility),
    prenom: r.first_name ?? '',
    nom: r.last_name ?? '',
    agence: r.agency ?? '',
    telephone_agence: r.agency_phone ? formatPhone(r.agency_phone) : '',
    reference: r.erp_ref,
    adresse: [r.address, [r.postal_code, r.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
    date_rdv: typed.date_rdv ?? '',
    montant: typed.montant ?? '',
  };
}

/** The address block of a letter: the holder, the dwelling, the street, the postal code and city (upper case, as La Poste asks). */
function addressOf(r: MessageRecipient): string[] {
  const name = [civilityWord(r.civility) === 'Madame, Monsieur' ? null : r.civility, r.first_name, r.last_name?.toUpperCase()].filter(Boolean).join(' ');
  return [name || 'Madame, Monsieur', `Logement ${r.unit}`, r.address ?? '', `${r.postal_code ?? ''} ${(r.city ?? '').toUpperCase()}`.trim()].filter(
    (l) => l.length > 0,
  );
}

/** The sender's block of a letter: the household's agency and its phone. */
const senderOf = (r: MessageRecipient): string[] =>
  [r.agency ? `Agence ${r.agency}` : 'Votre bailleur', r.agency_phone ? `Tél. ${formatPhone(r.agency_phone)}` : ''].filter((l) => l.length > 0);

/** The values a template needs that only the sender can give: refused when missing. */
function checkTypedValues(template: { body: string; subject: string | null }, typed: Record<string, string | undefined>) {
  const used = [...fieldsOf(template.body), ...fieldsOf(template.subject ?? '')];
  if (used.includes('invitation'))
    throw invalid(
      'message_invitation_field',
      'Le champ {invitation} est rempli par les invitations aux distributions et au pied de l’immeuble : il ne sert pas dans un envoi.',
    );
  for (const f of ['date_rdv', 'montant'] as const) {
    if (used.includes(f) && !typed[f]) {
      throw invalid(
        'message_value_missing',
        `Le modèle utilise {${f}} : saisissez ${f === 'date_rdv' ? 'la date du rendez-vous' : 'le montant'} avant l’envoi.`,
      );
    }
  }
}

export function preview(deps: Deps, s: SessionContext, body: z.infer<typeof previewBody>) {
  const unknown = [...unknownFields(body.body), ...unknownFields(body.subject ?? '')];
  if (unknown.length) throw invalid('template_unknown_field', `Champ inconnu : ${[...new Set(unknown)].map((f) => `{${f}}`).join(', ')}.`);
  return withSession(deps.database, s, async (trx) => {
    const [r] = await messageRecipients(trx, { householdIds: [body.householdId] }, scopeOf(s));
    if (!r) throw notFound('Ménage', 'household_not_found');
    const values = householdValues(r, body.values as Record<string, string>);
    const text = renderTemplate(body.body, values);
    const sms = withSmsOptOutMention(text, deps.config);
    const c = countSms(sms);
    return {
      text,
      subject: body.subject ? renderTemplate(body.subject, values) : null,
      sms: { text: sms, encoding: c.encoding, length: c.length, segments: c.segments },
      household: { erpRef: r.erp_ref, holder: [r.first_name, r.last_name].filter(Boolean).join(' ') },
    };
  });
}

// ——— Audiences and the dry run ———

export type StoredAudience = {
  kind: repo.Audience;
  householdId?: string;
  filters?: unknown;
  campaignId?: string;
  /** The households invited to a distribution or an outreach event (never stored: the invitation writes at once). */
  householdIds?: readonly string[];
  scope: Scope;
};

/** One recipient of a send, household or volunteer, with its decided channel. */
export type Prepared = {
  key: string;
  householdId: string | null;
  decision: ReturnType<typeof decide>;
  values: Partial<Record<MergeField, string>>;
  r?: MessageRecipient;
  email?: string | null;
  mobile?: string | null;
};

export async function recipientsOfAudience(
  trx: Tx,
  a: StoredAudience,
  channels: readonly TemplateChannel[],
  typed: Record<string, string>,
): Promise<Prepared[]> {
  if (a.kind === 'volunteers') {
    const users = await activeUsers(trx, { roles: ['volunteer'] });
    return users.map((u) => ({
      key: `user:${u.id}`,
      householdId: null,
      email: u.email,
      decision: decide({ left: false, restricted: false, noSms: false, preferred: 'email', mobile: null, email: u.email, postal: false }, channels),
      values: { prenom: u.first_name, nom: u.last_name, civilite: '', date_rdv: typed.date_rdv ?? '', montant: typed.montant ?? '' },
    }));
  }
  const rows =
    a.kind === 'segment'
      ? await messageRecipients(trx, { filters: a.filters as never }, a.scope)
      : await messageRecipients(
          trx,
          {
            householdIds:
              a.kind === 'household'
                ? [a.householdId as string]
                : a.kind === 'campaign'
                  ? await campaignHouseholdIds(trx, a.campaignId as string)
                  : [...(a.householdIds ?? [])],
          },
          a.scope,
        );
  // A number that answered STOP gets no SMS even where its household has no « pas de SMS » yet.
  const optedOut = await optedOutAmong(
    trx,
    rows.flatMap((r) => (r.mobile ? [r.mobile] : [])),
  );
  return rows.map((r) => ({
    key: `household:${r.household_id}`,
    householdId: r.household_id,
    r,
    email: r.email,
    mobile: r.mobile,
    decision: decide(
      {
        left: r.left,
        restricted: r.restricted,
        noSms: r.no_sms || (r.mobile !== null && optedOut.has(r.mobile)),
        preferred: r.preferred_channel,
        mobile: r.mobile,
        email: r.email,
        postal: true,
      },
      channels,
    ),
    values: householdValues(r, typed),
  }));
}

function planOf(prepared: Prepared[]): Plan {
  const plan = emptyPlan();
  for (const p of prepared) count(plan, p.decision);
  return plan;
}

/** The dry run: who will receive it, by which channel, who is excluded and why. Records the send as a draft. */
export function dryRun(deps: Deps, s: SessionContext, body: z.infer<typeof dryRunBody>, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const template = await repo.templateOf(trx, body.templateId);
    if (!template) throw notFound('Modèle', 'template_not_found');
    checkTypedValues(template, body.values);
    if (body.audience.kind === 'volunteers' && !can(s.role, 'messages.approve'))
      throw new AppError('forbidden', 403, 'Seuls les responsables et l’administration écrivent aux bénévoles.');
    if (body.audience.kind === 'campaign' && !can(s.role, 'campaigns.manage'))
      throw new AppError('forbidden', 403, 'Seuls les responsables de campagne écrivent aux ménages d’une campagne.');
    const stored: StoredAudience = { ...body.audience, scope: scopeOf(s) };
    const typed = body.values as Record<string, string>;
    const prepared = await recipientsOfAudience(trx, stored, template.channels, typed);
    if (body.audience.kind === 'household' && !prepared.length) throw notFound('Ménage', 'household_not_found');
    const plan = planOf(prepared);
    const id = await repo.insertSend(trx, {
      templateId: template.id,
      audience: body.audience.kind,
      audienceRef: stored,
      fieldValues: typed,
      plan,
      recipients: recipientsOf(plan),
      userId: s.userId,
    });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'message_send.planned',
      objectType: 'message_send',
      objectId: id,
      details: { audience: body.audience.kind, recipients: recipientsOf(plan) },
    });
    return sendAnswerOf(trx, id);
  });
}

// ——— Confirming, approving, preparing ———

/**
 * The sender confirms the send. Up to 1,000 recipients it starts at once; above, the sender must
 * have confirmed their identity in the last 5 minutes (AA-09) and the send waits for a second
 * approver (LD-09).
 */
export function confirmSend(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const send = await repo.sendOf(trx, id, true);
    if (!send) throw notFound('Envoi', 'send_not_found');
    if (send.created_by !== s.userId) throw forbidden();
    if (send.status !== 'draft') throw conflict('send_not_draft', 'Cet envoi a déjà été confirmé.');
    if (send.recipients === 0) throw invalid('send_empty', 'Personne ne recevrait ce message : rien à envoyer.');
    if (send.recipients > APPROVAL_THRESHOLD) {
      if (!isFreshlyAuthenticated(s))
        throw new AppError(
          'reauthentication_required',
          403,
          'Pour un envoi à plus de 1 000 destinataires, confirmez d’abord votre identité (mot de passe et code).',
        );
      await repo.setSendStatus(trx, id, { status: 'awaiting_approval' });
      await recordAudit(trx, actorOf(s, ip), {
        action: 'message_send.confirmed',
        objectType: 'message_send',
        objectId: id,
        details: { recipients: send.recipients },
      });
      return sendAnswerOf(trx, id);
    }
    await startPreparing(deps, trx, s.organisationId, id);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'message_send.confirmed',
      objectType: 'message_send',
      objectId: id,
      details: { recipients: send.recipients },
    });
    return sendAnswerOf(trx, id);
  });
}

/** A second manager or administrator approves a send to more than 1,000 recipients; it starts. */
export function approveSend(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const send = await repo.sendOf(trx, id, true);
    if (!send) throw notFound('Envoi', 'send_not_found');
    if (send.status !== 'awaiting_approval') throw conflict('send_not_awaiting', 'Cet envoi n’attend pas de validation.');
    if (send.created_by === s.userId)
      throw new AppError('second_approver_required', 403, 'Un envoi à plus de 1 000 destinataires doit être validé par une autre personne que son auteur.');
    await repo.setSendStatus(trx, id, { status: 'awaiting_approval', approvedBy: s.userId });
    await startPreparing(deps, trx, s.organisationId, id);
    await recordAudit(trx, actorOf(s, ip), { action: 'message_send.approved', objectType: 'message_send', objectId: id });
    return sendAnswerOf(trx, id);
  });
}

async function startPreparing(deps: Deps, trx: Tx, organisationId: string, id: string) {
  await repo.setSendStatus(trx, id, { status: 'preparing', started: true });
  await deps.jobs.send(trx, PREPARE_QUEUE, { organisationId, sendId: id });
}

/**
 * The job: render the template for every recipient, apply the exclusions again (an objection
 * recorded since the dry run counts), and queue one outbox message per SMS or e-mail (with its
 * send job) or one letter, by chunks of 5,000 in their own transactions (the progress bar). Safe to
 * run twice or after a crash: each message's key is the send and the recipient, so a chunk already
 * queued is skipped. `chunk`: recipients per transaction (tests use small ones).
 */
export async function prepareSend(deps: Deps, organisationId: string, id: string, options: { chunk?: number } = {}): Promise<void> {
  const chunkSize = options.chunk ?? CHUNK;
  const ctx = { organisationId };
  const loaded = await deps.database.withOrg(ctx, async (trx) => {
    const send = await repo.sendOf(trx, id, true);
    // A failed preparation is taken up again by the queue's retry: already queued messages are skipped by their key.
    if (send?.status !== 'preparing' && send?.status !== 'failed') return null;
    await repo.setSendStatus(trx, id, { status: 'preparing', error: null });
    await repo.setPrepared(trx, id, 0);
    const template = await repo.templateOf(trx, send.template_id);
    if (!template) return null;
    const prepared = await recipientsOfAudience(trx, send.audience_ref as StoredAudience, template.channels, send.field_values);
    return { send, template, prepared };
  });
  if (!loaded) return;
  const { template, prepared } = loaded;
  const reached = prepared.filter((p) => 'channel' in p.decision);
  try {
    // Two chunks at a time, each in its own transaction: the database writes one while the other is sent.
    const starts = Array.from({ length: Math.ceil(reached.length / chunkSize) }, (_, k) => k * chunkSize);
    let stopped = false;
    const worker = async () => {
      for (let start = starts.shift(); start !== undefined && !stopped; start = starts.shift()) {
        const messages: BatchedMessage[] = [];
        const letters: repo.NewLetter[] = [];
        for (const p of reached.slice(start, start + chunkSize)) {
          const m = messageFor(template, p, id, smsOptOutMention(deps.config));
          if (m.message) messages.push(m.message);
          if (m.letter) letters.push(m.letter);
        }
        await deps.database
          .withOrg(ctx, async (trx) => {
            await enqueueMessages(trx, deps.jobs, organisationId, messages);
            await repo.insertLetters(trx, id, letters);
            await repo.addPrepared(trx, id, messages.length + letters.length);
          })
          .catch((error: unknown) => {
            stopped = true;
            throw error;
          });
      }
    };
    // A failed chunk stops both workers; the send is marked failed only once the other's chunk in
    // flight has committed or failed (Promise.all answered before it, and the status raced it).
    const failure = (await Promise.allSettled([worker(), worker()])).find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    await deps.database.withOrg(ctx, async (trx) => {
      await repo.setSendStatus(trx, id, { status: 'queued', finished: true, recipients: reached.length });
      await repo.setPrepared(trx, id, reached.length);
    });
  } catch (error) {
    await deps.database.withOrg(ctx, (trx) =>
      repo.setSendStatus(trx, id, { status: 'failed', error: 'La préparation a échoué ; elle reprendra sans doublon à la prochaine tentative.' }),
    );
    throw error;
  }
}

/** What one recipient gets: an outbox message (SMS or e-mail) or a letter; nothing when excluded. */
export function messageFor(template: repo.TemplateRow, p: Prepared, sendId: string, smsMention: string): { message?: BatchedMessage; letter?: repo.NewLetter } {
  if (!('channel' in p.decision)) return {};
  const channel: SendChannel = p.decision.channel;
  const text = renderTemplate(template.body, p.values);
  if (channel === 'letter')
    return p.r && p.householdId ? { letter: { householdId: p.householdId, address: addressOf(p.r), sender: senderOf(p.r), body: text } } : {};
  return {
    message: {
      channel,
      recipient: channel === 'sms' ? (p.mobile as string) : (p.email as string),
      subject: channel === 'email' ? renderTemplate(template.subject ?? template.name, p.values) : null,
      // The opt-out mention on SMS to tenants (a send is not transactional: the delivery layer
      // hands it to the provider as such); volunteers are written to by e-mail only.
      body: channel === 'sms' ? `${text.trimEnd()}\n${smsMention}` : text,
      smsType: 'marketing',
      purpose: PURPOSE,
      idempotencyKey: `send:${sendId}:${p.key}`,
      sendId,
      householdId: p.householdId,
    },
  };
}

/** Register the preparation worker. */
export async function startMessagingWorkers(deps: Deps) {
  await deps.jobs.work<{ organisationId: string; sendId: string }>(PREPARE_QUEUE, ({ organisationId, data }) => prepareSend(deps, organisationId, data.sendId));
}

// ——— Report ———

/** Each outbox status in the send's report: one line per status, no guessing from its spelling. */
const reportGroupOf: Record<string, (typeof reportGroups)[number]> = {
  queued: 'queued',
  sending: 'queued',
  delayed: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  delivered_locally: 'delivered',
  opted_out: 'opted_out',
  unknown: 'unknown',
  failed: 'failed',
};
const groupOf = (status: string) => reportGroupOf[status] ?? 'failed';

async function sendAnswerOf(trx: Tx, id: string): Promise<SendAnswer> {
  const send = await repo.sendOf(trx, id);
  if (!send) throw notFound('Envoi', 'send_not_found');
  const template = await repo.templateOf(trx, send.template_id);
  const report = Object.fromEntries(reportGroups.map((g) => [g, 0])) as Record<(typeof reportGroups)[number], number>;
  let messages = 0;
  for (const c of await sendStatusCounts(trx, id)) {
    report[groupOf(c.status)] += c.n;
    messages += c.n;
  }
  return {
    id: send.id,
    template: template?.name ?? '',
    audience: send.audience,
    status: send.status,
    plan: send.plan,
    recipients: send.recipients,
    prepared: send.prepared,
    needsApproval: send.recipients > APPROVAL_THRESHOLD,
    createdBy: send.created_by,
    approvedBy: send.approved_by,
    error: send.error,
    createdAt: send.created_at.toISOString(),
    letters: await repo.letterCount(trx, id),
    report,
    messages,
  };
}

export function sendOf(deps: Deps, s: SessionContext, id: string) {
  return withSession(deps.database, s, (trx) => sendAnswerOf(trx, id));
}

export function listSends(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) =>
    (await repo.recentSends(trx)).map((r) => ({
      id: r.id,
      template: r.template,
      audience: r.audience as SendAnswer['audience'],
      status: r.status as SendAnswer['status'],
      recipients: r.recipients,
      prepared: r.prepared,
      createdAt: r.created_at.toISOString(),
    })),
  );
}

// ——— Letters ———

/**
 * The letters of a send as one PDF, streamed: pages of 500 letters are read one after the other
 * (each in its own short transaction) and drawn as they come.
 */
export async function lettersPdf(deps: Deps, s: SessionContext, id: string, ip: string) {
  const { count: n } = await withSession(deps.database, s, async (trx) => {
    const send = await repo.sendOf(trx, id);
    if (!send) throw notFound('Envoi', 'send_not_found');
    // The letters name households of the author's agencies: their author prints them, or a
    // manager or administrator whose agencies cover the send's (an agency's manager never reads
    // the letters of another agency's households).
    const scope = scopeOf(s);
    const sendScope = (send.audience_ref as { scope?: string[] | null } | null)?.scope ?? null;
    const covers = scope === null || sendScope?.every((a) => scope.includes(a)) === true;
    if (send.created_by !== s.userId && !(can(s.role, 'messages.approve') && covers))
      throw new AppError('forbidden', 403, 'Seuls l’auteur de l’envoi, et les responsables et l’administration de ses agences, impriment ses courriers.');
    const n = await repo.letterCount(trx, id);
    if (!n) throw notFound('Courrier de cet envoi', 'letters_not_found');
    await recordAudit(trx, actorOf(s, ip), { action: 'message_letters.downloaded', objectType: 'message_send', objectId: id, details: { letters: n } });
    return { count: n };
  });
  const dated = `Le ${frDate.format(nowOf(deps)).replace(/^1 /, '1er ')}`;
  const ctx = { organisationId: s.organisationId, userId: s.userId };
  async function* letters(): AsyncIterable<Letter> {
    let after: string | null = null;
    for (;;) {
      const page: { household_id: string; address: string[]; sender: string[]; body: string }[] = await deps.database.withOrg(ctx, (trx) =>
        repo.lettersPage(trx, id, after, 500),
      );
      for (const l of page) yield { address: l.address, body: l.body, sender: l.sender.length ? l.sender : ['Votre bailleur'], dated };
      if (page.length < 500) return;
      after = page[page.length - 1]?.household_id ?? null;
    }
  }
  const stream = new PassThrough();
  const done = writeLetters(stream, letters(), 'Courriers aux locataires');
  done.catch((error) => stream.destroy(error));
  return { stream, count: n };
}
