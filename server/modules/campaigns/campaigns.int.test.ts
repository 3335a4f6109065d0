import { describe, expect, it } from 'vitest';
import type { CallScript } from '../../../contracts/campaigns.ts';
import { runMaintenance } from '../../platform/jobs/maintenance.ts';
import {
  admin,
  allDay,
  at,
  callers,
  h,
  ids,
  inject,
  manager,
  managerUser,
  newCampaign,
  next,
  now,
  org,
  outcome,
  refOfTarget,
  setUpCampaignWorld,
  volunteer,
} from '../../test/campaign-world.ts';
import { cookieOf, newUser, PASSWORD, signIn } from '../../test/harness.ts';
import { releaseAbandonedCalls, requeueDueCalls } from '../calls/index.ts';
import { expireVolunteers } from '../identity/index.ts';
import { isolationWatchScript } from './script-template.ts';

setUpCampaignWorld();

describe('preparing a campaign', () => {
  it('counts the segment live, leaving « ne pas appeler » out, with « any » or « all » criteria', async () => {
    const count = (segment: object) => inject(manager, 'POST', '/api/campaigns/segment-count', { segment });
    expect((await count({ status: 'active' })).json()).toEqual({ matching: 8, excludedNoCall: 1, targeted: 7 });
    // Aged 70+ or living alone: H1, H2, H4, H6 (71), H8 by age, H7 living alone.
    expect((await count({ minAge: 70, indicators: ['lives_alone'], fragilityMatch: 'any' })).json().targeted).toBe(6);
    expect((await count({ minAge: 70, indicators: ['lives_alone'], fragilityMatch: 'all' })).json().targeted).toBe(1);
    expect((await count({ agencyId: org.agencyIds[1] })).json()).toEqual({ matching: 4, excludedNoCall: 1, targeted: 3 });
  });

  it('refuses an invalid script or window with a French message', async () => {
    const broken: CallScript = { ...isolationWatchScript, questions: [{ key: 'a', text: 'Question ?', type: 'choice', choices: ['Un'], rules: [] }] };
    const res = await inject(manager, 'POST', '/api/campaigns', { name: 'X', segment: { status: 'active' }, script: broken });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('au moins deux réponses');
    const windows = await inject(manager, 'POST', '/api/campaigns', {
      name: 'X',
      segment: { status: 'active' },
      script: isolationWatchScript,
      callWindows: { days: [1], start: '19:00', end: '09:00' },
    });
    expect(windows.body).toContain('L’heure de fin doit suivre');
  });

  it('launching ten times at once fills the queue once (TRUST FT-03)', async () => {
    const res = await inject(manager, 'POST', '/api/campaigns', {
      name: 'Double clic',
      segment: { status: 'active' },
      script: isolationWatchScript,
      callWindows: allDay,
    });
    const id = res.json().id as string;
    const launches = await Promise.all(Array.from({ length: 10 }, () => inject(manager, 'POST', `/api/campaigns/${id}/launch`)));
    expect(launches.map((l) => l.statusCode)).toEqual(Array(10).fill(200));
    for (const l of launches) expect(l.json()).toEqual({ status: 'active', targets: 7, excludedNoCall: 1 });
    const targets = await h.owner.query('select count(*)::int as n from campaign_targets where campaign_id = $1', [id]);
    expect(targets.rows[0].n).toBe(7);
    const audit = await h.owner.query(`select count(*)::int as n from audit_events where object_id = $1 and action = 'campaign.launched'`, [id]);
    expect(audit.rows[0].n).toBe(1);
    const detail = await inject(manager, 'GET', `/api/campaigns/${id}`);
    expect(detail.json()).toMatchObject({ status: 'active', targeted: 7, excludedNoCall: 1, callWindowsText: 'tous les jours, de 0 h à 24 h' });
  });

  it('a launched campaign can still be edited (pool, purpose), but not its segment', async () => {
    const id = await newCampaign({ name: 'Édition' }, []);
    const detail = (await inject(manager, 'GET', `/api/campaigns/${id}`)).json();
    const body = {
      name: detail.name,
      purpose: 'Ajout d’appelant·es',
      segment: detail.segment,
      script: detail.script,
      retryPolicy: detail.retryPolicy,
      callWindows: detail.callWindows,
      claimTimeoutMinutes: detail.claimTimeoutMinutes,
      callerIds: [callers[0]?.user.id],
    };
    const saved = await inject(manager, 'PUT', `/api/campaigns/${id}`, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await inject(manager, 'GET', `/api/campaigns/${id}`)).json()).toMatchObject({ purpose: 'Ajout d’appelant·es', callerIds: [callers[0]?.user.id] });
    const locked = await inject(manager, 'PUT', `/api/campaigns/${id}`, { ...body, segment: { status: 'active', minAge: 90 } });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe('segment_locked');
  });

  it('a manager of one agency targets and sees only campaigns inside their agencies', async () => {
    const scoped = await signIn(h, await newUser(h, org, 'manager', { agencyIds: [org.agencyIds[0] as string] }));
    const orgWide = await newCampaign({ name: 'Tout l’organisme' }, []);
    const res = await inject(scoped, 'POST', '/api/campaigns', {
      name: 'Agence 1',
      segment: { status: 'active' },
      script: isolationWatchScript,
      callWindows: allDay,
    });
    const own = res.json().id as string;
    expect((await inject(scoped, 'POST', `/api/campaigns/${own}/launch`)).json()).toMatchObject({ status: 'active', targets: 4 });
    const agencies = await h.owner.query('select distinct agency_id from campaign_targets where campaign_id = $1', [own]);
    expect(agencies.rows).toEqual([{ agency_id: org.agencyIds[0] }]);
    const listed = ((await inject(scoped, 'GET', '/api/campaigns')).json() as { id: string }[]).map((c) => c.id);
    expect(listed).toContain(own);
    expect(listed).not.toContain(orgWide);
    expect((await inject(scoped, 'GET', `/api/campaigns/${orgWide}/dashboard`)).statusCode).toBe(404);
    expect((await inject(scoped, 'POST', `/api/campaigns/${orgWide}/close`)).statusCode).toBe(404);
    // The organisation-wide manager sees both.
    const all = ((await inject(manager, 'GET', '/api/campaigns')).json() as { id: string }[]).map((c) => c.id);
    expect(all).toEqual(expect.arrayContaining([own, orgWide]));
  });

  it('is for managers: staff and volunteers are refused', async () => {
    expect((await inject(callers[0]?.cookie ?? '', 'GET', '/api/campaigns')).statusCode).toBe(403);
    expect((await inject(volunteer.cookie, 'POST', '/api/campaigns/segment-count', { segment: { status: 'active' } })).statusCode).toBe(403);
  });
});

