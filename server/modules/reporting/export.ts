/** A dashboard table as CSV or XLSX (issue 18), with the period, scope and segment above it; text cells neutralised (TRUST IN-07). */
import ExcelJS from 'exceljs';
import { frenchDay } from '../../../contracts/paris-time.ts';
import type { Dashboard, ReportTableId } from '../../../contracts/reporting.ts';
import { CSV_BOM, csvLine, neutraliseCell } from '../../platform/csv/csv-writer.ts';

export type ExportFile = { contentType: string; fileName: string; body: Buffer };

/** The sheet as rows of cells: a heading block, an empty line, then the table with its header. */
export function tableCells(d: Dashboard, id: ReportTableId): (string | number)[][] {
  const table = d.tables.find((t) => t.id === id);
  const head: (string | number)[][] = [
    [table?.title ?? id],
    ['Période', `du ${frenchDay(d.from)} au ${frenchDay(d.to)}`],
    ['Périmètre', d.scopeLabel],
    ...(d.segmentLabel ? [['Comparé à', d.segmentLabel]] : []),
    [],
  ];
  const compare = d.segmentLabel !== null && (table?.rows.some((r) => r.segment !== null) ?? false);
  const header = ['Indicateur', 'Code', 'Valeur', ...(compare ? [d.segmentLabel as string] : [])];
  const rows = (table?.rows ?? []).map((r) => [r.label, r.key, r.value, ...(compare ? [r.segment ?? 0] : [])]);
  return [...head, header, ...rows];
}

const fileBase = (d: Dashboard, id: ReportTableId) => `tableau-${id.replace(/_/g, '-')}-${d.from}-${d.to}`;

/** CSV (`;`, UTF-8 with BOM, for French Excel) or XLSX; numbers stay numbers, text is neutralised. */
export async function tableFile(d: Dashboard, id: ReportTableId, format: 'csv' | 'xlsx'): Promise<ExportFile> {
  const cells = tableCells(d, id);
  if (format === 'csv')
    return { contentType: 'text/csv; charset=utf-8', fileName: `${fileBase(d, id)}.csv`, body: Buffer.from(CSV_BOM + cells.map(csvLine).join('')) };
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tableau');
  for (const row of cells) sheet.addRow(row.map((c) => (typeof c === 'number' ? c : neutraliseCell(c))));
  sheet.getColumn(1).width = 48;
  sheet.getColumn(2).width = 28;
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${fileBase(d, id)}.xlsx`,
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
  };
}
