/**
 * Reporting (issue 18, first half): a landlord's dashboards per organisation and agency, a period
 * and a segment to compare, every table as CSV and XLSX, and a PDF report with its charts. Owns no
 * table: each figure comes from the module that owns its rows (`*Figures` on their index.ts).
 */

export { reportingRoutes } from './reporting.routes.ts';
/** The dashboard (the benchmark calls it as the route does). */
export { dashboardOf } from './reporting.service.ts';
