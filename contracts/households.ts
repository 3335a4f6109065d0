import { z } from 'zod';
import { indicatorKinds } from './household-labels.ts';
import type { Role } from './roles.ts';

// Indicator labels live in a zod-free module for the caller's card; re-exported here.
export * from './household-labels.ts';

export const indicatorSourceLabels: Record<string, string> = {
  erp_import: 'import ERP',
  call: 'appel',
  caretaker: 'gardien·ne',
  tenant: 'locataire',
  demo: 'démonstration',
  staff: 'agent',
};
export const preferredChannels = ['phone', 'sms', 'email', 'letter'] as const;
export const preferredChannelLabels: Record<(typeof preferredChannels)[number], string> = {
  phone: 'Téléphone',
  sms: 'SMS',
  email: 'E-mail',
  letter: 'Courrier',
};
export const objectionKinds = ['no_call', 'no_sms', 'no_fragility_register'] as const;
export const objectionLabels: Record<(typeof objectionKinds)[number], string> = {
  no_call: 'Ne pas appeler',
  no_sms: 'Pas de SMS',
  no_fragility_register: 'Opposition au registre des fragilités',
};

/** Search terms travel in a POST body, never in a URL (TRUST DP-13). */
export const householdSearchBody = z.strictObject({
  query: z.string().trim().min(2, 'Saisissez au moins 2 caractères.').max(100),
  limit: z.number().int().min(1).max(50).default(20),
});

export const householdHit = z.object({
  id: z.string().uuid(),
  erpRef: z.string(),
  status: z.enum(['active', 'left']),
  persons: z.array(z.string()),
  address: z.string().optional(),
  residence: z.string().optional(),
  agency: z.string().optional(),
  /** What the query matched: full name or surname, first name, phone, street address, residence name, reference. */
  matched: z.enum(['name', 'first_name', 'phone', 'address', 'residence', 'reference']),
});
export type HouseholdHit = z.infer<typeof householdHit>;

/** Filters of household lists — the future campaign segments. */
export const householdFilters = z.strictObject({
  agencyId: z.string().uuid().optional(),
  residenceId: z.string().uuid().optional(),
  minAge: z.number().int().min(0).max(120).optional(),
  indicators: z.array(z.enum(indicatorKinds)).max(6).optional(),
  /** How age and indicators combine: all of them (default) or any of them (« 70 ans et plus ou vivant seul »). */
  fragilityMatch: z.enum(['all', 'any']).default('all'),
  objection: z.enum(['any', 'none', ...objectionKinds]).optional(),
  /** Nobody of the household reached by a call in the last N days (or never). */
  noContactForDays: z.number().int().min(1).max(3650).optional(),
  /** Enrolled in the regular watch (« veille régulière »), the opt-in register. */
  regularWatch: z.boolean().optional(),
  status: z.enum(['active', 'left', 'missing']).default('active'),
});
export type HouseholdFilters = z.infer<typeof householdFilters>;

export const householdSortKeys = ['name', 'age', 'residence', 'balance'] as const;
export type HouseholdSortKey = (typeof householdSortKeys)[number];
export const householdSortLabels: Record<HouseholdSortKey, string> = {
  name: 'Nom',
  age: 'Âge (aîné d’abord)',
  residence: 'Résidence',
  balance: 'Solde',
};

export const householdListBody = z.strictObject({
  filters: householdFilters.default({ status: 'active', fragilityMatch: 'all' }),
  sort: z.enum(householdSortKeys).default('name'),
  page: z.number().int().min(1).max(100_000).default(1),
  limit: z.number().int().min(1).max(200).default(50),
});

export const householdRow = z.object({
  id: z.string().uuid(),
  erpRef: z.string(),
  holder: z.string(),
  oldestAge: z.number().nullable().optional(),
  persons: z.number(),
  residence: z.string().optional(),
  agency: z.string().optional(),
  indicators: z.array(z.string()).optional(),
  objections: z.array(z.string()).optional(),
  status: z.string(),
});
export type HouseholdRow = z.infer<typeof householdRow>;
export const householdPage = z.object({ total: z.number(), rows: z.array(householdRow) });

export const householdExportBody = z.strictObject({
  filters: householdFilters.default({ status: 'active', fragilityMatch: 'all' }),
  format: z.enum(['csv', 'xlsx']).default('csv'),
});

/**
 * A current contact of a person. `since`: when this value was recorded (ISO). `newer`: set when a
 * value entered by staff and one from the ERP of the same kind disagree — true on the more recent.
 */
