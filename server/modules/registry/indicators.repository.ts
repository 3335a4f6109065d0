/**
 * The registry's share of the indicator dictionary (contracts/indicators.ts, issue 18): households
 * with a debit balance dated in [from, to), and where each household lives for the breakdowns
 * (the residence's postal code and whether it lies in a QPV), in the caller's transaction.
 */
import { sql } from 'kysely';

type IndicatorRange = { from: Date; to: Date };

export const registryIndicatorEvents = {
  arrears_households: (r: IndicatorRange) =>
    sql`select b.organisation_id, b.household_id, b.balance_on::timestamp at time zone 'Europe/Paris' as at from household_balances b
      where b.balance_cents > 0 and b.balance_on::timestamp at time zone 'Europe/Paris' >= ${r.from} and b.balance_on::timestamp at time zone 'Europe/Paris' < ${r.to}`,
};

/** Every household's place: `organisation_id`, `household_id`, `postal_code`, `qpv` (the breakdowns of the indicators). */
export const householdPlaces = () =>
  sql`select h.organisation_id, h.id as household_id, r.postal_code, r.qpv from households h
    join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id
    join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id`;
