/**
 * What the retention purge (TRUST DP-02) removes from the arrears tables: plans, their instalments
 * and the FSL / guarantee steps end with the household's departure (like its balances); a crisis
 * pause ends on its date.
 */
import { sql } from 'kysely';
import { changed, deleteExpired, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';
import { householdLeftAt } from '../registry/index.ts';

const planExpired = (e: Expiry) => expired(e, sql`p.created_at`, householdLeftAt('p.household_id'));

export const arrearsPurgeTargets: PurgeTarget[] = [
  {
    table: 'plan_instalments',
    purpose: 'arrears',
    action: 'delete',
    label: 'Échéances des plans de paiement des ménages partis',
    purge: (trx, e) =>
      changed(trx, sql`delete from plan_instalments i where exists (select 1 from payment_plans p where p.id = i.plan_id and ${planExpired(e)})`),
  },
  {
    table: 'payment_plans',
    purpose: 'arrears',
    action: 'delete',
    label: 'Plans de paiement des ménages partis',
    purge: (trx, e) => changed(trx, sql`delete from payment_plans p where ${planExpired(e)}`),
  },
  {
    table: 'arrears_steps',
    purpose: 'arrears',
    action: 'delete',
    label: 'Demandes FSL et activations de garantie des ménages partis',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'arrears_steps', alias: 's', recorded: sql`s.created_at`, ended: householdLeftAt('s.household_id') }),
  },
  {
    table: 'arrears_pauses',
    purpose: 'arrears',
    action: 'delete',
    label: 'Suspensions de relances terminées',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'arrears_pauses', alias: 'a', recorded: sql`a.created_at`, ended: sql`a.until_on::timestamptz` }),
  },
];
