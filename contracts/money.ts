// Money as French readers write it. Amounts travel and are stored in integer cents.

/** Cents as French euros: « 1 234,56 € » (a no-break space before the sign, so it never wraps alone). */
export const euros = (cents: number) => `${(cents / 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}\u00a0€`;
