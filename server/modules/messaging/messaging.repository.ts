/** SQL of the messaging module: templates, sends and their letters. */

import { sql } from 'kysely';
import type { TemplateChannel } from '../../../contracts/messaging.ts';
import type { sendAudiences } from '../../../contracts/messaging-api.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { Plan } from './plan.ts';

export type TemplateRow = { id: string; name: string; channels: TemplateChannel[]; subject: string | null; body: string; updated_at: Date };

export function templates(trx: Tx) {
  return trx
    .selectFrom('message_templates')
    .select(['id', 'name', 'channels', 'subject', 'body', 'updated_at'])
    .orderBy(sql`name collate "fr-FR-x-icu"`)
    .execute() as Promise<TemplateRow[]>;
}

export function templateOf(trx: Tx, id: string) {
  return trx
    .selectFrom('message_templates')
    .select(['id', 'name', 'channels', 'subject', 'body', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst() as Promise<TemplateRow | undefined>;
}

export type TemplateValues = { name: string; channels: TemplateChannel[]; subject: string | null; body: string };

/** Insert a template; null when the name is taken. */
export async function insertTemplate(trx: Tx, v: TemplateValues, userId: string): Promise<string | null> {
  const r = await trx
    .insertInto('message_templates')
    .values({ name: v.name, channels: v.channels, subject: v.subject, body: v.body, created_by: userId, organisation_id: sql<string>`lien_current_org()` })
    .onConflict((oc) => oc.columns(['organisation_id', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}

/** Update a template: 'missing', 'taken' (another template has the name) or 'ok'. */
export async function updateTemplate(trx: Tx, id: string, v: TemplateValues): Promise<'missing' | 'taken' | 'ok'> {
  const clash = await trx.selectFrom('message_templates').select('id').where('name', '=', v.name).where('id', '<>', id).executeTakeFirst();
  if (clash) return 'taken';
  const r = await trx
    .updateTable('message_templates')
    .set({ name: v.name, channels: v.channels, subject: v.subject, body: v.body, updated_at: sql`now()` })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) ? 'ok' : 'missing';
}

export type Audience = (typeof sendAudiences)[number];
export type SendStatus = 'draft' | 'awaiting_approval' | 'preparing' | 'queued' | 'failed';

export type SendRow = {
  id: string;
  template_id: string;
  audience: Audience;
  audience_ref: unknown;
  field_values: Record<string, string>;
  status: SendStatus;
  plan: Plan;
  recipients: number;
  prepared: number;
  error: string | null;
  created_by: string | null;
  approved_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const sendColumns = [
  'id',
  'template_id',
  'audience',
  'audience_ref',
  'field_values',
  'status',
  'plan',
  'recipients',
  'prepared',
  'error',
  'created_by',
  'approved_by',
  'created_at',
  'started_at',
  'finished_at',
] as const;

export async function insertSend(
  trx: Tx,
  v: {
    templateId: string;
    audience: Audience;
    audienceRef: unknown;
    fieldValues: Record<string, string>;
    plan: Plan;
    recipients: number;
    userId: string | null;
  },
): Promise<string> {
  const r = await trx
    .insertInto('message_sends')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      template_id: v.templateId,
      audience: v.audience,
      audience_ref: JSON.stringify(v.audienceRef),
      field_values: JSON.stringify(v.fieldValues),
      plan: JSON.stringify(v.plan),
      recipients: v.recipients,
      created_by: v.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function sendOf(trx: Tx, id: string, lock = false) {
  const q = trx.selectFrom('message_sends').select(sendColumns).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst() as Promise<SendRow | undefined>;
}

export function recentSends(trx: Tx, limit = 50) {
  return trx
    .selectFrom('message_sends as s')
    .innerJoin('message_templates as t', (j) => j.onRef('t.organisation_id', '=', 's.organisation_id').onRef('t.id', '=', 's.template_id'))
    .select(['s.id', 's.audience', 's.status', 's.recipients', 's.prepared', 's.plan', 's.created_at', 't.name as template'])
    .orderBy('s.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function setSendStatus(
  trx: Tx,
  id: string,
  v: { status: SendStatus; approvedBy?: string; started?: boolean; finished?: boolean; error?: string | null; recipients?: number },
) {
  await trx
    .updateTable('message_sends')
    .set({
      status: v.status,
      ...(v.approvedBy ? { approved_by: v.approvedBy, approved_at: sql`now()` } : {}),
      ...(v.started ? { started_at: sql`now()` } : {}),
      ...(v.finished ? { finished_at: sql`now()` } : {}),
      ...(v.error !== undefined ? { error: v.error } : {}),
      ...(v.recipients !== undefined ? { recipients: v.recipients } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** One chunk more prepared (the progress bar). */
export async function addPrepared(trx: Tx, id: string, n: number) {
  await trx
    .updateTable('message_sends')
    .set({ prepared: sql`prepared + ${n}` })
    .where('id', '=', id)
    .execute();
}

/** Progress of the preparation job (the progress bar). */
export async function setPrepared(trx: Tx, id: string, prepared: number) {
  await trx.updateTable('message_sends').set({ prepared }).where('id', '=', id).execute();
}

export type NewLetter = { householdId: string; address: string[]; sender: string[]; body: string };

export async function insertLetters(trx: Tx, sendId: string, letters: NewLetter[]) {
  if (!letters.length) return;
  await sql`
    insert into message_letters (organisation_id, send_id, household_id, address, sender, body)
    select lien_current_org(), ${sendId}::uuid, l.household_id, array(select jsonb_array_elements_text(l.address)),
      array(select jsonb_array_elements_text(l.sender)), l.body
    from unnest(${letters.map((l) => l.householdId)}::uuid[], ${letters.map((l) => JSON.stringify(l.address))}::jsonb[],
      ${letters.map((l) => JSON.stringify(l.sender))}::jsonb[], ${letters.map((l) => l.body)}::text[])
      as l (household_id, address, sender, body)
    on conflict do nothing`.execute(trx);
}

export async function letterCount(trx: Tx, sendId: string) {
  const r = await trx.selectFrom('message_letters').select(sql<number>`count(*)::int`.as('n')).where('send_id', '=', sendId).executeTakeFirstOrThrow();
  return r.n;
}

/** The letters of a send, a page of `limit` after the household `after` (keyset: memory stays flat). */
export function lettersPage(trx: Tx, sendId: string, after: string | null, limit: number) {
  let q = trx
    .selectFrom('message_letters')
    .select(['household_id', 'address', 'sender', 'body'])
    .where('send_id', '=', sendId)
    .orderBy('household_id')
    .limit(limit);
  if (after) q = q.where('household_id', '>', after);
  return q.execute();
}

/** The letters sent to a household (its timeline). */
export function lettersTo(trx: Tx, householdId: string) {
  return trx
    .selectFrom('message_letters as l')
    .innerJoin('message_sends as s', (j) => j.onRef('s.organisation_id', '=', 'l.organisation_id').onRef('s.id', '=', 'l.send_id'))
    .innerJoin('message_templates as t', (j) => j.onRef('t.organisation_id', '=', 's.organisation_id').onRef('t.id', '=', 's.template_id'))
    .select(['l.send_id', 'l.body', 'l.created_at', 't.name as template'])
    .where('l.household_id', '=', householdId)
    .orderBy('l.created_at', 'desc')
    .execute();
}

/** Erasure (TRUST DP-07): the letters written to a household are deleted; how many. */
export async function eraseLettersOf(trx: Tx, householdId: string) {
  const r = await trx.deleteFrom('message_letters').where('household_id', '=', householdId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Right of access (TRUST DP-06): the letters written to a household. */
export function letterRowsOf(trx: Tx, householdId: string) {
  return trx.selectFrom('message_letters').select(['send_id', 'address', 'body', 'created_at']).where('household_id', '=', householdId).execute();
}

export type LadderStep = 'before_first_call' | 'before_doorstep';

/** The escalation ladder of a campaign: the template (and send) of each step it has. */
export function ladderOf(trx: Tx, campaignId: string) {
  return trx.selectFrom('campaign_message_steps').select(['step', 'template_id', 'send_id']).where('campaign_id', '=', campaignId).execute() as Promise<
    { step: LadderStep; template_id: string; send_id: string | null }[]
  >;
}

/** Set (or remove, with null) the template of a step. */
export async function setLadderStep(trx: Tx, campaignId: string, step: LadderStep, templateId: string | null, userId: string) {
  if (!templateId) {
    await trx.deleteFrom('campaign_message_steps').where('campaign_id', '=', campaignId).where('step', '=', step).execute();
    return;
  }
  await trx
    .insertInto('campaign_message_steps')
    .values({ organisation_id: sql<string>`lien_current_org()`, campaign_id: campaignId, step, template_id: templateId, created_by: userId })
    .onConflict((oc) => oc.columns(['organisation_id', 'campaign_id', 'step']).doUpdateSet({ template_id: templateId, created_by: userId }))
    .execute();
}

/** The step of a campaign, locked (two hand-overs at once add to one send, one after the other). */
export function ladderStep(trx: Tx, campaignId: string, step: LadderStep) {
  return trx
    .selectFrom('campaign_message_steps')
    .select(['template_id', 'send_id'])
    .where('campaign_id', '=', campaignId)
    .where('step', '=', step)
    .forUpdate()
    .executeTakeFirst();
}

export async function setStepSend(trx: Tx, campaignId: string, step: LadderStep, sendId: string) {
  await trx.updateTable('campaign_message_steps').set({ send_id: sendId }).where('campaign_id', '=', campaignId).where('step', '=', step).execute();
}

/** One more recipient of a send that grows (the doorstep step): its figures and progress. */
export async function addToSend(trx: Tx, id: string, plan: Plan, reached: boolean) {
  await trx
    .updateTable('message_sends')
    .set({ plan: JSON.stringify(plan), ...(reached ? { recipients: sql`recipients + 1`, prepared: sql`prepared + 1` } : {}) })
    .where('id', '=', id)
    .execute();
}

/** A template by its name (the invitations' own template). */
export function templateByName(trx: Tx, name: string) {
  return trx
    .selectFrom('message_templates')
    .select(['id', 'name', 'channels', 'subject', 'body', 'updated_at'])
    .where('name', '=', name)
    .executeTakeFirst() as Promise<TemplateRow | undefined>;
}

/** More recipients of a send that grows (invitations): its figures and progress. */
export async function addReachedToSend(trx: Tx, id: string, plan: Plan, reached: number) {
  await trx
    .updateTable('message_sends')
    .set({ plan: JSON.stringify(plan), recipients: sql`recipients + ${reached}`, prepared: sql`prepared + ${reached}` })
    .where('id', '=', id)
    .execute();
}
