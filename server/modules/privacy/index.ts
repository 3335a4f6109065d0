/**
 * Privacy: the requests of persons about their data (right of access now, TRUST DP-06), their
 * legal deadline, and the access export composed from the owning modules. Owns `subject_requests`.
 * Sits above registry, calls, followups and doorstep (like home and admin).
 */

// Its classification (privacy.data.ts) is read by server/data-protection/classification.ts
// directly: the access export reads the classification, so going through this index would be a cycle.
export { privacyRoutes } from './privacy.routes.ts';
export { privacyPurgeTargets } from './purge.repository.ts';
export { registerRoutes } from './register.routes.ts';
