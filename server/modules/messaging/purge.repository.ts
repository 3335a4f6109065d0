/**
 * What the retention purge (TRUST DP-02) removes from messaging: a send and its letters (address
 * block and text) are kept like the outbox's SMS and e-mails, counted from the send (rule of the
 * purpose « fonctionnement du service », three months by default): long enough to answer a
 * complaint, not a second registry of addresses.
 */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../../platform/db/purge.ts';

export const messagingPurgeTargets: PurgeTarget[] = [
  {
    table: 'message_letters',
    purpose: 'service_operation',
    action: 'delete',
    label: 'Courriers aux locataires (bloc adresse et texte)',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'message_letters',
        alias: 'l',
        recorded: sql`l.created_at`,
        ended: sql`l.created_at`,
      }),
  },
  {
    table: 'message_sends',
    purpose: 'service_operation',
    action: 'delete',
    label: 'Envois de messages (audience, valeurs saisies, chiffres de la simulation)',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'message_sends',
        alias: 's',
        recorded: sql`s.created_at`,
        ended: sql`coalesce(s.finished_at, s.created_at)`,
        // Its letters go first (above); a send still holding letters waits for them.
        where: sql`not exists (select 1 from message_letters l where l.send_id = s.id)`,
      }),
  },
];
