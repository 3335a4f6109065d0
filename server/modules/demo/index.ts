/** Demo landlord: organisation, accounts and generated households. */
export { DEMO_PASSWORD, demoBanner, seedDemo, seedDemoIfEmpty } from './demo.service.ts';
export { femaleNamesList, lastNamesList, maleNamesList, prng } from './demo-data.ts';
export { erpExportCsv, erpExportLines, exportHeaders } from './erp-export.ts';
