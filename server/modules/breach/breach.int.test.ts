import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tablesOfFieldGroup } from '../../data-protection/accessed-data.ts';
import { admin, callers, h, ids, inject, manager, managerUser, org, setUpCampaignWorld } from '../../test/campaign-world.ts';
import { newOrganisation, newUser, signIn } from '../../test/harness.ts';
import { importFile } from '../registry/index.ts';

setUpCampaignWorld();

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
const windowOfLastHour = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
type Report = {
  user: { id: string; name: string };
  totalHouseholds: number;
  households: { householdId: string; name: string | null; accesses: number; actions: string[]; categories: string[] }[];
  categories: { table: string; class: string }[];
  unlisted: { action: string }[];
};
const report = async (cookie: string, userId: string, window = windowOfLastHour()) => inject(cookie, 'POST', '/api/breach/report', { userId, ...window });
const tablesOf = (...groups: (keyof typeof tablesOfFieldGroup)[]) => [...new Set(groups.flatMap((g) => tablesOfFieldGroup[g]))].sort();

describe('breach readiness: a user’s accesses to households (TRUST DP-15)', () => {
  it('lists exactly the households a user read in the window, with the categories of data each read showed', async () => {
    // An earlier read by the manager, outside the window: H4's file, ten days ago.
    expect((await inject(manager, 'GET', `/api/households/${ids.H4}`)).statusCode).toBe(200);
    await q(`update audit_events set at = at - interval '10 days' where actor_id = $1 and object_id = $2`, [managerUser.id, ids.H4]);
    // In the window: the files of H1 and H2, and a search whose only hit is H3.
    expect((await inject(manager, 'GET', `/api/households/${ids.H1}`)).statusCode).toBe(200);
    expect((await inject(manager, 'GET', `/api/households/${ids.H2}`)).statusCode).toBe(200);
    expect((await inject(manager, 'GET', `/api/households/${ids.H1}`)).statusCode).toBe(200);
    const hits = await inject(manager, 'POST', '/api/households/search', { query: 'H3' });
    expect(hits.statusCode, hits.body).toBe(200);
    expect(hits.json().map((x: { id: string }) => x.id)).toEqual([ids.H3]);
    // Another user reads one household.
    const other = callers[0] as { user: { id: string }; cookie: string };
    expect((await inject(other.cookie, 'GET', `/api/households/${ids.H5}`)).statusCode).toBe(200);

    const res = await report(admin, managerUser.id);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as Report;
    expect(r.user).toMatchObject({ id: managerUser.id, name: 'Test manager' });
    expect(r.households.map((x) => x.householdId).sort()).toEqual([ids.H1, ids.H2, ids.H3].sort());
    const of = (id: string | undefined) => r.households.find((x) => x.householdId === id) as Report['households'][number];
    expect(of(ids.H1).accesses).toBe(2);
    expect(of(ids.H1).name).toBe('Jeanne Martin (H1)');
    expect(of(ids.H1).actions).toEqual(['Fiche ménage consultée']);
    // The file shows every group a manager reads; a search hit only names, ages, contacts and addresses.
    expect([...of(ids.H1).categories].sort()).toEqual(
      tablesOf('identity', 'age', 'contact', 'address', 'tenancy', 'balance', 'indicators', 'objections', 'consents', 'needs', 'timeline'),
    );
    const classOf = (table: string | undefined) => r.categories.find((c) => c.table === table)?.class;
    expect(classOf(of(ids.H1).categories[0])).toBe('art9_health');
    expect(of(ids.H3).actions).toEqual(['Recherche de ménages']);
    expect([...of(ids.H3).categories].sort()).toEqual(tablesOf('identity', 'age', 'contact', 'address'));
    expect(of(ids.H3).categories.some((t) => classOf(t) === 'art9_health')).toBe(false);
    expect(r.categories.map((c) => c.table).sort()).toEqual([...of(ids.H1).categories].sort());
    expect(r.totalHouseholds).toBe(3);

    const theirs = (await report(admin, other.user.id)).json() as Report;
    expect(theirs.households.map((x) => x.householdId)).toEqual([ids.H5]);

    // A window that covers only the earlier read.
    const earlier = {
      from: new Date(Date.now() - 11 * 86_400_000).toISOString(),
      to: new Date(Date.now() - 9 * 86_400_000).toISOString(),
    };
    expect(((await report(admin, managerUser.id, earlier)).json() as Report).households.map((x) => x.householdId)).toEqual([ids.H4]);
  });

  it('counts the households of list pages and exports, which name many households in one event', async () => {
    const lister = callers[1] as { user: { id: string }; cookie: string };
    const page = await inject(lister.cookie, 'POST', '/api/households/list', { filters: {}, sort: 'name', page: 1, limit: 3 });
    expect(page.statusCode, page.body).toBe(200);
    const listed = page.json().rows.map((x: { id: string }) => x.id) as string[];
    expect(listed).toHaveLength(3);
    const r = (await report(admin, lister.user.id)).json() as Report;
    expect(r.households.map((x) => x.householdId).sort()).toEqual([...listed].sort());
    expect(r.households.every((x) => x.actions.join() === 'Liste de ménages consultée')).toBe(true);
    // No balance or health need in a list row.
    expect(r.categories.map((c) => c.table).sort()).toEqual(tablesOf('identity', 'age', 'contact', 'address', 'indicators', 'objections'));
    // An export names every household it holds.
    const exporter = callers[3] as { user: { id: string }; cookie: string };
    const file = await inject(exporter.cookie, 'POST', '/api/households/export', { filters: {}, format: 'csv' });
    expect(file.statusCode, file.body).toBe(200);
    const exported = ((await report(admin, exporter.user.id)).json() as Report).households;
    expect(exported.map((x) => x.householdId).sort()).toEqual(Object.values(ids).sort());
    expect(exported.every((x) => x.actions.join() === 'Export de ménages')).toBe(true);
  });

  it('downloads the report as CSV and JSON after a fresh confirmation of identity, each download audited', async () => {
    const dpo = await newUser(h, org, 'org_admin');
    const cookie = await signIn(h, dpo);
    const csv = await inject(cookie, 'POST', '/api/breach/export', { userId: managerUser.id, ...windowOfLastHour(), format: 'csv' });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="acces-.*\.csv"/);
    expect(csv.body).toContain('Jeanne Martin (H1)');
    expect(csv.body).toContain('Catégories de données');
    expect(csv.body).toContain('Indicateurs de fragilité d’un ménage');
    expect(csv.body).not.toContain('Louis Durand'); // H4: before the window
    const json = await inject(cookie, 'POST', '/api/breach/export', { userId: managerUser.id, ...windowOfLastHour(), format: 'json' });
    expect(json.statusCode).toBe(200);
    expect((JSON.parse(json.body) as Report).households.map((x) => x.householdId).sort()).toEqual([ids.H1, ids.H2, ids.H3].sort());
    const logged = await q(`select details from audit_events where actor_id = $1 and action = 'breach.exported' and object_id = $2 order by at`, [
      dpo.id,
      managerUser.id,
    ]);
    expect(logged.map((e) => e.details.format)).toEqual(['csv', 'json']);
    expect(logged[0].details.households).toBe(3);
    // The report names the export itself: an « unlisted » read, no household.
    const self = (await report(admin, dpo.id)).json() as Report;
    expect(self.households).toEqual([]);
    expect(self.unlisted.map((u) => u.action)).toContain('breach.exported');
  });

  it('asks for a fresh confirmation of identity before a download, not to read the report on screen', async () => {
    const dpo = await newUser(h, org, 'org_admin');
    const cookie = await signIn(h, dpo);
    await q(`update sessions set authenticated_at = now() - interval '2 hours' where user_id = $1`, [dpo.id]);
    const res = await inject(cookie, 'POST', '/api/breach/export', { userId: managerUser.id, ...windowOfLastHour(), format: 'csv' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'reauthentication_required' });
    expect((await report(cookie, managerUser.id)).statusCode).toBe(200);
    expect((await q(`select details->>'format' as f from audit_events where actor_id = $1 and action = 'breach.exported'`, [dpo.id])).map((e) => e.f)).toEqual([
      'screen',
    ]);
  });

  it('never shows another organisation, refuses roles without the DPO’s ability and checks the window', async () => {
    const other = await newOrganisation(h);
    const header = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
    const line = 'A1;G9;Les Pins;1 rue Haute;75001;Paris;L1;X1;Q1;Autre;Personne;01/01/1960;06 99 99 99 99';
    await importFile(h.deps, { organisationId: other.id }, Readable.from([Buffer.from(`${header}\n${line}`)]), { fileName: 'autre.csv' });
    const [theirHousehold] = await q('select id from households where organisation_id = $1', [other.id]);
    const theirAdminUser = await newUser(h, other, 'org_admin');
    const theirAdmin = await signIn(h, theirAdminUser);
    expect((await inject(theirAdmin, 'GET', `/api/households/${theirHousehold.id}`)).statusCode).toBe(200);
    // Their DPO sees their own reads…
    const theirs = (await report(theirAdmin, theirAdminUser.id)).json() as Report;
    expect(theirs.households.map((x) => x.householdId)).toEqual([theirHousehold.id]);
    // …not our users, and we never see theirs (404, not 403: no existence oracle).
    const ours = await report(theirAdmin, managerUser.id);
    expect(ours.statusCode).toBe(404);
    expect(ours.json().detail).toBe('Utilisateur·rice introuvable.');
    expect((await report(admin, theirAdminUser.id)).statusCode).toBe(404);
    const mine = (await report(admin, managerUser.id)).json() as Report;
    expect(mine.households.some((x) => x.householdId === theirHousehold.id)).toBe(false);

    // Roles without `privacy.manage`.
    for (const cookie of [manager, (callers[2] as { cookie: string }).cookie]) {
      expect((await report(cookie, managerUser.id)).statusCode).toBe(403);
      expect((await inject(cookie, 'POST', '/api/breach/export', { userId: managerUser.id, ...windowOfLastHour(), format: 'csv' })).statusCode).toBe(403);
    }
    // A window the wrong way round, or too long: a French error, nothing audited.
    const before = (await q(`select count(*)::int as n from audit_events where action = 'breach.exported'`))[0].n;
    const backwards = await report(admin, managerUser.id, { from: new Date().toISOString(), to: new Date(Date.now() - 60_000).toISOString() });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('La date de fin doit suivre la date de début.');
    const long = await report(admin, managerUser.id, { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('au plus 400 jours');
    expect((await q(`select count(*)::int as n from audit_events where action = 'breach.exported'`))[0].n).toBe(before);
  });
});

describe('the processing register on « Protection des données » (TRUST DP-12)', () => {
  it('is built from the classification for the DPO, and refused to other roles', async () => {
    const res = await inject(admin, 'GET', '/api/privacy/register');
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json().entries as { purpose: string; tables: { table: string }[]; classes: { class: string }[]; recipients: string[] }[];
    expect(entries).toHaveLength(8);
    const campaign = entries.find((e) => e.purpose === 'campaign');
    expect(campaign?.tables.map((t) => t.table)).toContain('call_attempts');
    expect(campaign?.recipients).toContain('Bénévole');
    expect((await inject(manager, 'GET', '/api/privacy/register')).statusCode).toBe(403);
  });
});
