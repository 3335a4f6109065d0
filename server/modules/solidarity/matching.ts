/**
 * Matching requests for a lent home to offers (issue 17): same audience, the offer's dates cover
 * the request's, the flat takes the household, and it lies in the requested area (a department
 * or a postal code). Pure: the service feeds it the open offers, the bench 5,000 of them.
 */
export type MatchOffer = { id: string; audience: string; availableFrom: string; availableTo: string; postalCode: string; capacity: number };
export type MatchRequest = { id: string; audience: string; neededFrom: string; neededTo: string; area: string; householdSize: number };

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/** Whether an offer suits a request. ISO dates compare as strings. */
export function suits(o: MatchOffer, r: MatchRequest): boolean {
  return (
    o.audience === r.audience &&
    o.availableFrom <= r.neededFrom &&
    o.availableTo >= r.neededTo &&
    o.capacity >= r.householdSize &&
    o.postalCode.startsWith(r.area)
  );
}

/** Lower is better: spare places first (a big flat stays for a big household), then unused days. */
export function scoreOf(o: MatchOffer, r: MatchRequest): number {
  return (o.capacity - r.householdSize) * 1000 + days(o.availableFrom, r.neededFrom) + days(r.neededTo, o.availableTo);
}

/** An index of offers by audience and department, built once for many requests. */
export function indexOffers<O extends MatchOffer>(offers: readonly O[]): Map<string, O[]> {
  const index = new Map<string, O[]>();
  for (const o of offers) {
    const key = `${o.audience}|${o.postalCode.slice(0, 2)}`;
    const list = index.get(key);
    if (list) list.push(o);
    else index.set(key, [o]);
  }
  return index;
}

/** The offers suiting a request, best first, at most `limit`. */
export function matchesFor<O extends MatchOffer>(index: Map<string, O[]>, r: MatchRequest, limit = 10): { offer: O; score: number }[] {
  const found: { offer: O; score: number }[] = [];
  for (const o of index.get(`${r.audience}|${r.area.slice(0, 2)}`) ?? []) if (suits(o, r)) found.push({ offer: o, score: scoreOf(o, r) });
  return found.sort((a, b) => a.score - b.score || a.offer.id.localeCompare(b.offer.id)).slice(0, limit);
}

/** Every request's best offers. */
export function matchAll<O extends MatchOffer>(requests: readonly MatchRequest[], offers: readonly O[], limit = 10) {
  const index = indexOffers(offers);
  return new Map(requests.map((r) => [r.id, matchesFor(index, r, limit)]));
}
