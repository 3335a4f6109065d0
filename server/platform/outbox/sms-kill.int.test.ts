// Exactly once under kill and restart (issue 15, TRUST FT-02): a sending process is killed with
// SIGKILL while Brevo (a local server counting requests) is answering one of its SMS; another
// process takes over. No SMS reaches Brevo twice, none is lost; those whose answer died with the
// process (it sends up to four at once) are `unknown`, never resent.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FakeBrevo, startFakeBrevo } from '../../test/fake-brevo.ts';
import { type Harness, newOrganisation, startHarness, type TestOrg } from '../../test/harness.ts';
import { createJobs, type Jobs } from '../jobs/jobs.ts';
import { createLogger } from '../logger.ts';
import { enqueueMessage } from './outbox.ts';

let h: Harness;
let org: TestOrg;
let fake: FakeBrevo;
let jobs: Jobs;
const children: ChildProcess[] = [];
const schema = `pgboss_smskill_${process.pid}`;

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  fake = await startFakeBrevo();
  jobs = createJobs(inject('ownerUrl'), h.database, createLogger('silent'), schema);
  await jobs.start();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await jobs.stop();
  await fake.close();
  await h.owner.query(`drop schema if exists ${schema} cascade`);
  await h.close();
});

function startWorker(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      path.join(import.meta.dirname, '../../test/fixtures/sms-worker.ts'),
      inject('ownerUrl'),
      inject('appUrl'),
      schema,
      fake.url,
      fake.apiKey,
      inject('dataDir'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before « ready »`)));
  });
}

describe('SMS sent exactly once when the sending process is killed midway (FT-02)', () => {
  it('no duplicate, no loss; the SMS whose answer was lost is unknown', async () => {
    const total = 60;
    const ids = await h.database.withOrg({ organisationId: org.id }, async (trx) => {
      const out: string[] = [];
      for (let i = 0; i < total; i++) {
        const id = await enqueueMessage(trx, jobs, org.id, {
          channel: 'sms',
          recipient: `+3361000${String(i).padStart(4, '0')}`,
          body: `Message ${i}`,
          purpose: 'campaign',
          idempotencyKey: `kill-${process.pid}-${i}`,
        });
        out.push(id as string);
      }
      return out;
    });
    // Brevo answers after 50 ms; the 20th request kills the sender while Brevo holds it.
    fake.setMode({ kind: 'ok', delayMs: 50 });
    const first = await startWorker();
    const killed = new Promise<string>((resolve) => {
      fake.onRequest = (request) => {
        if (fake.received.length === 20) {
          first.kill('SIGKILL');
          fake.onRequest = null;
          resolve(request.tag);
        }
      };
    });
    const inFlight = await killed;
    await startWorker();

    const settled = async () =>
      (await h.owner.query(`select id, status from messages where id = any($1::uuid[])`, [ids])).rows as { id: string; status: string }[];
    const deadline = Date.now() + 150_000;
    let rows = await settled();
    while (rows.some((r) => !['sent', 'unknown'].includes(r.status)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      rows = await settled();
    }
    const byStatus = (s: string) => rows.filter((r) => r.status === s).map((r) => r.id);
    console.info(
      `FT-02 kill test: ${byStatus('sent').length} sent, ${byStatus('unknown').length} unknown, ${fake.received.length} requests to Brevo for ${total} SMS`,
    );
    // No loss: every SMS reached Brevo. No duplicate: none reached it twice.
    expect(ids.map((id) => fake.countOf(id))).toEqual(ids.map(() => 1));
    expect(fake.received).toHaveLength(total);
    // Those Brevo was answering when the process died (the worker sends up to four at once) are
    // unknown, never resent; all others sent.
    expect(byStatus('unknown')).toContain(inFlight);
    expect(byStatus('unknown').length).toBeLessThanOrEqual(4);
    expect(byStatus('sent')).toHaveLength(total - byStatus('unknown').length);
  }, 180_000);
});
