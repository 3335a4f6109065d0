// One small helper for the notifications sent to a user by e-mail (issue 14: a partner's report
// notifies the case's assignee): the address is read here, where users live, and the message goes
// through the outbox in the caller's transaction, once per key (ARCHITECTURE rule 6).
import type { Tx } from '../../platform/db/database.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { activeUserEmail } from './directory.repository.ts';

/** Queues an e-mail to an active user; the message id, or null when the user is inactive or the key was used. */
export async function notifyUser(
  trx: Tx,
  jobs: Jobs,
  organisationId: string,
  n: { userId: string; subject: string; body: string; purpose: string; key: string },
): Promise<string | null> {
  const email = await activeUserEmail(trx, n.userId);
  if (!email) return null;
  return enqueueMessage(trx, jobs, organisationId, {
    channel: 'email',
    recipient: email,
    subject: n.subject,
    body: n.body,
    purpose: n.purpose,
    idempotencyKey: `${n.key}:${n.userId}`,
  });
}
