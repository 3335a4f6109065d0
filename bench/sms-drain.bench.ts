// Benchmark: the outbox drains queued SMS through Brevo's API at the configured rate (issue 15,
// TRUST FT-06/FT-02) while staff search the registry. `--households N` households (default
// 100,000: the search benchmark's generator, two persons and a mobile each, real-looking French
// names) are generated in one organisation, and the household search is timed on the quiet
// database (`--quiet` searches, default 200). Then `--messages N` SMS (default 1,000) are queued
// to the mobiles of that many households' holders (row and job each, in transactions of 500), and
// the real outbox worker (pg-boss, batches of 20) sends them through the Brevo adapter to a local
// server playing Brevo (server/test/fake-brevo.ts, 20 ms per answer), at `--rate` messages per
// second (default 50, SMS_RATE_PER_SECOND), while the same searches run one after the other.
// Prints, as one JSON line: queueing time, drain time, achieved rate beside the configured one,
// requests received and duplicates counted by the fake provider (the bar: 0), statuses at the end,
// and the search's p95 during the drain beside the quiet p95.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { byChannel, localAdapter } from '../server/platform/outbox/adapters.ts';
import { brevoSmsAdapter } from '../server/platform/outbox/brevo.ts';
import { providerGuard } from '../server/platform/outbox/guard.ts';
import { enqueueMessage, startOutboxWorker } from '../server/platform/outbox/outbox.ts';
import { messageKey } from '../server/platform/outbox/sealing.ts';
import { startFakeBrevo } from '../server/test/fake-brevo.ts';
import { openBenchDatabase } from './database.ts';
import { generateRegistry } from './generate.ts';
import { percentile, searchProbe } from './search-probe.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    households: { type: 'string', default: '100000' },
    quiet: { type: 'string', default: '200' },
  },
});
const total = Number(values.messages);
const rate = Number(values.rate);
const households = Number(values.households);
const log = (m: string) => process.stderr.write(`${m}\n`);
const { config, runtime, jobs, q, close } = await openBenchDatabase('sms', undefined, 0);
await jobs.start();
const fake = await startFakeBrevo();
fake.setMode({ kind: 'ok', delayMs: 20 });
try {
  const org = await createOrganisation(runtime.database, { slug: 'bench-sms', name: 'Bench SMS' });
  log(`Generating ${households} households, two persons and a mobile each…`);
  const tg = performance.now();
  await generateRegistry(q, org, households, { departures: false });
  await q('vacuum analyze');
  const generatedSeconds = (performance.now() - tg) / 1000;
  // The holders written to: spread over the registry (not the first rows generated).
  const mobiles = (
    await q(
      `select c.value from persons p join contact_points c on c.person_id = p.id and c.kind = 'mobile'
       where p.organisation_id = $1 and p.household_role = 'holder' order by md5(p.id::text) limit $2`,
      [org, total],
    )
  ).rows.map((r) => String(r.value));
  if (mobiles.length === 0) throw new Error('No mobile generated: --households must be at least 1.');

  // A tenant who got the SMS calls back: staff search by the number as said on the phone too.
  const spoken = (e164: string) => `0${e164.slice(3).replace(/(\d)(\d{2})(\d{2})(\d{2})(\d{2})/, '$1 $2 $3 $4 $5')}`;
  const probe = searchProbe({ config, database: runtime.database, jobs }, org, mobiles.slice(0, 4).map(spoken));
  log(`Searching ${values.quiet} times on the quiet database…`);
  const quiet = await probe.quiet(Number(values.quiet));

  const t0 = performance.now();
  for (let start = 0; start < total; start += 500) {
    await runtime.database.withOrg({ organisationId: org }, async (trx) => {
      for (let i = start; i < Math.min(total, start + 500); i++) {
        await enqueueMessage(trx, jobs, org, {
          channel: 'sms',
          recipient: mobiles[i % mobiles.length] as string,
          body: `Bonjour, votre bailleur va vous appeler dans les prochains jours. (${i})`,
          purpose: 'campaign',
          idempotencyKey: `bench-${i}`,
        });
      }
    });
  }
  const queuedSeconds = (performance.now() - t0) / 1000;
  log(`${total} SMS queued in ${queuedSeconds.toFixed(1)} s; draining at ${rate}/s while searching…`);
  const sms = brevoSmsAdapter({
    apiUrl: fake.url,
    apiKey: fake.apiKey,
    sender: 'Bailleur',
    key: messageKey(config),
    mention: 'STOP au [STOP CODE]',
    guard: providerGuard({ ratePerSecond: rate }),
  });
  const pendingCount = async () =>
    (await q(`select count(*)::int as n from messages where organisation_id = $1 and status in ('queued', 'sending', 'delayed')`, [org])).rows[0]?.n as number;
  const { result: drainSeconds, times: during } = await probe.during(async () => {
    const t1 = performance.now();
    await startOutboxWorker(jobs, byChannel(localAdapter, sms));
    while ((await pendingCount()) > 0) await new Promise((r) => setTimeout(r, 250));
    return (performance.now() - t1) / 1000;
  });
  const statuses = Object.fromEntries(
    (await q('select status, count(*)::int as n from messages where organisation_id = $1 group by status', [org])).rows.map((r) => [r.status, r.n]),
  );
  const tags = new Map<string, number>();
  for (const r of fake.received) tags.set(r.tag, (tags.get(r.tag) ?? 0) + 1);
  const duplicates = [...tags.values()].filter((n) => n > 1).length;
  const persons = (await q('select count(*)::int as n from persons where organisation_id = $1', [org])).rows[0]?.n;
  console.log(
    JSON.stringify({
      bench: 'sms-drain',
      households,
      persons,
      generateSeconds: Number(generatedSeconds.toFixed(1)),
      messages: total,
      recipients: new Set(mobiles.slice(0, total)).size,
      configuredRatePerSecond: rate,
      queueSeconds: Number(queuedSeconds.toFixed(2)),
      drainSeconds: Number(drainSeconds.toFixed(2)),
      achievedRatePerSecond: Number((total / drainSeconds).toFixed(1)),
      requestsToProvider: fake.received.length,
      duplicates,
      statuses,
      searchP95QuietMs: percentile(quiet, 95),
      searchP95DuringDrainMs: percentile(during, 95),
      searchP50QuietMs: percentile(quiet, 50),
      searchP50DuringDrainMs: percentile(during, 50),
      searchesQuiet: quiet.length,
      searchesDuringDrain: during.length,
      searchTargetP95Ms: 100,
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    }),
  );
} finally {
  await close();
  await fake.close();
}
