/**
 * What the messaging module (issue 15) needs of each household it may write to: who to greet
 * (the holder), their preferred channel, a current mobile and e-mail, the « pas de SMS »
 * objection, whether the household left or its processing is restricted, the agency and the
 * postal address of the home. One statement for any audience, so a send to 100,000 households
 * reads them at once.
 */
import { sql } from 'kysely';
import type { HouseholdFilters } from '../../../contracts/households.ts';
import type { Tx } from '../../platform/db/database.ts';
import { agencyDutyPhoneOf, agencyNameOf } from '../identity/index.ts';
import { filterSql, type Scope, scopeSql } from './households.repository.ts';

export type MessageRecipient = {
  household_id: string;
  erp_ref: string;
  left: boolean;
  /** Processing restricted after an erasure request (TRUST DP-07): nobody may write to them. */
  restricted: boolean;
  no_sms: boolean;
  civility: 'M.' | 'Mme' | null;
  first_name: string | null;
  last_name: string | null;
  preferred_channel: 'phone' | 'sms' | 'email' | 'letter' | null;
  mobile: string | null;
  email: string | null;
  agency: string | null;
  agency_phone: string | null;
  address: string | null;
  postal_code: string | null;
  city: string | null;
  unit: string;
};

/** Who a send reaches: some households by id, or a registry segment (filters), always inside the sender's scope. */
export type RecipientAudience = { householdIds: readonly string[] } | { filters: HouseholdFilters };

/**
 * The households of an audience with their contact facts, in a stable order. Restricted households
 * are returned (flagged) so the dry run counts them among the excluded rather than hiding them.
 */
export async function messageRecipients(trx: Tx, audience: RecipientAudience, scope: Scope): Promise<MessageRecipient[]> {
  const where =
    'householdIds' in audience ? sql`h.id = any(${[...audience.householdIds]}::uuid[]) and ${scopeSql(scope)}` : filterSql(audience.filters, scope, true);
  const { rows } = await sql<MessageRecipient>`
    select h.id as household_id, h.erp_ref, (h.status = 'left' or h.left_at is not null) as "left",
      h.restricted_at is not null as restricted,
      exists (select 1 from objections o where o.organisation_id = h.organisation_id and o.household_id = h.id and o.kind = 'no_sms') as no_sms,
      p.civility, p.first_name, p.last_name, p.preferred_channel,
      c.mobile, c.email,
      ${agencyNameOf(sql.ref('h.agency_id'))} as agency, ${agencyDutyPhoneOf(sql.ref('h.agency_id'))} as agency_phone,
      r.address, r.postal_code, r.city, u.erp_ref as unit
    from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id
      join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id
    left join lateral (
      select pp.id, pp.civility, pp.first_name, pp.last_name, pp.preferred_channel from persons pp where pp.organisation_id = h.organisation_id and pp.household_id = h.id
      order by case pp.household_role when 'holder' then 0 when 'co_holder' then 1 else 2 end, pp.id limit 1
    ) p on true
    left join lateral (
      select (array_agg(cp.value order by cp.person_id = p.id desc, cp.updated_at desc) filter (where cp.kind = 'mobile'))[1] as mobile,
        (array_agg(cp.value order by cp.person_id = p.id desc, cp.updated_at desc) filter (where cp.kind = 'email'))[1] as email
      from persons q join contact_points cp on cp.organisation_id = q.organisation_id and cp.person_id = q.id
      where q.organisation_id = h.organisation_id and q.household_id = h.id and cp.ended_at is null and cp.kind in ('mobile', 'email')
    ) c on true
    where ${where}
    order by h.id`.execute(trx);
  return rows;
}