describe('dispatch', () => {
  it('hands each household to one caller at a time, most fragile first, never a « ne pas appeler »', async () => {
    const id = await newCampaign();
    const claims = await Promise.all(callers.map((c) => next(c.cookie, id)));
    const handed = claims.map((r) => r.json().call?.targetId).filter(Boolean) as string[];
    expect(handed).toHaveLength(7);
    expect(new Set(handed).size).toBe(7);
    const refs = await Promise.all(handed.map(refOfTarget));
    expect(refs).not.toContain('H5');
    expect(claims.filter((r) => r.json().call === null)[0]?.json().reason).toContain('Aucun ménage à appeler');
    // Order of priority: a lone caller on a fresh campaign gets H1 (85+ and alone), then H8 (85+).
    const solo = await newCampaign({ name: 'Ordre' }, [callers[0]?.user.id as string]);
    const first = (await next(callers[0]?.cookie as string, solo)).json().call;
    expect(await refOfTarget(first.targetId)).toBe('H1');
    // Asking again while holding it hands back the same household (page reload).
    expect((await next(callers[0]?.cookie as string, solo)).json().call.targetId).toBe(first.targetId);
    await outcome(callers[0]?.cookie as string, first.targetId, { outcome: 'refused' });
    expect(await refOfTarget((await next(callers[0]?.cookie as string, solo)).json().call.targetId)).toBe('H8');
  });

  it('under concurrency, six rounds of 8 callers never share a household', async () => {
    // Unanswered calls come back at once with a 15-minute policy and time moving on.
    const id = await newCampaign({ name: 'Concurrence', retryPolicy: { retryAfterMinutes: 15, maxAttempts: 10 } });
    const holders = new Map<string, string>();
    let overlaps = 0;
    for (let round = 0; round < 6; round++) {
      const results = await Promise.all(callers.map(async (c) => ({ c, r: (await next(c.cookie, id)).json() })));
      for (const { c, r } of results) {
        if (!r.call) continue;
        if (holders.has(r.call.targetId)) overlaps++;
        holders.set(r.call.targetId, c.user.id);
      }
      await Promise.all(
        results
          .filter((x) => x.r.call)
          .map(({ c, r }) => outcome(c.cookie, r.call.targetId, { outcome: 'no_answer' }).then(() => holders.delete(r.call.targetId))),
      );
      at(new Date(now.getTime() + 3 * 3600_000).toISOString());
    }
    expect(overlaps).toBe(0);
    const attempts = await h.owner.query('select count(*)::int as n from call_attempts where campaign_id = $1', [id]);
    expect(attempts.rows[0].n).toBeGreaterThanOrEqual(7 * 5);
  });

  it('an abandoned household goes back to the queue after the timeout; the late outcome is refused', async () => {
    const id = await newCampaign({ name: 'Abandon', claimTimeoutMinutes: 10 }, [callers[0]?.user.id as string, callers[1]?.user.id as string]);
    const a = callers[0] as { cookie: string };
    const b = callers[1] as { cookie: string };
    const held = (await next(a.cookie, id)).json().call.targetId as string;
    at('2026-11-30T09:11:00Z');
    // The maintenance job puts it back; running it twice changes nothing more (TRUST FT-04).
    const first = await runMaintenance(h.database, [releaseAbandonedCalls], now);
    expect(first.claims_released).toBeGreaterThanOrEqual(1);
    expect((await runMaintenance(h.database, [releaseAbandonedCalls], now)).claims_released).toBe(0);
    expect((await next(b.cookie, id)).json().call.targetId).toBe(held);
    const late = await outcome(a.cookie, held, { outcome: 'reached' });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('ne vous est plus confié');
  });

  it("a caller's campaigns say which one holds a household for them, so a reloaded page shows it again without claiming another", async () => {
    const id = await newCampaign({ name: 'Reprise', claimTimeoutMinutes: 10 }, [callers[2]?.user.id as string, callers[3]?.user.id as string]);
    const a = callers[2] as { cookie: string };
    const b = callers[3] as { cookie: string };
    const holding = async (cookie: string) =>
      ((await inject(cookie, 'GET', '/api/calls/campaigns')).json() as { id: string; holding: boolean }[]).find((c) => c.id === id)?.holding;
    expect(await holding(a.cookie)).toBe(false);
    const held = (await next(a.cookie, id)).json().call.targetId as string;
    expect(await holding(a.cookie)).toBe(true);
    expect(await holding(b.cookie)).toBe(false);
    // « next » hands the same household back, nothing more is claimed.
    expect((await next(a.cookie, id)).json().call.targetId).toBe(held);
    const assigned = await h.owner.query(`select count(*)::int as n from campaign_targets where campaign_id = $1 and status = 'assigned'`, [id]);
    expect(assigned.rows[0].n).toBe(1);
    // The household's access log shows who was given it, and that it was shown again (TRUST DP-11).
    const claimedEvents = await h.owner.query(
      `select e.actor_id, e.actor_role, e.object_type, e.object_id, e.details, e.organisation_id = t.organisation_id as same_org
        from audit_events e join campaign_targets t on t.id = $1 where e.action = 'call.claimed' and e.details->>'targetId' = $1::text order by e.at, e.id`,
      [held],
    );
    const target = await h.owner.query('select household_id from campaign_targets where id = $1', [held]);
    expect(claimedEvents.rows).toEqual([
      {
        actor_id: callers[2]?.user.id,
        actor_role: 'staff',
        object_type: 'household',
        object_id: target.rows[0].household_id,
        details: { targetId: held },
        same_org: true,
      },
      {
        actor_id: callers[2]?.user.id,
        actor_role: 'staff',
        object_type: 'household',
        object_id: target.rows[0].household_id,
        details: { targetId: held, again: true },
        same_org: true,
      },
    ]);
    // Past the claim's timeout, nothing is held any more.
    at('2026-11-30T09:11:00Z');
    expect(await holding(a.cookie)).toBe(false);
  });

  it('an outcome is recorded against the claim as it is now, even when this server remembered an older one', async () => {
    const id = await newCampaign({ name: 'Reprise' }, [callers[0]?.user.id as string]);
    const a = callers[0] as { cookie: string };
    const held = (await next(a.cookie, id)).json().call.targetId as string;
    // The same caller claimed it again through another server process: a newer claim version.
    const { rows } = await h.owner.query(`update campaign_targets set assigned_at = assigned_at + interval '1 second' where id = $1 returning assigned_at`, [
      held,
    ]);
    const res = await outcome(a.cookie, held, { outcome: 'no_answer' });
    expect(res.statusCode, res.body).toBe(200);
    const attempt = await h.owner.query('select claimed_at from call_attempts where target_id = $1', [held]);
    expect(attempt.rows).toHaveLength(1);
    expect(attempt.rows[0].claimed_at.getTime()).toBe(rows[0].assigned_at.getTime());
  });

  it('a campaign changed through another server is honoured at once: its windows by « next », its retry policy by the outcome', async () => {
    const id = await newCampaign({ name: 'Changée ailleurs' }, [callers[1]?.user.id as string]);
    const b = callers[1] as { cookie: string };
    const first = (await next(b.cookie, id)).json().call.targetId as string;
    // Another process narrows the retry policy to one attempt: the no-answer goes to the caretaker.
    await h.owner.query(`update campaigns set retry_policy = '{"retryAfterMinutes": 180, "maxAttempts": 1}', updated_at = now() where id = $1`, [id]);
    expect((await outcome(b.cookie, first, { outcome: 'no_answer' })).json()).toMatchObject({ doorstep: true, nextAttemptAt: null });
    // … then closes today's calls: this server saw the old windows, but claims nothing.
    await h.owner.query(`update campaigns set call_windows = '{"days": [7], "start": "09:00", "end": "10:00"}', updated_at = now() where id = $1`, [id]);
    const res = (await next(b.cookie, id)).json();
    expect(res.call).toBeNull();
    expect(res.reason).toContain('Hors des plages');
    const held = await h.owner.query(`select count(*)::int as n from campaign_targets where campaign_id = $1 and status = 'assigned'`, [id]);
    expect(held.rows[0].n).toBe(0);
  });
});

