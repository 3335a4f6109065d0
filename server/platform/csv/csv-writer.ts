/**
 * CSV for spreadsheets (RFC 4180 quoting, `;` for French Excel, UTF-8 with BOM). A cell that
 * starts with = + - @ tab or CR is prefixed with ' so a spreadsheet never runs it (TRUST IN-07).
 */
export function csvCell(value: unknown): string {
  const text = neutraliseCell(value === null || value === undefined ? '' : String(value));
  return /[";\r\n,]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(';')}\r\n`;
}

export const CSV_BOM = '\ufeff';

/** Prefix a cell a spreadsheet would run as a formula with ' (shown as text); for CSV and XLSX alike. */
export function neutraliseCell(text: string): string {
  return /^[=+\-@\t\r\0]/.test(text) ? `'${text}` : text;
}
