import { describe, expect, it } from 'vitest';
import { callers, h, inject, manager, newCampaign, next, org, outcome, setUpCampaignWorld } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';

setUpCampaignWorld();

describe('follow-ups', () => {
  it('can be given to managers, staff, social workers and org admins', async () => {
    const assignees = (await inject(manager, 'GET', '/api/followups/assignees')).json() as { role: string }[];
    expect(new Set(assignees.map((a) => a.role))).toEqual(new Set(['manager', 'staff', 'org_admin']));
  });

  it('an emergency opens an urgent follow-up: listed and counted within the agencies, assigned, then closed with a checked resolution', async () => {
    const c = callers[6] as { cookie: string };
    const id = await newCampaign({ name: 'Urgence', segment: { status: 'active', agencyId: org.agencyIds[1] } }, [callers[6]?.user.id as string]);
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    const res = await outcome(c.cookie, t, { outcome: 'reached', answers: { urgence: 'yes' } });
    expect(res.json().urgent).toBe(true);
    const list = (await inject(manager, 'POST', '/api/followups/list', { urgentOnly: true })).json();
    expect(list.some((f: { need: string; urgent: boolean }) => f.need === 'urgence' && f.urgent)).toBe(true);
    // Staff of agency 1 do not see the follow-ups of agency 2.
    const nord = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[0] as string] }));
    const scoped = (await inject(nord, 'POST', '/api/followups/list', { urgentOnly: true })).json();
    expect(scoped).toEqual([]);
    // Every page of the managers shows the open emergencies.
    const urgentCount = async () => (await inject(manager, 'GET', '/api/followups/urgent-count')).json().open as number;
    const before = await urgentCount();
    expect(before).toBeGreaterThanOrEqual(1);
    expect((await inject(nord, 'GET', '/api/followups/urgent-count')).json().open).toBe(0);
    // Assign then close; staff of another agency cannot touch it, and the resolution is checked like a note.
    const fid = list[0].id;
    expect((await inject(nord, 'POST', `/api/followups/${fid}/close`, { resolution: 'Fait.' })).statusCode).toBe(404);
    const flaggedClose = await inject(manager, 'POST', `/api/followups/${fid}/close`, { resolution: 'Elle est folle' });
    expect(flaggedClose.statusCode).toBe(422);
    expect((await inject(manager, 'POST', `/api/followups/${fid}/assign`, { userId: callers[0]?.user.id })).statusCode).toBe(200);
    expect((await inject(callers[0]?.cookie as string, 'POST', `/api/followups/${fid}/close`, { resolution: 'Rappelé, voisin prévenu.' })).statusCode).toBe(
      200,
    );
    expect((await inject(manager, 'POST', '/api/followups/list', { status: 'closed' })).json()[0]).toMatchObject({
      id: fid,
      resolution: 'Rappelé, voisin prévenu.',
    });
  });
});
