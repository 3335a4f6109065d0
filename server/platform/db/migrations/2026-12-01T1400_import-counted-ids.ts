// Why (issue 12, import speed; ADR 0012): every row an import creates drew its id from
// `lien_uuid_v7()`, that is `gen_random_uuid()`, whose strong random source makes a system call
// per id (expensive in virtual machines): ≈ 4 million ids for 500,000 households. The import now
// names its rows itself: a UUID version 7 whose time is the apply's start, whose next 28 bits
// count the file's rows (so the ids of one statement come in order, and their B-trees are filled
// left to right), and whose last 44 bits are keyed random: the MD5 of a secret drawn by the
// server for that apply (128 strong random bits, never stored) and the row's number. Immutable:
// the same three inputs give the same id; only the import calls it.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function lien_uuid_v7_counted(prefix text, secret text, n bigint) returns uuid
    language sql immutable parallel safe as $$
      select (prefix || lpad(to_hex(n >> 16), 3, '0') || '8' || lpad(to_hex(n & 65535), 4, '0') || substr(md5(secret || n::text), 1, 11))::uuid
    $$;
  `.execute(db);
}
