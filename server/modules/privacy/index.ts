/**
 * Privacy: the requests of persons about their data (right of access now, TRUST DP-06), their
 * legal deadline, and the access export composed from the owning modules. Owns `subject_requests`.
 * Sits above registry, calls, followups and doorstep (like home and admin).
 */

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { privacyData } from './privacy.data.ts';
export { privacyRoutes } from './privacy.routes.ts';
