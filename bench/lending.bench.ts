// Benchmark (issue 17): matching 1,000 requests for a lent home against 5,000 offers (bar: under
// 1 s). The matching itself (server/modules/solidarity/matching.ts, the function the service runs
// on the open offers): offers and requests spread over the eight departments of Île-de-France and
// their postal codes, three audiences, dates over a year, households of 1 to 6 people; a request
// asks for a department or a postal code. Seeded, so every run matches the same sets. Runs the
// whole matching `--runs` times and prints min / median / max and how many requests found a home,
// as one JSON line. The database is not involved: loading the open offers of one audience is one
// indexed query (lending_offers_open_idx).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { matchAll } from '../server/modules/solidarity/index.ts';

const { values } = parseArgs({
  options: { offers: { type: 'string', default: '5000' }, requests: { type: 'string', default: '1000' }, runs: { type: 'string', default: '20' } },
});
const offerCount = Number(values.offers);
const requestCount = Number(values.requests);
const runs = Number(values.runs);

// A small deterministic generator (mulberry32).
let seed = 17;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
const departments = ['75', '77', '78', '91', '92', '93', '94', '95'];
const audiences = ['health_workers', 'violence_shelter', 'other'];
const postalCodes = departments.flatMap((d) => Array.from({ length: 12 }, (_, i) => `${d}${String(100 + i * 10).padStart(3, '0')}`));
const day = (offset: number) => new Date(Date.UTC(2026, 11, 1) + offset * 86_400_000).toISOString().slice(0, 10);

const offers = Array.from({ length: offerCount }, (_, i) => {
  const from = Math.floor(random() * 200);
  return {
    id: `o${i}`,
    audience: pick(audiences),
    availableFrom: day(from),
    availableTo: day(from + 30 + Math.floor(random() * 300)),
    postalCode: pick(postalCodes),
    capacity: 1 + Math.floor(random() * 6),
  };
});
const requests = Array.from({ length: requestCount }, (_, i) => {
  const from = Math.floor(random() * 250);
  const postal = pick(postalCodes);
  return {
    id: `r${i}`,
    audience: pick(audiences),
    neededFrom: day(from),
    neededTo: day(from + 7 + Math.floor(random() * 90)),
    area: random() < 0.5 ? postal.slice(0, 2) : postal,
    householdSize: 1 + Math.floor(random() * 4),
  };
});

const times: number[] = [];
let matched = 0;
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  const result = matchAll(requests, offers, 10);
  times.push(performance.now() - start);
  matched = [...result.values()].filter((m) => m.length > 0).length;
}
times.sort((a, b) => a - b);
const ms = (x: number) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify({
    bench: 'lending-matching',
    offers: offerCount,
    requests: requestCount,
    runs,
    minMs: ms(times[0] ?? 0),
    medianMs: ms(times[Math.floor(times.length / 2)] ?? 0),
    maxMs: ms(times.at(-1) ?? 0),
    requestsWithAMatch: matched,
    barMs: 1000,
    met: (times.at(-1) ?? Number.POSITIVE_INFINITY) < 1000,
    cpus: os.cpus().length,
    note: 'machine shared with other sessions running tests',
  }),
);
