import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { createJobs, parseJobPayload } from '../jobs/jobs.ts';
import { createLogger } from '../logger.ts';
import { adapterFromConfig, DEV_MAILBOX_BANNER, devMailboxAdapter, localAdapter, type OutboxAdapter } from './adapters.ts';
import { deliverMessage, enqueueMessage, eraseExpiredSecrets, startOutboxWorker } from './outbox.ts';
import { MASKED_LINK, messageKey } from './sealing.ts';

let h: Harness;
let orgA: TestOrg;
let orgB: TestOrg;

beforeAll(async () => {
  h = await startHarness();
  orgA = await newOrganisation(h);
  orgB = await newOrganisation(h);
});
afterAll(() => h.close());

const enqueue = (org: TestOrg, key: string) =>
  h.database.withOrg({ organisationId: org.id }, (trx) =>
    enqueueMessage(trx, h.jobs, org.id, {
      channel: 'email',
      recipient: 'locataire@example.fr',
      subject: 'Test',
      body: 'Bonjour',
      purpose: 'test',
      idempotencyKey: key,
    }),
  );
const statusOf = async (id: string) => (await h.owner.query('select status, attempts from messages where id = $1', [id])).rows[0];

describe('outbox', () => {
  it('enqueueing the same key twice (double click, two nodes) creates one message and one job', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => enqueue(orgA, 'same-key').catch(() => null)));
    const ids = results.filter(Boolean);
    expect(new Set(ids).size).toBe(1);
    expect((await h.owner.query(`select count(*)::int as n from messages where idempotency_key = 'same-key'`)).rows[0].n).toBe(1);
    const jobs = await h.owner.query(`select count(*)::int as n from pgboss.job where name = 'outbox-send' and data->>'messageId' = $1`, [ids[0]]);
    expect(jobs.rows[0].n).toBe(1);
  });

  it('a message and its job exist only if the business transaction commits', async () => {
    await expect(
      h.database.withOrg({ organisationId: orgA.id }, async (trx) => {
        await enqueueMessage(trx, h.jobs, orgA.id, { channel: 'email', recipient: 'x@example.fr', body: 'x', purpose: 'test', idempotencyKey: 'rolled-back' });
        throw new Error('business failure');
      }),
    ).rejects.toThrow('business failure');
    expect((await h.owner.query(`select count(*)::int as n from messages where idempotency_key = 'rolled-back'`)).rows[0].n).toBe(0);
  });

  it('delivery is idempotent: running the handler twice delivers once', async () => {
    const id = (await enqueue(orgA, 'deliver-twice')) as string;
    let calls = 0;
    const counting: OutboxAdapter = {
      ...localAdapter,
      deliver: async (m) => {
        calls++;
        return localAdapter.deliver(m);
      },
    };
    await deliverMessage(h.database, counting, orgA.id, id);
    await deliverMessage(h.database, counting, orgA.id, id);
    expect(calls).toBe(1);
    expect(await statusOf(id)).toEqual({ status: 'delivered_locally', attempts: 1 });
  });

  it('a crash between provider call and update marks a non-idempotent message unknown, never resent', async () => {
    const id = (await enqueue(orgA, 'crash-mid-send')) as string;
    let calls = 0;
    const smtpLike: OutboxAdapter = {
      name: 'smtp',
      idempotent: false,
      deliver: async () => {
        calls++;
        throw new Error('process killed');
      },
    };
    // Simulate the crash: the claim committed (status sending), the settle never ran.
    await h.owner.query(`update messages set status = 'sending', attempts = 1 where id = $1`, [id]);
    await deliverMessage(h.database, smtpLike, orgA.id, id);
    expect(calls).toBe(0);
    expect((await statusOf(id)).status).toBe('unknown');
  });

  it('a provider failure puts the message back in the queue with its error, then fails after 5 attempts', async () => {
    const id = (await enqueue(orgA, 'provider-down')) as string;
    const down: OutboxAdapter = {
      name: 'down',
      idempotent: true,
      deliver: async () => {
        throw new Error('503 Service Unavailable');
      },
    };
    await expect(deliverMessage(h.database, down, orgA.id, id)).rejects.toThrow('503');
    expect(await statusOf(id)).toEqual({ status: 'queued', attempts: 1 });
    for (let i = 0; i < 3; i++) await deliverMessage(h.database, down, orgA.id, id).catch(() => {});
    await deliverMessage(h.database, down, orgA.id, id);
    expect(await statusOf(id)).toEqual({ status: 'failed', attempts: 5 });
  });

  it("a job for organisation A cannot touch organisation B's message (MT-07)", async () => {
    const idB = (await enqueue(orgB, 'b-message')) as string;
    await deliverMessage(h.database, localAdapter, orgA.id, idB);
    expect((await statusOf(idB)).status).toBe('queued');
  });

  it('a job without an organisation is refused', () => {
    expect(() => parseJobPayload({ messageId: 'x' })).toThrow(/organisationId/);
    expect(() => parseJobPayload({ organisationId: 'not-a-uuid' })).toThrow(/organisationId/);
    expect(parseJobPayload({ organisationId: orgA.id, messageId: 'x' })).toMatchObject({ organisationId: orgA.id });
  });

  it('the pg-boss worker delivers queued messages by itself', async () => {
    // A queue of its own: test files share one database, and messages other files queued (no
    // worker runs for them) would otherwise be ahead of this one (CI failed once on that).
    const jobs = createJobs(inject('ownerUrl'), h.database, createLogger('silent'), 'pgboss_outbox_test');
    await jobs.start();
    try {
      await startOutboxWorker(jobs, localAdapter);
      const id = (await h.database.withOrg({ organisationId: orgB.id }, (trx) =>
        enqueueMessage(trx, jobs, orgB.id, {
          channel: 'email',
          recipient: 'locataire@example.fr',
          body: 'Bonjour',
          purpose: 'test',
          idempotencyKey: 'worker-delivers',
        }),
      )) as string;
      const deadline = Date.now() + 25_000;
      while ((await statusOf(id)).status !== 'delivered_locally' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await statusOf(id)).status).toBe('delivered_locally');
    } finally {
      await jobs.stop();
    }
  });
});

