/**
 * The tenant portal (issue 16): tenants sign in by a code sent to a contact the landlord knows,
 * file and follow requests; staff work them from an inbox.
 *
 * For other modules' tenant routes (appointments): declare `config: { policy: tenantRoute }`
 * (platform/auth/policy.ts), read the tenant with `tenantOf(request)` and run the work in
 * `withTenant(database, tenant, fn)`; a route without a tenant session answers 401 before its
 * handler runs.
 */
import { provideTimelineEvents } from '../registry/index.ts';
import { documentTimeline } from './documents.service.ts';
import { requestTimeline } from './requests.service.ts';

provideTimelineEvents('portal_requests', requestTimeline);
provideTimelineEvents('portal_documents', documentTimeline);

/** One attestation to download and one document asked for, for a demo household. */
export { seedDemoDocuments } from './demo.ts';
export { portalData } from './portal.data.ts';
/** A household's requests, exchanges and notes, for the right-of-access file (privacy). */
export { portalRowsOf } from './portal.repository.ts';
export { inboxRoutes, portalRoutes } from './portal.routes.ts';
/** The household erasure (privacy): its requests, exchanges, notes and their files. */
export { erasePortalDocumentsOf, erasePortalRequestsOf, portalPurgeTargets } from './purge.repository.ts';
/** For other modules' tenant routes (appointments, issue 16): who the tenant is, and their transaction. @public */
export type { TenantContext } from './tenant.ts';
/** @public */
export { outsideHousehold, releaseTenantTransaction, tenantOf, tenantResolver, withTenant } from './tenant.ts';
