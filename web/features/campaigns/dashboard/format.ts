/** Colours of the dashboard's charts (dark enough on white for RGAA). */
export const TEAL = '#099268';
export const BLUE = '#1864ab';
export const ORANGE = '#d9480f';

/** « 2026-11-30 » → « 30/11/2026 ». */
export const dayLabel = (day: string) => {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
};
/** A count as French write it (« 1 234 »). */
export const n = (value: number) => value.toLocaleString('fr-FR');
