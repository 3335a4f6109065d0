/** Household indicator labels without zod, for the caller's card. `households.ts` re-exports them. */

export const indicatorKinds = ['lives_alone', 'reduced_mobility', 'disability', 'single_parent', 'financial_fragility', 'needs_interpreter'] as const;
export const indicatorLabels: Record<(typeof indicatorKinds)[number], string> = {
  lives_alone: 'Vit seul·e',
  reduced_mobility: 'Mobilité réduite',
  disability: 'Handicap',
  single_parent: 'Famille monoparentale',
  financial_fragility: 'Fragilité financière',
  needs_interpreter: 'Besoin d’interprète',
};
