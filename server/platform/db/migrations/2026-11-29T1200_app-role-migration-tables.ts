// Why: the application role `lien_app` got select, insert, update and delete on every table the
// owner creates in `public` (default privileges), the migration history and its lock included:
// a compromised request path could rewrite which migrations ran, or hold the lock. Requests
// never read them; only the owner role migrates. (TRUST MT-02: the app role writes nothing but
// what the application needs.) Kysely creates both tables before the first migration, so they
// exist here on a fresh database too.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`revoke all on table kysely_migration, kysely_migration_lock from lien_app`.execute(db);
}
