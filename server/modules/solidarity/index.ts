/** Solidarity operations (issue 17): vacant homes lent, volunteers' recruitment and onboarding, deliveries (owns the `lending_*`, `volunteer_*` tables, `lendings` and `deliveries`). */

/** A household's deliveries, for the right of access and the erasure (TRUST DP-06, DP-07). */
export { deliveryRowsOf, eraseDeliveriesOf } from './deliveries.repository.ts';
/** The demo landlord's lent homes, volunteers, deliveries, distribution, outreach event and call for help. */
export { seedDemoSolidarity } from './demo.ts';
/** A household's invitations to food distributions, for the right of access and the erasure. */
export { eraseInvitationsOf, invitationRowsOf } from './distributions.repository.ts';
/** Matching requests to offers (dates, area, size), for the bench. */
/** The period's deliveries, outreach events and volunteers for the dashboards (reporting, issue 18). */
export { deliveryFigures, outreachFigures, volunteerFigures } from './figures.repository.ts';
/** A household's answers to calls for help, for the right of access and the erasure. */
export { eraseHelpCallsOf, helpCallRowsOf } from './help-calls.repository.ts';
export { helpCallRoutes } from './help-calls.routes.ts';
/** An SMS reply « OUI » / « NON » to a call for help (the app wires it to the outbox's Brevo callbacks). */
export { answerBySms as helpCallSmsReply } from './help-calls.service.ts';
export { matchAll } from './matching.ts';
/** The messaging module's hook: invitations to distributions and outreach events (SMS or letter), the audience of a call for help. */
export { provideSolidarityMessaging, type SolidarityMessaging } from './messaging-hook.ts';
/** A household's outreach contacts, for the right of access and the erasure. */
export { eraseOutreachOf, outreachRowsOf } from './outreach.repository.ts';
/** Retention (TRUST DP-02): what the purge removes here. */
export { solidarityPurgeTargets } from './purge.repository.ts';
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { solidarityData } from './solidarity.data.ts';
export { deliveryRoutes, distributionRoutes, outreachRoutes, solidarityRoutes } from './solidarity.routes.ts';
export { volunteerRoutes } from './volunteers.routes.ts';
