const rules = new Intl.PluralRules('fr');

/**
 * A count with its noun in French: « 0 ménage », « 1 ménage », « 2 ménages », « 1 500 ménages ».
 * French takes the singular for 0 and 1; the plural form defaults to the singular plus « s ».
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('fr-FR')} ${rules.select(count) === 'one' ? singular : pluralForm}`;
}
