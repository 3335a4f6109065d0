// Benchmark: the outbox drains queued SMS through Brevo's API at the configured rate (issue 15,
// TRUST FT-06/FT-02). `--messages N` SMS (default 1,000) are queued in one organisation (row and
// job each, in transactions of 500), then the real outbox worker (pg-boss, batches of 20) sends
// them through the Brevo adapter to a local server playing Brevo (server/test/fake-brevo.ts, 20 ms
// per answer), at `--rate` messages per second (default 50, SMS_RATE_PER_SECOND). Prints, as one
// JSON line: queueing time, drain time, achieved rate beside the configured one, requests received
// and duplicates counted by the fake provider (the bar: 0), statuses at the end.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { connectDatabase } from '../server/platform/db/bootstrap.ts';
import { openOwnerPool } from '../server/platform/db/database.ts';
import { createOrganisation } from '../server/platform/db/organisations.ts';
import { createJobs } from '../server/platform/jobs/jobs.ts';
import { createLogger } from '../server/platform/logger.ts';
import { byChannel, localAdapter } from '../server/platform/outbox/adapters.ts';
import { brevoSmsAdapter } from '../server/platform/outbox/brevo.ts';
import { providerGuard } from '../server/platform/outbox/guard.ts';
import { enqueueMessage, startOutboxWorker } from '../server/platform/outbox/outbox.ts';
import { messageKey } from '../server/platform/outbox/sealing.ts';
import { startFakeBrevo } from '../server/test/fake-brevo.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '1000' }, rate: { type: 'string', default: '50' } } });
const total = Number(values.messages);
const rate = Number(values.rate);
const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-bench-sms-'));
await chmod(dir, 0o755);
const log = (m: string) => process.stderr.write(`${m}\n`);
const config = loadConfig({
  LIEN_DATA_DIR: path.join(dir, 'data'),
  LIEN_PG_PORT: String(40000 + Math.floor(Math.random() * 20000)),
  LOG_LEVEL: 'silent',
  DEMO_SEED: 'false',
});
const runtime = await connectDatabase(config);
const jobs = createJobs(runtime.ownerUrl, runtime.database, createLogger('silent'));
await jobs.start();
const owner = openOwnerPool(runtime.ownerUrl, 1);
const fake = await startFakeBrevo();
fake.setMode({ kind: 'ok', delayMs: 20 });
try {
  const org = await createOrganisation(runtime.database, { slug: 'bench-sms', name: 'Bench SMS' });
  const t0 = performance.now();
  for (let start = 0; start < total; start += 500) {
    await runtime.database.withOrg({ organisationId: org }, async (trx) => {
      for (let i = start; i < Math.min(total, start + 500); i++) {
        await enqueueMessage(trx, jobs, org, {
          channel: 'sms',
          recipient: `+336${String(10_000_000 + i)}`,
          body: `Bonjour, votre bailleur va vous appeler dans les prochains jours. (${i})`,
          purpose: 'campaign',
          idempotencyKey: `bench-${i}`,
        });
      }
    });
  }
  const queuedSeconds = (performance.now() - t0) / 1000;
  log(`${total} SMS queued in ${queuedSeconds.toFixed(1)} s; draining at ${rate}/s…`);
  const sms = brevoSmsAdapter({
    apiUrl: fake.url,
    apiKey: fake.apiKey,
    sender: 'Bailleur',
    key: messageKey(config),
    mention: 'STOP au [STOP CODE]',
    guard: providerGuard({ ratePerSecond: rate }),
  });
  const t1 = performance.now();
  await startOutboxWorker(jobs, byChannel(localAdapter, sms));
  let pending = total;
  while (pending > 0) {
    await new Promise((r) => setTimeout(r, 250));
    pending = (await owner.query(`select count(*)::int as n from messages where status in ('queued', 'sending', 'delayed')`)).rows[0].n;
  }
  const drainSeconds = (performance.now() - t1) / 1000;
  const statuses = Object.fromEntries(
    (await owner.query('select status, count(*)::int as n from messages group by status')).rows.map((r: { status: string; n: number }) => [r.status, r.n]),
  );
  const tags = new Map<string, number>();
  for (const r of fake.received) tags.set(r.tag, (tags.get(r.tag) ?? 0) + 1);
  const duplicates = [...tags.values()].filter((n) => n > 1).length;
  console.log(
    JSON.stringify({
      bench: 'sms-drain',
      messages: total,
      configuredRatePerSecond: rate,
      queueSeconds: Number(queuedSeconds.toFixed(2)),
      drainSeconds: Number(drainSeconds.toFixed(2)),
      achievedRatePerSecond: Number((total / drainSeconds).toFixed(1)),
      requestsToProvider: fake.received.length,
      duplicates,
      statuses,
    }),
  );
} finally {
  await jobs.stop();
  await fake.close();
  await owner.end();
  await runtime.shutdown();
  await rm(dir, { recursive: true, force: true });
}
