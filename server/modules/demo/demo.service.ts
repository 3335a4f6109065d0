import path from 'node:path';
import type { Role } from '../../../contracts/roles.ts';
import { hashPassword } from '../../platform/auth/password.ts';
import { newTotpSecret } from '../../platform/auth/totp.ts';
import type { Tx } from '../../platform/db/database.ts';
import { countOrganisations, createOrganisation, markDemoOrganisation, organisationIdBySlug } from '../../platform/db/organisations.ts';
import { seedDemoAppointments } from '../appointments/index.ts';
import { seedDemoArrears } from '../arrears/index.ts';
import * as calls from '../calls/index.ts';
import type { Deps } from '../deps.ts';
import { seedDemoFederation } from '../federation/index.ts';
import { seedDemoCases } from '../followups/index.ts';
import * as identity from '../identity/index.ts';
import { seedDemoPartners } from '../partners/index.ts';
import { seedDemoDocuments } from '../portal/index.ts';
import * as registry from '../registry/index.ts';
import { seedDemoSolidarity } from '../solidarity/index.ts';
import { demoAgencies, demoResidences, generateHouseholds } from './demo-data.ts';

export const DEMO_PASSWORD = 'lien-demo-2026';

const demoUsers: { email: string; firstName: string; lastName: string; role: Role; agencies: string[]; endInDays?: number }[] = [
  { email: 'admin@demo.lien.fr', firstName: 'Amélie', lastName: 'Rousseau', role: 'org_admin', agencies: [] },
  { email: 'responsable@demo.lien.fr', firstName: 'Karim', lastName: 'Benali', role: 'manager', agencies: [] },
  { email: 'conseiller@demo.lien.fr', firstName: 'Julie', lastName: 'Fontaine', role: 'staff', agencies: ['NORD'] },
  { email: 'cesf@demo.lien.fr', firstName: 'Nadia', lastName: 'Haddad', role: 'social_worker', agencies: ['NORD', 'SUD'] },
  { email: 'gardien@demo.lien.fr', firstName: 'Marc', lastName: 'Lemaire', role: 'caretaker', agencies: ['SUD'] },
  { email: 'benevole@demo.lien.fr', firstName: 'Paul', lastName: 'Girard', role: 'volunteer', agencies: ['NORD'], endInDays: 90 },
  { email: 'partenaire@demo.lien.fr', firstName: 'Claire', lastName: 'Morel', role: 'partner', agencies: [] },
  { email: 'analyste@demo.lien.fr', firstName: 'Hugo', lastName: 'Masson', role: 'federation_analyst', agencies: [] },
  { email: 'recouvrement@demo.lien.fr', firstName: 'Sophie', lastName: 'Bernard', role: 'arrears_officer', agencies: [] },
];

/** The administrator of the demo's federation (its members, the analyst's space). */
const demoFederationAdmin = { email: 'federation@demo.lien.fr', firstName: 'Inès', lastName: 'Garnier' };

export type SeedOptions = { ownerUrl: string; households: number; seed: number; slug?: string; onProgress?: (done: number, total: number) => void };

/**
 * Fill an organisation (created if missing, with agencies and demo accounts) with N
 * generated households. Re-running with the same seed adds nothing new.
 */
