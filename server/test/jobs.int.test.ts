// TRUST FT-04: every registered job type is safe under at-least-once delivery. Each handler runs
// twice — one after the other, and both at once — and the final state must equal one run.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrearsCompliance } from '../modules/arrears/index.ts';
import { releaseAbandonedCalls, requeueDueCalls } from '../modules/calls/index.ts';
import { runRefresh } from '../modules/federation/index.ts';
import { expireVolunteers } from '../modules/identity/index.ts';
import { prepareSend } from '../modules/messaging/messaging.service.ts';
import { failApplying } from '../modules/registry/import/import.repository.ts';
import { applyJob, applyStaged, stageUpload, startApply, startValidation, validateStaged } from '../modules/registry/import/import.service.ts';
import { purgeOrganisation } from '../modules/retention/index.ts';
import { scanFile, storeFile } from '../platform/files/files.ts';
import { jobQueues } from '../platform/jobs/jobs.ts';
import { runMaintenance } from '../platform/jobs/maintenance.ts';
import { localAdapter, type OutboxAdapter } from '../platform/outbox/adapters.ts';
import { deliverMessage, enqueueMessage } from '../platform/outbox/outbox.ts';
import { startClamd } from './clamd.ts';
import { type Harness, newOrganisation, newUser, startHarness } from './harness.ts';

let h: Harness;
let clamd: Awaited<ReturnType<typeof startClamd>>;
beforeAll(async () => {
  [h, clamd] = await Promise.all([startHarness(), startClamd()]);
});
afterAll(async () => {
  await h.close();
  await clamd.stop();
});

type Mode = 'one after the other' | 'at the same time';
const twice = async (mode: Mode, run: () => Promise<unknown>) => {
  if (mode === 'one after the other') {
    await run();
    await run();
  } else await Promise.all([run(), run()]);
};
const one = async (text: string, params: unknown[]) => (await h.owner.query(text, params)).rows[0];

const HEADER = 'Groupe;Logement;Bail;Nom;Prénom;Né le;Portable;Solde';
const csv = `${HEADER}\nG1;L1;B1;Lefebvre;Jeanne;01/02/1940;06 11 22 33 44;120,50\nG1;L2;B2;Martin;Paul;15/06/1950;07 11 22 33 44;0\nG1;L2;B2;Martin;Léa;15/06/1952;;0\n`;

/** Stage an upload and start its validation (the job is enqueued; no worker runs in these tests). */
async function stagedImport() {
  const org = await newOrganisation(h);
  const user = await newUser(h, org, 'manager');
  const ctx = { organisationId: org.id, userId: user.id };
  const staged = await stageUpload(h.deps, ctx, Readable.from([Buffer.from(csv)]), 'export.csv');
  const actor = { userId: user.id, role: 'manager', ip: null };
  await startValidation(h.deps, ctx, staged.run.id, staged.run.mapping ?? {}, false, actor);
  return { org, ctx, actor, importId: staged.run.id };
}

