/**
 * The federation (issue 18, TRUST DP-14): members and their agreements, per-member aggregates
 * computed in each member's own context (no identifier, small cells suppressed), the analyst's
 * dashboard and periodic report. Owns federation_members, federation_agreements,
 * federation_aggregates and federation_refreshes. Sits above every module whose data it counts.
 */

/** The demo's federation, with the demo landlord as its member (demo seed). */
export { seedDemoFederation } from './demo.service.ts';
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { federationData } from './federation.data.ts';
export { federationRoutes } from './federation.routes.ts';
/** The refresh job's worker (main.ts), and the refresh itself for the benchmark. */
export { dashboard, runRefresh, startFederationWorker } from './federation.service.ts';
