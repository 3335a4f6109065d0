/**
 * Calls for help by SMS (issue 17), as landlords found volunteer sewers in 2020: staff write a
 * short question, choose the skill and the audience — the accepted volunteers with that skill
 * (not paused), or the tenants of a registry segment —, see the dry run (messaging's channel
 * rules: a mobile, no « pas de SMS », no STOP), then send through the outbox. Each recipient gets
 * a personal link `/aide/<token>` (12 random characters; only its SHA-256 is kept, no personal
 * data in the address) and may answer « OUI » / « NON » by SMS with Brevo (the latest open call
 * sent to that number). A token answers its own call only, and may change its answer while the
 * call is open. Staff read the counts and the « oui » with name and phone, and may turn a
 * tenant's « oui » into a volunteer sign-up pre-filled with the skill.
 */
import { createHash, randomBytes } from 'node:crypto';
import { formatPhone } from '../../../contracts/phone.ts';
import type { HelpCallBody, HelpCallDetail, HelpCallRow } from '../../../contracts/solidarity.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { takeAllowance } from '../../platform/auth/throttle.ts';
import { throttleKey } from '../../platform/auth/tokens.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { messageKey } from '../../platform/outbox/sealing.ts';
import { smsOptOutMention } from '../../platform/outbox/sms.ts';
import { type Deps, nowOf } from '../deps.ts';
import { messageRecipients, scopeOf } from '../registry/index.ts';
import * as repo from './help-calls.repository.ts';
import { type HelpCallAudience, solidarityMessaging } from './messaging-hook.ts';
import { insertApplication } from './volunteers.repository.ts';

/** At most this many recipients per call (above, narrow the segment: a call for help is not a mass mailing). */
export const MAX_RECIPIENTS = 1000;
/** How long the outbox keeps an unsent SMS's link readable for its sending (then only the masked text stays). */
const LINK_SEALED_MINUTES = 3 * 24 * 60;
/** Answers from one address per hour on the public page (like the volunteer sign-up). */
export const answersPerAddress = { count: 20, windowSeconds: 60 * 60, detail: 'Trop de réponses depuis cette adresse : réessayez dans une heure.' };

const hashOf = (token: string) => createHash('sha256').update(token).digest();
const newToken = () => randomBytes(9).toString('base64url');
const tokenPattern = /^[A-Za-z0-9_-]{12}$/;

async function audienceOf(trx: Tx, s: SessionContext, call: { skill: HelpCallBody['skill']; audience: 'volunteers' | 'segment'; segment: unknown }) {
  const audience: HelpCallAudience =
    call.audience === 'segment'
      ? { kind: 'segment', filters: call.segment as never, scope: scopeOf(s) }
      : {
          kind: 'volunteers',
          people: (await repo.volunteersWithSkill(trx, call.skill)).map((v) => ({
            userId: v.user_id,
            mobile: v.phone,
            firstName: v.first_name,
            lastName: v.last_name,
          })),
        };
  return solidarityMessaging().helpCallAudience(trx, audience);
}

const rowOf = (c: repo.HelpCallDbRow): HelpCallRow => ({
  id: c.id,
  question: c.question,
  skill: c.skill,
  audience: c.audience,
  status: c.status,
  createdAt: c.created_at.toISOString(),
  plan: c.plan,
  counts: { sent: c.sent, yes: c.yes, no: c.no, none: c.sent - c.yes - c.no },
});

/** The dry run: the call is recorded as a draft with who would get the SMS and who not. */
export function planHelpCall(deps: Deps, s: SessionContext, body: HelpCallBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const segment = body.audience.kind === 'segment' ? body.audience.filters : null;
    const { plan } = await audienceOf(trx, s, { skill: body.skill, audience: body.audience.kind, segment });
    const id = await repo.insertCall(trx, { question: body.question, skill: body.skill, audience: body.audience.kind, segment, plan, createdBy: s.userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'help_call.planned',
      objectType: 'help_call',
      objectId: id,
      details: { audience: body.audience.kind, skill: body.skill },
    });
    return rowOf((await repo.callById(trx, id)) as repo.HelpCallDbRow);
  });
}

