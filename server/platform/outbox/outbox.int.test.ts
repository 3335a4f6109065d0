import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { parseJobPayload } from '../jobs/jobs.ts';
import { localAdapter, type OutboxAdapter } from './adapters.ts';
import { deliverMessage, enqueueMessage, startOutboxWorker } from './outbox.ts';

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
    await startOutboxWorker(h.jobs, localAdapter);
    const id = (await enqueue(orgB, 'worker-delivers')) as string;
    const deadline = Date.now() + 25_000;
    while ((await statusOf(id)).status !== 'delivered_locally' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await statusOf(id)).status).toBe('delivered_locally');
  });
});
