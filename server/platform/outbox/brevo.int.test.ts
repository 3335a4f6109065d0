// SMS through Brevo (issue 15): the documented request, its answers and failures, played by a
// local HTTP server (server/test/fake-brevo.ts). TRUST FT-02 (an answer lost: `unknown`, never
// resent) and FT-06 (an outage delays messages behind a circuit breaker, none lost, none twice).
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { type FakeBrevo, startFakeBrevo } from '../../test/fake-brevo.ts';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { createJobs, type Jobs } from '../jobs/jobs.ts';
import { createLogger } from '../logger.ts';
import { adapterFromConfig, byChannel, localAdapter, type OutboxAdapter } from './adapters.ts';
import { brevoSmsAdapter, isGsm7 } from './brevo.ts';
import { providerGuard } from './guard.ts';
import { delayedMessagesAlert, deliverMessage, enqueueMessage, OPT_OUT_CONFIRMATION_PURPOSE, startOutboxWorker } from './outbox.ts';
import { messageKey } from './sealing.ts';
import { smsOptOutMention, withSmsOptOutMention } from './sms.ts';

let h: Harness;
let org: TestOrg;
let fake: FakeBrevo;
let jobs: Jobs;
// A pg-boss schema of this file's own: no other test file's worker delivers these messages.
const schema = `pgboss_brevo_${process.pid}`;
const mention = 'STOP au [STOP CODE]';

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  fake = await startFakeBrevo();
  jobs = createJobs(inject('ownerUrl'), h.database, createLogger('silent'), schema);
  await jobs.start();
});
afterAll(async () => {
  await jobs.stop();
  await fake.close();
  await h.owner.query(`drop schema if exists ${schema} cascade`);
  await h.close();
});
beforeEach(() => fake.setMode({ kind: 'ok' }));

const brevo = (options: { timeoutMs?: number; threshold?: number; cooldownMs?: number; url?: string } = {}) =>
  brevoSmsAdapter({
    apiUrl: options.url ?? fake.url,
    apiKey: fake.apiKey,
    sender: 'Bailleur',
    key: messageKey(h.deps.config),
    mention,
    timeoutMs: options.timeoutMs ?? 2000,
    guard: providerGuard({ ratePerSecond: 1000, threshold: options.threshold ?? 3, cooldownMs: options.cooldownMs ?? 60_000 }),
  });

let n = 0;
const sms = async (options: { recipient?: string; body?: string; smsType?: 'transactional' | 'marketing'; purpose?: string } = {}) =>
  (await h.database.withOrg({ organisationId: org.id }, (trx) =>
    enqueueMessage(trx, jobs, org.id, {
      channel: 'sms',
      recipient: options.recipient ?? '+33612345678',
      body: options.body ?? 'Bonjour, votre agence va vous appeler demain.',
      purpose: options.purpose ?? 'campaign',
      idempotencyKey: `brevo-test-${process.pid}-${++n}`,
      ...(options.smsType ? { smsType: options.smsType } : {}),
    }),
  )) as string;
const row = async (id: string) =>
  (await h.owner.query('select status, attempts, adapter, provider_message_id, last_error, next_attempt_at from messages where id = $1', [id])).rows[0];
const jobsOf = async (id: string) =>
  (await h.owner.query(`select state, start_after from ${schema}.job where name = 'outbox-send' and data->>'messageId' = $1 order by created_on`, [id])).rows;

