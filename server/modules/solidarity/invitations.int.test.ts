// Invitations by SMS or letter (issue 17), written by the messaging module through solidarity's
// hook: each household invited to a food distribution or to an outreach event gets an SMS (a
// mobile, no « pas de SMS »), else a letter in the send's letters PDF; a restricted household gets
// nothing. One send per distribution or event, its text saying what, when and where.
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, h, ids, inject, manager, org, setUpCampaignWorld } from '../../test/campaign-world.ts';
import { newUser, signIn } from '../../test/harness.ts';

setUpCampaignWorld();

const ok = (res: Awaited<ReturnType<typeof inject>>) => {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const q = async (text: string, params: unknown[]) => (await h.owner.query(text, params)).rows;
let staff: string;

beforeAll(async () => {
  staff = await signIn(h, await newUser(h, org, 'staff'));
  // H2 objects to SMS (a letter); H4 has no contact left (a letter); H7's processing is restricted (nothing).
  await q(`insert into objections (organisation_id, household_id, kind) values ($1, $2, 'no_sms')`, [org.id, ids.H2]);
  await q(`update contact_points set ended_at = now() where organisation_id = $1 and person_id in (select id from persons where household_id = $2)`, [
    org.id,
    ids.H4,
  ]);
});

/** What the send of an invitation queued: its SMS (recipient, text), its letters (household, text). */
async function queued(sendId: string) {
  const sms = await q(`select recipient, household_id from messages where organisation_id = $1 and send_id = $2 and channel = 'sms' order by recipient`, [
    org.id,
    sendId,
  ]);
  const letters = await q(`select household_id, body from message_letters where organisation_id = $1 and send_id = $2`, [org.id, sendId]);
  return { sms, letters };
}

describe('invitations by SMS or letter', () => {
  it('a distribution invites three households: one SMS, one letter, one excluded; the letters print', async () => {
    const partnerId = ok(await inject(admin, 'POST', '/api/partners', { name: 'Restos du cœur de Vitry', kind: 'association' })).id as string;
    for (const hh of [ids.H1, ids.H2, ids.H7]) ok(await inject(manager, 'POST', '/api/cases', { householdId: hh, type: 'food', origin: 'staff' }));
    await q(`update households set restricted_at = now(), restricted_reason = 'test' where id = $1`, [ids.H7]);
    const id = ok(
      await inject(staff, 'POST', '/api/solidarity/distributions', {
        partnerId,
        kind: 'food_parcel',
        heldOn: '2026-12-12',
        place: 'Salle commune des Tilleuls',
        capacity: 10,
      }),
    ).id as string;
    expect(ok(await inject(staff, 'POST', `/api/solidarity/distributions/${id}/invitees`, { from: 'food_cases' }))).toEqual({ added: 3 });
    const row = (ok(await inject(staff, 'GET', '/api/solidarity/distributions')) as { id: string; invitations: Record<string, unknown> }[]).find(
      (d) => d.id === id,
    );
    expect(row?.invitations).toMatchObject({ sms: 1, letters: 1, excluded: 1 });
    const sendId = row?.invitations.sendId as string;
    const { sms, letters } = await queued(sendId);
    expect(sms).toEqual([{ recipient: '+33612345601', household_id: ids.H1 }]);
    expect(letters.map((l) => l.household_id)).toEqual([ids.H2]);
    expect(letters[0].body).toBe(
      'Bonjour Paul, vous êtes invité·e à une distribution de colis alimentaires le samedi 12 décembre 2026, Salle commune des Tilleuls.',
    );
    const [text] = await q(`select body from messages where organisation_id = $1 and send_id = $2`, [org.id, sendId]);
    // The SMS body is sealed in the outbox; its send's report counts it.
    expect(text).toBeDefined();
    const send = ok(await inject(staff, 'GET', `/api/messaging/sends/${sendId}`));
    expect(send).toMatchObject({ audience: 'distribution', status: 'queued', recipients: 2, letters: 1, messages: 1 });
    expect(send.plan.excluded.no_contact).toBe(1);
    // The staff member who invited prints the letters.
    const pdf = await inject(staff, 'GET', `/api/messaging/sends/${sendId}/letters`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // Inviting again adds to the same send, and only the households just invited.
    for (const hh of [ids.H3]) ok(await inject(manager, 'POST', '/api/cases', { householdId: hh, type: 'food', origin: 'staff' }));
    expect(ok(await inject(staff, 'POST', `/api/solidarity/distributions/${id}/invitees`, { from: 'food_cases' }))).toEqual({ added: 1 });
    const again = (ok(await inject(staff, 'GET', '/api/solidarity/distributions')) as { id: string; invitations: Record<string, unknown> }[]).find(
      (d) => d.id === id,
    );
    expect(again?.invitations).toMatchObject({ sendId, sms: 2, letters: 1, excluded: 1 });
    expect((await queued(sendId)).sms.map((m) => m.recipient)).toEqual(['+33612345601', '+33612345603']);
  });

  it('an outreach event invites its residence once: SMS, else letter, never a restricted household', async () => {
    const [residence] = await q(`select id from residences where organisation_id = $1 and erp_code = 'G2'`, [org.id]);
    const id = ok(await inject(staff, 'POST', '/api/solidarity/outreach', { residenceId: residence.id, heldOn: '2026-12-01' })).id as string;
    const answer = ok(await inject(staff, 'POST', `/api/solidarity/outreach/${id}/invitations`));
    // G2: H4 (no contact: a letter), H5 and H8 (SMS); H7, restricted, is not even among the residence's households to invite.
    expect(answer).toMatchObject({ invited: 3, invitations: { sms: 2, letters: 1, excluded: 0 } });
    const { sms, letters } = await queued(answer.invitations.sendId);
    expect(sms.map((m) => m.household_id).sort()).toEqual([ids.H5, ids.H8].sort());
    expect(letters.map((l) => l.household_id)).toEqual([ids.H4]);
    expect(letters[0].body).toBe(
      'Bonjour Louis, votre bailleur et ses partenaires vous attendent au pied de votre immeuble (Cité des Roses) le mardi 1er décembre 2026 l’après-midi : venez nous rencontrer.',
    );
    const row = (ok(await inject(staff, 'GET', '/api/solidarity/outreach')) as { id: string; invitations: unknown }[]).find((e) => e.id === id);
    expect(row?.invitations).toMatchObject({ sms: 2, letters: 1, excluded: 0 });
    // Once per event: a second invitation is refused in French, nothing more is queued.
    const twice = await inject(staff, 'POST', `/api/solidarity/outreach/${id}/invitations`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('déjà invités');
    expect((await queued(answer.invitations.sendId)).sms).toHaveLength(2);
    // Staff of the other agency invite nobody of G2 (not theirs).
    const other = await signIn(h, await newUser(h, org, 'staff', { agencyIds: [org.agencyIds[0] as string] }));
    const id2 = ok(await inject(manager, 'POST', '/api/solidarity/outreach', { residenceId: residence.id, heldOn: '2026-12-02' })).id as string;
    const none = await inject(other, 'POST', `/api/solidarity/outreach/${id2}/invitations`);
    expect(none.statusCode).toBe(422);
  });

  it('more than 1,000 SMS at once is refused in French, with nobody invited and nothing queued (LD-09)', async () => {
    // A residence of 1,001 households, each with a mobile.
    const [agency] = await q(`select agency_id from residences where organisation_id = $1 and erp_code = 'G2'`, [org.id]);
    const [big] = await q(
      `insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city) values ($1, $2, 'G-1001', 'Grand ensemble', '1 avenue B', '94400', 'Vitry') returning id`,
      [org.id, agency.agency_id],
    );
    await q(`insert into housing_units (organisation_id, residence_id, erp_ref) select $1, $2, 'U1001-' || i from generate_series(1, 1001) i`, [
      org.id,
      big.id,
    ]);
    await q(
      `insert into households (organisation_id, unit_id, erp_ref, holder_name, status) select $1, u.id, 'H' || u.erp_ref, 'Foyer', 'active' from housing_units u where u.residence_id = $2`,
      [org.id, big.id],
    );
    await q(
      `insert into persons (organisation_id, household_id, household_role, first_name, last_name, person_key)
       select $1, hh.id, 'holder', 'Anne', 'Grand', 'K' || hh.erp_ref from households hh join housing_units u on u.organisation_id = hh.organisation_id and u.id = hh.unit_id where u.residence_id = $2`,
      [org.id, big.id],
    );
    await q(
      `insert into contact_points (organisation_id, person_id, kind, value)
       select $1, p.id, 'mobile', '+3367' || lpad((row_number() over (order by p.id))::text, 7, '0')
       from persons p join households hh on hh.organisation_id = p.organisation_id and hh.id = p.household_id join housing_units u on u.organisation_id = hh.organisation_id and u.id = hh.unit_id
       where u.residence_id = $2`,
      [org.id, big.id],
    );
    const id = ok(await inject(manager, 'POST', '/api/solidarity/outreach', { residenceId: big.id, heldOn: '2026-12-03' })).id as string;
    const refused = await inject(manager, 'POST', `/api/solidarity/outreach/${id}/invitations`);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().detail).toContain('1\u202f000 ménages au plus (1\u202f001 ici)');
    const [queuedCount] = await q(
      `select count(*)::int as n from messages m join households hh on hh.organisation_id = m.organisation_id and hh.id = m.household_id join housing_units u on u.organisation_id = hh.organisation_id and u.id = hh.unit_id where u.residence_id = $1`,
      [big.id],
    );
    expect(queuedCount.n).toBe(0);
    const row = (ok(await inject(manager, 'GET', '/api/solidarity/outreach')) as { id: string; invitations: unknown }[]).find((e) => e.id === id);
    expect(row?.invitations ?? null).toBeNull();
  });
});