const contact = z.object({
  id: z.string().uuid(),
  kind: z.enum(['mobile', 'landline', 'email']),
  value: z.string(),
  source: z.string(),
  since: z.string().optional(),
  newer: z.boolean().optional(),
});
/** The household file; every key but the identity ones may be left out for a role (`householdAccess`). */
/** Kinds of event on a household's timeline, the page's filter (« Historique »). */
export const timelineTypes = ['call', 'doorstep', 'case', 'task', 'note', 'referral', 'balance', 'plan', 'message', 'appointment', 'household'] as const;
export type TimelineType = (typeof timelineTypes)[number];
export const timelineTypeLabels: Record<TimelineType, string> = {
  call: 'Appels',
  doorstep: 'Porte-à-porte',
  case: 'Dossiers',
  task: 'Tâches',
  note: 'Notes',
  referral: 'Orientations',
  balance: 'Soldes',
  plan: 'Plans et FSL',
  message: 'Messages',
  appointment: 'Rendez-vous',
  household: 'Fiche',
};
/** One event: `kind` its precise code, `type` its kind for the filter, `caseId` the case it belongs to. */
export const timelineEvent = z.object({
  at: z.string(),
  kind: z.string(),
  type: z.enum(timelineTypes),
  label: z.string(),
  caseId: z.string().uuid().optional(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;

export const householdFile = z.object({
  id: z.string().uuid(),
  erpRef: z.string(),
  status: z.enum(['active', 'left']),
  missingSince: z.string().nullable().optional(),
  leftAt: z.string().nullable().optional(),
  balanceCents: z.number().nullable().optional(),
  unit: z.object({ ref: z.string(), floor: z.number().nullable(), rooms: z.number().nullable(), hasLift: z.boolean().nullable() }).optional(),
  residence: z
    .object({
      id: z.string().uuid(),
      name: z.string(),
      address: z.string().nullable(),
      postalCode: z.string().nullable(),
      city: z.string().nullable(),
      qpv: z.boolean(),
    })
    .optional(),
  agency: z.object({ id: z.string().uuid(), name: z.string(), dutyPhone: z.string().nullable() }).optional(),
  lease: z.object({ ref: z.string(), startDate: z.string().nullable(), endDate: z.string().nullable() }).nullable().optional(),
  persons: z.array(
    z.object({
      id: z.string().uuid(),
      civility: z.string().nullable(),
      firstName: z.string(),
      lastName: z.string(),
      birthDate: z.string().nullable().optional(),
      age: z.number().nullable().optional(),
      role: z.string(),
      preferredLanguage: z.string().nullable().optional(),
      preferredChannel: z.enum(preferredChannels).nullable().optional(),
      contacts: z.array(contact).optional(),
    }),
  ),
  indicators: z.array(z.object({ id: z.string().uuid(), kind: z.string(), source: z.string(), recordedAt: z.string() })).optional(),
  objections: z.array(z.object({ id: z.string().uuid(), kind: z.string(), recordedAt: z.string() })).optional(),
  /**
   * A restriction of processing after an erasure request (TRUST DP-07): only the role its legal
   * purpose needs still sees the household (`households.restricted`), with the reason.
   */
  restriction: z.object({ since: z.string(), reason: z.string() }).nullable().optional(),
  consents: z
    .array(
      z.object({
        id: z.string().uuid(),
        purpose: z.string(),
        channel: z.string(),
        wordingVersion: z.string(),
        givenAt: z.string(),
        withdrawnAt: z.string().nullable(),
      }),
    )
    .optional(),
  needs: z.array(z.object({ id: z.string().uuid(), category: z.string(), label: z.string(), source: z.string(), recordedAt: z.string() })).optional(),
  timeline: z.array(timelineEvent).optional(),
});
export type HouseholdFile = z.infer<typeof householdFile>;

export const contactBody = z.strictObject({
  personId: z.string().uuid(),
  kind: z.enum(['mobile', 'landline', 'email']),
  value: z.string().trim().min(3, 'Saisissez la coordonnée (3 caractères au moins).').max(254, 'La coordonnée ne peut pas dépasser 254 caractères.'),
});
/** How a person prefers to be contacted (from the ERP or corrected by staff). */
export const preferencesBody = z.strictObject({
  preferredChannel: z.enum(preferredChannels).nullable(),
  preferredLanguage: z.string().trim().max(50).nullable(),
});
export const indicatorBody = z.strictObject({ kind: z.enum(indicatorKinds) });
export const objectionBody = z.strictObject({ kind: z.enum(objectionKinds) });
/** Explicit consent for health or disability needs: who, when, how, which wording. */
export const consentBody = z.strictObject({
  personId: z.string().uuid().optional(),
  channel: z.enum(['phone', 'in_person', 'letter', 'portal']),
  wordingVersion: z.string().min(1).max(50),
});
export const needBody = z.strictObject({
  category: z.enum(['health', 'disability', 'daily_life', 'social', 'other']),
  label: z.string().trim().min(2, 'Décrivez le besoin (2 caractères au moins).').max(200, 'Le besoin ne peut pas dépasser 200 caractères.'),
  consentId: z.string().uuid().optional(),
});
export const subParams = z.strictObject({ id: z.string().uuid(), itemId: z.string().uuid() });

/** Wording of the consent read to the tenant, versioned. */
export const CONSENT_WORDING_VERSION = 'sante-2026-11';
export const consentWording =
  'Acceptez-vous que votre bailleur enregistre ces informations sur votre santé ou votre handicap, pour vous proposer une aide adaptée ? Vous pouvez retirer votre accord à tout moment : elles seront alors effacées.';

// ——— Who reads what of a household (TRUST AA-03) ———
// The « households » section of `authz-matrix.yaml` states the same table; a test
// (`household-fields.int.test.ts`) fails when the two differ.

/** Field groups of a household: every key of the file, of a list row and of a search hit belongs to one. */
export const householdFieldGroups = [
  'identity',
  'age',
  'contact',
  'address',
  'tenancy',
  'balance',
  'indicators',
  'objections',
  'consents',
  'needs',
  'timeline',
] as const;
export type HouseholdFieldGroup = (typeof householdFieldGroups)[number];

type Person = HouseholdFile['persons'][number];
/** The group of each key; a key without one makes the serializer throw. */
export const householdFieldClasses = {
  file: {
    id: 'identity',
    erpRef: 'identity',
    status: 'identity',
    persons: 'identity',
    missingSince: 'tenancy',
    leftAt: 'tenancy',
    lease: 'tenancy',
    balanceCents: 'balance',
    unit: 'address',
    residence: 'address',
    agency: 'address',
    indicators: 'indicators',
    objections: 'objections',
    restriction: 'tenancy',
    consents: 'consents',
    needs: 'needs',
    timeline: 'timeline',
  } satisfies Record<keyof HouseholdFile, HouseholdFieldGroup>,
  person: {
    id: 'identity',
    civility: 'identity',
    firstName: 'identity',
    lastName: 'identity',
    role: 'identity',
    birthDate: 'age',
    age: 'age',
    contacts: 'contact',
    preferredChannel: 'contact',
    preferredLanguage: 'contact',
  } satisfies Record<keyof Person, HouseholdFieldGroup>,
  row: {
    id: 'identity',
    erpRef: 'identity',
    holder: 'identity',
    persons: 'identity',
    status: 'identity',
    oldestAge: 'age',
    residence: 'address',
    agency: 'address',
    indicators: 'indicators',
    objections: 'objections',
  } satisfies Record<keyof HouseholdRow, HouseholdFieldGroup>,
  hit: {
    id: 'identity',
    erpRef: 'identity',
    status: 'identity',
    persons: 'identity',
    matched: 'identity',
    address: 'address',
    residence: 'address',
    agency: 'address',
  } satisfies Record<keyof HouseholdHit, HouseholdFieldGroup>,
} as const;

/** Sorting by a field is reading it: each sort key needs its field's group. */
export const householdSortGroups: Record<HouseholdSortKey, HouseholdFieldGroup> = { name: 'identity', age: 'age', residence: 'address', balance: 'balance' };

/** Filters of a list or an export, and the group each reads (`missing` is the status « à vérifier »). */
export const householdFilterGroups = {
  status: 'identity',
  missing: 'tenancy',
  agencyId: 'address',
  residenceId: 'address',
  minAge: 'age',
  indicators: 'indicators',
  regularWatch: 'indicators',
  objection: 'objections',
  noContactForDays: 'timeline',
} as const satisfies Record<string, HouseholdFieldGroup>;
export type HouseholdFilterName = keyof typeof householdFilterGroups;

/** Which households a role reaches: the whole organisation, its agencies (or the organisation when it has none), the residences it keeps, none. */
export type HouseholdScopeKind = 'organisation' | 'agencies' | 'residences' | 'none';
export type HouseholdAccess = {
  scope: HouseholdScopeKind;
  fields: readonly HouseholdFieldGroup[];
  sortKeys: readonly HouseholdSortKey[];
  filters: readonly HouseholdFilterName[];
  export: boolean;
};

const access = (scope: HouseholdScopeKind, fields: readonly HouseholdFieldGroup[], canExport: boolean): HouseholdAccess => ({
  scope,
  fields,
  sortKeys: householdSortKeys.filter((k) => fields.includes(householdSortGroups[k])),
  filters: (Object.keys(householdFilterGroups) as HouseholdFilterName[]).filter((f) => fields.includes(householdFilterGroups[f])),
  export: canExport,
});

/**
 * Per role: scope, field groups, sort keys and filters (derived from the field groups), export.
 * Caretakers keep residences: the names, the home and the phones a doorstep visit needs — no
 * age, balance, tenancy, indicators, objections, consents, needs (art. 9) nor timeline.
 */
export const householdAccess: Record<Role, HouseholdAccess> = {
  org_admin: access('organisation', householdFieldGroups, true),
  manager: access('agencies', householdFieldGroups, true),
  staff: access('agencies', householdFieldGroups, true),
  social_worker: access('agencies', householdFieldGroups, true),
  caretaker: access('residences', ['identity', 'contact', 'address'], false),
  volunteer: access('none', [], false),
  partner: access('none', [], false),
  federation_analyst: access('none', [], false),
  // Recovery officers (TRUST DP-04): the tenancy and its balance, to reach the household; neither
  // the fragility register (indicators, needs, consents, objections) nor the calls (timeline).
  arrears_officer: access('agencies', ['identity', 'contact', 'address', 'tenancy', 'balance'], false),
};
