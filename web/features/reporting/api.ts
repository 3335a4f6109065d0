import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Dashboard, DashboardBody, ReportTableId } from '../../../contracts/reporting.ts';
import { api } from '../../app/api.ts';

export type { Dashboard, DashboardBody };

/** The dashboard of the period (refetched when the filters change; the previous figures stay shown meanwhile). */
export function useDashboard(body: DashboardBody, enabled: boolean) {
  return useQuery({
    queryKey: ['reporting', 'dashboard', body],
    queryFn: () => api<Dashboard>('POST', '/api/reporting/dashboard', body),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Downloads a table (CSV, XLSX) or the PDF report; the server's French error when refused. */
export async function downloadReport(filters: DashboardBody, what: { table: ReportTableId; format: 'csv' | 'xlsx' } | 'pdf') {
  const response = await fetch(what === 'pdf' ? '/api/reporting/report' : '/api/reporting/export', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(what === 'pdf' ? { filters } : { filters, ...what }),
  });
  if (!response.ok) throw new Error((await response.json()).detail ?? 'Téléchargement impossible.');
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'tableau';
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
