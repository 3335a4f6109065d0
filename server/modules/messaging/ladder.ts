/**
 * The escalation ladder (issue 15): a campaign's SMS before the first call, sent to its queue at
 * launch, and its SMS before the doorstep visit, sent to each household whose calls all went
 * unanswered at the moment it is handed over to the caretaker. Each step's messages belong to one
 * send (its report, its progress), with the same exclusions as any send (« pas de SMS », no
 * mobile, left, restricted). Runs in the launch's or the call outcome's transaction.
 */
import type { LadderBody } from '../../../contracts/messaging-api.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { invalid, notFound } from '../../platform/errors/app-error.ts';
import { enqueueMessages } from '../../platform/outbox/enqueue-many.ts';
import { smsOptOutMention } from '../../platform/outbox/sms.ts';
import { type CampaignLadder, campaignOf } from '../campaigns/index.ts';
import type { Deps } from '../deps.ts';
import { scopeOf } from '../registry/index.ts';
import { growingSend } from './growing-send.ts';
import * as repo from './messaging.repository.ts';
import { APPROVAL_THRESHOLD, messageFor, PREPARE_QUEUE, recipientsOfAudience } from './messaging.service.ts';
import { count, emptyPlan, recipientsOf } from './plan.ts';

export const ladder: CampaignLadder = {
  async launched(deps, trx, c) {
    const [step] = (await repo.ladderOf(trx, c.campaignId)).filter((s) => s.step === 'before_first_call');
    if (!step) return;
    const template = await repo.templateOf(trx, step.template_id);
    if (!template) return;
    const audience = { kind: 'campaign' as const, campaignId: c.campaignId, scope: null };
    const prepared = await recipientsOfAudience(trx, audience, template.channels, {});
    const plan = emptyPlan();
    for (const p of prepared) count(plan, p.decision);
    const recipients = recipientsOf(plan);
    const sendId = await repo.insertSend(trx, {
      templateId: template.id,
      audience: 'campaign',
      audienceRef: audience,
      fieldValues: {},
      plan,
      recipients,
      userId: c.userId,
    });
    await repo.setStepSend(trx, c.campaignId, 'before_first_call', sendId);
    if (recipients === 0) return;
    // Above 1,000 recipients a second person approves it on the send's page (TRUST LD-09).
    if (recipients > APPROVAL_THRESHOLD) {
      await repo.setSendStatus(trx, sendId, { status: 'awaiting_approval' });
      return;
    }
    await repo.setSendStatus(trx, sendId, { status: 'preparing', started: true });
    await deps.jobs.send(trx, PREPARE_QUEUE, { organisationId: c.organisationId, sendId });
  },

  async toDoorstep(deps, trx, c) {
    const step = await repo.ladderStep(trx, c.campaignId, 'before_doorstep');
    if (!step) return;
    const template = await repo.templateOf(trx, step.template_id);
    if (!template) return;
    const audience = { kind: 'household' as const, householdId: c.householdId, scope: null };
    const [p] = await recipientsOfAudience(trx, audience, template.channels, {});
    if (!p) return;
    const { sendId, plan, created } = await growingSend(trx, step.send_id, {
      templateId: template.id,
      audience: 'campaign',
      audienceRef: { kind: 'campaign', campaignId: c.campaignId, scope: null, step: 'before_doorstep' },
      fieldValues: {},
      userId: null,
    });
    if (created) await repo.setStepSend(trx, c.campaignId, 'before_doorstep', sendId);
    count(plan, p.decision);
    const m = messageFor(template, p, sendId, smsOptOutMention(deps.config));
    const reached = 'channel' in p.decision;
    if (m.message) await enqueueMessages(trx, deps.jobs, c.organisationId, [m.message]);
    if (m.letter) await repo.insertLetters(trx, sendId, [m.letter]);
    await repo.addToSend(trx, sendId, plan, reached);
  },
};

/** The ladder of a campaign, for its settings. */
export function campaignLadderOf(deps: Deps, s: SessionContext, campaignId: string) {
  return withSession(deps.database, s, async (trx) => {
    if (!(await campaignOf(trx, { id: campaignId, scope: scopeOf(s) }))) throw notFound('Campagne', 'campaign_not_found');
    const steps = await repo.ladderOf(trx, campaignId);
    const of = (step: repo.LadderStep) => steps.find((x) => x.step === step);
    return {
      beforeFirstCall: of('before_first_call')?.template_id ?? null,
      beforeDoorstep: of('before_doorstep')?.template_id ?? null,
      firstCallSendId: of('before_first_call')?.send_id ?? null,
      doorstepSendId: of('before_doorstep')?.send_id ?? null,
    };
  });
}

async function smsTemplate(trx: Tx, id: string | null) {
  if (!id) return;
  const t = await repo.templateOf(trx, id);
  if (!t) throw notFound('Modèle', 'template_not_found');
  if (!t.channels.includes('sms'))
    throw invalid('ladder_template_not_sms', `Le modèle « ${t.name} » n’est pas un SMS : choisissez un modèle avec le canal SMS.`);
}

/** Set the ladder's templates; the SMS before the first call only while the campaign is a draft (it is sent at launch). */
export function setCampaignLadder(deps: Deps, s: SessionContext, campaignId: string, body: LadderBody, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const c = await campaignOf(trx, { id: campaignId, scope: scopeOf(s) });
    if (!c) throw notFound('Campagne', 'campaign_not_found');
    await smsTemplate(trx, body.beforeFirstCall);
    await smsTemplate(trx, body.beforeDoorstep);
    const current = (await repo.ladderOf(trx, campaignId)).find((x) => x.step === 'before_first_call')?.template_id ?? null;
    if (c.status !== 'draft' && current !== body.beforeFirstCall)
      throw invalid('ladder_campaign_launched', 'La campagne est lancée : le SMS avant le premier appel ne peut plus changer (il part au lancement).');
    await repo.setLadderStep(trx, campaignId, 'before_first_call', body.beforeFirstCall, s.userId);
    await repo.setLadderStep(trx, campaignId, 'before_doorstep', body.beforeDoorstep, s.userId);
    await recordAudit(trx, actorOf(s, ip), { action: 'campaign.ladder_set', objectType: 'campaign', objectId: campaignId });
  });
}