describe('personal links (issue 9: nobody but the recipient reads a live token)', () => {
  const key = messageKey({ LIEN_SECRET_KEY: randomBytes(32).toString('hex'), LIEN_DATA_DIR: os.tmpdir() });
  const enqueueLink = async (org: TestOrg, validMinutes = 60) => {
    const token = randomBytes(32).toString('base64url');
    const link = `http://localhost:3000/reinitialiser#${token}`;
    const id = (await h.database.withOrg({ organisationId: org.id }, (trx) =>
      enqueueMessage(trx, h.jobs, org.id, {
        channel: 'email',
        recipient: 'gestionnaire@example.fr',
        subject: 'Réinitialisation',
        body: `Bonjour,\nvotre lien :\n${link}\nÀ bientôt.`,
        purpose: 'password_reset',
        idempotencyKey: `link-${token.slice(0, 8)}`,
        secret: { values: [link], key, validMinutes },
      }),
    )) as string;
    return { id, token, link };
  };
  const rowText = async (id: string) => (await h.owner.query('select m::text as t from messages m where id = $1', [id])).rows[0].t as string;
  const sealedOf = async (id: string) => (await h.owner.query('select sealed_body from messages where id = $1', [id])).rows[0].sealed_body as Buffer | null;

  it('stores the body masked and the full text sealed: no column holds the token', async () => {
    const { id, token } = await enqueueLink(orgA);
    const row = (await h.owner.query('select body, sealed_body from messages where id = $1', [id])).rows[0];
    expect(row.body).toBe(`Bonjour,\nvotre lien :\n${MASKED_LINK}\nÀ bientôt.`);
    expect(row.sealed_body).toBeInstanceOf(Buffer);
    const text = await rowText(id);
    expect(text).not.toContain(token);
    expect(text).not.toContain(Buffer.from(token).toString('hex'));
    expect(text).not.toContain('#');
  });

  it('the development mailbox receives the full text (0600, labelled), then the sealed text is erased', async () => {
    const { id, token, link } = await enqueueLink(orgA);
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'lien-mail-')), 'mail');
    await deliverMessage(h.database, devMailboxAdapter(dir, key), orgA.id, id);
    const file = path.join(dir, `${id}.txt`);
    const content = await readFile(file, 'utf8');
    expect(content.split('\n')[0]).toBe(DEV_MAILBOX_BANNER);
    expect(content).toContain(link);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await statusOf(id)).toEqual({ status: 'delivered_locally', attempts: 1 });
    expect(await sealedOf(id)).toBeNull();
    expect(await rowText(id)).not.toContain(token);
  });

  it('a sealed message run twice, one after the other and at the same time, is delivered once (FT-04)', async () => {
    for (const mode of ['sequential', 'concurrent'] as const) {
      const { id, link } = await enqueueLink(orgA);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-mail-'));
      const mailbox = devMailboxAdapter(dir, key);
      const texts: string[] = [];
      const spying: OutboxAdapter = {
        ...mailbox,
        deliver: async (m) => {
          const result = await mailbox.deliver(m);
          texts.push(await readFile(path.join(dir, `${m.key}.txt`), 'utf8'));
          return result;
        },
      };
      const run = () => deliverMessage(h.database, spying, orgA.id, id);
      if (mode === 'sequential') {
        await run();
        await run();
      } else await Promise.all([run(), run()]);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(link);
      expect(await statusOf(id)).toEqual({ status: 'delivered_locally', attempts: 1 });
      expect(await sealedOf(id)).toBeNull();
    }
  });

  it('the local adapter without mailbox delivers without opening it, and erases it', async () => {
    const { id } = await enqueueLink(orgA);
    await deliverMessage(h.database, localAdapter, orgA.id, id);
    expect((await statusOf(id)).status).toBe('delivered_locally');
    expect(await sealedOf(id)).toBeNull();
  });

  it('a sealed text that the key cannot open fails at once, in French, erased, never retried', async () => {
    const { id } = await enqueueLink(orgA);
    const otherKey = messageKey({ LIEN_SECRET_KEY: randomBytes(32).toString('hex'), LIEN_DATA_DIR: os.tmpdir() });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-mail-'));
    await deliverMessage(h.database, devMailboxAdapter(dir, otherKey), orgA.id, id);
    const row = (await h.owner.query('select status, attempts, last_error, sealed_body from messages where id = $1', [id])).rows[0];
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sealed_body: null });
    expect(row.last_error).toContain('ne peut pas être déchiffré');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a sealed text moved to another message does not open (bound to its recipient and key)', async () => {
    const a = await enqueueLink(orgA);
    const b = await enqueueLink(orgA);
    await h.owner.query('update messages set sealed_body = (select sealed_body from messages where id = $1) where id = $2', [a.id, b.id]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-mail-'));
    await deliverMessage(h.database, devMailboxAdapter(dir, key), orgA.id, b.id);
    expect((await statusOf(b.id)).status).toBe('failed');
  });

  it('a link expired before sending is erased and the message failed, by the worker and by maintenance', async () => {
    const byWorker = await enqueueLink(orgA, 1);
    const byMaintenance = await enqueueLink(orgB, 1);
    await h.owner.query(`update messages set sealed_until = now() - interval '1 second' where id = any($1)`, [[byWorker.id, byMaintenance.id]]);
    let calls = 0;
    const counting: OutboxAdapter = {
      ...localAdapter,
      deliver: async (m) => {
        calls++;
        return localAdapter.deliver(m);
      },
    };
    await deliverMessage(h.database, counting, orgA.id, byWorker.id);
    expect(calls).toBe(0);
    const changed = await h.database.withOrg({ organisationId: orgB.id }, (trx) => eraseExpiredSecrets.run(trx, new Date(), orgB.id));
    expect(changed).toBe(1);
    for (const id of [byWorker.id, byMaintenance.id]) {
      expect((await statusOf(id)).status).toBe('failed');
      expect(await sealedOf(id)).toBeNull();
    }
  });

  it('the database refuses a settled message that still holds a sealed text', async () => {
    const { id } = await enqueueLink(orgA);
    await expect(h.owner.query(`update messages set status = 'sent' where id = $1`, [id])).rejects.toThrow(/messages_sealed_while_pending/);
  });

  it('the key comes from LIEN_SECRET_KEY, else from a file of the data folder created once (0600)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lien-key-'));
    const first = messageKey({ LIEN_DATA_DIR: dir });
    const file = path.join(dir, 'message-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.key.toString('hex'));
    expect(messageKey({ LIEN_DATA_DIR: dir }).key.equals(first.key)).toBe(true);
    expect(() => messageKey({ LIEN_SECRET_KEY: 'trop-court', LIEN_DATA_DIR: dir })).toThrow(/32 octets/);
  });

  it('the development mailbox is on by default with the local adapter only, and refused in production', () => {
    expect(loadConfig({}).devMailbox).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).devMailbox).toBe(false);
    expect(loadConfig({ MAIL_ADAPTER: 'smtp', SMTP_URL: 'smtp://127.0.0.1:25' }).devMailbox).toBe(false);
    expect(loadConfig({ DEV_MAILBOX: 'false' }).devMailbox).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', DEV_MAILBOX: 'true' })).toThrow(/refusé avec NODE_ENV=production/);
    expect(adapterFromConfig(loadConfig({ NODE_ENV: 'production' }))).toBe(localAdapter);
  });
});
