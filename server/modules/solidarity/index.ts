/** Solidarity operations (issue 17): vacant homes lent (owns the `lending_*` tables and `lendings`). */

/** Matching requests to offers (dates, area, size), for the bench. */
export { matchAll } from './matching.ts';
/** Retention (TRUST DP-02): what the purge removes here. */
export { solidarityPurgeTargets } from './purge.repository.ts';
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { solidarityData } from './solidarity.data.ts';
export { solidarityRoutes } from './solidarity.routes.ts';