describe('configuration', () => {
  it('SMS_PROVIDER=brevo needs its key, sender and webhook secret; the local outbox stays the default', () => {
    expect(loadConfig({}).SMS_PROVIDER).toBe('local');
    expect(() => loadConfig({ SMS_PROVIDER: 'brevo', BREVO_API_KEY: 'k' })).toThrow('BREVO_SMS_SENDER');
    expect(() =>
      loadConfig({ SMS_PROVIDER: 'brevo', BREVO_API_KEY: 'k', BREVO_SMS_SENDER: 'Un expéditeur trop long', BREVO_WEBHOOK_SECRET: 'x'.repeat(20) }),
    ).toThrow('BREVO_SMS_SENDER');
    expect(adapterFromConfig(loadConfig({ DEV_MAILBOX: 'false' }))).toBe(localAdapter);
  });

  it('routes e-mail through the e-mail adapter and SMS through Brevo', () => {
    const config = loadConfig({
      SMS_PROVIDER: 'brevo',
      BREVO_API_KEY: 'k',
      BREVO_SMS_SENDER: 'Bailleur',
      BREVO_WEBHOOK_SECRET: 'x'.repeat(20),
      DEV_MAILBOX: 'false',
      LIEN_DATA_DIR: inject('dataDir'),
    });
    const adapter = adapterFromConfig(config);
    expect(adapter.route?.('sms')).toMatchObject({ name: 'brevo', idempotent: false });
    expect(adapter.route?.('email')).toBe(localAdapter);
    expect(adapter.route?.('sms').guard).toBeDefined();
  });
});

describe('Brevo transactional SMS API', () => {
  it('sends the documented request and keeps Brevo’s message id', async () => {
    const id = await sms();
    await deliverMessage(h.database, brevo(), org.id, id, jobs);
    expect(fake.countOf(id)).toBe(1);
    expect(fake.received.find((r) => r.tag === id)).toEqual({
      sender: 'Bailleur',
      recipient: '33612345678',
      content: 'Bonjour, votre agence va vous appeler demain.',
      type: 'transactional',
      tag: id,
      unicodeEnabled: false,
    });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, adapter: 'brevo', last_error: null });
    expect((await row(id)).provider_message_id).toMatch(/^\d+$/);
  });

  it('a marketing SMS carries the opt-out mention once; a text outside GSM-7 goes as Unicode', async () => {
    const plain = await sms({ smsType: 'marketing', body: 'Votre bailleur organise une réunion' });
    const already = await sms({ smsType: 'marketing', body: withSmsOptOutMention('Deuxième réunion', { SMS_PROVIDER: 'brevo' }) });
    const unicode = await sms({ body: 'Cœur de quartier 😊' });
    for (const id of [plain, already, unicode]) await deliverMessage(h.database, brevo(), org.id, id, jobs);
    const sent = (id: string) => fake.received.find((r) => r.tag === id);
    expect(sent(plain)).toMatchObject({ type: 'marketing', content: `Votre bailleur organise une réunion\n${mention}`, unicodeEnabled: false });
    expect(sent(already)?.content).toBe(`Deuxième réunion\n${mention}`);
    expect(sent(unicode)?.unicodeEnabled).toBe(true);
    expect(isGsm7('Réunion à 18 h, 2 € : « non »')).toBe(false);
    expect(isGsm7('Réunion à 18 h, 2 €')).toBe(true);
    expect(smsOptOutMention({ SMS_PROVIDER: 'local' })).toMatch(/STOP/);
    expect(smsOptOutMention({ SMS_PROVIDER: 'brevo', SMS_OPT_OUT_MENTION: 'STOP au 36111' })).toBe('STOP au 36111');
  });

  it('a message Brevo refuses (invalid number) fails at once with Brevo’s reason, asked once', async () => {
    fake.setMode({ kind: 'refuse', status: 400, code: 'invalid_parameter', message: 'Invalid phone number' });
    const id = await sms();
    await deliverMessage(h.database, brevo(), org.id, id, jobs);
    await deliverMessage(h.database, brevo(), org.id, id, jobs);
    expect(fake.countOf(id)).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await row(id)).last_error).toContain('Invalid phone number');
  });

  it('FT-02: an answer that never comes leaves the message unknown; it is never sent again', async () => {
    fake.setMode({ kind: 'hang' });
    const id = await sms();
    await deliverMessage(h.database, brevo({ timeoutMs: 300 }), org.id, id, jobs);
    expect(await row(id)).toMatchObject({ status: 'unknown' });
    expect((await row(id)).last_error).toContain('peut-être été envoyé');
    fake.setMode({ kind: 'ok' });
    await deliverMessage(h.database, brevo(), org.id, id, jobs);
    expect(fake.countOf(id)).toBe(1);
    expect((await row(id)).status).toBe('unknown');
  });

  it('FT-09: a delivery callback that came before the timeout keeps the message delivered, not unknown', async () => {
    fake.setMode({ kind: 'hang' });
    const id = await sms();
    const delivering = deliverMessage(h.database, brevo({ timeoutMs: 1500 }), org.id, id, jobs);
    await expect.poll(() => fake.countOf(id), { timeout: 5000 }).toBe(1);
    // Brevo's « delivered » callback (matched by the outbox tag) lands while Lien still waits for the answer.
    await h.owner.query(`update messages set status = 'delivered', delivered_at = now() where id = $1`, [id]);
    await delivering;
    fake.setMode({ kind: 'ok' });
    expect((await row(id)).status).toBe('delivered');
  });

  it('FT-02: a process that died after handing the SMS over leaves it unknown, not resent', async () => {
    const id = await sms();
    await h.owner.query(`update messages set status = 'sending', attempts = 1, adapter = 'brevo' where id = $1`, [id]);
    await deliverMessage(h.database, byChannel(localAdapter, brevo()), org.id, id, jobs);
    expect(fake.countOf(id)).toBe(0);
    expect((await row(id)).status).toBe('unknown');
  });

  it('a slow answer within the timeout is a normal send', async () => {
    fake.setMode({ kind: 'ok', delayMs: 400 });
    const id = await sms();
    await deliverMessage(h.database, brevo({ timeoutMs: 3000 }), org.id, id, jobs);
    expect(await row(id)).toMatchObject({ status: 'sent' });
    expect(fake.countOf(id)).toBe(1);
  });
});

