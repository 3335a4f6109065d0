// Messaging (issue 15): templates and their French errors, the preview on a real household, the dry
// run's channels and exclusions (objection « pas de SMS », no mobile, no e-mail, left, restricted),
// the preparation job (one outbox row and job per SMS or e-mail, letters apart, no duplicate when
// run twice), the report, the household timeline, the letters PDF (page count, address block in
// the DL window), the second approver and fresh re-authentication above 1,000 recipients.
import { beforeAll, describe, expect, it } from 'vitest';
import { localAdapter } from '../../platform/outbox/adapters.ts';
import { deliverMessage } from '../../platform/outbox/outbox.ts';
import {
  admin,
  allDay,
  callers,
  h,
  ids,
  inject,
  manager,
  managerUser,
  newCampaign,
  next,
  org,
  outcome,
  setUpCampaignWorld,
  volunteer,
} from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';
import { pdfPages } from '../../test/pdf-text.ts';
import { isolationWatchScript } from '../campaigns/index.ts';
import { mm, windowOnPage } from './letters.ts';
import { prepareSend } from './messaging.service.ts';

setUpCampaignWorld();

const ok = async (res: Awaited<ReturnType<typeof inject>>, code = 200) => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json();
};
const q = async (text: string, params: unknown[]) => (await h.owner.query(text, params)).rows;

let staff: string;
let allChannels = '';
let smsOnly = '';

beforeAll(async () => {
  staff = await signIn(h, await newUser(h, org, 'staff'));
  // H2 objects to SMS; H3 has an e-mail instead of a mobile; H4 has no contact at all; H7's
  // processing is restricted; H8 prefers e-mail; H6 stays as imported.
  await q(`insert into objections (organisation_id, household_id, kind) values ($1, $2, 'no_sms')`, [org.id, ids.H2]);
  // H4's holder is named outside WinAnsi: the letter must print every letter of it.
  await q(`update persons set first_name = 'Thị Hằng', last_name = 'Nguyễn' where organisation_id = $1 and household_id = $2`, [org.id, ids.H4]);
  await q(
    `update contact_points set ended_at = now() where organisation_id = $1 and person_id in (select id from persons where household_id = any($2::uuid[]))`,
    [org.id, [ids.H3, ids.H4]],
  );
  await q(
    `insert into contact_points (organisation_id, person_id, kind, value, source) select $1, id, 'email', 'sarah.petit@example.fr', 'staff' from persons where household_id = $2`,
    [org.id, ids.H3],
  );
  await q(
    `insert into contact_points (organisation_id, person_id, kind, value, source) select $1, id, 'email', 'rose.laurent@example.fr', 'staff' from persons where household_id = $2`,
    [org.id, ids.H8],
  );
  await q(`update persons set preferred_channel = 'email', civility = 'Mme' where household_id = $1`, [ids.H8]);
  await q(`update persons set civility = 'Mme' where household_id = $1`, [ids.H1]);
  await q(`update households set restricted_at = now(), restricted_reason = 'test' where id = $1`, [ids.H7]);
  await q(`update agencies set duty_phone = '+33145678901' where organisation_id = $1`, [org.id]);
});