export async function seedDemo(deps: Deps, options: SeedOptions) {
  const slug = options.slug ?? 'demo';
  let organisationId = await organisationIdBySlug(options.ownerUrl, slug);
  const created = !organisationId;
  if (!organisationId) organisationId = await createOrganisation(deps.database, { slug, name: slug === 'demo' ? 'Habitat Démo' : slug });
  // Only the organisation this seed has just created with its demo accounts is the demo one:
  // never an existing organisation, whatever its slug.
  if (created && slug === 'demo') await markDemoOrganisation(options.ownerUrl, organisationId);
  const ctx = { organisationId };
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await deps.database.withOrg(ctx, async (trx) => {
    await identity.insertAgencies(trx, demoAgencies);
    const agencies = await identity.agencyIdsByCode(
      trx,
      demoAgencies.map((a) => a.code),
    );
    await registry.insertResidences(
      trx,
      demoResidences.map(({ agency, floors: _f, lift: _l, ...r }) => ({ ...r, agency_id: agencies.get(agency) as string })),
    );
    if (created && slug === 'demo') {
      // The federation analyst belongs to the demo's federation (seeded below), not to the landlord.
      for (const u of demoUsers.filter((d) => d.role !== 'federation_analyst')) {
        const endDate = u.endInDays ? new Date(Date.now() + u.endInDays * 86_400_000).toISOString().slice(0, 10) : null;
        // Enrolled from the start (every role has a second factor); the demo's sign-in page shows the code.
        const id = await identity.createActiveUser(trx, {
          email: u.email,
          firstName: u.firstName,
          lastName: u.lastName,
          role: u.role,
          endDate,
          passwordHash,
          totpSecret: newTotpSecret(),
        });
        await identity.assignAgencies(
          trx,
          id,
          u.agencies.map((code) => agencies.get(code) as string),
        );
        // The demo caretaker keeps two residences of their agency (their « Ménages » and doorstep lists are not
        // empty); the third has nobody yet, to try « Résidences ».
        if (u.role === 'caretaker') {
          const kept = demoResidences
            .filter((r) => u.agencies.includes(r.agency))
            .slice(0, 2)
            .map((r) => r.erp_code);
          await registry.setResidenceCaretaker(trx, kept, id);
        }
      }
    }
  });

  const residences = await deps.database.withOrg(ctx, (trx) =>
    registry.idsByRef(
      trx,
      'residences',
      demoResidences.map((r) => r.erp_code),
    ),
  );
  const lifts = new Map(demoResidences.map((r) => [r.erp_code, r.lift]));
  const all = generateHouseholds(options.households, options.seed);
  const batch = 2000;
  for (let start = 0; start < all.length; start += batch) {
    const slice = all.slice(start, start + batch);
    await deps.database.withOrg(ctx, async (trx) => {
      await registry.insertUnits(
        trx,
        slice.map((h) => ({
          erp_ref: h.unit_ref,
          residence_id: residences.get(h.residence) as string,
          floor: h.floor,
          rooms: h.rooms,
          has_lift: lifts.get(h.residence) ?? null,
        })),
      );
      const units = await registry.idsByRef(
        trx,
        'housing_units',
        slice.map((h) => h.unit_ref),
      );
      await registry.insertHouseholds(
        trx,
        slice.map((h) => ({ erp_ref: h.erp_ref, unit_id: units.get(h.unit_ref) as string })),
      );
      const households = await registry.idsByRef(
        trx,
        'households',
        slice.map((h) => h.erp_ref),
      );
      const empty = await registry.emptyHouseholds(trx, [...households.values()]);
      const fresh = slice.filter((h) => empty.has(households.get(h.erp_ref) as string));
      const persons = fresh.flatMap((h) =>
        h.persons.map((p, i) => ({ id: crypto.randomUUID(), household_id: households.get(h.erp_ref) as string, key: `D:${i + 1}`, p })),
      );
      await registry.insertPersons(
        trx,
        persons.map(({ id, household_id, key, p }) => ({
          person_key: key,
          id,
          household_id,
          civility: p.civility,
          first_name: p.first_name,
          last_name: p.last_name,
          birth_date: p.birth_date,
          household_role: p.household_role,
        })),
      );
      await registry.refreshHouseholdSummaries(trx, [...households.values()]);
      await registry.insertContactPoints(
        trx,
        persons.flatMap(({ id, p }) => p.phones.map((ph) => ({ person_id: id, kind: ph.kind, value: ph.value, source: 'demo' as const }))),
      );
      await registry.insertIndicators(
        trx,
        fresh.flatMap((h) => {
          const householdId = households.get(h.erp_ref) as string;
          return [
            ...(h.livesAlone ? [{ household_id: householdId, kind: 'lives_alone' as const, source: 'demo' as const }] : []),
            ...(h.reducedMobility ? [{ household_id: householdId, kind: 'reduced_mobility' as const, source: 'demo' as const }] : []),
          ];
        }),
      );
    });
    options.onProgress?.(Math.min(all.length, start + batch), all.length);
  }
  if (created && slug === 'demo') {
    await deps.database.withOrg(ctx, seedDemoCampaign);
    // Solidarity operations (issue 17): every solidarity page shows something from the start.
    // As the demo's manager, who keeps the homes offered (a shelter's address is theirs alone, by row-level security).
    const manager = await deps.database.withOrg(ctx, async (trx) => (await identity.usersByEmail(trx, ['responsable@demo.lien.fr'])).values().next().value);
    await deps.database.withOrg({ ...ctx, ...(manager ? { userId: manager } : {}) }, async (trx) => {
      const [nord] = (await identity.agencyIdsByCode(trx, ['NORD'])).values();
      if (nord)
        await seedDemoSolidarity(deps, trx, {
          organisationId,
          residenceCodes: demoResidences.filter((r) => r.agency === 'NORD').map((r) => r.erp_code),
          agencyId: nord,
          passwordHash,
          now: new Date(),
        });
      // Documents in a household's tenant portal (issue 16): an attestation to download, a document asked for.
      if (nord && manager) await seedDemoDocuments(deps, trx, { organisationId, agencyId: nord, managerId: manager });
    });
    const analyst = demoUsers.find((u) => u.role === 'federation_analyst');
    if (analyst)
      await seedDemoFederation(deps, {
        ownerUrl: options.ownerUrl,
        landlord: { id: organisationId, name: 'Habitat Démo' },
        analyst,
        admin: demoFederationAdmin,
        passwordHash,
      });
  }
  const total = await deps.database.withOrg(ctx, (trx) => registry.countHouseholds(trx));
  return { organisationId, created, households: total };
}