describe('retry policy, callbacks and call windows (controllable clock)', () => {
  it('no answer: retried after the delay on another slot, then a doorstep visit for the caretaker', async () => {
    const c = callers[2] as { cookie: string };
    const id = await newCampaign({ name: 'Relances', segment: { status: 'active', minAge: 85 }, retryPolicy: { retryAfterMinutes: 180, maxAttempts: 2 } }, [
      callers[2]?.user.id as string,
    ]);
    // 10:00 Paris, morning slot.
    const first = (await next(c.cookie, id)).json().call.targetId as string;
    const r1 = (await outcome(c.cookie, first, { outcome: 'no_answer' })).json();
    // 3 h later is 13:00 (midday slot, not the morning one already tried).
    expect(r1.nextAttemptAt).toBe('2026-11-30T12:00:00.000Z');
    // The other 85+ household is handed meanwhile, then nothing until 13:00.
    const second = (await next(c.cookie, id)).json().call.targetId as string;
    expect(second).not.toBe(first);
    await outcome(c.cookie, second, { outcome: 'refused' });
    expect((await next(c.cookie, id)).json().call).toBeNull();
    at('2026-11-30T12:00:00Z');
    // The maintenance pass puts the due retry back in the queue, once (TRUST FT-04).
    expect((await runMaintenance(h.database, [requeueDueCalls], now)).retries_due).toBeGreaterThanOrEqual(1);
    expect((await runMaintenance(h.database, [requeueDueCalls], now)).retries_due).toBe(0);
    expect((await h.owner.query('select status from campaign_targets where id = $1', [first])).rows[0].status).toBe('queued');
    expect((await next(c.cookie, id)).json().call.targetId).toBe(first);
    const r2 = (await outcome(c.cookie, first, { outcome: 'voicemail' })).json();
    expect(r2).toMatchObject({ doorstep: true, nextAttemptAt: null });
    const visit = await h.owner.query('select status, household_id from doorstep_visits where target_id = $1', [first]);
    expect(visit.rows).toHaveLength(1);
    expect(visit.rows[0].status).toBe('pending');
    const target = await h.owner.query('select status, tried_slots from campaign_targets where id = $1', [first]);
    expect(target.rows[0]).toEqual({ status: 'doorstep', tried_slots: ['morning', 'midday'] });
  });

  it('a callback comes back to the same caller at the time asked, then to anyone after 15 minutes', async () => {
    const [a, b] = [callers[3], callers[4]] as { cookie: string }[];
    const id = await newCampaign({ name: 'Rappels', segment: { status: 'active', minAge: 85, indicators: ['lives_alone'] } }, [
      callers[3]?.user.id as string,
      callers[4]?.user.id as string,
    ]);
    const t = (await next(a?.cookie as string, id)).json().call.targetId as string;
    const past = await outcome(a?.cookie as string, t, { outcome: 'callback', callbackAt: '2026-11-30T08:00:00Z' });
    expect(past.statusCode).toBe(422);
    expect(past.json().detail).toContain('dans le futur');
    expect((await outcome(a?.cookie as string, t, { outcome: 'callback', callbackAt: '2026-11-30T15:30:00+01:00' })).statusCode).toBe(200);
    at('2026-11-30T14:30:00Z');
    expect((await next(b?.cookie as string, id)).json().call).toBeNull();
    expect((await next(a?.cookie as string, id)).json().call).toMatchObject({ targetId: t, callback: true });
    // Asked again for 17:00; caller A is not there at 17:16: the callback goes to B, before the queue.
    expect((await outcome(a?.cookie as string, t, { outcome: 'callback', callbackAt: '2026-11-30T17:00:00+01:00' })).statusCode).toBe(200);
    at('2026-11-30T16:16:00Z');
    expect((await next(b?.cookie as string, id)).json().call.targetId).toBe(t);
  });

  it('a household handed back waits half an hour instead of blocking the head of the queue', async () => {
    const [a, b] = [callers[3], callers[4]] as { cookie: string }[];
    const id = await newCampaign({ name: 'Rendu' }, [callers[3]?.user.id as string, callers[4]?.user.id as string]);
    const first = (await next(a?.cookie as string, id)).json().call.targetId as string;
    expect((await inject(a?.cookie as string, 'POST', `/api/calls/${first}/release`)).statusCode).toBe(200);
    const other = (await next(b?.cookie as string, id)).json().call.targetId as string;
    expect(other).not.toBe(first);
    at('2026-11-30T09:31:00Z');
    await runMaintenance(h.database, [requeueDueCalls], now);
    // Back in the queue, and the most fragile again.
    expect((await next(a?.cookie as string, id)).json().call.targetId).toBe(first);
  });

  it('an objection recorded after the launch is honoured at once; a double tap claims one household', async () => {
    const c = callers[2] as { cookie: string };
    const id = await newCampaign({ name: 'Opposition tardive', segment: { status: 'active', minAge: 85 } }, [callers[2]?.user.id as string]);
    await h.owner.query(`insert into objections (organisation_id, household_id, kind) values ($1, $2, 'no_call')`, [org.id, ids.H1]);
    const [x, y] = await Promise.all([next(c.cookie, id), next(c.cookie, id)]);
    expect(x.json().call.targetId).toBe(y.json().call.targetId);
    expect(await refOfTarget(x.json().call.targetId)).toBe('H8');
    await h.owner.query(`delete from objections where household_id = $1 and kind = 'no_call'`, [ids.H1]);
    const held = await h.owner.query(`select count(*)::int as n from campaign_targets where campaign_id = $1 and status = 'assigned'`, [id]);
    expect(held.rows[0].n).toBe(1);
  });

  it('calls only inside the windows, in Paris time across the daylight-saving change (TRUST FT-10)', async () => {
    const c = callers[5] as { cookie: string };
    // Saturday 28 March 2026, 18:30 in Paris (UTC+1): open.
    at('2026-03-28T17:30:00Z');
    const id = await newCampaign({ name: 'Plages', callWindows: { days: [1, 2, 3, 4, 5, 6], start: '09:00', end: '19:00' } }, [callers[5]?.user.id as string]);
    const open = (await next(c.cookie, id)).json();
    expect(open.call).not.toBeNull();
    await inject(c.cookie, 'POST', `/api/calls/${open.call.targetId}/release`);
    // Sunday 29 March (the change): closed; the next opening is Monday 09:00 summer time.
    at('2026-03-29T10:00:00Z');
    const closed = (await next(c.cookie, id)).json();
    expect(closed.call).toBeNull();
    expect(closed.reason).toContain('Hors des plages d’appel (du lundi au samedi, de 9 h à 19 h)');
    expect(closed.reason).toContain('lundi 30 mars à 09:00');
    // Monday 30 March 08:30 UTC is 10:30 in Paris (UTC+2): open; 07:30 UTC would have been 09:30 the day before the change.
    at('2026-03-30T06:59:00Z');
    expect((await next(c.cookie, id)).json().call).toBeNull();
    at('2026-03-30T07:00:00Z');
    expect((await next(c.cookie, id)).json().call).not.toBeNull();
  });
});

