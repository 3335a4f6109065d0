// TRUST FT-04, second half: a worker killed in the middle of a job (SIGKILL: no cleanup, no
// release) does not lose it — another worker runs it again within the 2-minute objective of
// messages, thanks to the queue's heartbeat and the supervisor (see `queuePolicy`).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createJobs, type Jobs, queuePolicy } from '../platform/jobs/jobs.ts';
import { createLogger } from '../platform/logger.ts';
import { type Harness, newOrganisation, startHarness } from './harness.ts';

let h: Harness;
let child: ChildProcess | undefined;
let survivor: Jobs | undefined;
// A pg-boss schema of this test's own: no other test's worker can take its job.
const schema = `pgboss_crash_${process.pid}`;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.stop();
  await h.owner.query(`drop schema if exists ${schema} cascade`);
  await h.close();
});

/** The child's output lines, read from its start; `line(prefix)` waits for the first one with that prefix. */
function linesOf(p: ChildProcess) {
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let buffer = '';
  p.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of [...waiters]) {
      const found = lines.find((l) => l.startsWith(w.prefix));
      if (found) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(found);
      }
    }
  });
  return {
    line: (prefix: string) =>
      new Promise<string>((resolve, reject) => {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found) return resolve(found);
        waiters.push({ prefix, resolve });
        p.on('exit', (code) => reject(new Error(`worker exited (${code}) before « ${prefix} »`)));
      }),
  };
}

describe('a worker killed in the middle of a job (TRUST FT-04)', () => {
  it('another worker runs the message again in under 2 minutes', async () => {
    const org = await newOrganisation(h);
    child = spawn(process.execPath, [path.join(import.meta.dirname, 'fixtures/crashing-worker.ts'), inject('ownerUrl'), inject('appUrl'), schema], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output = linesOf(child);
    await output.line('ready');
    // Enqueued through the product's own path (inside an organisation transaction).
    const sender = createJobs(inject('ownerUrl'), h.database, createLogger('silent'), schema);
    await sender.start();
    await h.database.withOrg({ organisationId: org.id }, (trx) => sender.send(trx, 'outbox-send', { organisationId: org.id, messageId: 'crash-test' }));
    await sender.stop();
    expect(await output.line('started')).toBe(`started ${org.id}`);

    child.kill('SIGKILL');
    const killedAt = Date.now();
    const retried = new Promise<number>((resolve) => {
      survivor = createJobs(inject('ownerUrl'), h.database, createLogger('silent'), schema);
      void survivor.start().then(() =>
        survivor?.work<{ organisationId: string; messageId: string }>('outbox-send', async ({ organisationId, data }) => {
          if (organisationId === org.id && data.messageId === 'crash-test') resolve(Date.now() - killedAt);
        }),
      );
    });
    const seconds = (await retried) / 1000;
    const policy = queuePolicy('outbox-send');
    console.info(`FT-04: message retried ${seconds.toFixed(1)} s after its worker was killed (heartbeat ${policy.heartbeatSeconds} s)`);
    // It waited for the heartbeat to go quiet (not retried while the worker might live), and came back within the objective.
    expect(seconds).toBeGreaterThanOrEqual(policy.heartbeatSeconds);
    expect(seconds).toBeLessThan(120);
  }, 180_000);
});