describe('templates', () => {
  it('a sender writes a template; an unknown merge field, a missing subject or a taken name is refused in French', async () => {
    const bad = await inject(staff, 'POST', '/api/messaging/templates', {
      name: 'Rappel',
      channels: ['sms'],
      body: 'Bonjour {civilite} {nom}, rendez-vous le {date_rendezvous}.',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toContain('Champ inconnu : {date_rendezvous}');
    expect(bad.json().detail).toContain('{date_rdv}');
    const noSubject = await inject(staff, 'POST', '/api/messaging/templates', { name: 'Sans objet', channels: ['email'], body: 'Bonjour' });
    expect(noSubject.statusCode).toBe(422);
    expect(noSubject.json().detail).toContain('objet');
    expect(Number((await q('select count(*)::int as n from message_templates where organisation_id = $1', [org.id]))[0].n)).toBe(0);

    allChannels = (
      await ok(
        await inject(staff, 'POST', '/api/messaging/templates', {
          name: 'Veille grand froid',
          channels: ['sms', 'email', 'letter'],
          subject: 'Votre bailleur prend de vos nouvelles',
          body: 'Bonjour {civilite} {nom}, votre agence {agence} est joignable au {telephone_agence}.',
        }),
        201,
      )
    ).id;
    smsOnly = (
      await ok(
        await inject(manager, 'POST', '/api/messaging/templates', {
          name: 'Rendez-vous',
          channels: ['sms'],
          body: 'Bonjour {prenom}, rendez-vous le {date_rdv}.',
        }),
        201,
      )
    ).id;
    const clash = await inject(manager, 'POST', '/api/messaging/templates', { name: 'Rendez-vous', channels: ['sms'], body: 'x' });
    expect(clash.statusCode).toBe(409);
    expect((await inject(volunteer.cookie, 'GET', '/api/messaging/templates')).statusCode).toBe(403);
    const list = await ok(await inject(staff, 'GET', '/api/messaging/templates'));
    expect(list.map((t: { name: string }) => t.name)).toEqual(['Rendez-vous', 'Veille grand froid']);
  });

  it('previews a text on a real household, with the SMS length, encoding and segments', async () => {
    const p = await ok(
      await inject(staff, 'POST', '/api/messaging/preview', {
        body: 'Bonjour {civilite} {nom}, votre agence vous rappelle au {telephone_agence}.',
        householdId: ids.H1,
      }),
    );
    expect(p.text).toBe('Bonjour Madame Martin, votre agence vous rappelle au 01 45 67 89 01.');
    expect(p.sms.text.endsWith('Répondez STOP pour ne plus recevoir de SMS')).toBe(true);
    expect(p.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const ucs = await ok(
      await inject(staff, 'POST', '/api/messaging/preview', { body: `L’agence {agence} vous écrit. ${'x'.repeat(40)}`, householdId: ids.H1 }),
    );
    expect(ucs.sms.encoding).toBe('UCS-2');
    expect(ucs.sms.segments).toBe(2);
  });
});

describe('sends', () => {
  let sendId = '';

  it('the dry run says how many by SMS, e-mail and letter, and who is excluded and why; nothing is queued', async () => {
    const run = await ok(
      await inject(staff, 'POST', '/api/messaging/dry-run', { templateId: allChannels, audience: { kind: 'segment', filters: { status: 'active' } } }),
    );
    // H1, H5, H6 by SMS (« ne pas appeler » does not stop an SMS); H3 and H8 by e-mail; H2 (« pas de SMS ») and H4 (no contact) by letter; H7 restricted.
    expect(run.plan).toEqual({
      total: 8,
      channels: { sms: 3, email: 2, letter: 2 },
      excluded: { no_contact: 1, no_sms: 0, no_mobile: 0, no_email: 0, left: 0 },
    });
    expect(run).toMatchObject({ status: 'draft', recipients: 7, needsApproval: false, messages: 0, letters: 0 });
    sendId = run.id;
    const sms = await ok(
      await inject(manager, 'POST', '/api/messaging/dry-run', {
        templateId: smsOnly,
        audience: { kind: 'segment', filters: { status: 'active' } },
        values: { date_rdv: 'mardi 8 décembre à 10 h' },
      }),
    );
    expect(sms.plan.excluded).toEqual({ no_contact: 1, no_sms: 1, no_mobile: 2, no_email: 0, left: 0 });
    expect(sms.plan.channels).toEqual({ sms: 4, email: 0, letter: 0 });
    // The appointment date is needed by the template.
    const missing = await inject(manager, 'POST', '/api/messaging/dry-run', { templateId: smsOnly, audience: { kind: 'household', householdId: ids.H1 } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().detail).toContain('date du rendez-vous');
    expect(Number((await q('select count(*)::int as n from messages where household_id = any($1::uuid[])', [Object.values(ids)]))[0].n)).toBe(0);
  });

  it('a household that left is excluded', async () => {
    await q(`update households set status = 'left', left_at = now() where id = $1`, [ids.H6]);
    try {
      const run = await ok(
        await inject(staff, 'POST', '/api/messaging/dry-run', { templateId: allChannels, audience: { kind: 'household', householdId: ids.H6 } }),
      );
      expect(run.plan.excluded.left).toBe(1);
      expect(run.recipients).toBe(0);
      const empty = await inject(staff, 'POST', `/api/messaging/sends/${run.id}/confirm`);
      expect(empty.statusCode).toBe(422);
      expect(empty.json().detail).toContain('Personne ne recevrait');
    } finally {
      await q(`update households set status = 'active', left_at = null where id = $1`, [ids.H6]);
    }
  });

  it('confirming queues one outbox message (and job) per SMS or e-mail and one letter per household without contact, once', async () => {
    expect((await inject(manager, 'POST', `/api/messaging/sends/${sendId}/confirm`)).statusCode).toBe(403);
    const confirmed = await ok(await inject(staff, 'POST', `/api/messaging/sends/${sendId}/confirm`));
    expect(confirmed.status).toBe('preparing');
    expect(Number((await q(`select count(*)::int as n from pgboss.job where name = 'messaging-prepare' and data->>'sendId' = $1`, [sendId]))[0].n)).toBe(1);
    await prepareSend(h.deps, org.id, sendId);
    // Run again as after a crash: nothing twice.
    await q(`update message_sends set status = 'preparing' where id = $1`, [sendId]);
    await prepareSend(h.deps, org.id, sendId);
    const rows = await q('select channel, recipient, body, subject, household_id from messages where send_id = $1 order by recipient', [sendId]);
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'email', 'sms', 'sms', 'sms']);
    const toH1 = rows.find((r) => r.household_id === ids.H1);
    expect(toH1.body).toBe('Bonjour Madame Martin, votre agence A1 est joignable au 01 45 67 89 01.\nRépondez STOP pour ne plus recevoir de SMS');
    const toH8 = rows.find((r) => r.household_id === ids.H8);
    expect(toH8).toMatchObject({ channel: 'email', recipient: 'rose.laurent@example.fr', subject: 'Votre bailleur prend de vos nouvelles' });
    expect(toH8.body).not.toContain('STOP');
    const jobs = await q(`select count(*)::int as n from pgboss.job where name = 'outbox-send' and data->>'messageId' = any($1::text[])`, [
      (await q('select id::text from messages where send_id = $1', [sendId])).map((r) => r.id),
    ]);
    expect(jobs[0].n).toBe(5);
    const letters = await q('select household_id, address from message_letters where send_id = $1 order by household_id', [sendId]);
    expect(letters.map((l) => l.household_id).sort()).toEqual([ids.H2, ids.H4].sort());
    const send = await ok(await inject(staff, 'GET', `/api/messaging/sends/${sendId}`));
    expect(send).toMatchObject({ status: 'queued', prepared: 7, recipients: 7, letters: 2, messages: 5, report: { queued: 5, delivered: 0 } });
  });

  it('the report follows the outbox as it drains, and every message shows on the household timeline', async () => {
    for (const m of await q('select id from messages where send_id = $1', [sendId])) await deliverMessage(h.database, localAdapter, org.id, m.id);
    const send = await ok(await inject(staff, 'GET', `/api/messaging/sends/${sendId}`));
    expect(send.report).toMatchObject({ queued: 0, delivered: 5, failed: 0 });
    const file = await ok(await inject(staff, 'GET', `/api/households/${ids.H1}`));
    const events = file.timeline.filter((e: { type: string }) => e.type === 'message');
    expect(events).toHaveLength(1);
    expect(events[0].label).toContain('SMS déposé dans la boîte locale : « Bonjour Madame Martin');
    const letter = await ok(await inject(staff, 'GET', `/api/households/${ids.H4}`));
    expect(letter.timeline.filter((e: { type: string }) => e.type === 'message').map((e: { label: string }) => e.label)).toEqual([
      'Courrier à imprimer : « Veille grand froid »',
    ]);
  });

  it('the letters are one PDF, one page per household, the address block inside the DL window', async () => {
    // Another staff member (maybe of another agency) may not print them.
    const other = await signIn(h, await newUser(h, org, 'staff'));
    expect((await inject(other, 'GET', `/api/messaging/sends/${sendId}/letters`)).statusCode).toBe(403);
    // A manager of one agency may not print the letters of a send to the whole organisation; a manager of all agencies may.
    const agencyManager = await signIn(h, await newUser(h, org, 'manager', { agencyIds: [org.agencyIds[0] as string] }));
    expect((await inject(agencyManager, 'GET', `/api/messaging/sends/${sendId}/letters`)).statusCode).toBe(403);
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    expect((await inject(manager, 'GET', `/api/messaging/sends/${sendId}/letters`)).statusCode).toBe(200);
    const res = await inject(staff, 'GET', `/api/messaging/sends/${sendId}/letters`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(2);
    // The Vietnamese name exactly as written (upper-cased family name), not mangled by a WinAnsi font.
    expect(pages.flat().map((t) => t.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^(M\. |Mme )?Thị Hằng NGUYỄN$/)]));
    const pageHeight = mm(297);
    for (const page of pages) {
      const block = page.filter((t) => t.y > mm(windowOnPage.top) && t.y < mm(windowOnPage.bottom) + 20);
      const name = block.find((t) => /LEROY|NGUYỄN|BERNARD/.test(t.text));
      expect(name, JSON.stringify(page)).toBeDefined();
      const address = page.filter((t) => ['Logement', 'rue', 'place', '944', '943'].some((w) => t.text.includes(w)));
      expect(address.length).toBeGreaterThanOrEqual(3);
      for (const line of [name, ...address] as { x: number; y: number }[]) {
        // Inside the window with 5 mm to spare on each side (the sheet moves in the envelope).
        expect(line.x).toBeGreaterThanOrEqual(mm(windowOnPage.left + 5));
        expect(line.x).toBeLessThanOrEqual(mm(windowOnPage.right - 5 - 60));
        expect(line.y).toBeGreaterThanOrEqual(mm(windowOnPage.top + 5));
        expect(line.y).toBeLessThanOrEqual(mm(windowOnPage.bottom - 5));
      }
      // The sender's block, top left, outside the window: the household's agency and its phone.
      const sender = page.filter((t) => /^Agence A[12]$|^Tél\. 01 45 67 89 01$/.test(t.text));
      expect(sender).toHaveLength(2);
      for (const line of sender) expect(line.x).toBeLessThan(mm(windowOnPage.left));
      expect(pageHeight).toBeGreaterThan(0);
    }
  });

  it('a preparation that fails midway is marked failed, and its retry queues the rest without duplicates', async () => {
    const run = await ok(
      await inject(manager, 'POST', '/api/messaging/dry-run', { templateId: allChannels, audience: { kind: 'segment', filters: { status: 'active' } } }),
    );
    await ok(await inject(manager, 'POST', `/api/messaging/sends/${run.id}/confirm`));
    // The job queue fails on the second chunk of one recipient: the first chunk stays committed.
    let calls = 0;
    const failing = {
      ...h.deps.jobs,
      sendMany: async (...args: Parameters<typeof h.deps.jobs.sendMany>) => {
        const call = ++calls;
        // The first chunk is still being written when the second fails: it commits all the same.
        if (call === 1) await new Promise((resolve) => setTimeout(resolve, 300));
        if (call === 2) throw new Error('file d’attente indisponible');
        return h.deps.jobs.sendMany(...args);
      },
    };
    await expect(prepareSend({ ...h.deps, jobs: failing }, org.id, run.id, { chunk: 1 })).rejects.toThrow('indisponible');
    const failed = await ok(await inject(manager, 'GET', `/api/messaging/sends/${run.id}`));
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('reprendra sans doublon');
    const partial = Number((await q('select count(*)::int as n from messages where send_id = $1', [run.id]))[0].n);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(5);
    // The queue's retry: everything once.
    await prepareSend(h.deps, org.id, run.id, { chunk: 1 });
    const rows = await q('select id::text, household_id from messages where send_id = $1', [run.id]);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.household_id)).size).toBe(5);
    const jobs = await q(`select count(*)::int as n from pgboss.job where name = 'outbox-send' and data->>'messageId' = any($1::text[])`, [
      rows.map((r) => r.id),
    ]);
    expect(jobs[0].n).toBe(5);
    expect(await ok(await inject(manager, 'GET', `/api/messaging/sends/${run.id}`))).toMatchObject({ status: 'queued', prepared: 7, letters: 2 });
  });

  it('above 1,000 recipients: a fresh re-authentication of the sender, then a second approver', async () => {
    const run = await ok(
      await inject(staff, 'POST', '/api/messaging/dry-run', { templateId: allChannels, audience: { kind: 'household', householdId: ids.H1 } }),
    );
    // A large audience, as a segment of 1,500 households would give.
    await q('update message_sends set recipients = 1500 where id = $1', [run.id]);
    await q(`update sessions set authenticated_at = now() - interval '10 minutes' where organisation_id = $1`, [org.id]);
    const stale = await inject(staff, 'POST', `/api/messaging/sends/${run.id}/confirm`);
    expect(stale.statusCode).toBe(403);
    expect(stale.json().detail).toContain('confirmez d’abord votre identité');
    await q(`update sessions set authenticated_at = now() where organisation_id = $1`, [org.id]);
    const waiting = await ok(await inject(staff, 'POST', `/api/messaging/sends/${run.id}/confirm`));
    expect(waiting).toMatchObject({ status: 'awaiting_approval', needsApproval: true });
    expect(Number((await q(`select count(*)::int as n from pgboss.job where name = 'messaging-prepare' and data->>'sendId' = $1`, [run.id]))[0].n)).toBe(0);
    // Staff may not approve; the author may not approve their own send (they are staff here, so a manager's own send).
    expect((await inject(staff, 'POST', `/api/messaging/sends/${run.id}/approve`)).statusCode).toBe(403);
    const own = await ok(
      await inject(manager, 'POST', '/api/messaging/dry-run', { templateId: allChannels, audience: { kind: 'household', householdId: ids.H1 } }),
    );
    await q('update message_sends set recipients = 1500 where id = $1', [own.id]);
    await ok(await inject(manager, 'POST', `/api/messaging/sends/${own.id}/confirm`));
    const self = await inject(manager, 'POST', `/api/messaging/sends/${own.id}/approve`);
    expect(self.statusCode).toBe(403);
    expect(self.json().detail).toContain('autre personne que son auteur');
    const approved = await ok(await inject(admin, 'POST', `/api/messaging/sends/${run.id}/approve`));
    expect(approved.status).toBe('preparing');
    expect((await q('select approved_by from message_sends where id = $1', [run.id]))[0].approved_by).not.toBe(managerUser.id);
    expect(Number((await q(`select count(*)::int as n from pgboss.job where name = 'messaging-prepare' and data->>'sendId' = $1`, [run.id]))[0].n)).toBe(1);
  });

  it('volunteers are written to by e-mail, by managers only; a campaign’s households are its queue', async () => {
    const tpl = (
      await ok(
        await inject(manager, 'POST', '/api/messaging/templates', {
          name: 'Appel aux bénévoles',
          channels: ['email'],
          subject: 'Grand froid : besoin de vous',
          body: 'Bonjour {prenom}, pouvez-vous appeler des locataires cette semaine ?',
        }),
        201,
      )
    ).id;
    const byStaff = await inject(staff, 'POST', '/api/messaging/dry-run', { templateId: tpl, audience: { kind: 'volunteers' } });
    expect(byStaff.statusCode).toBe(403);
    const campaignByStaff = await inject(staff, 'POST', '/api/messaging/dry-run', { templateId: tpl, audience: { kind: 'campaign', campaignId: tpl } });
    expect(campaignByStaff.statusCode).toBe(403);
    const run = await ok(await inject(manager, 'POST', '/api/messaging/dry-run', { templateId: tpl, audience: { kind: 'volunteers' } }));
    expect(run.plan.channels).toEqual({ sms: 0, email: 1, letter: 0 });
    await ok(await inject(manager, 'POST', `/api/messaging/sends/${run.id}/confirm`));
    await prepareSend(h.deps, org.id, run.id);
    const rows = await q('select recipient, household_id, body from messages where send_id = $1', [run.id]);
    expect(rows).toEqual([{ recipient: volunteer.user.email, household_id: null, body: expect.stringMatching(/^Bonjour .+, pouvez-vous/) }]);

    const campaignId = await newCampaign({ name: 'Veille messages' });
    const targets = Number((await q('select count(distinct household_id)::int as n from campaign_targets where campaign_id = $1', [campaignId]))[0].n);
    expect(targets).toBeGreaterThan(0);
    const byCampaign = await ok(
      await inject(manager, 'POST', '/api/messaging/dry-run', { templateId: allChannels, audience: { kind: 'campaign', campaignId } }),
    );
    expect(byCampaign.plan.total).toBe(targets);
  });
});

