const parisDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Europe/Paris as YYYY-MM-DD (dates are scheduled in French time). */
export function parisToday(now = new Date()): string {
  return parisDate.format(now);
}
