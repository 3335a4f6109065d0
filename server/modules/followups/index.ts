/**
 * Follow-ups and cases (accompagnement, issue 14): the needs a call or a doorstep visit heard
 * (table `followups`) and the household's cases they join, with tasks and notes (`cases`,
 * `case_tasks`, `case_notes`).
 */

import { provideTimelineEvents } from '../registry/index.ts';
import { caseTimeline } from './cases.service.ts';

/** The household's cases, tasks and notes on its timeline (the registry composes the household file). */
provideTimelineEvents('cases', caseTimeline);

/** What referrals to partners (module partners) read and change of a case, in the caller's transaction. */
/**
 * `addCaseTask` and `joinOrOpenCase` for the arrears module (issue 14): a plan or an FSL step joins
 * the household's open case of a type (or opens one), and a missed instalment becomes a task of
 * that case, in the caller's transaction.
 */
export {
  addNote as addCaseNote,
  addTask as addCaseTask,
  caseHouseholds,
  closeCase,
  findCase as caseOf,
  householdsWithOpenCase,
  joinOrOpenCase,
  seedDemoCases,
  setStatus as setCaseStatus,
} from './cases.repository.ts';
export { caseRoutes } from './cases.routes.ts';
export { caseFiguresFor } from './cases.service.ts';
/** The period's needs and cases for the dashboards (reporting, issue 18). */
export { caseFigures, needFigures } from './figures.repository.ts';
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { followupsData } from './followups.data.ts';
export { followupRoles } from './followups.policy.ts';
export {
  eraseFollowupsOf,
  followupHouseholds,
  followupRowsOf,
  type NewFollowup,
  needsOfCampaign,
  openFollowup,
  urgentOfCampaign,
} from './followups.repository.ts';
export { followupRoutes } from './followups.routes.ts';
export { followupFiguresFor } from './followups.service.ts';
/** Needs found, cases opened and closed, per event, for the indicator dictionary (issue 18). */
export { followupIndicatorEvents } from './indicators.repository.ts';
/** Retention (TRUST DP-02): what the purge removes here, and whether a follow-up rests on a call attempt. */
export { followupRestsOn, followupsPurgeTargets } from './purge.repository.ts';
/** Maintenance: e-mail the assignee on a task's due day (the « rappel » option of a task). */
export { caseTaskReminders } from './reminders.ts';
