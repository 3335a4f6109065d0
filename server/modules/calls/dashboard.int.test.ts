import { describe, expect, it } from 'vitest';
import { callers, h, inject, manager, newCampaign, next, outcome, setUpCampaignWorld } from '../../test/campaign-world.ts';

// The dashboard's counts (queue.repository.ts `dashboardData`, scanned without parallel workers
// since issue 10's speed work): each figure against the rows themselves.

setUpCampaignWorld();

const caller = (i: number) => callers[i] as (typeof callers)[number];

describe('campaign dashboard counts', () => {
  it('totals, outcomes, agencies and days match the queue and the attempts', async () => {
    const id = await newCampaign({ name: 'Tableau de bord' });
    const claimed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await next(caller(i).cookie, id);
      expect(res.statusCode, res.body).toBe(200);
      claimed.push(res.json().call.targetId as string);
    }
    // Reached, no answer (back to the queue later), held (caller 2), handed back (caller 3).
    expect((await outcome(caller(0).cookie, claimed[0] as string, { outcome: 'reached', answers: {} })).statusCode).toBe(200);
    expect((await outcome(caller(1).cookie, claimed[1] as string, { outcome: 'no_answer', answers: {} })).statusCode).toBe(200);
    expect((await inject(caller(3).cookie, 'POST', `/api/calls/${claimed[3]}/release`)).statusCode).toBe(200);

    const res = await inject(manager, 'GET', `/api/campaigns/${id}/dashboard`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();

    const rows = (
      await h.owner.query(
        `select t.status, t.final_outcome, a.name as agency from campaign_targets t join agencies a on a.id = t.agency_id where t.campaign_id = $1`,
        [id],
      )
    ).rows as { status: string; final_outcome: string | null; agency: string }[];
    const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
    // The world: eight households, one « ne pas appeler ».
    expect(rows).toHaveLength(7);
    expect(d.totals).toEqual({
      targeted: 7,
      reached: 1,
      reachedPct: 14.3,
      queued: 5,
      assigned: 1,
      done: 1,
      doorstep: 0,
      attempts: 2,
      excludedNoCall: 1,
      // Two outcomes within the quarter of an hour, one household held.
      callersActive: 3,
    });
    expect(d.totals.queued).toBe(count((r) => r.status === 'queued' || r.status === 'waiting'));
    expect(d.totals.assigned).toBe(count((r) => r.status === 'assigned'));
    expect(d.totals.done).toBe(count((r) => r.status === 'done'));
    expect(d.totals.reached).toBe(count((r) => r.final_outcome === 'reached'));
    expect([...d.outcomes].sort((a: { outcome: string }, b: { outcome: string }) => a.outcome.localeCompare(b.outcome))).toEqual([
      { outcome: 'no_answer', label: expect.any(String), count: 1 },
      { outcome: 'reached', label: 'Joint·e', count: 1 },
    ]);
    const agencies = new Map<string, { targeted: number; reached: number }>();
    for (const r of rows) {
      const a = agencies.get(r.agency) ?? { targeted: 0, reached: 0 };
      a.targeted++;
      if (r.final_outcome === 'reached') a.reached++;
      agencies.set(r.agency, a);
    }
    expect(d.agencies).toHaveLength(2);
    for (const a of d.agencies as { agency: string; targeted: number; reached: number }[])
      expect(agencies.get(a.agency)).toEqual({ targeted: a.targeted, reached: a.reached });
    expect(d.days).toEqual([{ day: '2026-11-30', attempts: 2, reached: 1 }]);
  });
});
