/**
 * What the retention purge (TRUST DP-02) removes of the homes lent: a lending ends with the keys
 * returned; its request and offer go with it (the offer's unit row by cascade, whatever its
 * policy: a foreign key's cascade is not subject to row-level security). Requests never lent
 * end when closed; offers never lent, when closed.
 */
import { sql } from 'kysely';
import { deleteExpired, type PurgeTarget } from '../../platform/db/purge.ts';

export const solidarityPurgeTargets: PurgeTarget[] = [
  {
    table: 'lending_requests',
    purpose: 'referral',
    action: 'delete',
    label: 'Demandes de logement terminées et leurs prêts',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'lending_requests',
        alias: 'q',
        recorded: sql`q.created_at`,
        ended: sql`q.closed_at`,
        where: sql`q.status = 'closed'`,
      }),
  },
  {
    table: 'lending_offers',
    purpose: 'referral',
    action: 'delete',
    label: 'Offres de logement terminées',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'lending_offers',
        alias: 'o',
        recorded: sql`o.created_at`,
        ended: sql`o.closed_at`,
        where: sql`o.status = 'closed' and not exists (select 1 from lendings l where l.offer_id = o.id)`,
      }),
  },
  {
    table: 'volunteer_applications',
    purpose: 'campaign',
    action: 'delete',
    label: 'Inscriptions de bénévoles refusées',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'volunteer_applications',
        alias: 'a',
        recorded: sql`a.created_at`,
        ended: sql`a.decided_at`,
        where: sql`a.status = 'declined'`,
      }),
  },
  {
    table: 'deliveries',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Livraisons faites, refusées ou sans personne (et leur visite de porte-à-porte)',
    purge: (trx, e) =>
      deleteExpired(trx, e, { table: 'deliveries', alias: 'd', recorded: sql`d.created_at`, ended: sql`d.done_at`, where: sql`d.status <> 'assigned'` }),
  },
  {
    table: 'distribution_invitees',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Invitations aux distributions passées (et qui est venu)',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'distribution_invitees',
        alias: 'i',
        recorded: sql`i.invited_at`,
        ended: sql`(select d.held_on::timestamptz from distributions d where d.id = i.distribution_id)`,
      }),
  },
  {
    table: 'outreach_contacts',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Contacts pris au pied des immeubles (et leurs sujets)',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'outreach_contacts', alias: 'c', recorded: sql`c.recorded_at`, ended: sql`c.recorded_at` }),
  },
  {
    table: 'help_call_recipients',
    purpose: 'campaign',
    action: 'delete',
    label: 'Destinataires et réponses des appels à l’aide par SMS clos',
    purge: (trx, e) =>
      deleteExpired(trx, e, {
        table: 'help_call_recipients',
        alias: 'r',
        recorded: sql`r.created_at`,
        ended: sql`(select c.closed_at from help_calls c where c.id = r.call_id)`,
      }),
  },
  {
    table: 'help_calls',
    purpose: 'campaign',
    action: 'delete',
    label: 'Appels à l’aide par SMS clos (et leurs réponses)',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'help_calls', alias: 'c', recorded: sql`c.created_at`, ended: sql`c.closed_at` }),
  },
];
