import { z } from 'zod';
import { indicatorLabels } from './household-labels.ts';
import { type HouseholdFilters, householdFilters } from './households.ts';

/**
 * Dashboards of a landlord (issue 18, « Pilotage »): the period's figures of each module, for the
 * organisation or one agency, optionally compared with the households of a segment (« ménages de
 * 70 ans et plus vivant seuls »). Every figure is a count (or a sum in euros), never a person.
 */

/** The dashboard's tables, in the order the page, the exports and the PDF show them. */
export const reportTableIds = [
  'households_reached',
  'calls',
  'needs',
  'cases',
  'case_outcomes',
  'referrals',
  'arrears',
  'messages',
  'solidarity',
  'volunteers',
] as const;
export type ReportTableId = (typeof reportTableIds)[number];

export const reportTableTitles: Record<ReportTableId, string> = {
  households_reached: 'Ménages joints par semaine',
  calls: 'Appels de la période',
  needs: 'Besoins repérés et leur suite',
  cases: 'Dossiers ouverts et en retard',
  case_outcomes: 'Dossiers clos dans la période, par issue',
  referrals: 'Orientations vers les partenaires et leurs réponses',
  arrears: 'Impayés et plans d’apurement',
  messages: 'Messages envoyés (e-mails et SMS)',
  solidarity: 'Livraisons et rencontres au pied des immeubles',
  volunteers: 'Bénévoles',
};

/** The longest period a dashboard covers (two years and a day). */
export const REPORT_MAX_DAYS = 732;

const day = (message: string) => z.iso.date({ message });
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

export const dashboardBody = z
  .strictObject({
    from: day('Date de début invalide (AAAA-MM-JJ).'),
    to: day('Date de fin invalide (AAAA-MM-JJ).'),
    /** One agency; left out, every agency the user works on. */
    agencyId: z.string().uuid('Identifiant d’agence invalide.').optional(),
    /** Households to compare with the whole (the registry's filters, as a campaign segment). */
    segment: householdFilters.optional(),
  })
  .refine((b) => b.from <= b.to, { message: 'La date de début doit précéder la date de fin.', path: ['to'] })
  .refine((b) => daysBetween(b.from, b.to) <= REPORT_MAX_DAYS, { message: 'La période ne peut pas dépasser deux ans.', path: ['to'] });
export type DashboardBody = z.infer<typeof dashboardBody>;

export const reportExportBody = z.strictObject({
  filters: dashboardBody,
  table: z.enum(reportTableIds, { message: 'Tableau inconnu.' }),
  format: z.enum(['csv', 'xlsx'], { message: 'Format inconnu (csv ou xlsx).' }),
});

export const reportPdfBody = z.strictObject({ filters: dashboardBody });

/**
 * One line of a table. `key` names the figure (a plain indicator id such as `households_reached`,
 * or the week's Monday for a weekly series); `segment` is the same figure for the segment's
 * households, null when no segment was chosen or when the figure has no household (messages).
 */
export const reportRow = z.object({ key: z.string(), label: z.string(), value: z.number(), segment: z.number().nullable() });
export type ReportRow = z.infer<typeof reportRow>;

export const reportTable = z.object({ id: z.enum(reportTableIds), title: z.string(), rows: z.array(reportRow) });
export type ReportTable = z.infer<typeof reportTable>;

export const dashboard = z.object({
  from: z.string(),
  to: z.string(),
  /** « Toute l’organisation », « Agence Nord », « Vos agences : Nord, Sud ». */
  scopeLabel: z.string(),
  /** The segment described in French, null without one. */
  segmentLabel: z.string().nullable(),
  /** Tables left out and why (« Impayés : réservé aux rôles qui traitent les impayés »). */
  notes: z.array(z.string()),
  tables: z.array(reportTable),
});
export type Dashboard = z.infer<typeof dashboard>;

/** The segment in French: « 70 ans et plus et vit seul·e », « en veille régulière ». */
export function segmentDescription(f: HouseholdFilters): string {
  const fragility = [...(f.minAge !== undefined ? [`${f.minAge} ans et plus`] : []), ...(f.indicators ?? []).map((k) => indicatorLabels[k].toLowerCase())].join(
    f.fragilityMatch === 'any' ? ' ou ' : ' et ',
  );
  const parts = [
    ...(fragility ? [fragility] : []),
    ...(f.regularWatch === true ? ['en veille régulière'] : f.regularWatch === false ? ['hors veille régulière'] : []),
    ...(f.noContactForDays !== undefined ? [`sans contact depuis ${f.noContactForDays} jours`] : []),
    ...(f.residenceId ? ['d’une résidence'] : []),
    ...(f.status === 'left' ? ['partis'] : f.status === 'missing' ? ['absents du dernier import'] : []),
  ];
  return parts.length ? `Ménages ${parts.join(', ')}` : 'Tous les ménages';
}