/** One case per registered queue: set up, run the handler twice in the given mode, check the state of a single run. */
const cases: Record<(typeof jobQueues)[number], (mode: Mode) => Promise<void>> = {
  'outbox-send': async (mode) => {
    const org = await newOrganisation(h);
    const id = await h.database.withOrg({ organisationId: org.id }, (trx) =>
      enqueueMessage(trx, h.jobs, org.id, {
        channel: 'email',
        recipient: 'locataire@example.fr',
        subject: 'Test',
        body: 'Bonjour',
        purpose: 'test',
        idempotencyKey: mode,
      }),
    );
    let calls = 0;
    const counting: OutboxAdapter = {
      ...localAdapter,
      deliver: async (m) => {
        calls++;
        return localAdapter.deliver(m);
      },
    };
    await twice(mode, () => deliverMessage(h.database, counting, org.id, id as string));
    expect(calls).toBe(1);
    expect(await one('select status, attempts from messages where id = $1', [id])).toEqual({ status: 'delivered_locally', attempts: 1 });
  },
  'import-validate': async (mode) => {
    const { org, importId } = await stagedImport();
    await twice(mode, () => validateStaged(h.deps, { organisationId: org.id }, importId));
    expect(await one('select status, summary->>$2 as households from imports where id = $1', [importId, 'households_created'])).toEqual({
      status: 'previewed',
      households: '2',
    });
    expect((await one('select count(*)::int as n from import_lines where import_id = $1', [importId])).n).toBe(3);
  },
  'import-apply': async (mode) => {
    const { org, ctx, actor, importId } = await stagedImport();
    await validateStaged(h.deps, { organisationId: org.id }, importId);
    await startApply(h.deps, ctx, importId, false, actor);
    await twice(mode, () => applyJob(h.deps, org.id, importId));
    expect((await one('select status from imports where id = $1', [importId])).status).toBe('applied');
    expect((await one('select count(*)::int as n from households where organisation_id = $1', [org.id])).n).toBe(2);
    expect((await one('select count(*)::int as n from persons where organisation_id = $1', [org.id])).n).toBe(3);
    expect((await one('select count(*)::int as n from household_balances where organisation_id = $1', [org.id])).n).toBe(2);
    expect((await one(`select count(*)::int as n from audit_events where object_id = $1 and action = 'registry.import_applied'`, [importId])).n).toBe(1);
  },
  maintenance: async (mode) => {
    const org = await newOrganisation(h);
    const volunteer = await newUser(h, org, 'volunteer', { endDate: '2020-01-01' });
    const tasks = [releaseAbandonedCalls, requeueDueCalls, expireVolunteers];
    await twice(mode, () => runMaintenance(h.database, tasks));
    expect((await one('select status from users where id = $1', [volunteer.id])).status).toBe('inactive');
    expect((await one(`select count(*)::int as n from audit_events where object_id = $1 and action = 'user.expired'`, [volunteer.id])).n).toBe(1);
  },
  'daily-maintenance': async (mode) => {
    // A plan's instalment due on 5 April 2020 (grace 10 days), a balance of 20 June still at the
    // whole debt: the daily compliance check marks it missed and raises one task on the rent case.
    const org = await newOrganisation(h);
    const q = (text: string, params: unknown[]) => one(text, params);
    const residence = await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, 'R', 'Résidence', '1 rue A', '94400', 'Vitry') returning id`,
      [org.id, org.agencyIds[0]],
    );
    const unit = await q(`insert into housing_units (organisation_id, residence_id, erp_ref) values ($1, $2, 'U1') returning id`, [org.id, residence.id]);
    const household = await q(`insert into households (organisation_id, unit_id, erp_ref, balance_cents) values ($1, $2, 'H1', 90000) returning id`, [
      org.id,
      unit.id,
    ]);
    const rentCase = await q(`insert into cases (organisation_id, household_id, agency_id, type, origin) values ($1, $2, $3, 'rent', 'staff') returning id`, [
      org.id,
      household.id,
      org.agencyIds[0],
    ]);
    const plan = await q(
      `insert into payment_plans (organisation_id, household_id, case_id, kind, amount_cents, start_on, months, signed_on, baseline_cents)
       values ($1, $2, $3, 'clearance', 30000, '2020-04-05', 1, '2020-03-20', 90000) returning id`,
      [org.id, household.id, rentCase.id],
    );
    await q(`insert into plan_instalments (organisation_id, plan_id, seq, due_on, amount_cents) values ($1, $2, 1, '2020-04-05', 30000)`, [org.id, plan.id]);
    await q(`insert into household_balances (organisation_id, household_id, balance_cents, balance_on) values ($1, $2, 90000, '2020-06-20')`, [
      org.id,
      household.id,
    ]);
    await twice(mode, () => runMaintenance(h.database, [arrearsCompliance], new Date('2020-06-21T05:00:00Z')));
    expect((await one('select status from plan_instalments where plan_id = $1', [plan.id])).status).toBe('missed');
    expect((await one('select count(*)::int as n from case_tasks where case_id = $1', [rentCase.id])).n).toBe(1);
  },
  'retention-purge': async (mode) => {
    const org = await newOrganisation(h);
    await h.owner.query(
      `insert into messages (organisation_id, channel, recipient, body, purpose, idempotency_key, status, created_at, sent_at)
       select $1, 'sms', '+33612345678', 'Bonjour', 'campaign', 'old-' || g, 'sent', now() - interval '2 years', now() - interval '2 years' from generate_series(1, 3) g`,
      [org.id],
    );
    await twice(mode, () => purgeOrganisation(h.database, org.id, new Date()));
    expect((await one('select count(*)::int as n from messages where organisation_id = $1', [org.id])).n).toBe(0);
    // Two runs write two « N purgés » lines whose sum is one run's: 3.
    expect(
      (await one(`select sum((details->>'total')::int)::int as n from audit_events where organisation_id = $1 and action = 'retention.purged'`, [org.id])).n,
    ).toBe(3);
  },
  'federation-refresh': async (mode) => {
    // A federation and one member sharing « dossiers ouverts »: 12 cases this month.
    const federation = await newOrganisation(h);
    await h.owner.query(`update organisations set kind = 'federation' where id = $1`, [federation.id]);
    const member = await newOrganisation(h);
    const q = (text: string, params: unknown[]) => one(text, params);
    const residence = await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, postal_code) values ($1, $2, 'R', 'Résidence', '94400') returning id`,
      [member.id, member.agencyIds[0]],
    );
    await q(
      `with u as (insert into housing_units (organisation_id, residence_id, erp_ref) select $1, $2, 'U' || g from generate_series(1, 12) g returning id, erp_ref),
         hh as (insert into households (organisation_id, unit_id, erp_ref) select $1, u.id, u.erp_ref from u returning id)
       insert into cases (organisation_id, household_id, agency_id, type, origin) select $1, hh.id, $3, 'food', 'call' from hh returning 1`,
      [member.id, residence.id, member.agencyIds[0]],
    );
    await q(`insert into federation_members (organisation_id, member_id, member_name, federation_name) values ($1, $2, 'M', 'F')`, [federation.id, member.id]);
    await q(`insert into federation_agreements (organisation_id, federation_id, federation_name, indicators) values ($1, $2, 'F', '{cases_opened}')`, [
      member.id,
      federation.id,
    ]);
    const refresh = await q(`insert into federation_refreshes (organisation_id) values ($1) returning id`, [federation.id]);
    await twice(mode, () => runRefresh(h.database, federation.id, refresh.id));
    expect(await q(`select value from federation_aggregates where organisation_id = $1 and dimension = 'total' and value is not null`, [member.id])).toEqual({
      value: 12,
    });
    expect((await q('select count(*)::int as n from federation_aggregates where organisation_id = $1', [member.id])).n).toBe(3);
    expect(await q('select status, members_done from federation_refreshes where id = $1', [refresh.id])).toEqual({ status: 'done', members_done: 1 });
  },
  'messaging-prepare': async (mode) => {
    const { org, ctx, actor, importId } = await stagedImport();
    await validateStaged(h.deps, { organisationId: org.id }, importId);
    await startApply(h.deps, ctx, importId, false, actor);
    await applyJob(h.deps, org.id, importId);
    const template = await one(
      `insert into message_templates (organisation_id, name, channels, body) values ($1, 'Test', '{sms,letter}', 'Bonjour {nom}') returning id`,
      [org.id],
    );
    const audience = { kind: 'segment', filters: { status: 'active', fragilityMatch: 'all' }, scope: null };
    const send = await one(
      `insert into message_sends (organisation_id, template_id, audience, audience_ref, plan, status, recipients) values ($1, $2, 'segment', $3, '{}', 'preparing', 2) returning id`,
      [org.id, template.id, JSON.stringify(audience)],
    );
    await twice(mode, () => prepareSend(h.deps, org.id, send.id));
    // Two households, each with a mobile: two SMS, each with one send job; no letter.
    expect((await one('select count(*)::int as n from messages where send_id = $1', [send.id])).n).toBe(2);
    expect(
      (await one(`select count(*)::int as n from pgboss.job j join messages m on m.id::text = j.data->>'messageId' where m.send_id = $1`, [send.id])).n,
    ).toBe(2);
    expect(await one('select status, prepared from message_sends where id = $1', [send.id])).toEqual({ status: 'queued', prepared: 2 });
  },
  'files-scan': async (mode) => {
    const org = await newOrganisation(h);
    const bytes = Buffer.from('%PDF-1.4\n%%EOF\n');
    const id = await h.database.withOrg({ organisationId: org.id }, (trx) =>
      storeFile(trx, h.jobs, h.deps.config, org.id, { fileName: 'a.pdf', purpose: 'test', bytes, createdBy: null }),
    );
    await twice(mode, () => scanFile(h.database, h.deps.config, clamd.address, org.id, id));
    expect(await one('select scan_status from files where id = $1', [id])).toEqual({ scan_status: 'clean' });
  },
};

