/**
 * Arrears and payment plans (issue 14): the view « nouveaux ou aggravés depuis le … », balance
 * files, payment plans (`payment_plans`, `plan_instalments`) and their compliance, crisis pauses
 * (`arrears_pauses`), FSL and guarantee steps (`arrears_steps`). Balances are the registry's;
 * cases and tasks followups'.
 */

import { provideTimelineEvents, provideWatchedBalances } from '../registry/index.ts';
import { plansToWatchSql } from './arrears.repository.ts';
import { arrearsTimeline } from './arrears.service.ts';

/** The household's plans, missed instalments, steps and pauses on its timeline (the roles with `arrears.work`). */
provideTimelineEvents('arrears', arrearsTimeline);
/** Households with an active plan: each ERP import dates their balance even when unchanged (a debt that did not go down is a missed instalment). */
provideWatchedBalances('payment_plans', plansToWatchSql);

/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { arrearsData } from './arrears.data.ts';
/** The right-of-access export (DP-06) and the erasure (DP-07) of a household's arrears rows. */
export { arrearsRowsOf, eraseArrearsOf } from './arrears.repository.ts';
export { arrearsRoutes } from './arrears.routes.ts';
/** The view (the benchmark calls it as the routes do), balance files for the command line, the demo's arrears. */
/** The daily compliance check of every plan (maintenance, scheduled by main.ts). */
export { applyBalanceFile, arrearsCompliance, arrearsView, cancelBalanceFile, previewBalanceFile, seedDemoArrears } from './arrears.service.ts';
/** The period's payment plans and instalments for the dashboards (reporting, issue 18). */
export { planFigures } from './figures.repository.ts';
/** Payment plans signed, per event, for the indicator dictionary (issue 18). */
export { arrearsIndicatorEvents } from './indicators.repository.ts';
/** What the retention purge (TRUST DP-02) removes here. */
export { arrearsPurgeTargets } from './purge.repository.ts';
