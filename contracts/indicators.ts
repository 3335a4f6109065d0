/**
 * The indicator dictionary (issue 18, TRUST DP-14): every indicator a member landlord may share
 * with a federation, defined once — its code, French name, definition, unit, how it is computed
 * and the module that owns the data it counts. The dictionary is versioned: changing what an
 * indicator counts raises its `version` (and the dictionary's), and every aggregate keeps the
 * version it was computed with, so two figures of different definitions are never added up.
 *
 * Every indicator is counted per month (Paris time), per member, in total, by department (the
 * first two digits of the residence's postal code, three overseas) and inside or outside a QPV
 * (quartier prioritaire de la politique de la ville, from the residence). A cell touching fewer
 * than 11 households is never shown: « < 11 » (and complementary suppression, see
 * server/modules/federation/suppression.ts).
 */
import { z } from 'zod';
import { plural } from './plural.ts';

export const INDICATOR_DICTIONARY_VERSION = 1;

/** The smallest number of households a published cell may touch. */
export const SMALL_CELL_THRESHOLD = 11;

export const indicatorIds = [
  'calls_made',
  'households_reached',
  'needs_found',
  'cases_opened',
  'cases_closed',
  'arrears_households',
  'payment_plans_signed',
] as const;
export type IndicatorId = (typeof indicatorIds)[number];

export type IndicatorDefinition = {
  id: IndicatorId;
  version: number;
  /** French name, as shown to the member, the analyst and in the report. */
  name: string;
  /** What it counts, in one French sentence. */
  definition: string;
  /** Unit in French, plural (« ménages », « appels »…). */
  unit: string;
  /** How it is computed from the owning module's data, in French. */
  computation: string;
  /** The module that owns the counted table and computes the figure. */
  module: 'calls' | 'followups' | 'registry' | 'arrears';
  /** Whether the value counts households (else events: calls, cases, plans; suppression still counts households). */
  countsHouseholds: boolean;
};

export const indicators: Record<IndicatorId, IndicatorDefinition> = {
  calls_made: {
    id: 'calls_made',
    version: 1,
    name: 'Appels passés',
    definition: 'Nombre d’appels passés aux ménages dans le mois, quel que soit leur résultat.',
    unit: 'appels',
    computation: 'Compte des appels enregistrés (tentatives avec un résultat) dont la date d’enregistrement tombe dans le mois.',
    module: 'calls',
    countsHouseholds: false,
  },
  households_reached: {
    id: 'households_reached',
    version: 1,
    name: 'Ménages joints',
    definition: 'Nombre de ménages joints au téléphone au moins une fois dans le mois.',
    unit: 'ménages',
    computation: 'Ménages distincts ayant au moins un appel au résultat « joint » enregistré dans le mois.',
    module: 'calls',
    countsHouseholds: true,
  },
  needs_found: {
    id: 'needs_found',
    version: 1,
    name: 'Ménages avec un besoin repéré',
    definition: 'Nombre de ménages pour lesquels au moins un besoin a été repéré dans le mois (appel, visite).',
    unit: 'ménages',
    computation: 'Ménages distincts ayant au moins un besoin à suivre créé dans le mois.',
    module: 'followups',
    countsHouseholds: true,
  },
  cases_opened: {
    id: 'cases_opened',
    version: 1,
    name: 'Dossiers ouverts',
    definition: 'Nombre de dossiers d’accompagnement ouverts dans le mois.',
    unit: 'dossiers',
    computation: 'Dossiers dont la date de création tombe dans le mois.',
    module: 'followups',
    countsHouseholds: false,
  },
  cases_closed: {
    id: 'cases_closed',
    version: 1,
    name: 'Dossiers clos',
    definition: 'Nombre de dossiers d’accompagnement clos dans le mois.',
    unit: 'dossiers',
    computation: 'Dossiers dont la date de clôture tombe dans le mois.',
    module: 'followups',
    countsHouseholds: false,
  },
  arrears_households: {
    id: 'arrears_households',
    version: 1,
    name: 'Ménages en impayé',
    definition: 'Nombre de ménages dont un solde débiteur a été relevé dans le mois.',
    unit: 'ménages',
    computation: 'Ménages distincts ayant au moins un solde positif (dette) daté du mois, import du progiciel ou fichier de soldes.',
    module: 'registry',
    countsHouseholds: true,
  },
  payment_plans_signed: {
    id: 'payment_plans_signed',
    version: 1,
    name: 'Plans de paiement signés',
    definition: 'Nombre de plans de paiement (report, étalement, apurement) signés dans le mois.',
    unit: 'plans',
    computation: 'Plans dont la date de signature tombe dans le mois, quel que soit leur état depuis.',
    module: 'arrears',
    countsHouseholds: false,
  },
};

export const indicatorId = z.enum(indicatorIds, { message: 'Indicateur inconnu.' });

