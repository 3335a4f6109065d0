import { z } from 'zod';

export const indicatorKinds = ['lives_alone', 'reduced_mobility', 'disability', 'single_parent', 'financial_fragility', 'needs_interpreter'] as const;
export const indicatorLabels: Record<(typeof indicatorKinds)[number], string> = {
  lives_alone: 'Vit seul·e',
  reduced_mobility: 'Mobilité réduite',
  disability: 'Handicap',
  single_parent: 'Famille monoparentale',
  financial_fragility: 'Fragilité financière',
  needs_interpreter: 'Besoin d’interprète',
};
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
export const objectionKinds = ['no_call', 'no_sms'] as const;
export const objectionLabels: Record<(typeof objectionKinds)[number], string> = { no_call: 'Ne pas appeler', no_sms: 'Pas de SMS' };

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
  address: z.string(),
  residence: z.string(),
  agency: z.string(),
  matched: z.enum(['name', 'phone', 'address', 'reference']),
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

export const householdListBody = z.strictObject({
  filters: householdFilters.default({ status: 'active', fragilityMatch: 'all' }),
  sort: z.enum(['name', 'age', 'residence', 'balance']).default('name'),
  page: z.number().int().min(1).max(100_000).default(1),
  limit: z.number().int().min(1).max(200).default(50),
});

export const householdRow = z.object({
  id: z.string().uuid(),
  erpRef: z.string(),
  holder: z.string(),
  oldestAge: z.number().nullable(),
  persons: z.number(),
  residence: z.string(),
  agency: z.string(),
  indicators: z.array(z.string()),
  objections: z.array(z.string()),
  status: z.string(),
});
export type HouseholdRow = z.infer<typeof householdRow>;
export const householdPage = z.object({ total: z.number(), rows: z.array(householdRow) });

export const householdExportBody = z.strictObject({
  filters: householdFilters.default({ status: 'active', fragilityMatch: 'all' }),
  format: z.enum(['csv', 'xlsx']).default('csv'),
});

const contact = z.object({ id: z.string().uuid(), kind: z.enum(['mobile', 'landline', 'email']), value: z.string(), source: z.string() });
export const householdFile = z.object({
  id: z.string().uuid(),
  erpRef: z.string(),
  status: z.enum(['active', 'left']),
  missingSince: z.string().nullable(),
  leftAt: z.string().nullable(),
  balanceCents: z.number().nullable(),
  unit: z.object({ ref: z.string(), floor: z.number().nullable(), rooms: z.number().nullable(), hasLift: z.boolean().nullable() }),
  residence: z.object({
    id: z.string().uuid(),
    name: z.string(),
    address: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    qpv: z.boolean(),
  }),
  agency: z.object({ id: z.string().uuid(), name: z.string(), dutyPhone: z.string().nullable() }),
  lease: z.object({ ref: z.string(), startDate: z.string().nullable(), endDate: z.string().nullable() }).nullable(),
  persons: z.array(
    z.object({
      id: z.string().uuid(),
      civility: z.string().nullable(),
      firstName: z.string(),
      lastName: z.string(),
      birthDate: z.string().nullable(),
      age: z.number().nullable(),
      role: z.string(),
      preferredLanguage: z.string().nullable(),
      preferredChannel: z.enum(preferredChannels).nullable(),
      contacts: z.array(contact),
    }),
  ),
  indicators: z.array(z.object({ id: z.string().uuid(), kind: z.string(), source: z.string(), recordedAt: z.string() })),
  objections: z.array(z.object({ id: z.string().uuid(), kind: z.string(), recordedAt: z.string() })),
  consents: z.array(
    z.object({
      id: z.string().uuid(),
      purpose: z.string(),
      channel: z.string(),
      wordingVersion: z.string(),
      givenAt: z.string(),
      withdrawnAt: z.string().nullable(),
    }),
  ),
  needs: z.array(z.object({ id: z.string().uuid(), category: z.string(), label: z.string(), source: z.string(), recordedAt: z.string() })),
  timeline: z.array(z.object({ at: z.string(), kind: z.string(), label: z.string() })),
});
export type HouseholdFile = z.infer<typeof householdFile>;

export const contactBody = z.strictObject({
  personId: z.string().uuid(),
  kind: z.enum(['mobile', 'landline', 'email']),
  value: z.string().trim().min(3).max(254),
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
  label: z.string().trim().min(2).max(200),
  consentId: z.string().uuid().optional(),
});
export const subParams = z.strictObject({ id: z.string().uuid(), itemId: z.string().uuid() });

/** Wording of the consent read to the tenant, versioned. */
export const CONSENT_WORDING_VERSION = 'sante-2026-11';
export const consentWording =
  'Acceptez-vous que votre bailleur enregistre ces informations sur votre santé ou votre handicap, pour vous proposer une aide adaptée ? Vous pouvez retirer votre accord à tout moment : elles seront alors effacées.';
