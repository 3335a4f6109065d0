/**
 * What the retention purge (TRUST DP-02) may remove from the registry's tables, with the dates
 * each rule runs from. A household's data ends with its departure (`left_at`); fragility data
 * also with the consent it rests on; the rental file is anonymised, not deleted, so the tenancy
 * history (dwelling, dates) stays without a person behind it.
 */
import { sql } from 'kysely';
import { changed, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';

/** The moment a household left (null while it lives there). */
export const householdLeftAt = (household: string) => sql`(select h.left_at from households h where h.id = ${sql.ref(household)} and h.status = 'left')`;

/** Households gone before the cut-off whose rental file is not yet anonymised. */
const goneHouseholds = (e: Expiry) => sql`select h.id from households h where h.status = 'left' and h.left_at < ${e.before} and h.erp_ref not like 'anonyme-%'`;

/** Marks what the anonymisation wrote, so that it is done once. */
const ANON = 'anonyme-';

export const registryPurgeTargets: PurgeTarget[] = [
  {
    table: 'watch_enrolments',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Inscriptions à la veille régulière terminées',
    purge: (trx, e) => changed(trx, sql`delete from watch_enrolments w where ${expired(e, sql`w.enrolled_at`, sql`w.ended_at`)}`),
  },
  {
    table: 'declared_needs',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Besoins déclarés (consentement retiré ou ménage parti)',
    purge: (trx, e) => changed(trx, sql`delete from declared_needs d where ${needsExpired(e)}`),
  },
  {
    table: 'vulnerability_indicators',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Indicateurs de fragilité des ménages partis',
    purge: (trx, e) => changed(trx, sql`delete from vulnerability_indicators v where ${expired(e, sql`v.recorded_at`, householdLeftAt('v.household_id'))}`),
  },
  {
    // After the enrolments that rest on them (a foreign key without cascade); needs go with their consent.
    table: 'consents',
    purpose: 'fragility_register',
    action: 'delete',
    label: 'Consentements retirés',
    purge: (trx, e) => changed(trx, sql`delete from consents c where ${consentsExpired(e)}`),
  },
  {
    // A balance file is staged for its preview only: its lines go once applied or cancelled.
    table: 'balance_imports',
    purpose: 'arrears',
    action: 'delete',
    label: 'Fichiers de soldes déposés (aperçus et lignes refusées)',
    purge: (trx, e) => changed(trx, sql`delete from balance_imports i where ${expired(e, sql`i.created_at`, sql`coalesce(i.applied_at, i.created_at)`)}`),
  },
  {
    table: 'household_balances',
    purpose: 'arrears',
    action: 'delete',
    label: 'Soldes de loyer des ménages partis',
    purge: (trx, e) => changed(trx, sql`delete from household_balances b where ${expired(e, sql`b.recorded_at`, householdLeftAt('b.household_id'))}`),
  },
  {
    // The rental file of a household gone: its contacts deleted, its people and references
    // anonymised. Both kinds of rule run from the departure: a household living there is never purged.
    table: 'contact_points',
    purpose: 'rental_management',
    action: 'delete',
    label: 'Coordonnées des ménages partis',
    purge: (trx, e) => changed(trx, sql`delete from contact_points c using persons p where p.id = c.person_id and p.household_id in (${goneHouseholds(e)})`),
  },
  {
    table: 'persons',
    purpose: 'rental_management',
    action: 'anonymise',
    label: 'Occupant·es des ménages partis (nom, date de naissance, préférences)',
    purge: (trx, e) =>
      changed(
        trx,
        sql`update persons p set first_name = 'Anonyme', last_name = 'Anonyme', birth_date = null, civility = null,
          preferred_channel = null, preferred_language = null, person_key = ${ANON} || p.id, updated_at = now()
          where p.household_id in (${goneHouseholds(e)}) and p.person_key not like ${`${ANON}%`}`,
      ),
  },
  {
    table: 'leases',
    purpose: 'rental_management',
    action: 'anonymise',
    label: 'Références des baux des ménages partis',
    purge: (trx, e) =>
      changed(trx, sql`update leases l set erp_ref = ${ANON} || l.id where l.household_id in (${goneHouseholds(e)}) and l.erp_ref not like ${`${ANON}%`}`),
  },
  {
    // Last of the rental file: the other steps find the households by this not-yet-anonymised reference.
    table: 'households',
    purpose: 'rental_management',
    action: 'anonymise',
    label: 'Ménages partis (référence, titulaire, âge, solde)',
    purge: (trx, e) =>
      changed(
        trx,
        sql`update households h set erp_ref = ${ANON} || h.id, holder_name = null, oldest_birth_date = null, balance_cents = null,
          balance_at = null, missing_since = null, updated_at = now() where h.id in (${goneHouseholds(e)})`,
      ),
  },
  {
    // The fuzzy-search index keeps distinct names; a name no occupant bears any more goes (whatever the rule).
    table: 'person_names',
    purpose: 'rental_management',
    action: 'delete',
    label: 'Noms de l’index de recherche que plus personne ne porte',
    purge: (trx) => changed(trx, sql`delete from person_names n where ${orphanName}`),
  },
  {
    // An import file is a technical copy of the ERP export: once applied, its data lives in the registry.
    table: 'import_lines',
    purpose: 'service_operation',
    action: 'delete',
    label: 'Lignes des fichiers d’import terminés',
    purge: (trx, e) => changed(trx, sql`delete from import_lines l where l.import_id in (${importsExpired(e)})`),
  },
  {
    table: 'import_cells',
    purpose: 'service_operation',
    action: 'delete',
    label: 'Cellules des fichiers d’import terminés',
    purge: (trx, e) => changed(trx, sql`delete from import_cells c where c.import_id in (${importsExpired(e)})`),
  },
  {
    table: 'imports',
    purpose: 'service_operation',
    action: 'delete',
    label: 'Fichiers d’import terminés (nom, en-têtes, auteur)',
    purge: (trx, e) => changed(trx, sql`delete from imports i where i.id in (${importsExpired(e)})`),
  },
];

function needsExpired(e: Expiry) {
  const ended = sql`coalesce((select c.withdrawn_at from consents c where c.id = d.consent_id), ${householdLeftAt('d.household_id')})`;
  return expired(e, sql`d.recorded_at`, ended);
}

function consentsExpired(e: Expiry) {
  return sql`${expired(e, sql`c.given_at`, sql`c.withdrawn_at`)} and not exists (select 1 from watch_enrolments w where w.consent_id = c.id)`;
}

function importsExpired(e: Expiry) {
  return sql`select i.id from imports i where i.status in ('applied', 'failed', 'cancelled') and ${expired(e, sql`i.created_at`, sql`i.updated_at`)}`;
}

/**
 * A name of the index no occupant bears any more. Last names are probed through their index; first
 * names are normalised once per distinct spelling (not once per person: the normalisation is what costs).
 */
const orphanName = sql`(n.kind = 'last' and not exists (select 1 from persons p where p.organisation_id = n.organisation_id and p.search_last = n.name))
  or (n.kind = 'first' and n.name not in (select lien_normalise(d.first_name) from (select distinct p.first_name from persons p) d))`;
