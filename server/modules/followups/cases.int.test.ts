import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { roles } from '../../../contracts/roles.ts';
import { can } from '../../platform/auth/abilities.ts';
import {
  at,
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
import { caseRowsOf } from './cases.repository.ts';

setUpCampaignWorld();

type Board = { id: string; householdId: string; type: string; status: string; overdue: boolean; assignedTo: string | null; openTasks: number }[];
const board = async (cookie: string, body: Record<string, unknown> = {}) => {
  const res = await inject(cookie, 'POST', '/api/cases/board', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Board;
};
const casesOf = async (householdId: string) =>
  (
    await h.owner.query('select id, type, origin, status from cases where organisation_id = $1 and household_id = $2 order by created_at', [
      org.id,
      householdId,
    ])
  ).rows as { id: string; type: string; origin: string; status: string }[];

/** A campaign of one household, H1 (80 or over and living alone), called by one caller who records these answers. */
async function callAndAnswer(callerIndex: number, answers: Record<string, string>) {
  const c = callers[callerIndex] as { cookie: string; user: { id: string } };
  const id = await newCampaign({ name: `Veille ${Math.random()}`, segment: { status: 'active', minAge: 80, indicators: ['lives_alone'] } }, [c.user.id]);
  const claimed = await next(c.cookie, id);
  expect(claimed.statusCode, claimed.body).toBe(200);
  const t = claimed.json().call.targetId as string;
  expect((await h.owner.query('select household_id from campaign_targets where id = $1', [t])).rows[0].household_id).toBe(ids.H1);
  const res = await outcome(c.cookie, t, { outcome: 'reached', answers });
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('cases', () => {
  let foodCase = '';

  it('needs heard on calls open a case per type, and a later need joins the open case of its type', async () => {
    await callAndAnswer(0, { courses: 'yes', medicaments: 'yes', seul: 'Très isolé·e' });
    let cases = await casesOf(ids.H1 as string);
    // Groceries and medicines (daily life) make one food case; isolation its own.
    expect(cases.map((c) => c.type).sort()).toEqual(['food', 'isolation']);
    expect(cases.every((c) => c.origin === 'call' && c.status === 'open')).toBe(true);
    foodCase = cases.find((c) => c.type === 'food')?.id as string;
    const needs = async (caseId: string) =>
      (await h.owner.query('select need from followups where case_id = $1 order by need', [caseId])).rows.map((r) => r.need);
    expect(await needs(foodCase)).toEqual(['courses', 'medicaments']);
    // A second call, another caller: groceries again and rent; groceries join the open food case.
    await callAndAnswer(1, { courses: 'yes', loyer: 'yes' });
    cases = await casesOf(ids.H1 as string);
    expect(cases.map((c) => c.type).sort()).toEqual(['food', 'isolation', 'rent']);
    expect(await needs(foodCase)).toEqual(['courses', 'courses', 'medicaments']);
  });

  it('the board lists cases with an overdue task first; tasks, notes under the guard, status, closing', async () => {
    const rentCase = (await casesOf(ids.H1 as string)).find((c) => c.type === 'rent')?.id as string;
    // Today is 30 November 2026 (Paris): a task due yesterday is overdue.
    const task = await inject(manager, 'POST', `/api/cases/${rentCase}/tasks`, { title: 'Proposer un plan d’apurement', dueOn: '2026-11-29' });
    expect(task.statusCode, task.body).toBe(200);
    await inject(manager, 'POST', `/api/cases/${foodCase}/tasks`, { title: 'Appeler l’épicerie solidaire', dueOn: '2026-12-15' });
    const rows = await board(manager);
    expect(rows[0]).toMatchObject({ id: rentCase, overdue: true, openTasks: 1 });
    expect(rows.find((r) => r.id === foodCase)).toMatchObject({ overdue: false, openTasks: 1 });
    const badDate = await inject(manager, 'POST', `/api/cases/${rentCase}/tasks`, { title: 'x y', dueOn: '30/11/2026' });
    expect(badDate.statusCode).toBe(400);

    // A pejorative word or a health term in a general note is refused, nothing written.
    const flagged = await inject(callers[0]?.cookie as string, 'POST', `/api/cases/${foodCase}/notes`, { body: 'Il est alcoolique' });
    expect(flagged.statusCode).toBe(422);
    expect((await h.owner.query('select count(*)::int as n from case_notes where case_id = $1', [foodCase])).rows[0].n).toBe(0);
    expect((await inject(callers[0]?.cookie as string, 'POST', `/api/cases/${foodCase}/notes`, { body: 'Épicerie solidaire contactée.' })).statusCode).toBe(
      200,
    );

    // Waiting for the tenant, then closed with an outcome: its needs close too; a closed case is not changed.
    expect((await inject(manager, 'POST', `/api/cases/${foodCase}/status`, { status: 'waiting_tenant' })).statusCode).toBe(200);
    expect((await board(manager, { status: 'waiting_tenant' })).map((r) => r.id)).toEqual([foodCase]);
    const badClose = await inject(manager, 'POST', `/api/cases/${foodCase}/status`, { status: 'closed', outcome: 'resolved', note: 'Elle est folle' });
    expect(badClose.statusCode).toBe(422);
    const close = await inject(manager, 'POST', `/api/cases/${foodCase}/status`, { status: 'closed', outcome: 'resolved', note: 'Livraisons organisées.' });
    expect(close.statusCode, close.body).toBe(200);
    const needs = (await h.owner.query('select status, resolution from followups where case_id = $1', [foodCase])).rows;
    expect(needs.every((n) => n.status === 'closed' && n.resolution === 'Résolu : Livraisons organisées.')).toBe(true);
    expect((await inject(manager, 'POST', `/api/cases/${foodCase}/status`, { status: 'open' })).statusCode).toBe(409);
    // A new need of the same type opens a new case once the first is closed.
    await callAndAnswer(0, { courses: 'yes' });
    expect((await casesOf(ids.H1 as string)).filter((c) => c.type === 'food').map((c) => c.status)).toEqual(['closed', 'open']);
  });

  it('the caller who raised a need sees only whether it was taken care of', async () => {
    const mine = (await inject(callers[0]?.cookie as string, 'GET', '/api/calls/raised-needs')).json() as { label: string; takenCareOf: boolean }[];
    expect(Object.keys(mine[0] ?? {}).sort()).toEqual(['id', 'label', 'raisedAt', 'takenCareOf']);
    expect(mine.filter((n) => n.label === 'Portage de médicaments').map((n) => n.takenCareOf)).toEqual([true]);
    expect(mine.filter((n) => n.label.startsWith('Isolement')).map((n) => n.takenCareOf)).toEqual([false]);
    // The second caller raised groceries and rent only.
    const theirs = (await inject(callers[1]?.cookie as string, 'GET', '/api/calls/raised-needs')).json() as { label: string }[];
    expect(theirs.map((n) => n.label).sort()).toEqual(['Aide aux courses', 'Difficulté de paiement du loyer']);
    // A volunteer sees their own (none here), never the board.
    expect((await inject(volunteer.cookie, 'GET', '/api/calls/raised-needs')).json()).toEqual([]);
    expect((await inject(volunteer.cookie, 'POST', '/api/cases/board', {})).statusCode).toBe(403);
  });

  it('bulk assignment by a manager, « mes dossiers », and the agency scope of staff', async () => {
    const open = await board(manager);
    const ids2 = open.map((r) => r.id);
    const staff = callers[2] as { cookie: string; user: { id: string } };
    // Staff may not assign.
    expect((await inject(staff.cookie, 'POST', '/api/cases/assign', { ids: ids2, userId: staff.user.id })).statusCode).toBe(403);
    // One unknown case: nothing assigned.
    const unknown = await inject(manager, 'POST', '/api/cases/assign', { ids: [...ids2, '00000000-0000-4000-8000-000000000000'], userId: staff.user.id });
    expect(unknown.statusCode).toBe(404);
    expect((await board(staff.cookie, { assignee: 'me' })).length).toBe(0);
    const res = await inject(manager, 'POST', '/api/cases/assign', { ids: ids2, userId: staff.user.id });
    expect(res.json()).toEqual({ assigned: ids2.length });
    expect((await board(staff.cookie, { assignee: 'me' })).map((r) => r.id).sort()).toEqual([...ids2].sort());
    expect((await inject(staff.cookie, 'GET', '/api/cases/summary')).json()).toMatchObject({ mine: ids2.length, overdue: 1 });
    // Staff of the other agency (not H1's) see none of them, and get 404 on one.
    const h1Agency = (await h.owner.query('select agency_id from cases where id = $1', [ids2[0]])).rows[0].agency_id;
    const south = await signIn(h, await newUser(h, org, 'staff', { agencyIds: org.agencyIds.filter((a) => a !== h1Agency) }));
    expect(await board(south)).toEqual([]);
    expect((await inject(south, 'GET', `/api/cases/${ids2[0]}`)).statusCode).toBe(404);
    expect((await inject(south, 'POST', `/api/cases/${ids2[0]}/notes`, { body: 'Vu.' })).statusCode).toBe(404);
    // A caretaker works on no case.
    const caretaker = await signIn(h, await newUser(h, org, 'caretaker'));
    expect((await inject(caretaker, 'POST', '/api/cases/board', {})).statusCode).toBe(403);
    expect((await inject(caretaker, 'GET', '/api/calls/raised-needs')).statusCode).toBe(200);
    // Staff open a case themselves; a second one of the same type is refused.
    const opened = await inject(staff.cookie, 'POST', '/api/cases', { householdId: ids.H3, type: 'technical' });
    expect(opened.statusCode, opened.body).toBe(200);
    expect((await inject(staff.cookie, 'POST', '/api/cases', { householdId: ids.H3, type: 'technical' })).statusCode).toBe(409);
    expect((await inject(south, 'POST', '/api/cases', { householdId: ids.H3, type: 'other' })).statusCode).toBe(404);
  });

  it('health and violence notes: only social workers and managers read them, enforced by the database', async () => {
    const caseId = (await casesOf(ids.H1 as string)).find((c) => c.type === 'isolation')?.id as string;
    const socialWorker = await newUser(h, org, 'social_worker');
    const sw = await signIn(h, socialWorker);
    const staff = callers[2] as { cookie: string; user: { id: string } };
    // A health term is accepted in a health note (restricted), refused to staff.
    expect((await inject(staff.cookie, 'POST', `/api/cases/${caseId}/notes`, { kind: 'health', body: 'Suivi diabète' })).statusCode).toBe(403);
    const note = await inject(sw, 'POST', `/api/cases/${caseId}/notes`, { kind: 'health', body: 'Suivi diabète, infirmière passe le mardi.' });
    expect(note.statusCode, note.body).toBe(200);
    expect((await inject(sw, 'POST', `/api/cases/${caseId}/notes`, { kind: 'violence', body: 'Il est fou' })).statusCode).toBe(422);
    await inject(sw, 'POST', `/api/cases/${caseId}/notes`, { kind: 'general', body: 'Visite prévue.' });
    const kinds = async (cookie: string) => ((await inject(cookie, 'GET', `/api/cases/${caseId}`)).json().notes as { kind: string }[]).map((n) => n.kind);
    expect(await kinds(sw)).toEqual(['health', 'general']);
    expect(await kinds(manager)).toEqual(['health', 'general']);
    expect(await kinds(staff.cookie)).toEqual(['general']);

    // The database itself, queried as the application role with each role's settings.
    const seen = async (userId: string) =>
      h.database.withOrg({ organisationId: org.id, userId }, async (trx) => {
        const r = await sql<{ n: number }>`select count(*)::int as n from case_notes where case_id = ${caseId} and kind <> 'general'`.execute(trx);
        return r.rows[0]?.n;
      });
    for (const role of roles) {
      const user = role === 'manager' ? managerUser : await newUser(h, org, role, role === 'volunteer' ? { endDate: '2027-06-30' } : {});
      expect({ role, seen: await seen(user.id) }).toEqual({ role, seen: can(role, 'cases.sensitive_notes') ? 1 : 0 });
    }
    // No user (a job): none. Writing one as staff is refused by the policy's check.
    expect(
      await h.database.withOrg(
        { organisationId: org.id },
        async (trx) => (await sql<{ n: number }>`select count(*)::int as n from case_notes where kind = 'health'`.execute(trx)).rows[0]?.n,
      ),
    ).toBe(0);
    await expect(
      h.database.withOrg({ organisationId: org.id, userId: staff.user.id }, (trx) =>
        sql`insert into case_notes (organisation_id, case_id, kind, body) values (${org.id}, ${caseId}, 'violence', 'x')`.execute(trx),
      ),
    ).rejects.toThrow(/row-level security/);
    // The right-of-access export reads every note of the household, whoever runs it.
    const exported = await h.database.withOrg({ organisationId: org.id, userId: staff.user.id }, async (trx) => {
      const rows = await caseRowsOf(trx, ids.H1 as string);
      const after = await sql<{ n: number }>`select count(*)::int as n from case_notes where kind = 'health'`.execute(trx);
      return { kinds: rows.case_notes.map((n) => n.kind), after: after.rows[0]?.n };
    });
    expect(exported.kinds).toContain('health');
    // … for that read only.
    expect(exported.after).toBe(0);
  });

  it('a new health need under consent joins a health case; an urgent need marks its case urgent', async () => {
    at('2026-11-30T10:00:00Z');
    await callAndAnswer(3, { consentement_sante: 'yes', medecin: 'yes' });
    expect((await casesOf(ids.H1 as string)).filter((c) => c.type === 'health').length).toBe(1);
    await callAndAnswer(3, { urgence: 'yes' });
    const urgent = (await h.owner.query('select type, urgent from cases where household_id = $1 and urgent', [ids.H1])).rows;
    // The emergency (not a need of the script) joins the household's « other » case.
    expect(urgent).toEqual([{ type: 'other', urgent: true }]);
  });
});

describe('withdrawing the health consent (TRUST DP-03)', () => {
  it('removes the household’s health cases with their tasks and notes, and health notes on its other cases; nothing else', async () => {
    const sw = await signIn(h, await newUser(h, org, 'social_worker'));
    const staff = callers[2] as { cookie: string };
    /** A household with a health consent, a health case with a task and a health note, a food case with a health and a general note. */
    const seed = async (householdId: string) => {
      const consent = await inject(sw, 'POST', `/api/households/${householdId}/consents`, { channel: 'phone', wordingVersion: 'v1' });
      expect(consent.statusCode, consent.body).toBe(201);
      const open = async (type: string) => {
        const res = await inject(sw, 'POST', '/api/cases', { householdId, type });
        expect(res.statusCode, res.body).toBe(200);
        return res.json().id as string;
      };
      const health = await open('health');
      const food = await open('food');
      expect((await inject(sw, 'POST', `/api/cases/${health}/tasks`, { title: 'Appeler l’infirmière', dueOn: '2026-12-10' })).statusCode).toBe(200);
      expect((await inject(sw, 'POST', `/api/cases/${health}/notes`, { kind: 'health', body: 'Suivi diabète.' })).statusCode).toBe(200);
      expect((await inject(sw, 'POST', `/api/cases/${food}/notes`, { kind: 'health', body: 'Régime sans sel.' })).statusCode).toBe(200);
      expect((await inject(sw, 'POST', `/api/cases/${food}/notes`, { kind: 'general', body: 'Colis livré.' })).statusCode).toBe(200);
      expect((await inject(sw, 'POST', `/api/cases/${food}/tasks`, { title: 'Rappeler l’épicerie', dueOn: '2026-12-11' })).statusCode).toBe(200);
      return { consentId: consent.json().id as string, health, food };
    };
    const state = async (householdId: string) =>
      (
        await h.owner.query(
          `select c.type, c.status,
             (select count(*)::int from case_tasks t where t.case_id = c.id) as tasks,
             (select coalesce(array_agg(n.kind order by n.kind), '{}') from case_notes n where n.case_id = c.id) as notes
           from cases c where c.household_id = $1 and c.type in ('health', 'food') order by c.type`,
          [householdId],
        )
      ).rows;
    const mine = await seed(ids.H2 as string);
    const other = await seed(ids.H6 as string);
    const before = await state(ids.H6 as string);
    expect(before).toEqual([
      { type: 'food', status: 'open', tasks: 1, notes: ['general', 'health'] },
      { type: 'health', status: 'open', tasks: 1, notes: ['health'] },
    ]);

    // Withdrawn through the route by staff, who may withdraw a consent but not read health notes.
    const res = await inject(staff.cookie, 'POST', `/api/households/${ids.H2}/consents/${mine.consentId}/withdraw`);
    expect(res.statusCode, res.body).toBe(200);
    // The health case is gone with its task and note; the food case stays, its general note and task too, not its health note.
    expect(await state(ids.H2 as string)).toEqual([{ type: 'food', status: 'open', tasks: 1, notes: ['general'] }]);
    expect((await h.owner.query('select count(*)::int as n from case_tasks where case_id = $1', [mine.health])).rows[0].n).toBe(0);
    expect((await h.owner.query('select count(*)::int as n from case_notes where case_id = $1', [mine.health])).rows[0].n).toBe(0);
    expect((await inject(sw, 'GET', `/api/cases/${mine.health}`)).statusCode).toBe(404);
    // The withdrawal is audited; the other household keeps everything, its consent active.
    const audit = await h.owner.query(`select details from audit_events where action = 'household.consent_withdrawn' and object_id = $1`, [ids.H2]);
    expect(audit.rows).toHaveLength(1);
    expect(await state(ids.H6 as string)).toEqual(before);
    expect((await h.owner.query('select withdrawn_at from consents where id = $1', [other.consentId])).rows[0].withdrawn_at).toBeNull();
  });
});

describe('closing needs on the « Suivis » page', () => {
  it('closing the last open need of a case closes the case, « résolu » with that resolution; not before', async () => {
    await callAndAnswer(0, { courses: 'yes', medicaments: 'yes' });
    const food = (await casesOf(ids.H1 as string)).find((c) => c.type === 'food' && c.status === 'open')?.id as string;
    const open = (await h.owner.query(`select id from followups where case_id = $1 and status = 'open' order by created_at`, [food])).rows.map((r) => r.id);
    expect(open.length).toBeGreaterThanOrEqual(2);
    const closeNeed = async (id: string) => {
      const res = await inject(manager, 'POST', `/api/followups/${id}/close`, { resolution: `Livraison organisée ${id.slice(-4)}.` });
      expect(res.statusCode, res.body).toBe(200);
    };
    const theCase = async () => (await inject(manager, 'GET', `/api/cases/${food}`)).json();
    for (const id of open.slice(0, -1)) await closeNeed(id);
    expect(await theCase()).toMatchObject({ status: 'open', outcome: null });
    const last = open.at(-1) as string;
    await closeNeed(last);
    expect(await theCase()).toMatchObject({ status: 'closed', outcome: 'resolved', outcomeNote: `Livraison organisée ${last.slice(-4)}.` });
    // The caller sees the need taken care of; the case page refuses a change; the closing is audited.
    const mine = (await inject(callers[0]?.cookie as string, 'GET', '/api/calls/raised-needs')).json() as { id: string; takenCareOf: boolean }[];
    expect(mine.filter((n) => open.includes(n.id)).map((n) => n.takenCareOf)).toEqual(open.map(() => true));
    expect((await inject(manager, 'POST', `/api/cases/${food}/status`, { status: 'open' })).statusCode).toBe(409);
    expect((await h.owner.query(`select count(*)::int as n from audit_events where action = 'case.closed' and object_id = $1`, [food])).rows[0].n).toBe(1);
  });
});

describe('one timeline per household (issue 14)', () => {
  it('the household file lists its cases, tasks and notes, each role seeing only what it may', async () => {
    const swUser = await newUser(h, org, 'social_worker');
    const sw = await signIn(h, swUser);
    const opened = await inject(sw, 'POST', '/api/cases', { householdId: ids.H6, type: 'isolation' });
    expect(opened.statusCode, opened.body).toBe(200);
    const caseId = opened.json().id as string;
    const task = await inject(sw, 'POST', `/api/cases/${caseId}/tasks`, { title: 'Visite de convivialité', dueOn: '2026-12-12' });
    expect(task.statusCode, task.body).toBe(200);
    for (const [kind, body] of [
      ['general', 'Visite prévue jeudi.'],
      ['health', 'Suivi cardiologie.'],
      ['violence', 'Signalement en cours.'],
    ])
      expect((await inject(sw, 'POST', `/api/cases/${caseId}/notes`, { kind, body })).statusCode).toBe(200);

    type Event = { at: string; type: string; label: string; caseId?: string };
    const timelineOf = async (cookie: string) => {
      const res = await inject(cookie, 'GET', `/api/households/${ids.H6}`);
      return { status: res.statusCode, timeline: res.json().timeline as Event[] | undefined };
    };
    const ofCase = (t: Event[] | undefined) => (t ?? []).filter((e) => e.caseId === caseId);
    const labels = (t: Event[] | undefined) => ofCase(t).map((e) => `${e.type}: ${e.label}`);
    const full = [
      'case: Dossier ouvert : Isolement (Personnel)',
      'task: Tâche : Visite de convivialité, échéance 12/12/2026 (dossier Isolement)',
      'note: Note générale (dossier Isolement)',
      'note: Note santé (restreinte) (dossier Isolement)',
      'note: Note violences (restreinte) (dossier Isolement)',
    ];
    const sensitive = (l: string) => /restreinte/.test(l);
    // Social worker and manager: everything; staff and the administrator: no health or violence note (the database policy).
    expect(labels((await timelineOf(sw)).timeline).sort()).toEqual([...full].sort());
    expect(labels((await timelineOf(manager)).timeline).sort()).toEqual([...full].sort());
    const staff = callers[2] as { cookie: string };
    const staffSees = labels((await timelineOf(staff.cookie)).timeline);
    expect(staffSees.sort()).toEqual(full.filter((l) => !sensitive(l)).sort());
    const admin = await signIn(h, await newUser(h, org, 'org_admin'));
    expect(labels((await timelineOf(admin)).timeline).sort()).toEqual(full.filter((l) => !sensitive(l)).sort());
    // One list, most recent first, calls and cases together; each event has its type for the page's filter.
    const swTimeline = (await timelineOf(sw)).timeline as Event[];
    expect(swTimeline.map((e) => e.at)).toEqual([...swTimeline.map((e) => e.at)].sort().reverse());
    // A caretaker keeping the residence reads the file without any timeline; a volunteer reads no file.
    const caretakerUser = await newUser(h, org, 'caretaker');
    await h.owner.query(
      `update residences set caretaker_id = $1 where id = (select residence_id from housing_units u join households x on x.unit_id = u.id where x.id = $2)`,
      [caretakerUser.id, ids.H6],
    );
    const caretaker = await timelineOf(await signIn(h, caretakerUser));
    expect(caretaker.status).toBe(200);
    expect(caretaker.timeline).toBeUndefined();
    expect((await timelineOf(volunteer.cookie)).status).toBe(403);
    // Staff of another agency do not reach the household at all.
    const h6Agency = (await h.owner.query('select agency_id from cases where id = $1', [caseId])).rows[0].agency_id;
    const other = await signIn(h, await newUser(h, org, 'staff', { agencyIds: org.agencyIds.filter((a) => a !== h6Agency) }));
    expect((await timelineOf(other)).status).toBe(404);
  });
});
