/**
 * Breach readiness (TRUST DP-15, issue 13): for a user and a time window, the households whose
 * data the user accessed and the categories of data concerned, from the audit trail (read through
 * platform/audit's query) and the classification (server/data-protection). Owns no table.
 */
export { breachRoutes } from './breach.routes.ts';
