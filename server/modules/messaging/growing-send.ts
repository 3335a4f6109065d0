/**
 * A send that grows as recipients are added over time (a campaign ladder's step, a distribution's
 * or an outreach event's invitations): the plan counted so far when it exists, else a new send,
 * queued at once, with an empty plan.
 */
import type { Tx } from '../../platform/db/database.ts';
import * as repo from './messaging.repository.ts';
import { emptyPlan, type Plan } from './plan.ts';

type NewSend = Omit<Parameters<typeof repo.insertSend>[1], 'plan' | 'recipients'>;

export async function growingSend(trx: Tx, sendId: string | null, create: NewSend): Promise<{ sendId: string; plan: Plan; created: boolean }> {
  if (sendId) return { sendId, plan: ((await repo.sendOf(trx, sendId, true))?.plan as Plan | undefined) ?? emptyPlan(), created: false };
  const plan = emptyPlan();
  const id = await repo.insertSend(trx, { ...create, plan, recipients: 0 });
  await repo.setSendStatus(trx, id, { status: 'queued', started: true });
  return { sendId: id, plan, created: true };
}
