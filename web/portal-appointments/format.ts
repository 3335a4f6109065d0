/** French words of the portal's appointment pages (Paris time). */
import { plural } from '../../contracts/plural.ts';

const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long' });
const time = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const key = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** « jeudi 10 décembre » (« 1er » for the first of a month). */
export const frenchDayOf = (iso: string) => day.format(new Date(iso)).replace(/^(\S+) 1 /, '$1 1er ');
/** « 14 h 30 ». */
export const frenchTimeOf = (iso: string) => time.format(new Date(iso)).replace(':', ' h ');
/** The Paris day of an instant, to group slots by day. */
export const parisDayKey = (iso: string) => key.format(new Date(iso));
/** « 2 places libres », « complet ». */
export const seatsLabel = (left: number) => (left > 0 ? plural(left, 'place libre', 'places libres') : 'complet');
