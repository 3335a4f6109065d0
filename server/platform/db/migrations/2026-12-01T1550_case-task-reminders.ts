// Why (issue 14, « tasks with due dates and reminders »): a task kept a « remind » option that
// nothing acted on. The reminder is now an e-mail to the case's assignee on the due day (from
// 8:00, Paris time), sent once: `reminded_at` records it, and the partial index finds the tasks
// still to remind without reading the done ones.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table case_tasks add column reminded_at timestamptz;
    create index case_tasks_to_remind_idx on case_tasks (organisation_id, due_on) where remind and done_at is null and reminded_at is null;
  `.execute(db);
}
