/** SQL of volunteers' recruitment and onboarding (issue 17): the public page, applications, the training, profiles. */
import { sql } from 'kysely';
import type { VolunteerSkill, VolunteerTrainingBody } from '../../../contracts/solidarity.ts';
import type { Database, Tx } from '../../platform/db/database.ts';

/** The organisation of an open sign-up page, through the one security-definer function (no session, no organisation yet). */
export async function openPage(database: Database, slug: string) {
  const r = await sql<{ organisation_id: string; organisation_name: string; intro: string }>`
    select organisation_id, organisation_name, intro from lien_volunteer_page(${slug})`.execute(database.db);
  return r.rows[0];
}

export async function pageOf(trx: Tx) {
  return trx.selectFrom('volunteer_pages').select(['slug', 'open', 'intro']).executeTakeFirst();
}

export async function savePage(trx: Tx, p: { slug: string; open: boolean; intro: string }) {
  await sql`insert into volunteer_pages (organisation_id, slug, open, intro) values (lien_current_org(), ${p.slug}, ${p.open}, ${p.intro})
    on conflict (organisation_id) do update set slug = excluded.slug, open = excluded.open, intro = excluded.intro, updated_at = now()`.execute(trx);
}

export type NewApplication = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  availability: string;
  skills: VolunteerSkill[];
  languages: string | null;
  area: string;
};

export async function insertApplication(trx: Tx, a: NewApplication): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into volunteer_applications (organisation_id, first_name, last_name, email, phone, availability, skills, languages, area)
    values (lien_current_org(), ${a.firstName}, ${a.lastName}, ${a.email}, ${a.phone}, ${a.availability}, ${a.skills}::text[], ${a.languages}, ${a.area})
    returning id`.execute(trx);
  return r.rows[0]?.id as string;
}

export type ApplicationRow = {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  availability: string;
  skills: VolunteerSkill[];
  languages: string | null;
  area: string;
  status: 'pending' | 'accepted' | 'declined';
  created_at: Date;
};

export async function listApplications(trx: Tx, status: ApplicationRow['status']): Promise<ApplicationRow[]> {
  const r = await sql<ApplicationRow>`
    select id, first_name, last_name, email, phone, availability, skills, languages, area, status, created_at
    from volunteer_applications where status = ${status} order by created_at desc limit 500`.execute(trx);
  return r.rows;
}

export async function applicationById(trx: Tx, id: string): Promise<ApplicationRow | undefined> {
  const r = await sql<ApplicationRow>`
    select id, first_name, last_name, email, phone, availability, skills, languages, area, status, created_at
    from volunteer_applications where id = ${id} for update`.execute(trx);
  return r.rows[0];
}

export async function decide(trx: Tx, id: string, d: { status: 'accepted' | 'declined'; by: string; at: Date; userId: string | null }) {
  await sql`update volunteer_applications set status = ${d.status}, decided_by = ${d.by}, decided_at = ${d.at}, user_id = ${d.userId} where id = ${id}`.execute(
    trx,
  );
}

export async function createProfile(trx: Tx, userId: string, applicationId: string | null) {
  await sql`insert into volunteer_profiles (user_id, organisation_id, application_id) values (${userId}, lien_current_org(), ${applicationId})
    on conflict (user_id) do nothing`.execute(trx);
}

export type TrainingRow = { version: number; content: string; questions: VolunteerTrainingBody['questions'] };

export async function trainingOf(trx: Tx): Promise<TrainingRow | undefined> {
  return (await trx.selectFrom('volunteer_trainings').select(['version', 'content', 'questions']).executeTakeFirst()) as TrainingRow | undefined;
}

/** Writes the training; a new version each time (every volunteer passes it again). */
export async function saveTraining(trx: Tx, t: VolunteerTrainingBody, by: string): Promise<number> {
  const r = await sql<{ version: number }>`
    insert into volunteer_trainings (organisation_id, content, questions, updated_by) values (lien_current_org(), ${t.content}, ${JSON.stringify(t.questions)}::jsonb, ${by})
    on conflict (organisation_id) do update set version = volunteer_trainings.version + 1, content = excluded.content, questions = excluded.questions,
      updated_by = excluded.updated_by, updated_at = now()
    returning version`.execute(trx);
  return r.rows[0]?.version as number;
}

export type ProfileRow = { training_version: number | null; paused_at: Date | null };

export async function profileOf(trx: Tx, userId: string): Promise<ProfileRow | undefined> {
  return trx.selectFrom('volunteer_profiles').select(['training_version', 'paused_at']).where('user_id', '=', userId).executeTakeFirst();
}

export async function passTraining(trx: Tx, userId: string, version: number, at: Date) {
  await sql`insert into volunteer_profiles (user_id, organisation_id, training_version, training_passed_at) values (${userId}, lien_current_org(), ${version}, ${at})
    on conflict (user_id) do update set training_version = excluded.training_version, training_passed_at = excluded.training_passed_at`.execute(trx);
}

export async function setPaused(trx: Tx, userId: string, at: Date | null) {
  await sql`insert into volunteer_profiles (user_id, organisation_id, paused_at) values (${userId}, lien_current_org(), ${at})
    on conflict (user_id) do update set paused_at = excluded.paused_at`.execute(trx);
}

/** Why this volunteer may not reach a household now ('paused', 'training') or null: the database's rule, as the calls read it. */
export async function gateOf(trx: Tx, userId: string): Promise<'paused' | 'training' | null> {
  const r = await sql<{ gate: 'paused' | 'training' | null }>`select lien_volunteer_gate(${userId}) as gate`.execute(trx);
  return r.rows[0]?.gate ?? null;
}