describe('the escalation ladder (a campaign’s SMS before the first call and before the doorstep visit)', () => {
  it('sends the SMS to the campaign’s queue at launch and to a household handed over to the doorstep visit', async () => {
    const sms = (
      await ok(
        await inject(manager, 'POST', '/api/messaging/templates', {
          name: 'Avant appel',
          channels: ['sms'],
          body: 'Bonjour, votre bailleur va vous appeler cette semaine.',
        }),
        201,
      )
    ).id;
    const doorstepSms = (
      await ok(
        await inject(manager, 'POST', '/api/messaging/templates', {
          name: 'Avant visite',
          channels: ['sms'],
          body: 'Nous n’avons pas pu vous joindre : le gardien passera vous voir.',
        }),
        201,
      )
    ).id;
    const created = await ok(
      await inject(manager, 'POST', '/api/campaigns', {
        name: 'Veille avec SMS',
        segment: { status: 'active', agencyId: org.agencyIds[0] },
        script: isolationWatchScript,
        callWindows: allDay,
        callerIds: [callers[5]?.user.id],
        retryPolicy: { retryAfterMinutes: 15, maxAttempts: 1 },
      }),
      201,
    );
    const campaignId = created.id as string;
    // Only SMS templates; staff may not set it.
    const letter = (await ok(await inject(manager, 'POST', '/api/messaging/templates', { name: 'Courrier seul', channels: ['letter'], body: 'Bonjour' }), 201))
      .id;
    const notSms = await inject(manager, 'PUT', `/api/messaging/campaigns/${campaignId}/ladder`, { beforeFirstCall: letter, beforeDoorstep: null });
    expect(notSms.statusCode).toBe(422);
    expect(notSms.json().detail).toContain('n’est pas un SMS');
    expect((await inject(staff, 'PUT', `/api/messaging/campaigns/${campaignId}/ladder`, { beforeFirstCall: sms, beforeDoorstep: null })).statusCode).toBe(403);
    await ok(await inject(manager, 'PUT', `/api/messaging/campaigns/${campaignId}/ladder`, { beforeFirstCall: sms, beforeDoorstep: doorstepSms }));
    await ok(await inject(manager, 'POST', `/api/campaigns/${campaignId}/launch`));
    const ladder = await ok(await inject(manager, 'GET', `/api/messaging/campaigns/${campaignId}/ladder`));
    expect(ladder).toMatchObject({ beforeFirstCall: sms, beforeDoorstep: doorstepSms, doorstepSendId: null });
    // Once launched, the first step cannot change.
    const late = await inject(manager, 'PUT', `/api/messaging/campaigns/${campaignId}/ladder`, { beforeFirstCall: null, beforeDoorstep: doorstepSms });
    expect(late.statusCode).toBe(422);
    const first = await ok(await inject(manager, 'GET', `/api/messaging/sends/${ladder.firstCallSendId}`));
    expect(first.status).toBe('preparing');
    await prepareSend(h.deps, org.id, ladder.firstCallSendId);
    // Agency A1: H1 and H6 by SMS; H2 (« pas de SMS ») and H3 (no mobile) excluded.
    const toQueue = await q('select household_id, body from messages where send_id = $1', [ladder.firstCallSendId]);
    expect(toQueue.map((m) => m.household_id).sort()).toEqual([ids.H1, ids.H6].sort());
    expect(toQueue[0].body).toBe('Bonjour, votre bailleur va vous appeler cette semaine.\nRépondez STOP pour ne plus recevoir de SMS');

    const caller = callers[5] as { cookie: string };
    const claimed = (await next(caller.cookie, campaignId)).json().call;
    const settled = await outcome(caller.cookie, claimed.targetId, { outcome: 'busy' });
    expect(settled.json().doorstep).toBe(true);
    const [target] = await q('select household_id from campaign_targets where id = $1', [claimed.targetId]);
    const after = await ok(await inject(manager, 'GET', `/api/messaging/campaigns/${campaignId}/ladder`));
    const doorstep = await ok(await inject(manager, 'GET', `/api/messaging/sends/${after.doorstepSendId}`));
    expect(doorstep.plan.total).toBe(1);
    const sent = await q('select household_id, body from messages where send_id = $1', [after.doorstepSendId]);
    // H1, the most fragile, is called first.
    expect(target.household_id).toBe(ids.H1);
    expect(sent).toEqual([{ household_id: ids.H1, body: expect.stringContaining('le gardien passera vous voir') }]);
    expect(doorstep).toMatchObject({ status: 'queued', recipients: 1, prepared: 1 });
  });
});