/** The dimensions a cell is broken down by. */
export const dimensions = ['total', 'department', 'qpv'] as const;
export type Dimension = (typeof dimensions)[number];
export const dimensionLabels: Record<Dimension, string> = { total: 'Ensemble', department: 'Département', qpv: 'Quartier prioritaire' };
export const qpvLabels: Record<string, string> = { qpv: 'En QPV', hors_qpv: 'Hors QPV' };

/** One cell as it leaves the member: no identifier, the value empty when suppressed. */
export const aggregateCell = z.object({
  indicatorId,
  indicatorVersion: z.number().int(),
  period: z.string(),
  dimension: z.enum(dimensions),
  dimensionValue: z.string(),
  value: z.number().int().nullable(),
  suppressed: z.boolean(),
});
export type AggregateCell = z.infer<typeof aggregateCell>;

/** How a cell reads: the number, or « < 11 ». */
export const cellText = (c: { value: number | null; suppressed: boolean }) =>
  c.suppressed || c.value === null ? `< ${SMALL_CELL_THRESHOLD}` : c.value.toLocaleString('fr-FR');

/** The dictionary as the API sends it. */
export const dictionaryResponse = z.object({
  version: z.number().int(),
  threshold: z.number().int(),
  indicators: z.array(
    z.object({
      id: indicatorId,
      version: z.number().int(),
      name: z.string(),
      definition: z.string(),
      unit: z.string(),
      computation: z.string(),
      module: z.string(),
    }),
  ),
});

// ----- Memberships and agreements -----

export const federationMember = z.object({
  memberId: z.string().uuid(),
  name: z.string(),
  addedAt: z.string(),
  removedAt: z.string().nullable(),
  /** The member's answer: shared indicators, or none yet / left. */
  agreement: z.object({ indicators: z.array(indicatorId), agreedAt: z.string(), leftAt: z.string().nullable() }).nullable(),
  reportText: z.string(),
});

export const addMemberBody = z.strictObject({ slug: z.string().trim().min(1, 'Indiquez l’identifiant du bailleur.').max(40) });
export const reportTextBody = z.strictObject({ text: z.string().max(2000, 'Le texte dépasse 2 000 caractères.') });

/** A federation as its member sees it: invited, sharing, or left. */
export const membershipOfMember = z.object({
  federationId: z.string().uuid(),
  federationName: z.string(),
  invitedAt: z.string(),
  removedAt: z.string().nullable(),
  indicators: z.array(indicatorId),
  agreedAt: z.string().nullable(),
  leftAt: z.string().nullable(),
});

export const agreementBody = z.strictObject({ indicators: z.array(indicatorId).max(indicatorIds.length) });

export const federationSpace = z.object({
  kind: z.enum(['landlord', 'federation']),
  name: z.string(),
  members: z.array(federationMember),
  memberships: z.array(membershipOfMember),
});

export const previewResponse = z.object({
  federationId: z.string().uuid(),
  from: z.string(),
  to: z.string(),
  cells: z.array(aggregateCell),
});

// ----- Refresh -----

export const refreshStatus = z.object({
  id: z.string().uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  membersTotal: z.number().int(),
  membersDone: z.number().int(),
  requestedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RefreshStatus = z.infer<typeof refreshStatus>;

// ----- Analyst's dashboard -----

const isoMonth = z.string().regex(/^\d{4}-\d{2}$/, 'Mois attendu au format AAAA-MM.');
export const dashboardBody = z.strictObject({ indicatorId, from: isoMonth, to: isoMonth });

/** A sum of published cells, and how many suppressed cells it leaves out. */
export const figure = z.object({ value: z.number().int(), hidden: z.number().int() });

export const dashboardResponse = z.object({
  indicator: dictionaryResponse.shape.indicators.element,
  from: z.string(),
  to: z.string(),
  members: z.number().int(),
  total: figure,
  overTime: z.array(z.object({ period: z.string(), value: z.number().int(), hidden: z.number().int() })),
  byMember: z.array(z.object({ memberId: z.string().uuid(), name: z.string(), value: z.number().int(), hidden: z.number().int() })),
  byDepartment: z.array(z.object({ department: z.string(), value: z.number().int(), hidden: z.number().int() })),
  byQpv: z.array(z.object({ qpv: z.string(), value: z.number().int(), hidden: z.number().int() })),
  lastComputedAt: z.string().nullable(),
});
export type Dashboard = z.infer<typeof dashboardResponse>;

/** « 1 234 » or « 1 234 (+ 2 cellules < 11) ». */
export function figureText(f: { value: number; hidden: number }): string {
  const shown = f.value.toLocaleString('fr-FR');
  if (f.hidden === 0) return shown;
  return `${shown} (+ ${plural(f.hidden, 'cellule')} < ${SMALL_CELL_THRESHOLD})`;
}
