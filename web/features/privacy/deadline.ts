import { plural } from '../../../contracts/plural.ts';

const frDay = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A day (YYYY-MM-DD) in French: « 30 décembre 2026 », « 1er décembre 2026 ». */
export function frenchDay(day: string): string {
  return frDay.format(new Date(`${day}T00:00:00Z`)).replace(/^1 /, '1er ');
}

/**
 * Where a request stands against its legal deadline, in French: « échéance le 30 décembre 2026,
 * dans 30 jours », « échéance aujourd’hui (30 décembre 2026) », « en retard de 3 jours
 * (échéance le 27 novembre 2026) », or « répondue le … » once answered.
 */
export function deadlineText(r: { dueOn: string; daysLeft: number; status: 'open' | 'answered'; answeredAt: string | null }): string {
  if (r.status === 'answered') return r.answeredAt ? `répondue le ${frenchDay(r.answeredAt.slice(0, 10))}` : 'répondue';
  if (r.daysLeft < 0) return `en retard de ${plural(-r.daysLeft, 'jour')} (échéance le ${frenchDay(r.dueOn)})`;
  if (r.daysLeft === 0) return `échéance aujourd’hui (${frenchDay(r.dueOn)})`;
  return `échéance le ${frenchDay(r.dueOn)}, dans ${plural(r.daysLeft, 'jour')}`;
}
