/**
 * What the tenant portal (module portal, issue 16) may know of the registry: the persons of a
 * current household that a contact point names (signing in by code), whether a person still
 * belongs to that household (every tenant request, `currentMemberCondition`), and where to tell them of a reply.
 */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';

export type PortalContactMatch = { personId: string; householdId: string; contactPointId: string; kind: 'mobile' | 'email'; value: string };

/**
 * The persons of a current household (active, not left) with this mobile (E.164) or e-mail
 * (any case) among their contact points still in use. Several persons may share one contact.
 */
export async function portalContactMatches(trx: Tx, contact: { kind: 'mobile' | 'email'; value: string }): Promise<PortalContactMatch[]> {
  const r = await sql<PortalContactMatch>`
    select p.id as "personId", p.household_id as "householdId", c.id as "contactPointId", c.kind, c.value
    from contact_points c
    join persons p on p.organisation_id = c.organisation_id and p.id = c.person_id
    join households h on h.organisation_id = p.organisation_id and h.id = p.household_id
    where c.kind = ${contact.kind} and c.ended_at is null and h.status = 'active' and h.left_at is null
      and ${contact.kind === 'email' ? sql`lower(c.value) = lower(${contact.value})` : sql`c.value = ${contact.value}`}
    order by p.id
    limit 5`.execute(trx);
  return r.rows;
}

/**
 * Whether a person still belongs to a household, and the household is current (active, not
 * left), as an SQL condition on two column expressions (code constants, never input), for the
 * portal's statements that resolve a session or consume a sign-in code in one round trip.
 */
export function currentMemberCondition(person: string, household: string) {
  if (![person, household].every((c) => /^[a-z_.]+$/.test(c))) throw new Error('currentMemberCondition: column names only');
  return `exists (select 1 from persons p join households h on h.organisation_id = p.organisation_id and h.id = p.household_id
    where p.id = ${person} and p.household_id = ${household} and h.status = 'active' and h.left_at is null)`;
}

/** A person's first name and their mobile and e-mail still in use (a reply's notification). */
export async function portalPersonOf(trx: Tx, personId: string) {
  const r = await sql<{ firstName: string; lastName: string; mobile: string | null; email: string | null }>`
    select p.first_name as "firstName", p.last_name as "lastName",
      (select c.value from contact_points c where c.organisation_id = p.organisation_id and c.person_id = p.id and c.kind = 'mobile' and c.ended_at is null order by c.updated_at desc limit 1) as mobile,
      (select c.value from contact_points c where c.organisation_id = p.organisation_id and c.person_id = p.id and c.kind = 'email' and c.ended_at is null order by c.updated_at desc limit 1) as email
    from persons p where p.id = ${personId}`.execute(trx);
  return r.rows[0];
}

/**
 * Who to tell of a document published or asked for (a household, not one person): the household's
 * holder first, then the other members, the first with a mobile or an e-mail still in use.
 */
export async function portalHouseholdContactOf(trx: Tx, householdId: string): Promise<{ mobile: string | null; email: string | null } | undefined> {
  const r = await sql<{ mobile: string | null; email: string | null }>`
    select * from (
      select
        (select c.value from contact_points c where c.organisation_id = p.organisation_id and c.person_id = p.id and c.kind = 'mobile' and c.ended_at is null order by c.updated_at desc limit 1) as mobile,
        (select c.value from contact_points c where c.organisation_id = p.organisation_id and c.person_id = p.id and c.kind = 'email' and c.ended_at is null order by c.updated_at desc limit 1) as email,
        p.household_role = 'holder' as holder, p.id
      from persons p where p.household_id = ${householdId}
    ) x where x.mobile is not null or x.email is not null
    order by x.holder desc, x.id limit 1`.execute(trx);
  return r.rows[0];
}