/** Sends the call: the audience again (an objection since the dry run counts), one SMS each with its personal link, in one transaction. */
export function sendHelpCall(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const call = await repo.callById(trx, id, true);
    if (!call) throw notFound('Appel à l’aide', 'help_call_not_found');
    if (call.status !== 'draft') throw conflict('help_call_sent', 'Cet appel à l’aide est déjà parti.');
    const { plan, reached } = await audienceOf(trx, s, call);
    if (!reached.length) throw invalid('help_call_empty', 'Personne ne recevrait ce SMS : rien à envoyer.');
    if (reached.length > MAX_RECIPIENTS) throw invalid('help_call_too_many', 'Un appel à l’aide part à 1 000 personnes au plus : resserrez le segment.');
    const tokens = reached.map(() => newToken());
    const recipientIds = await repo.insertRecipients(
      trx,
      id,
      reached.map((p, k) => ({ householdId: p.householdId, userId: p.userId, mobile: p.mobile, tokenHash: hashOf(tokens[k] as string) })),
    );
    const mention = smsOptOutMention(deps.config);
    const key = messageKey(deps.config);
    for (const [k, p] of reached.entries()) {
      // The personal link is sealed in the outbox (the stored body shows it masked), like every personal link.
      const link = `${deps.config.publicUrl}/aide/${tokens[k]}`;
      await enqueueMessage(trx, deps.jobs, s.organisationId, {
        channel: 'sms',
        recipient: p.mobile,
        body: `${p.firstName ? `Bonjour ${p.firstName}, ` : ''}${call.question}\nRépondez ici : ${link} ou par SMS OUI / NON.\n${mention}`,
        purpose: 'help_call',
        idempotencyKey: `help-call:${id}:${recipientIds[k]}`,
        secret: { values: [link], key, validMinutes: LINK_SEALED_MINUTES },
        smsType: 'marketing',
      });
    }
    await repo.setCallStatus(trx, id, 'sent', plan);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'help_call.sent',
      objectType: 'help_call',
      objectId: id,
      details: { recipients: reached.length, [HOUSEHOLD_IDS]: reached.flatMap((p) => (p.householdId ? [p.householdId] : [])) },
    });
    return rowOf((await repo.callById(trx, id)) as repo.HelpCallDbRow);
  });
}

export function closeHelpCall(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const call = await repo.callById(trx, id, true);
    if (!call) throw notFound('Appel à l’aide', 'help_call_not_found');
    if (call.status === 'closed') throw conflict('help_call_closed', 'Cet appel à l’aide est déjà clos.');
    await repo.setCallStatus(trx, id, 'closed');
    await recordAudit(trx, actorOf(s, ip), { action: 'help_call.closed', objectType: 'help_call', objectId: id });
  });
}

export function listHelpCalls(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await repo.listCalls(trx)).map(rowOf));
}

/** A call with its counts and the « oui » (name, phone, note) for staff to follow up; the households shown are audited. */
export function helpCallDetail(deps: Deps, s: SessionContext, id: string, ip: string): Promise<HelpCallDetail> {
  return withSession(deps.database, s, async (trx) => {
    const call = await repo.callById(trx, id);
    if (!call) throw notFound('Appel à l’aide', 'help_call_not_found');
    const yes = await repo.yesOf(trx, id);
    const householdIds = yes.flatMap((r) => (r.household_id ? [r.household_id] : []));
    const holders = new Map((await messageRecipients(trx, { householdIds }, scopeOf(s))).map((r) => [r.household_id, r]));
    const volunteers = await repo.volunteerNames(
      trx,
      yes.flatMap((r) => (r.user_id ? [r.user_id] : [])),
    );
    // Staff limited to some agencies see only their agencies' tenants.
    const shown = yes.filter((r) => r.user_id || holders.has(r.household_id as string));
    await recordAudit(trx, actorOf(s, ip), {
      action: 'help_call.read',
      objectType: 'help_call',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: shown.flatMap((r) => (r.household_id ? [r.household_id] : [])) },
    });
    return {
      ...rowOf(call),
      yes: shown.map((r) => {
        const holder = r.household_id ? holders.get(r.household_id) : undefined;
        return {
          recipientId: r.id,
          kind: r.household_id ? ('tenant' as const) : ('volunteer' as const),
          name: holder ? [holder.first_name, holder.last_name].filter(Boolean).join(' ') : (volunteers.get(r.user_id as string) ?? ''),
          phone: formatPhone(r.mobile),
          note: r.note,
          via: r.answered_via ?? 'link',
          answeredAt: (r.answered_at as Date).toISOString(),
          applicationId: r.application_id,
        };
      }),
    };
  });
}

