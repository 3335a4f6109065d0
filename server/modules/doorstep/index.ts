/** Doorstep visits (« porte-à-porte »): households a call could not reach, visited by the caretaker (owns table `doorstep_visits`). */

export { doorstepRoles } from './doorstep.policy.ts';
export { openVisit } from './doorstep.repository.ts';
export { doorstepRoutes } from './doorstep.routes.ts';
export { pendingDoorstepFor, sendPhonelessToDoorstep } from './doorstep.service.ts';
