import { sql } from 'kysely';
import { type Role, roleLabels } from '../../../contracts/roles.ts';
import type { Database, Tx } from '../db/database.ts';
import type { Jobs } from '../jobs/jobs.ts';
import { enqueueMessage } from '../outbox/outbox.ts';
import { type AuditEntry, recordAudit } from './audit.ts';

/** Denied reads (403 and 404 on an object) one user may pile up before the org admins are alerted (TRUST AA-10). */
export const DENIED_READS_THRESHOLD = 20;
/** The sliding window those denials are counted over. */
export const DENIED_READS_WINDOW_MINUTES = 10;

const deniedActions = ['access.denied', 'access.not_found'] as const;

/** Who receives the alert: the active org admins, from identity (platform code does not read its tables). */
export type AlertRecipients = (trx: Tx) => Promise<{ id: string; email: string }[]>;
export type DenialContext = { database: Database; jobs: Jobs; publicUrl: string; alertRecipients: AlertRecipients };
export type DeniedCaller = { organisationId: string; userId: string; role: string };

/**
 * Record a denied read (`access.denied` from a route policy, `access.not_found` for an object
 * that is missing or another organisation's) in the caller's organisation, in its own
 * transaction, so it stays even though the request's work rolled back. Past the threshold in
 * the window, one `alert.raised` event and one e-mail to each active org admin — at most once
 * per user per window (serialised per user, so concurrent probes cannot raise two).
 */
export async function recordDeniedRead(
  context: DenialContext,
  caller: DeniedCaller,
  ip: string,
  entry: AuditEntry & { action: (typeof deniedActions)[number] },
): Promise<void> {
  await context.database.withOrg({ organisationId: caller.organisationId, userId: caller.userId }, async (trx) => {
    await recordAudit(trx, { userId: caller.userId, role: caller.role, ip }, entry);
    await sql`select pg_advisory_xact_lock(hashtextextended(${`denied-reads:${caller.userId}`}, 0))`.execute(trx);
    const since = sql<Date>`now() - make_interval(mins => ${DENIED_READS_WINDOW_MINUTES})`;
    const counts = await trx
      .selectFrom('audit_events')
      .select([
        sql<number>`count(*) filter (where action in ('access.denied', 'access.not_found'))`.as('denied'),
        sql<number>`count(*) filter (where action = 'alert.raised')`.as('alerts'),
      ])
      .where('actor_id', '=', caller.userId)
      .where('at', '>', since)
      .where('action', 'in', [...deniedActions, 'alert.raised'])
      .executeTakeFirstOrThrow();
    if (Number(counts.denied) <= DENIED_READS_THRESHOLD || Number(counts.alerts) > 0) return;
    await raiseDeniedReadsAlert(trx, context, caller, Number(counts.denied));
  });
}

async function raiseDeniedReadsAlert(trx: Tx, context: DenialContext, caller: DeniedCaller, denied: number) {
  // Recorded with the probing user as actor, so the « one per window » check above finds it.
  await recordAudit(
    trx,
    { userId: caller.userId, role: caller.role, ip: null },
    {
      action: 'alert.raised',
      objectType: 'user',
      objectId: caller.userId,
      details: { kind: 'denied_reads', denied, windowMinutes: DENIED_READS_WINDOW_MINUTES },
    },
  );
  const admins = await context.alertRecipients(trx);
  const window = Math.floor(Date.now() / (DENIED_READS_WINDOW_MINUTES * 60_000));
  const role = roleLabels[caller.role as Role] ?? caller.role;
  // Only the account that was refused, never what it asked for: no tenant's data in an e-mail.
  const body = [
    'Bonjour,',
    '',
    `Un compte de votre organisme (rôle : ${role}, identifiant ${caller.userId}) s'est vu refuser ${denied} accès en moins de ${DENIED_READS_WINDOW_MINUTES} minutes (fiches inexistantes, d'un autre organisme ou hors de ses droits).`,
    "Cela peut signaler une erreur de manipulation, ou une tentative d'accès à des données qui ne le concernent pas.",
    '',
    `Consultez le journal d'audit de Lien pour ce compte : ${context.publicUrl}/admin/journal`,
    'Si ces accès ne sont pas expliqués, désactivez le compte depuis la page « Utilisateurs ».',
    '',
    'Lien',
  ].join('\n');
  for (const admin of admins) {
    await enqueueMessage(trx, context.jobs, caller.organisationId, {
      channel: 'email',
      recipient: admin.email,
      subject: 'Lien — alerte : accès refusés en série',
      body,
      purpose: 'security_alert',
      idempotencyKey: `alert:denied_reads:${caller.userId}:${window}:${admin.id}`,
    });
  }
}
