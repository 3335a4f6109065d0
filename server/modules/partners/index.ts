/**
 * Partners and referrals (partenaires, orientations; issue 14, TRUST DP-09): the organisations a
 * landlord refers tenants to (`partners`), their users (`partner_members`), and the referrals of a
 * case's need (`referrals`), each a snapshot of the template's fields sent with the tenant's agreement.
 */

import { provideTimelineEvents } from '../registry/index.ts';
import { referralTimeline } from './referrals.service.ts';

/** The household's referrals on its timeline (the registry composes the household file). */
provideTimelineEvents('referrals', referralTimeline);

/** The demo landlord's partners, their user and a few referrals. */
export { seedDemoPartners } from './demo.service.ts';
/** The period's referrals for the dashboards (reporting, issue 18). */
export { referralFigures } from './figures.repository.ts';
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { partnersData } from './partners.data.ts';
/** The right-of-access export and the erasure of a household's referrals; the demo's partners. */
export { eraseReferralsOf, partnerOf, partnerOfUser, partners as partnerRecords, referralRowsOf } from './partners.repository.ts';
export { partnerRoutes } from './partners.routes.ts';
/** Retention (TRUST DP-02): what the purge removes here. */
export { partnersPurgeTargets } from './purge.repository.ts';
