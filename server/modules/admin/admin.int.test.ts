import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newOrganisation, newUser, signIn, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { bookAppointment } from '../appointments/index.ts';
import { importFile } from '../registry/index.ts';

let h: Harness;
let org: TestOrg;
let admin: TestUser;
let cookie: string;
let householdId: string;
let formulaHouseholdId: string;

const IMPORT = [
  'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable;Tél fixe',
  'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;B1;P1;Lefèvre;Benoît;03/04/1941;06 12 34 56 78;',
  'A2;G2;Cité des Roses;2 place de la République;94310;Orly;L3;B3;P4;Dupont;"=HYPERLINK(""http://x"")";01/01/1950;06 99 99 99 99;',
].join('\n');

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  admin = await newUser(h, org, 'org_admin');
  cookie = await signIn(h, admin);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from(IMPORT)]), { fileName: 'bailleur-export.csv' });
  const q = await h.owner.query('select erp_ref, id from households where organisation_id = $1', [org.id]);
  householdId = q.rows.find((r) => r.erp_ref === 'B1').id;
  formulaHouseholdId = q.rows.find((r) => r.erp_ref === 'B3').id;
  // 300 views of one household, 150 of them at the very same instant (ties broken by id), and
  // one old event: paging must cross 200 rows without duplicates or gaps.
  await h.owner.query(
    `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, at)
       select $1, $2, 'org_admin', 'household.viewed', 'household', $3,
              case when i <= 150 then now() - interval '1 minute' else now() - make_interval(secs => i) end
       from generate_series(1, 300) i`,
    [org.id, admin.id, householdId],
  );
  await h.owner.query(
    `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id, at) values ($1, $2, 'org_admin', 'household.viewed', 'household', $3, '2026-01-01T10:00:00Z'), ($1, $2, 'org_admin', 'household.viewed', 'household', $4, now())`,
    [org.id, admin.id, householdId, formulaHouseholdId],
  );
});
afterAll(() => h.close());

const search = (payload: object) => h.app.inject({ method: 'POST', url: '/api/audit/search', headers: { cookie }, payload });

type Page = {
  events: {
    id: string;
    at: string;
    action: string;
    actionLabel: string;
    objectName: string | null;
    summary: string;
    actorId: string | null;
    actorName: string | null;
    actorRole: string | null;
  }[];
  total: number;
  totalCapped: boolean;
  next: { at: string; id: string } | null;
};
const page = async (payload: object): Promise<Page> => {
  const res = await search(payload);
  expect(res.statusCode).toBe(200);
  return res.json();
};
const exportJournal = (payload: object, as = cookie) => h.app.inject({ method: 'POST', url: '/api/audit/export', headers: { cookie: as }, payload });