/** A running call campaign, so « Appels » and « Campagnes d'appels » can be tried at once. */
async function seedDemoCampaign(trx: Tx) {
  const accounts = await identity.usersByEmail(trx, [
    'responsable@demo.lien.fr',
    'conseiller@demo.lien.fr',
    'cesf@demo.lien.fr',
    'benevole@demo.lien.fr',
    'partenaire@demo.lien.fr',
  ]);
  const id = (email: string) => accounts.get(email) as string;
  await calls.seedLaunchedCampaign(trx, {
    name: 'Veille isolement — seniors et personnes seules',
    purpose: 'Prendre des nouvelles des locataires de 70 ans et plus ou vivant seuls (démonstration : appels possibles tous les jours de 8 h à 21 h).',
    segment: { status: 'active', minAge: 70, indicators: ['lives_alone'], fragilityMatch: 'any' },
    callWindows: { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '21:00' },
    callerIds: ['responsable@demo.lien.fr', 'conseiller@demo.lien.fr', 'cesf@demo.lien.fr', 'benevole@demo.lien.fr'].map(id),
    createdBy: id('responsable@demo.lien.fr'),
  });
  // A few cases in the staff member's agency (Agence Nord), so « Dossiers » is not empty.
  const [nord] = (await identity.agencyIdsByCode(trx, ['NORD'])).values();
  if (nord) {
    const now = new Date();
    const cases = await seedDemoCases(trx, {
      agencyId: nord,
      staffId: id('conseiller@demo.lien.fr'),
      socialWorkerId: id('cesf@demo.lien.fr'),
      managerId: id('responsable@demo.lien.fr'),
      now,
    });
    // Partners (the CCAS's user: partenaire@demo.lien.fr) and a few referrals of these cases.
    await seedDemoPartners(trx, { partnerUserId: accounts.get('partenaire@demo.lien.fr'), senderId: id('cesf@demo.lien.fr'), agencyId: nord, cases, now });
    // The agency's appointment calendar (issue 16): slots of the coming weeks, a few bookings.
    await seedDemoAppointments(trx, { agencyId: nord, managerId: id('responsable@demo.lien.fr'), now });
  }
  // A few households in arrears since the 2020 lockdown, two with a plan, one paused (issue 14).
  const [officer] = (await identity.usersByEmail(trx, ['recouvrement@demo.lien.fr'])).values();
  if (officer) await seedDemoArrears(trx, { officerId: officer, managerId: id('responsable@demo.lien.fr'), today: new Date().toISOString().slice(0, 10) });
}

/** Text printed at start so the demo accounts can be used at once. */
export function demoBanner(publicUrl: string, mailDir: string | null = null) {
  const lines = demoUsers.map((u) => `  ${u.email.padEnd(28)} ${u.role}`);
  return [
    '',
    `Organisme de démonstration « Habitat Démo » créé. Comptes (mot de passe : ${DEMO_PASSWORD}) :`,
    ...lines,
    `  ${demoFederationAdmin.email.padEnd(28)} org_admin de « Fédération Démo des bailleurs »`,
    `  ${'benevole.formation@demo.lien.fr'.padEnd(28)} volunteer en formation (double authentification et formation à faire)`,
    '  L’analyste appartient à « Fédération Démo des bailleurs », dont Habitat Démo est membre (il partage tous les indicateurs).',
    '  Double authentification : les comptes de démonstration sont déjà enrôlés ; la page du code affiche',
    '  « Démonstration : code actuel … » (dans l’organisme de démonstration seulement).',
    `  Messages envoyés (liens personnels masqués) : ${publicUrl}/admin/messages`,
    ...(mailDir ? [`  Boîte de développement — jamais en production (e-mails complets, liens compris) : ${mailDir}`] : []),
  ].join('\n');
}

/** On first start (no organisation at all), create the demo landlord. */
export async function seedDemoIfEmpty(deps: Deps, options: Omit<SeedOptions, 'slug'>) {
  if ((await countOrganisations(options.ownerUrl)) > 0) return null;
  const result = await seedDemo(deps, { ...options, slug: 'demo' });
  const mailDir = deps.config.devMailbox ? path.join(deps.config.LIEN_DATA_DIR, 'mail') : null;
  return { ...result, banner: demoBanner(deps.config.publicUrl, mailDir) };
}
