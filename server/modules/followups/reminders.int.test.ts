import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenance } from '../../platform/jobs/maintenance.ts';
import { type Harness, newOrganisation, newUser, startHarness, type TestOrg, type TestUser } from '../../test/harness.ts';
import { importFile } from '../registry/index.ts';
import { caseTaskReminders } from './index.ts';

let h: Harness;
let org: TestOrg;
let assignee: TestUser;
let creator: TestUser;
let householdId = '';

const HEADER = 'Code agence;Code groupe;Nom groupe;Adresse;Code postal;Commune;N° logement;N° bail;N° occupant;Nom;Prénom;Date de naissance;Tél portable';
const ROW = 'A1;G1;Les Tilleuls;12 rue Jean Jaurès;94400;Vitry-sur-Seine;L1;H1;P1;Martin;Jeanne;03/04/1935;06 12 34 56 01';

const q = async (text: string, values: unknown[] = []) => (await h.owner.query(text, values)).rows;
const openCase = async (type: string, assignedTo: string | null, status = 'open') =>
  (
    await q(
      `insert into cases (organisation_id, household_id, agency_id, type, origin, status, assigned_to, outcome, closed_at)
       values ($1, $2, $3, $4, 'staff', $5, $6, case when $5 = 'closed' then 'resolved' end, case when $5 = 'closed' then now() end) returning id`,
      [org.id, householdId, org.agencyIds[0], type, status, assignedTo],
    )
  )[0].id as string;
const task = async (caseId: string, title: string, dueOn: string, extra: { remind?: boolean; done?: boolean } = {}) =>
  (
    await q(
      `insert into case_tasks (organisation_id, case_id, title, due_on, remind, done_at, created_by)
       values ($1, $2, $3, $4, $5, case when $6 then now() end, $7) returning id`,
      [org.id, caseId, title, dueOn, extra.remind ?? true, extra.done ?? false, creator.id],
    )
  )[0].id as string;
const remindersAt = (iso: string) => runMaintenance(h.database, [caseTaskReminders(h.jobs, 'https://lien.example.fr')], new Date(iso));
/** Tasks of this organisation reminded so far (the maintenance runs over every organisation of the shared test database). */
const remindedCount = async () =>
  (await q('select count(*)::int as n from case_tasks where organisation_id = $1 and reminded_at is not null', [org.id]))[0].n as number;
const mails = () =>
  q(`select recipient, subject, body from messages where organisation_id = $1 and purpose = 'case_task_reminder' order by subject, recipient`, [org.id]);

beforeAll(async () => {
  h = await startHarness();
  org = await newOrganisation(h);
  await importFile(h.deps, { organisationId: org.id }, Readable.from([Buffer.from(`${HEADER}\n${ROW}`)]), { fileName: 'x.csv' });
  householdId = (await q('select id from households where organisation_id = $1', [org.id]))[0].id;
  assignee = await newUser(h, org, 'social_worker');
  creator = await newUser(h, org, 'staff');
});
afterAll(() => h.close());

describe('task reminders (issue 14)', () => {
  it('e-mails the assignee (else who set the task) once, on the due day from 8:00 Paris time, nothing of the household', async () => {
    const assigned = await openCase('food', assignee.id);
    const unassigned = await openCase('isolation', null);
    const closed = await openCase('technical', assignee.id, 'closed');
    const yesterday = await task(assigned, 'Appeler l’épicerie solidaire', '2026-11-29');
    const today = await task(unassigned, 'Passer voir Mme Martin', '2026-11-30');
    await task(assigned, 'Relancer le CCAS', '2026-12-01');
    await task(assigned, 'Sans rappel', '2026-11-29', { remind: false });
    await task(assigned, 'Déjà faite', '2026-11-29', { done: true });
    await task(closed, 'Dossier clos', '2026-11-29');

    // Monday 30 November 2026, 7:00 in Paris: yesterday's task only.
    await remindersAt('2026-11-30T06:00:00Z');
    expect(await remindedCount()).toBe(1);
    expect(await mails()).toEqual([
      {
        recipient: assignee.email,
        subject: 'Échéance d’une tâche le 29/11/2026',
        body: expect.stringContaining(`https://lien.example.fr/dossiers/${assigned}`),
      },
    ]);
    // 9:00: today's task, whose case has no assignee, goes to the staff member who set it.
    await remindersAt('2026-11-30T08:00:00Z');
    expect(await remindedCount()).toBe(2);
    const sent = await mails();
    expect(sent.map((m) => m.recipient).sort()).toEqual([assignee.email, creator.email].sort());
    // Nothing of the household or the task's text leaves Lien in the e-mail.
    for (const m of sent) {
      expect(m.body).not.toMatch(/Martin|Jeanne|épicerie|Passer voir/);
      expect(m.body).toContain('Ce message ne contient volontairement aucune information sur le ménage.');
    }
    // Once only: a second pass, later the same day, sends nothing more.
    expect((await remindersAt('2026-11-30T15:00:00Z')).failures).toBe(0);
    expect(await remindedCount()).toBe(2);
    expect(await mails()).toHaveLength(2);
    const reminded = await q('select id from case_tasks where organisation_id = $1 and reminded_at is not null order by id', [org.id]);
    expect(reminded.map((r) => r.id).sort()).toEqual([yesterday, today].sort());
  });
});
