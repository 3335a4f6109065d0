// Why: the dispatch and outcome rules lived in two places (TypeScript and these PL/pgSQL bodies,
// ADR 0007); changing a rule meant a migration replacing a whole function, and
// `campaign_record_outcome` took 21 positional parameters and wrote 6 tables. The rules are now in
// the calls service, the atomic part is one `FOR UPDATE SKIP LOCKED` claim statement and one
// transaction per outcome that locks the caller's target row (ADR 0009). The four functions go;
// the session resolution (`auth_resolve_session`) stays.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function campaign_next_call(uuid, uuid, text, text, uuid, timestamptz, text, boolean, boolean, jsonb);
    drop function campaign_record_outcome(uuid, uuid, text, text, uuid, timestamptz, bigint, bigint, text, text, timestamptz, jsonb, text, text[],
      boolean, text, timestamptz, text[], text, text, jsonb);
    drop function campaign_call_context(uuid, uuid);
    drop function campaign_call_card(uuid);
  `.execute(db);
}
