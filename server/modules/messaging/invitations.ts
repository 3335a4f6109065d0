/**
 * Solidarity's invitations and calls for help (issue 17), written with messaging's rules: each
 * household invited to a food distribution or an outreach event gets an SMS (a mobile, no « pas
 * de SMS », no STOP) or else a letter, chosen by `decide` like any send; the letters go in the
 * send's letters PDF staff print. One send per distribution or event, growing as households are
 * invited (its report, its letters), written in the invitation's transaction. The text is the
 * organisation's template « Invitations (distributions, pied d’immeuble) », created on first use
 * and editable like any other; its {invitation} field says what, when and where.
 */
import type { Tx } from '../../platform/db/database.ts';
import { invalid } from '../../platform/errors/app-error.ts';
import { enqueueMessages } from '../../platform/outbox/enqueue-many.ts';
import { optedOutAmong } from '../../platform/outbox/outbox.ts';
import { smsOptOutMention } from '../../platform/outbox/sms.ts';
import type { SolidarityMessaging } from '../solidarity/index.ts';
import { growingSend } from './growing-send.ts';
import * as repo from './messaging.repository.ts';
import { APPROVAL_THRESHOLD, messageFor, recipientsOfAudience, type StoredAudience } from './messaging.service.ts';
import { count, decide, emptyPlan } from './plan.ts';

export const INVITATION_TEMPLATE = 'Invitations (distributions, pied d’immeuble)';
const INVITATION_BODY = 'Bonjour {prenom}, {invitation}.';

async function invitationTemplate(trx: Tx, userId: string): Promise<repo.TemplateRow> {
  const found = await repo.templateByName(trx, INVITATION_TEMPLATE);
  if (found) return found;
  await repo.insertTemplate(trx, { name: INVITATION_TEMPLATE, channels: ['sms', 'letter'], subject: null, body: INVITATION_BODY }, userId);
  return (await repo.templateByName(trx, INVITATION_TEMPLATE)) as repo.TemplateRow;
}

export const solidarityMessaging: SolidarityMessaging = {
  async invite(deps, trx, i) {
    if (!i.householdIds.length && i.sendId) return i.sendId;
    const template = await invitationTemplate(trx, i.userId);
    const stored: StoredAudience = { kind: i.event.kind, householdIds: i.householdIds, scope: i.scope };
    const prepared = await recipientsOfAudience(trx, stored, template.channels, {});
    const { sendId, plan } = await growingSend(trx, i.sendId ?? null, {
      templateId: template.id,
      audience: i.event.kind,
      audienceRef: { kind: i.event.kind, [i.event.kind === 'distribution' ? 'distributionId' : 'eventId']: i.event.id, scope: i.scope },
      fieldValues: { invitation: i.event.text },
      userId: i.userId,
    });
    const messages = [];
    const letters = [];
    for (const p of prepared) {
      count(plan, p.decision);
      const m = messageFor(template, { ...p, values: { ...p.values, invitation: i.event.text } }, sendId, smsOptOutMention(deps.config));
      if (m.message) messages.push(m.message);
      if (m.letter) letters.push(m.letter);
    }
    // Above 1,000 SMS a send needs a second person's approval (TRUST LD-09); an invitation is sent
    // at once, so it stops there: the caller's transaction rolls back, nobody is invited.
    if (plan.channels.sms > APPROVAL_THRESHOLD)
      throw invalid(
        'invitations_too_many',
        `Les invitations par SMS partent à ${APPROVAL_THRESHOLD.toLocaleString('fr-FR')} ménages au plus (${plan.channels.sms.toLocaleString('fr-FR')} ici) : au-delà, une seconde personne doit valider l’envoi depuis la messagerie. Personne n’a été invité.`,
      );
    await enqueueMessages(trx, deps.jobs, i.organisationId, messages);
    await repo.insertLetters(trx, sendId, letters);
    await repo.addReachedToSend(trx, sendId, plan, messages.length + letters.length);
    return sendId;
  },

  async figures(trx, sendId) {
    const send = await repo.sendOf(trx, sendId);
    if (!send) return null;
    const plan = send.plan;
    return {
      sendId,
      sms: plan.channels.sms,
      letters: plan.channels.letter,
      excluded: Object.values(plan.excluded).reduce((a, b) => a + b, 0),
    };
  },

  async helpCallAudience(trx, a) {
    const plan = emptyPlan();
    const reached = [];
    if (a.kind === 'segment') {
      for (const p of await recipientsOfAudience(trx, { kind: 'segment', filters: a.filters, scope: a.scope }, ['sms'], {})) {
        count(plan, p.decision);
        if ('channel' in p.decision && p.mobile) reached.push({ householdId: p.householdId, userId: null, mobile: p.mobile, firstName: p.values.prenom ?? '' });
      }
      return { plan, reached };
    }
    const optedOut = await optedOutAmong(
      trx,
      a.people.flatMap((v) => (v.mobile ? [v.mobile] : [])),
    );
    for (const v of a.people) {
      const d = decide(
        {
          left: false,
          restricted: false,
          noSms: v.mobile !== null && optedOut.has(v.mobile),
          preferred: 'sms',
          mobile: v.mobile,
          email: null,
          postal: false,
        },
        ['sms'],
      );
      count(plan, d);
      if ('channel' in d && v.mobile) reached.push({ householdId: null, userId: v.userId, mobile: v.mobile, firstName: v.firstName });
    }
    return { plan, reached };
  },
};
