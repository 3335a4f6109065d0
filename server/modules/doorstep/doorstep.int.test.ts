import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { callers, h, ids, inject, manager, newCampaign, next, org, outcome, refOfTarget, setUpCampaignWorld } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';

setUpCampaignWorld();

describe('doorstep visits', () => {
  it('the caretaker of the agency records the result; a concern opens a follow-up', async () => {
    const c = callers[4] as { cookie: string };
    // The residence's own caretaker gets the visit; another caretaker of the agency does not.
    const mine = await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[1] as string] });
    await h.owner.query(`update residences set caretaker_id = $2 where organisation_id = $1 and agency_id = $3`, [org.id, mine.id, org.agencyIds[1]]);
    const id = await newCampaign(
      { name: 'Porte', segment: { status: 'active', agencyId: org.agencyIds[1] }, retryPolicy: { retryAfterMinutes: 15, maxAttempts: 1 } },
      [callers[4]?.user.id as string],
    );
    const t = (await next(c.cookie, id)).json().call.targetId as string;
    expect((await outcome(c.cookie, t, { outcome: 'busy' })).json().doorstep).toBe(true);
    const caretaker = await signIn(h, mine);
    const sameAgency = await signIn(h, await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[1] as string] }));
    const otherCaretaker = await signIn(h, await newUser(h, org, 'caretaker', { agencyIds: [org.agencyIds[0] as string] }));
    const visits = (await inject(caretaker, 'GET', '/api/doorstep')).json();
    const visit = visits.find((v: { campaign: string }) => v.campaign === 'Porte');
    expect(visit).toBeDefined();
    expect((await inject(otherCaretaker, 'GET', '/api/doorstep')).json().find((v: { campaign: string }) => v.campaign === 'Porte')).toBeUndefined();
    expect((await inject(sameAgency, 'GET', '/api/doorstep')).json().find((v: { id: string }) => v.id === visit.id)).toBeUndefined();
    expect((await inject(sameAgency, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'met' })).statusCode).toBe(404);
    const flagged = await inject(caretaker, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'concern', note: 'Il est fou' });
    expect(flagged.statusCode).toBe(422);
    expect((await inject(caretaker, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'concern', note: 'Courrier qui s’accumule.' })).statusCode).toBe(200);
    expect((await inject(caretaker, 'POST', `/api/doorstep/${visit.id}/result`, { result: 'met' })).statusCode).toBe(409);
    const f = await h.owner.query(`select count(*)::int as n from followups where household_id = $1 and need = 'porte_a_porte'`, [visit.householdId]);
    expect(f.rows[0].n).toBe(1);
    // The campaign's export ends the household's line with the visit's result (doorstep's own row, read by calls).
    const xlsx = await inject(manager, 'GET', `/api/campaigns/${id}/export`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const lines = [...(wb.getWorksheet('Ménages')?.getSheetValues() ?? [])].filter(Array.isArray).map((r) => r.slice(1).map(String));
    const ref = await refOfTarget(t);
    expect(lines.find((l) => l[0] === ref)?.[4]).toBe('Porte-à-porte : Inquiétude : à suivre');
    await h.owner.query(`update residences set caretaker_id = null where organisation_id = $1`, [org.id]);
  });

  it('a household without any phone goes straight to a doorstep visit at launch', async () => {
    const phones = await h.owner.query(
      `delete from contact_points c using persons p where p.id = c.person_id and p.household_id = $1 returning c.organisation_id, c.person_id, c.kind, c.value, c.source`,
      [ids.H3],
    );
    try {
      const id = await newCampaign({ name: 'Sans téléphone', segment: { status: 'active', agencyId: org.agencyIds[0] } }, []);
      const target = await h.owner.query('select status, final_outcome from campaign_targets where campaign_id = $1 and household_id = $2', [id, ids.H3]);
      expect(target.rows[0]).toEqual({ status: 'doorstep', final_outcome: 'no_phone' });
      const visits = await h.owner.query('select count(*)::int as n from doorstep_visits where campaign_id = $1', [id]);
      expect(visits.rows[0].n).toBe(1);
    } finally {
      for (const p of phones.rows) {
        await h.owner.query('insert into contact_points (organisation_id, person_id, kind, value, source) values ($1, $2, $3, $4, $5)', [
          p.organisation_id,
          p.person_id,
          p.kind,
          p.value,
          p.source,
        ]);
      }
    }
  });
});