describe('audit trail for the org admin', () => {
  it('lists who did what, filters by action and object, and audits its own reading', async () => {
    const staff = await newUser(h, org, 'staff');
    await h.app.inject({ method: 'PATCH', url: `/api/users/${staff.id}`, headers: { cookie }, payload: { role: 'manager' } });
    const updated = await page({ action: 'user.updated', objectId: staff.id });
    expect(updated.events).toHaveLength(1);
    expect(updated.events[0]).toMatchObject({
      action: 'user.updated',
      actorId: admin.id,
      actorName: 'Test org_admin',
      objectId: staff.id,
      ip: expect.any(String),
    });
    const reads = await page({ action: 'audit.read', actorId: admin.id });
    expect(reads.events.length).toBeGreaterThanOrEqual(1);
    expect(reads.events.every((e) => e.action === 'audit.read' && e.actorId === admin.id)).toBe(true);
  });
  it('shows French labels and sentences, never a code or raw JSON (issue 11)', async () => {
    const staff = await newUser(h, org, 'staff');
    await h.owner.query(`update users set first_name = 'Léa', last_name = 'Nguyen' where id = $1`, [staff.id]);
    await h.app.inject({ method: 'PATCH', url: `/api/users/${staff.id}`, headers: { cookie }, payload: { role: 'manager' } });
    const res = await page({ action: 'user.updated', objectId: staff.id });
    expect(res.events[0]).toMatchObject({
      actionLabel: 'Compte modifié',
      objectName: 'Léa Nguyen',
      summary: 'a modifié le compte de Léa Nguyen : rôle Chargé·e de clientèle → Responsable',
    });
    const all = await page({ limit: 200 });
    for (const e of all.events) {
      expect(e.actionLabel).not.toBe(e.action);
      expect(e.summary).not.toMatch(/[{}]|"[A-Za-z]+":/);
      expect(JSON.stringify(e)).not.toContain('"details"');
    }
  });
  it('names the household of an event: holder and ERP reference', async () => {
    const hit = await h.app.inject({ method: 'GET', url: `/api/households/${householdId}`, headers: { cookie } });
    expect(hit.statusCode).toBe(200);
    const res = await page({ action: 'household.viewed', objectId: householdId });
    expect(res.events[0]).toMatchObject({
      actionLabel: 'Fiche ménage consultée',
      objectName: 'Benoît Lefèvre (B1)',
      summary: 'a consulté la fiche du ménage Benoît Lefèvre (B1)',
    });
    const imports = await page({ action: 'registry.import_applied' });
    expect(imports.events[0]?.objectName).toBe('bailleur-export.csv');
  });
  it('filters by date range', async () => {
    expect((await page({ from: new Date(Date.now() + 86_400_000).toISOString() })).events).toEqual([]);
    const today = await page({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    expect(today.events.length).toBeGreaterThan(0);
    const old = await page({ to: '2026-01-02T00:00:00Z', limit: 200 });
    expect(old.events.length).toBeGreaterThan(0);
    expect(old.events.every((e) => e.at < '2026-01-02')).toBe(true);
  });
  it('pages beyond 200 rows on (date, id), without duplicates or gaps, with the total', async () => {
    const filter = { action: 'household.viewed', objectId: householdId };
    const seen: string[] = [];
    let after: Page['next'] = null;
    let first: Page | null = null;
    do {
      const p: Page = await page({ ...filter, limit: 200, ...(after ? { after } : {}) });
      first ??= p;
      seen.push(...p.events.map((e) => e.id));
      after = p.next;
    } while (after);
    const expected = await h.owner.query(
      `select id from audit_events where organisation_id = $1 and action = 'household.viewed' and object_id = $2 order by at desc, id desc`,
      [org.id, householdId],
    );
    expect(expected.rows.length).toBeGreaterThan(250);
    expect(seen).toEqual(expected.rows.map((r) => r.id));
    expect(first?.total).toBe(expected.rows.length);
    expect(first?.totalCapped).toBe(false);
  });
  it('filters by every action code, by user and by household', async () => {
    const byUser = await page({ actorId: admin.id, limit: 200 });
    expect(byUser.events.every((e) => e.actorId === admin.id)).toBe(true);
    const byHousehold = await page({ objectId: householdId, limit: 50 });
    expect(byHousehold.events.length).toBe(50);
    expect(byHousehold.events.every((e) => e.objectName === 'Benoît Lefèvre (B1)')).toBe(true);
    const domain = await page({ action: 'auth.', limit: 200 });
    expect(domain.events.length).toBeGreaterThan(0);
    expect(domain.events.every((e) => e.action.startsWith('auth.'))).toBe(true);
    // An exact code matches itself only (not `auth.signed_in_x`).
    const exact = await page({ action: 'auth.signed_in', limit: 200 });
    expect(exact.events.every((e) => e.action === 'auth.signed_in')).toBe(true);
  });
  it('exports the filtered journal as CSV, formulas neutralised, audited', async () => {
    const res = await exportJournal({ objectId: householdId, action: 'household.viewed' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Date;Qui;Rôle;Action;Objet;Détail;Adresse IP');
    expect(lines.length).toBeGreaterThan(251);
    expect(lines[1]).toMatch(/^\d{1,2} [a-zéû]+\.? \d{4} à \d{2}:\d{2};/);
    expect(lines[1]).toContain('Fiche ménage consultée;Benoît Lefèvre (B1);a consulté la fiche du ménage Benoît Lefèvre (B1)');
    // A household whose holder's name is a formula: shown as text, never run.
    const formula = await exportJournal({ objectId: formulaHouseholdId });
    expect(formula.statusCode).toBe(200);
    expect(formula.body).toContain(`'=HYPERLINK`);
    expect(formula.body).not.toMatch(/;=HYPERLINK/);
    const audited = await page({ action: 'audit.exported', actorId: admin.id });
    expect(audited.events.map((e) => e.summary)).toEqual([
      `a exporté le journal d’audit (1 ligne)`,
      `a exporté le journal d’audit (${lines.length - 1} lignes)`,
    ]);
  });
  it('names a tenant’s action « Locataire (espace locataire) »: a booking in the portal is audited with no user (issue 16)', async () => {
    const [hh] = (
      await h.owner.query('select agency_id, (select id from persons p where p.household_id = h.id limit 1) as person from households h where id = $1', [
        householdId,
      ])
    ).rows;
    const starts = new Date(Date.now() + 5 * 86_400_000);
    const [slot] = (
      await h.owner.query(
        `insert into appointment_slots (organisation_id, agency_id, starts_at, ends_at, capacity, reasons, address)
         values ($1, $2, $3, $4, 2, '{documents}', '3 place de la Mairie') returning id`,
        [org.id, hh.agency_id, starts, new Date(starts.getTime() + 1_800_000)],
      )
    ).rows;
    await bookAppointment(h.deps, { organisationId: org.id, householdId, personId: hh.person }, { slotId: slot.id, reason: 'documents' }, '10.1.2.3');
    const booked = (await page({ action: 'appointment.booked' })).events;
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ actorId: null, actorName: null, actorRole: 'tenant' });
    const csv = await exportJournal({ action: 'appointment.booked' });
    expect(csv.statusCode).toBe(200);
    const line = csv.body.trim().split('\r\n')[1] as string;
    expect(line.split(';').slice(1, 4)).toEqual(['Locataire (espace locataire)', 'Locataire', 'Rendez-vous pris par le ménage']);
  });

  it('asks for a fresh authentication before exporting (TRUST AA-09)', async () => {
    const stale = await newUser(h, org, 'org_admin');
    const staleCookie = await signIn(h, stale);
    await h.owner.query(`update sessions set authenticated_at = now() - interval '2 hours' where user_id = $1`, [stale.id]);
    const res = await exportJournal({}, staleCookie);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('reauthentication_required');
  });
  it('is refused to other roles', async () => {
    const manager = await signIn(h, await newUser(h, org, 'manager'));
    expect((await h.app.inject({ method: 'POST', url: '/api/audit/search', headers: { cookie: manager }, payload: {} })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'POST', url: '/api/audit/export', headers: { cookie: manager }, payload: {} })).statusCode).toBe(403);
  });
  it('caps the page size at 200', async () => {
    const res = await search({ limit: 100000 });
    expect(res.statusCode).toBe(400);
  });
  it("never shows another organisation's events, nor names its objects", async () => {
    const other = await newOrganisation(h);
    const otherAdmin = await newUser(h, other, 'org_admin');
    const otherCookie = await signIn(h, otherAdmin);
    const theirs = await page({ actorId: otherAdmin.id });
    expect(theirs.events).toEqual([]);
    const otherPages = async (payload: object) =>
      (await h.app.inject({ method: 'POST', url: '/api/audit/search', headers: { cookie: otherCookie }, payload })).json() as Page;
    expect((await otherPages({ objectId: householdId })).events).toEqual([]);
    expect((await otherPages({ objectId: householdId })).total).toBe(0);
    // An event of the other organisation that points at our household: listed there, never named.
    await h.owner.query(
      `insert into audit_events (organisation_id, actor_id, actor_role, action, object_type, object_id) values ($1, $2, 'org_admin', 'household.viewed', 'household', $3)`,
      [other.id, otherAdmin.id, householdId],
    );
    const probe = await otherPages({ action: 'household.viewed' });
    expect(probe.events).toHaveLength(1);
    expect(probe.events[0]?.objectName).toBeNull();
    const csv = await h.app.inject({ method: 'POST', url: '/api/audit/export', headers: { cookie: otherCookie }, payload: {} });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('Lefèvre');
  });
});
describe('outbox page for the org admin', () => {
  it('shows the messages of the organisation, personal links masked (issue 9)', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie },
      payload: { email: `invite-${Date.now()}@test.lien.fr`, firstName: 'Léa', lastName: 'Nguyen', role: 'caretaker' },
    });
    const res = await h.app.inject({ method: 'POST', url: '/api/outbox/search', headers: { cookie }, payload: {} });
    expect(res.statusCode).toBe(200);
    const messages = res.json();
    expect(messages[0]).toMatchObject({ channel: 'email', purpose: 'invitation', subject: expect.stringMatching(/^Votre invitation à Lien/) });
    expect(messages[0].body).toContain('[lien personnel masqué]');
    expect(res.body).not.toMatch(/#[A-Za-z0-9_-]{43}/);
    expect(Object.keys(messages[0])).not.toContain('sealedBody');
  });
});
