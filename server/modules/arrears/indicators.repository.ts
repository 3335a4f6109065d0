/**
 * Arrears' share of the indicator dictionary (contracts/indicators.ts, issue 18): one row per plan
 * signed (`organisation_id`, `household_id`, `at` the signature day at midnight, Paris) in [from, to).
 */
import { sql } from 'kysely';

type IndicatorRange = { from: Date; to: Date };

export const arrearsIndicatorEvents = {
  payment_plans_signed: (r: IndicatorRange) =>
    sql`select p.organisation_id, p.household_id, p.signed_on::timestamp at time zone 'Europe/Paris' as at from payment_plans p
      where p.signed_on::timestamp at time zone 'Europe/Paris' >= ${r.from} and p.signed_on::timestamp at time zone 'Europe/Paris' < ${r.to}`,
};
