import { z } from 'zod';

// Validation messages in French, for the API's problem details and for the forms alike.
z.config(z.locales.fr());

const frenchPlurals = new Intl.PluralRules('fr');

/**
 * A count with its noun as French readers expect it: « 0 ménage », « 1 ménage », « 2 ménages »
 * (French puts 0 and 1 in the singular). The plural form defaults to the noun plus « s »; give it
 * for the others (`plural(n, 'appel à passer', 'appels à passer')`, `plural(n, 'bureau', 'bureaux')`).
 * Numbers are written the French way (« 1 200 ménages », with a narrow no-break space).
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`) {
  const form = frenchPlurals.select(n) === 'one' ? singular : pluralForm;
  return `${n.toLocaleString('fr-FR')} ${form}`;
}
