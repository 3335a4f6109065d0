/**
 * Retention (TRUST DP-02): how long each purpose's data is kept, per organisation (defaults from
 * the CNIL's framework, editable by the DPO), the preview of the next purge and the daily purge
 * itself, which removes expired rows through their owners' index.ts. Owns `retention_rules`.
 * Sits above every module whose tables it purges.
 */

// Its classification (retention.data.ts) is read by server/data-protection/classification.ts
// directly: the purge gathers privacy's target, and privacy reads the classification (a cycle).
export { retentionRoutes } from './retention.routes.ts';
export { purgeOrganisation } from './retention.service.ts';
export { startRetentionPurge } from './schedule.ts';
