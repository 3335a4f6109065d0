import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { frenchDateTime } from '../../../contracts/audit.ts';
import { dashboard, dashboardBody, reportExportBody, reportPdfBody } from '../../../contracts/reporting.ts';
import { allow, caller } from '../../platform/auth/policy.ts';
import { type Deps, nowOf } from '../deps.ts';
import { tableFile } from './export.ts';
import { dashboardPdf } from './report-pdf.ts';
import { reportReaders } from './reporting.policy.ts';
import * as reporting from './reporting.service.ts';

/** Dashboards (issue 18): the period's figures, a table as CSV or XLSX, the PDF report. */
export async function reportingRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const readers = { policy: allow(...reportReaders) };
  const tags = ['reporting'];

  r.post(
    '/api/reporting/dashboard',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Tableau de bord de la période (organisation ou agence, segment à comparer)',
        body: dashboardBody,
        response: { 200: dashboard },
      },
    },
    async (request) => reporting.dashboardOf(deps, caller(request), request.body),
  );
  r.post(
    '/api/reporting/export',
    { config: readers, schema: { tags, summary: 'Un tableau du tableau de bord en CSV ou XLSX', body: reportExportBody } },
    async (request, reply) => {
      const { filters, table, format } = request.body;
      const { dashboard: d } = await reporting.dashboardForExport(deps, caller(request), filters, { table, format }, request.ip);
      const file = await tableFile(d, table, format);
      return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    },
  );
  r.post(
    '/api/reporting/report',
    { config: readers, schema: { tags, summary: 'Bilan de la période en PDF, avec ses graphiques', body: reportPdfBody } },
    async (request, reply) => {
      const { filters } = request.body;
      const { dashboard: d, organisation } = await reporting.dashboardForExport(deps, caller(request), filters, { table: 'pdf', format: 'pdf' }, request.ip);
      const body = await dashboardPdf(d, organisation, frenchDateTime(nowOf(deps).toISOString()));
      return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="bilan-${d.from}-${d.to}.pdf"`).send(body);
    },
  );
}