describe('provider outage (TRUST FT-06)', () => {
  it('delays messages behind the circuit breaker, loses none, sends each once when Brevo is back', async () => {
    // A cooldown long enough that the second pass below ends before it, even on a loaded machine.
    const adapter: OutboxAdapter = brevo({ threshold: 3, cooldownMs: 6000 });
    fake.setMode({ kind: 'down', status: 503 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await sms({ body: `Message ${i}` }));
    for (const id of ids) await deliverMessage(h.database, adapter, org.id, id, jobs);
    // Three tries reached Brevo and failed; the breaker then opened: the other five never left.
    expect(ids.map((id) => fake.countOf(id))).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    for (const id of ids) {
      const r = await row(id);
      expect(r.status).toBe('delayed');
      expect(r.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
      // Its next job exists, due later (created with the delay, in the same transaction).
      const pending = (await jobsOf(id)).filter((j) => j.state === 'created');
      expect(pending.length).toBeGreaterThanOrEqual(1);
      expect(Math.max(...pending.map((j) => j.start_after.getTime()))).toBeGreaterThan(Date.now());
    }
    expect((await row(ids[0] as string)).last_error).toContain('HTTP 503');
    expect((await row(ids[5] as string)).last_error).toContain('indisponible');

    // While the breaker is open, another pass still sends nothing.
    for (const id of ids) await deliverMessage(h.database, adapter, org.id, id, jobs);
    expect(fake.received.filter((r) => ids.includes(r.tag))).toHaveLength(3);

    // Brevo is back; the breaker half-opens after its cooldown, one message tries, then all go.
    fake.setMode({ kind: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 6100));
    for (const id of ids) await deliverMessage(h.database, adapter, org.id, id, jobs);
    for (const id of ids) await deliverMessage(h.database, adapter, org.id, id, jobs);
    for (const id of ids) expect((await row(id)).status).toBe('sent');
    // Each SMS accepted exactly once: no loss, no duplicate.
    expect(ids.map((id) => fake.accepted.filter((r) => r.tag === id).length)).toEqual(ids.map(() => 1));
  });

  it('a refused connection (Brevo unreachable) delays the message: the request never left', async () => {
    const id = await sms();
    await deliverMessage(h.database, brevo({ url: 'http://127.0.0.1:9' }), org.id, id, jobs);
    expect(await row(id)).toMatchObject({ status: 'delayed' });
    expect((await row(id)).last_error).toContain('injoignable');
    await deliverMessage(h.database, brevo(), org.id, id, jobs);
    expect(await row(id)).toMatchObject({ status: 'sent' });
    expect(fake.countOf(id)).toBe(1);
  });

  it('the pg-boss worker sends a delayed message by itself once its new job is due', async () => {
    const adapter = brevo({ threshold: 100 });
    fake.setMode({ kind: 'down', status: 502 });
    const id = await sms();
    await deliverMessage(h.database, adapter, org.id, id, jobs);
    expect((await row(id)).status).toBe('delayed');
    fake.setMode({ kind: 'ok' });
    await startOutboxWorker(jobs, byChannel(localAdapter, adapter));
    const deadline = Date.now() + 30_000;
    while ((await row(id)).status !== 'sent' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await row(id)).status).toBe('sent');
    expect(fake.accepted.filter((r) => r.tag === id)).toHaveLength(1);
  }, 40_000);
});

describe('alert on delayed messages (FT-06)', () => {
  it('e-mails the org admins once an hour while messages wait more than 15 minutes, without their content', async () => {
    const alertOrg = await newOrganisation(h);
    const admins = async () => [{ id: '0190aaaa-0000-7000-8000-00000000a11e', email: `admin-${alertOrg.slug}@bailleur.fr` }];
    const task = delayedMessagesAlert(jobs, 'https://lien.bailleur.fr', admins);
    const run = (at: Date) => h.database.withOrg({ organisationId: alertOrg.id }, (trx) => task.run(trx, at, alertOrg.id));
    await h.owner.query(
      `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, created_at)
       values ($1, 'sms', '+33611111111', 'Texte privé', 'campaign', 'late-1', 'delayed', now() - interval '10 minutes')`,
      [alertOrg.id],
    );
    expect(await run(new Date())).toBe(0); // 10 minutes: not yet
    await h.owner.query(`update messages set created_at = now() - interval '20 minutes' where organisation_id = $1`, [alertOrg.id]);
    expect(await run(new Date())).toBe(1);
    expect(await run(new Date())).toBe(0); // once per hour
    const alerts = await h.owner.query(`select recipient, subject, body from messages where organisation_id = $1 and purpose = 'service_alert'`, [alertOrg.id]);
    expect(alerts.rows).toHaveLength(1);
    expect(alerts.rows[0]).toMatchObject({ recipient: `admin-${alertOrg.slug}@bailleur.fr`, subject: 'Lien — alerte : envois retardés' });
    expect(alerts.rows[0].body).toContain('1 message attend depuis plus de 15 minutes');
    expect(alerts.rows[0].body).not.toContain('+33611111111');
    expect(alerts.rows[0].body).not.toContain('Texte privé');
  });
});

describe('rate limit', () => {
  it('hands messages to the provider no faster than the configured rate', async () => {
    const guard = providerGuard({ ratePerSecond: 20 });
    const started = Date.now();
    for (let i = 0; i < 11; i++) await guard.slot();
    // 11 slots at 20 per second: the last one is 500 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(480);
  });
});

describe('opt-out at sending', () => {
  it('no SMS leaves for a number that answered STOP (opted_out); its confirmation still does', async () => {
    await h.owner.query(`insert into sms_opt_outs (organisation_id, phone, source) values ($1, '+33698765432', 'sms_reply')`, [org.id]);
    const id = await sms({ recipient: '+33698765432' });
    const confirmation = await sms({ recipient: '+33698765432', purpose: OPT_OUT_CONFIRMATION_PURPOSE });
    await deliverMessage(h.database, brevo(), org.id, id, jobs);
    await deliverMessage(h.database, brevo(), org.id, confirmation, jobs);
    expect(await row(id)).toMatchObject({ status: 'opted_out', attempts: 0 });
    expect(fake.countOf(id)).toBe(0);
    expect(await row(confirmation)).toMatchObject({ status: 'sent' });
  });
});
