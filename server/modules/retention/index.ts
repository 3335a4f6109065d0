/**
 * Retention (TRUST DP-02): how long each purpose's data is kept, per organisation (defaults from
 * the CNIL's framework, editable by the DPO), the preview of the next purge and the daily purge
 * itself, which removes expired rows through their owners' index.ts. Owns `retention_rules`.
 * Sits above every module whose tables it purges.
 */

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { retentionData } from './retention.data.ts';
export { retentionRoutes } from './retention.routes.ts';
export { purgeOrganisation } from './retention.service.ts';
export { startRetentionPurge } from './schedule.ts';
