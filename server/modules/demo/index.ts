/** Demo landlord: organisation, accounts and generated households. */
export { DEMO_PASSWORD, demoBanner, seedDemo, seedDemoIfEmpty } from './demo.service.ts';
