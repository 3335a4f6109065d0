// French plurals, for the server's messages and the pages alike. No zod here: a page may import it
// without pulling the validation library (or its French messages, set in contracts/locale.ts).

const frenchPlurals = new Intl.PluralRules('fr');

/**
 * The word alone, agreed with the number: `word(2, 'sera appelé', 'seront appelés')` → « seront appelés ».
 * French puts 0 and 1 in the singular. The plural form defaults to the singular plus « s ».
 */
export function word(count: number, singular: string, pluralForm = `${singular}s`): string {
  return frenchPlurals.select(count) === 'one' ? singular : pluralForm;
}

/**
 * A count with its noun as French readers expect it: « 0 ménage », « 1 ménage », « 2 ménages »,
 * « 1 200 ménages » (numbers grouped the French way, with a narrow no-break space). Give the plural
 * form when it is not the singular plus « s »: `plural(n, 'bureau', 'bureaux')`,
 * `plural(n, 'appel à passer', 'appels à passer')`.
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('fr-FR')} ${word(count, singular, pluralForm)}`;
}