/** Staff turn a tenant's « oui » into a volunteer sign-up (pending, to vet as any other), pre-filled with the call's skill. */
export function volunteerFromYes(deps: Deps, s: SessionContext, callId: string, recipientId: string, email: string | undefined, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const call = await repo.callById(trx, callId);
    if (!call) throw notFound('Appel à l’aide', 'help_call_not_found');
    const r = await repo.recipientById(trx, callId, recipientId);
    if (!r?.household_id || r.answer !== 'yes') throw notFound('Réponse « oui » d’un locataire', 'help_answer_not_found');
    if (r.application_id) throw conflict('help_answer_signed_up', 'Cette personne a déjà une inscription de bénévole.');
    const [holder] = await messageRecipients(trx, { householdIds: [r.household_id] }, scopeOf(s));
    if (!holder) throw notFound('Ménage', 'household_not_found');
    const mail = email ?? holder.email;
    if (!mail) throw invalid('email_missing', 'Saisissez l’adresse e-mail de la personne : un·e bénévole reçoit son invitation par e-mail.');
    if (call.skill === 'languages') throw invalid('languages_missing', 'Pour les langues, la personne s’inscrit sur la page des bénévoles en les indiquant.');
    const applicationId = await insertApplication(trx, {
      firstName: holder.first_name ?? 'À préciser',
      lastName: holder.last_name ?? 'À préciser',
      email: mail,
      phone: r.mobile,
      availability: r.note ? `Réponse à l’appel à l’aide : ${r.note}`.slice(0, 300) : 'À préciser (réponse « oui » à un appel à l’aide)',
      skills: [call.skill],
      languages: null,
      area: holder.city ?? 'À préciser',
    });
    await repo.setApplication(trx, r.id, applicationId);
    await recordAudit(trx, actorOf(s, ip), {
      action: 'help_call.volunteer_created',
      objectType: 'volunteer_application',
      objectId: applicationId,
      details: { callId, [HOUSEHOLD_IDS]: [r.household_id] },
    });
    return { applicationId };
  });
}

// ——— The recipient's answer ———

function tokenHash(token: string): Buffer {
  if (!tokenPattern.test(token)) throw notFound('Lien de réponse', 'help_link_not_found');
  return hashOf(token);
}

/** The public answer page: the question and the answer given so far (nothing else). */
export async function answerView(deps: Deps, token: string, ip: string) {
  await takeAllowance(deps.database, throttleKey('help-answer', ip), answersPerAddress, nowOf(deps));
  const hash = tokenHash(token);
  const org = await repo.organisationOfToken(deps.database, hash);
  if (!org) throw notFound('Lien de réponse', 'help_link_not_found');
  return deps.database.withOrg({ organisationId: org.id }, async (trx) => {
    const r = await repo.recipientByHash(trx, hash);
    if (!r) throw notFound('Lien de réponse', 'help_link_not_found');
    const call = (await repo.callById(trx, r.call_id)) as repo.HelpCallDbRow;
    return { organisation: org.name, question: call.question, open: call.status === 'sent', answer: r.answer, note: r.note };
  });
}

/** An answer by the personal link: once, or changed while the call is open. */
export async function answerByLink(deps: Deps, token: string, body: { answer: 'yes' | 'no'; note?: string | undefined }, ip: string) {
  const now = nowOf(deps);
  await takeAllowance(deps.database, throttleKey('help-answer', ip), answersPerAddress, now);
  const hash = tokenHash(token);
  const org = await repo.organisationOfToken(deps.database, hash);
  if (!org) throw notFound('Lien de réponse', 'help_link_not_found');
  await deps.database.withOrg({ organisationId: org.id }, async (trx) => {
    const r = await repo.recipientByHash(trx, hash);
    if (!r) throw notFound('Lien de réponse', 'help_link_not_found');
    const call = (await repo.callById(trx, r.call_id)) as repo.HelpCallDbRow;
    if (call.status !== 'sent') throw new AppError('help_call_closed', 409, 'Cet appel à l’aide est clos : merci, il n’attend plus de réponse.');
    await repo.answer(trx, r.id, { answer: body.answer, note: body.note || null, via: 'link', at: now });
    await recordAudit(
      trx,
      { userId: null, role: 'public', ip },
      { action: 'help_call.answered', objectType: 'help_call', objectId: call.id, details: { via: 'link', changed: r.answer !== null } },
    );
  });
  return { ok: true as const };
}

/** « OUI » / « NON » (and their usual spellings), else null: a reply that says neither is left alone. */
export function yesOrNo(text: string): 'yes' | 'no' | null {
  const word =
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .trim()
      .toLowerCase()
      .split(/[^a-z]+/)
      .find((w) => w.length > 0) ?? '';
  if (['oui', 'ouais', 'yes', 'o'].includes(word)) return 'yes';
  if (['non', 'no', 'n'].includes(word)) return 'no';
  return null;
}

/**
 * An SMS reply routed by the outbox's Brevo callbacks (in the organisation that wrote last to the
 * number): it answers the latest open call for help sent to that number. True when it did.
 */
export async function answerBySms(trx: Tx, reply: { phone: string; text: string; at: Date }): Promise<boolean> {
  const a = yesOrNo(reply.text);
  if (!a) return false;
  const r = await repo.latestOpenRecipientOf(trx, reply.phone);
  if (!r) return false;
  await repo.answer(trx, r.id, { answer: a, note: r.note, via: 'sms', at: reply.at });
  await recordAudit(
    trx,
    { userId: null, role: 'public', ip: null },
    { action: 'help_call.answered', objectType: 'help_call', objectId: r.call_id, details: { via: 'sms' } },
  );
  return true;
}