describe('what a caller sees and records', () => {
  it('partner callers accept the charter too; a paused campaign hands nothing out', async () => {
    const partner = await newUser(h, org, 'partner');
    const partnerCookie = await signIn(h, partner);
    const id = await newCampaign({ name: 'Partenaires' }, [partner.id, callers[0]?.user.id as string]);
    const refused = await next(partnerCookie, id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('charter_required');
    expect((await inject(manager, 'POST', `/api/campaigns/${id}/pause`)).json()).toEqual({ status: 'paused' });
    expect((await next(callers[0]?.cookie as string, id)).json()).toEqual({ call: null, reason: 'La campagne est en pause.' });
    expect((await inject(manager, 'POST', `/api/campaigns/${id}/pause`)).statusCode).toBe(409);
  });

  it('volunteers accept the charter first, then see the allow-listed fields only (TRUST AA-03, DP-08)', async () => {
    const id = await newCampaign({ name: 'Bénévoles', segment: { status: 'active', agencyId: org.agencyIds[0] } }, [
      volunteer.user.id,
      callers[6]?.user.id as string,
    ]);
    const refused = await next(volunteer.cookie, id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('charter_required');
    const charter = (await inject(volunteer.cookie, 'GET', '/api/calls/charter')).json();
    expect(charter.acceptedAt).toBeNull();
    expect(charter.text).toContain('confidentialité');
    expect((await inject(volunteer.cookie, 'POST', '/api/calls/charter', { version: 'ancienne' })).statusCode).toBe(409);
    expect((await inject(volunteer.cookie, 'POST', '/api/calls/charter', { version: charter.version })).statusCode).toBe(200);
    const call = (await next(volunteer.cookie, id)).json().call;
    expect(Object.keys(call).sort()).toEqual(
      ['attempts', 'callback', 'campaignId', 'campaignName', 'claimExpiresAt', 'dutyPhone', 'firstName', 'phones', 'script', 'targetId'].sort(),
    );
    expect(call.phones[0].number).toMatch(/^\+336/);
    const staffCall = (await next(callers[6]?.cookie as string, id)).json().call;
    expect(Object.keys(staffCall)).toEqual(expect.arrayContaining(['lastName', 'householdId', 'erpRef', 'address', 'age', 'indicators']));
    // Staff called in for another agency's households see no more than a volunteer.
    const outsider = await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[1] as string] });
    const outsiderCookie = await signIn(h, outsider);
    const other = await newCampaign({ name: 'Renfort', segment: { status: 'active', agencyId: org.agencyIds[0] } }, [outsider.id]);
    const lent = (await next(outsiderCookie, other)).json().call;
    expect(lent.firstName).toBeTruthy();
    expect(lent.lastName).toBeUndefined();
    expect(lent.address).toBeUndefined();
    // Volunteers cannot open the household file nor the lists.
    expect((await inject(volunteer.cookie, 'GET', `/api/households/${staffCall.householdId}`)).statusCode).toBe(403);
  });

  it('a reached call opens the needs of the script, the regular watch with consent, and health needs only under consent', async () => {
    const c = callers[7] as { cookie: string };
    const id = await newCampaign({ name: 'Besoins', segment: { status: 'active', minAge: 85, indicators: ['lives_alone'] } }, [callers[7]?.user.id as string]);
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    const unknown = await outcome(c.cookie, t, { outcome: 'reached', answers: { inconnue: 'yes' } });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().detail).toContain('question inconnue');
    const wrongType = await outcome(c.cookie, t, { outcome: 'reached', answers: { courses: 'peut-être' } });
    expect(wrongType.json().detail).toContain('attend oui ou non');
    const res = await outcome(c.cookie, t, {
      outcome: 'reached',
      answers: { courses: 'yes', medecin: 'yes', loyer: 'no', rappel: 'yes', seul: 'Très isolé·e' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ needsOpened: ['isolement', 'courses'], needsWithoutConsent: 1, watchEnrolled: true, urgent: false });
    const h1 = ids.H1 as string;
    // Without the consent answer, the answer about health is not even kept.
    const stored = (await h.owner.query('select answers from call_attempts where target_id = $1', [t])).rows[0].answers;
    expect(stored).toEqual({ courses: 'yes', loyer: 'no', rappel: 'yes', seul: 'Très isolé·e' });
    const needs = await h.owner.query('select category, label from declared_needs where household_id = $1 order by label', [h1]);
    expect(needs.rows.map((n) => n.category)).not.toContain('health');
    const followups = await h.owner.query('select need, agency_id from followups where household_id = $1 order by need', [h1]);
    expect(followups.rows.map((f) => f.need)).toEqual(['courses', 'isolement']);
    expect(followups.rows[0].agency_id).toBe(org.agencyIds[0]);
    const watch = await h.owner.query(
      `select w.frequency, c.purpose, c.channel from watch_enrolments w join consents c on c.id = w.consent_id where w.household_id = $1 and w.status = 'active'`,
      [h1],
    );
    expect(watch.rows).toEqual([{ frequency: 'weekly', purpose: 'regular_watch', channel: 'phone' }]);
    // Reached: « no contact since » now leaves the household out; the regular watch can be targeted.
    const count = (segment: object) => inject(manager, 'POST', '/api/campaigns/segment-count', { segment });
    expect((await count({ regularWatch: true })).json().targeted).toBe(1);
    const fresh = (await count({ noContactForDays: 14 })).json().targeted;
    // Withdrawing the consent ends the watch at once.
    const consentId = (await h.owner.query(`select id from consents where household_id = $1 and purpose = 'regular_watch'`, [h1])).rows[0].id;
    // The regular-watch consent does not cover health needs.
    const misuse = await inject(manager, 'POST', `/api/households/${h1}/needs`, { category: 'health', label: 'Suivi médical', consentId });
    expect(misuse.statusCode).toBe(422);
    expect((await inject(manager, 'POST', `/api/households/${h1}/consents/${consentId}/withdraw`)).statusCode).toBe(200);
    expect((await count({ regularWatch: true })).json().targeted).toBe(0);
    expect(fresh).toBeLessThan(7);
    // The attempt is on the household's timeline.
    const file = (await inject(manager, 'GET', `/api/households/${h1}`)).json();
    expect(file.timeline.map((e: { label: string }) => e.label)).toContain('Appel de campagne : Joint·e');
  });

  it('with the consent question answered yes, the health need is stored under a phone consent', async () => {
    const c = callers[7] as { cookie: string };
    const id = await newCampaign({ name: 'Santé', segment: { status: 'active', minAge: 85 }, retryPolicy: { retryAfterMinutes: 15, maxAttempts: 4 } }, [
      callers[7]?.user.id as string,
    ]);
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    const hh = (await h.owner.query('select household_id from campaign_targets where id = $1', [t])).rows[0].household_id;
    const res = await outcome(c.cookie, t, { outcome: 'reached', answers: { consentement_sante: 'yes', medecin: true } });
    expect(res.json()).toMatchObject({ needsOpened: ['medecin'], needsWithoutConsent: 0 });
    const stored = await h.owner.query('select answers, health_keys from call_attempts where target_id = $1', [t]);
    expect(stored.rows).toEqual([{ answers: { consentement_sante: 'yes', medecin: 'yes' }, health_keys: ['medecin'] }]);
    const need = await h.owner.query(
      `select n.category, c.purpose, c.channel from declared_needs n join consents c on c.id = n.consent_id where n.household_id = $1 and n.category = 'health'`,
      [hh],
    );
    expect(need.rows).toEqual([{ category: 'health', purpose: 'health_needs', channel: 'phone' }]);
    // Withdrawing that consent deletes the need and its follow-up (TRUST DP-03).
    const consentId = (await h.owner.query(`select id from consents where household_id = $1 and purpose = 'health_needs'`, [hh])).rows[0].id;
    expect((await inject(manager, 'POST', `/api/households/${hh}/consents/${consentId}/withdraw`)).statusCode).toBe(200);
    const left = await h.owner.query(`select count(*)::int as n from followups where household_id = $1 and need = 'medecin'`, [hh]);
    expect(left.rows[0].n).toBe(0);
    // … and the health answers the call kept under it; the other answers stay.
    const kept = await h.owner.query('select answers, health_consent_id from call_attempts where target_id = $1', [t]);
    expect(kept.rows).toEqual([{ answers: { consentement_sante: 'yes' }, health_consent_id: null }]);
  });

  it('an emergency alerts the managers by the outbox once, and shows on the dashboard (its follow-up: followups.int.test.ts)', async () => {
    const c = callers[6] as { cookie: string };
    const id = await newCampaign({ name: 'Urgence', segment: { status: 'active', agencyId: org.agencyIds[1] } }, [callers[6]?.user.id as string]);
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    const res = await outcome(c.cookie, t, { outcome: 'reached', answers: { urgence: 'yes' } });
    expect(res.json().urgent).toBe(true);
    const mails = await h.owner.query(`select recipient, body from messages where organisation_id = $1 and purpose = 'campaign_urgency'`, [org.id]);
    expect(mails.rows.map((m) => m.recipient)).toContain(managerUser.email);
    // No personal data in the e-mail.
    for (const m of mails.rows) expect(m.body).not.toMatch(/Durand|Laurent|Simon|\+336/);
    const dash = (await inject(manager, 'GET', `/api/campaigns/${id}/dashboard`)).json();
    expect(dash.urgent).toHaveLength(1);
    // The urgent call names the household as staff know it: holder's name, ERP reference, its file (not « Ménage M1-… »).
    const [household] = (
      await h.owner.query('select h.id, h.erp_ref, h.holder_name from households h join campaign_targets t on t.household_id = h.id where t.id = $1', [t])
    ).rows;
    expect(household.holder_name).toBeTruthy();
    expect(dash.urgent[0]).toMatchObject({
      label: 'Urgence signalée pendant l’appel : rappeler le ménage sans attendre',
      erpRef: household.erp_ref,
      holder: household.holder_name,
      householdId: household.id,
    });
    expect(dash.totals).toMatchObject({ targeted: 3, reached: 1, reachedPct: 33.3, attempts: 1, excludedNoCall: 1 });
    expect(dash.outcomes).toEqual([{ outcome: 'reached', label: 'Joint·e', count: 1 }]);
    // The export is a workbook.
    const xlsx = await inject(manager, 'GET', `/api/campaigns/${id}/export`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('flags notes with health terms or pejorative words into the DPO review queue (TRUST DP-05)', async () => {
    const c = callers[5] as { cookie: string };
    const id = await newCampaign({ name: 'Notes' }, [callers[5]?.user.id as string]);
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    const tooLong = await outcome(c.cookie, t, { outcome: 'reached', note: 'x'.repeat(1001) });
    expect(tooLong.statusCode).toBe(400);
    const res = await outcome(c.cookie, t, { outcome: 'reached', note: 'Le voisin dit qu’il est alcoolique' });
    expect(res.json().noteFlags).toEqual(['pejorative']);
    const queue = (await inject(admin, 'GET', '/api/call-notes/review')).json();
    const item = queue.find((q: { note: string }) => q.note.includes('alcoolique'));
    expect(item.flags).toEqual(['pejorative']);
    expect((await inject(manager, 'GET', '/api/call-notes/review')).statusCode).toBe(403);
    expect((await inject(admin, 'POST', `/api/call-notes/${item.id}/review`, { decision: 'redacted' })).statusCode).toBe(200);
    const stored = await h.owner.query('select note, note_review from call_attempts where id = $1', [item.id]);
    expect(stored.rows[0]).toEqual({ note: '[note retirée après relecture]', note_review: 'redacted' });
  });
});

describe('free-text answers (TRUST DP-05)', () => {
  it('are checked like notes: a flagged answer reaches the review queue, and redacting removes it', async () => {
    const c = callers[5] as { cookie: string };
    const script: CallScript = {
      ...isolationWatchScript,
      questions: [...isolationWatchScript.questions, { key: 'remarque', text: 'Autre chose à signaler ?', type: 'text', rules: [] }],
    };
    const id = await newCampaign({ name: 'Texte libre', script }, [callers[5]?.user.id as string]);
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    const res = await outcome(c.cookie, t, { outcome: 'reached', answers: { remarque: 'Le voisin est un ivrogne', courses: 'no' } });
    expect(res.json().noteFlags).toEqual(['pejorative']);
    const item = (await inject(admin, 'GET', '/api/call-notes/review')).json().find((q: { note: string }) => q.note.includes('ivrogne'));
    expect(item.note).toBe('Autre chose à signaler ? — Le voisin est un ivrogne');
    expect((await inject(admin, 'POST', `/api/call-notes/${item.id}/review`, { decision: 'redacted' })).statusCode).toBe(200);
    const stored = await h.owner.query('select note, answers from call_attempts where id = $1', [item.id]);
    expect(stored.rows[0]).toEqual({ note: null, answers: { remarque: '[réponse retirée]', courses: 'no' } });
  });
});

describe('volunteer end date (TRUST DP-08)', () => {
  it('a volunteer must enrol a second factor before anything else', async () => {
    const v = await newUser(h, org, 'volunteer', { endDate: '2027-01-31', totp: false });
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: v.email, password: PASSWORD }, remoteAddress: '10.0.0.8' });
    expect(res.json().stage).toBe('enrolment');
    const cookie = cookieOf(res);
    const refused = await inject(cookie, 'GET', '/api/calls/campaigns');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('second_factor_required');
  });

  it('the scheduler disables a volunteer past the end date: sign-in fails and open sessions get 401', async () => {
    const v = await newUser(h, org, 'volunteer', { endDate: '2027-01-31' });
    const cookie = await signIn(h, v);
    expect((await inject(cookie, 'GET', '/api/calls/campaigns')).statusCode).toBe(200);
    await h.owner.query(`update users set end_date = current_date - 1 where id = $1`, [v.id]);
    const changed = await runMaintenance(h.database, [expireVolunteers], new Date());
    expect(changed.volunteers_expired).toBeGreaterThanOrEqual(1);
    const state = await h.owner.query('select status from users where id = $1', [v.id]);
    expect(state.rows[0].status).toBe('inactive');
    const sessions = await h.owner.query(`select count(*)::int as n from sessions where user_id = $1 and ended_at is null`, [v.id]);
    expect(sessions.rows[0].n).toBe(0);
    expect((await inject(cookie, 'GET', '/api/calls/campaigns')).statusCode).toBe(401);
    await expect(signIn(h, v, '10.0.0.9')).rejects.toThrow();
    // Running it again finds nothing more to do (TRUST FT-04).
    const again = await runMaintenance(h.database, [expireVolunteers], new Date());
    const audit = await h.owner.query(`select count(*)::int as n from audit_events where object_id = $1 and action = 'user.expired'`, [v.id]);
    expect(audit.rows[0].n).toBe(1);
    expect(again.volunteers_expired).toBeGreaterThanOrEqual(0);
  });
});
