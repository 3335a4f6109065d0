// Why: invitation and password-reset links (token included) were stored in clear in `messages`
// and shown to the org admin in the outbox page, who could take over an account with them. A
// message now keeps its body with the link masked; the full text is sealed (AES-256-GCM, key
// outside the database) in `sealed_body`, opened only by the sending adapter and set to NULL
// once the message is settled or its link has expired (`sealed_until`). The links already
// stored are masked here (ADR 0008).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table messages
      add column sealed_body bytea,
      add column sealed_until timestamptz,
      add constraint messages_sealed_while_pending check (sealed_body is null or status in ('queued', 'sending')),
      add constraint messages_sealed_has_expiry check (sealed_body is null or sealed_until is not null);
    create index messages_org_sealed_idx on messages (organisation_id, sealed_until) where sealed_body is not null;
    update messages set body = regexp_replace(body, 'https?://[^[:space:]#]+#[A-Za-z0-9_-]+', '[lien personnel masqué]', 'g')
      where purpose in ('invitation', 'password_reset') and body ~ '#[A-Za-z0-9_-]{20,}';
  `.execute(db);
}
