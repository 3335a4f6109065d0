const rules = new Intl.PluralRules('fr');

/**
 * French plural with the number: plural(1, 'ménage') → « 1 ménage », plural(2, 'ménage') → « 2 ménages »,
 * plural(0, 'ménage') → « 0 ménage » (French: 0 and 1 are singular). An irregular plural is given as the third argument.
 */
export function plural(count: number, one: string, other = `${one}s`): string {
  return `${count.toLocaleString('fr-FR')} ${word(count, one, other)}`;
}

/** The word alone, agreed with the number: word(2, 'sera appelé', 'seront appelés'). */
export function word(count: number, one: string, other = `${one}s`): string {
  return rules.select(count) === 'one' ? one : other;
}
