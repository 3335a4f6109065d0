/** Registry: residences, housing units, households, persons, contacts, vulnerability indicators, ERP import. */

/** Rent balances (issue 14): the dated history, staged balance files, the arrears view's query. */
export {
  applyBalanceImport,
  arrearsSince,
  arrearsSinceFigures,
  arrearsSinceIds,
  arrearsSinceQuery,
  type BalanceLine,
  type BalanceLineError,
  balanceImportOf,
  balanceImports,
  cancelBalanceImport,
  fslFactsOf,
  householdIdsByRef,
  householdsInScope,
  householdsOfPlace,
  latestBalances,
  planForArrears,
  seedDemoBalances,
  stageBalanceImport,
} from './balances/balances.repository.ts';
/** Households whose balance each ERP import dates even when unchanged (a payment plan's compliance). */
export { provideWatchedBalances } from './balances/watched-balances.ts';
export {
  addObjection as addHouseholdObjection,
  agencyHouseholdsSql,
  type ObjectionKind,
  type Scope,
  segmentHouseholdIds,
  segmentHouseholds,
} from './households.repository.ts';
export { householdRoutes } from './households.routes.ts';
export { benchList, benchSearch, optOutOfSmsByReply, scopeOf } from './households.service.ts';
/** The ERP import's file reader and cell parsers, for the balance file (same formats, same French errors). */
export { readExport, UnreadableExport } from './import/export-reader.ts';
export { importRoutes } from './import/import.routes.ts';
export { cellsOfLines, importFile, largeChangeMessage } from './import/import.service.ts';
export { parseAmountCents, parseFrenchDate, phoneE164 } from './import/validate.ts';
/** Households in arrears per event, and every household's place (department, QPV), for the indicator dictionary (issue 18). */
export { householdPlaces, registryIndicatorEvents } from './indicators.repository.ts';
export {
  deliveryFacts,
  distributionListFacts,
  householdAgencyOf,
  householdHasPhone,
  householdHolderOf,
  householdNames,
  householdReferralFacts,
  householdRefOf,
  householdUnitRow,
  importFileNames,
  type LendableUnit,
  lendableUnits,
  residenceNameOf,
  residenceNames,
  residenceRow,
  vacantUnits,
} from './lookups.repository.ts';
/** The households a message reaches, with their contacts, objection and address (messaging, issue 15). */
export { type MessageRecipient, messageRecipients } from './message-recipients.repository.ts';
/** The tenant portal's sign-in by contact point and membership check (issue 16). */
export { currentMemberCondition, portalContactMatches, portalHouseholdContactOf, portalPersonOf } from './portal.repository.ts';
/** What the retention purge may remove from the registry's tables (TRUST DP-02), in the order it runs. */
export { householdLeftAt, registryPurgeTargets } from './purge.repository.ts';
/** Data class and purposes of every column of the module's tables (TRUST DP-01). */
export { registryData } from './registry.data.ts';
export * from './registry.repository.ts';
/** The residences of a scope (an outreach event's place, issue 17). */
export { listResidences } from './residences.repository.ts';
export { residenceRoutes } from './residences.routes.ts';
/** One timeline per household: the modules above hand over their events of a household (issue 14). */
export { provideTimelineEvents } from './timeline-sources.ts';
export { startRegistryWorkers } from './workers.ts';