describe('a run of the apply job that fails while another one applies (TRUST FT-04)', () => {
  it('leaves the applied import applied, and a failed import is not applied by a late run', async () => {
    const { org, ctx, actor, importId } = await stagedImport();
    await validateStaged(h.deps, { organisationId: org.id }, importId);
    await startApply(h.deps, ctx, importId, false, actor);
    await applyJob(h.deps, org.id, importId);
    // The other run's failure handler comes after: it must not turn « applied » into « failed ».
    await h.database.withOrg({ organisationId: org.id }, (trx) => failApplying(trx, importId, 'boom'));
    expect((await one('select status from imports where id = $1', [importId])).status).toBe('applied');

    const second = await stagedImport();
    await validateStaged(h.deps, { organisationId: second.org.id }, second.importId);
    await startApply(h.deps, second.ctx, second.importId, false, second.actor);
    await h.database.withOrg({ organisationId: second.org.id }, (trx) => failApplying(trx, second.importId, 'boom'));
    // A late duplicate finds it failed (as the page says) and writes nothing.
    await applyStaged(h.deps, second.ctx, second.importId, { fullExport: false, actor: second.actor, onlyIf: 'applying' });
    expect((await one('select status from imports where id = $1', [second.importId])).status).toBe('failed');
    expect((await one('select count(*)::int as n from households where organisation_id = $1', [second.org.id])).n).toBe(0);
  });
});

describe('every job type is idempotent under at-least-once delivery (TRUST FT-04)', () => {
  it('has a case for every registered queue', () => {
    expect(Object.keys(cases).sort()).toEqual([...jobQueues].sort());
  });
  for (const name of jobQueues) {
    for (const mode of ['one after the other', 'at the same time'] as const) {
      it(`${name}: run twice ${mode} = run once`, () => cases[name](mode));
    }
  }
});
