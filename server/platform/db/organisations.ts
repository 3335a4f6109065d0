import { sql } from 'kysely';
import type { Database, Tx } from './database.ts';
import { openOwnerPool } from './database.ts';

/**
 * The organisation directory, for maintenance commands (seed, import) that start from a slug.
 * Reading across organisations needs the owner role; requests never use this.
 */
export async function organisationIdBySlug(ownerUrl: string, slug: string): Promise<string | null> {
  const pool = openOwnerPool(ownerUrl, 1);
  try {
    const { rows } = await pool.query<{ id: string }>('select id from organisations where slug = $1', [slug]);
    return rows[0]?.id ?? null;
  } finally {
    await pool.end();
  }
}

export async function countOrganisations(ownerUrl: string): Promise<number> {
  const pool = openOwnerPool(ownerUrl, 1);
  try {
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from organisations');
    return rows[0]?.n ?? 0;
  } finally {
    await pool.end();
  }
}

/**
 * Mark the demo organisation (its second-factor page shows the demo accounts' codes). Only the
 * demo seed calls this, through the owner connection: the application role cannot set `is_demo`.
 */
export async function markDemoOrganisation(ownerUrl: string, id: string): Promise<void> {
  const pool = openOwnerPool(ownerUrl, 1);
  try {
    await pool.query('update organisations set is_demo = true where id = $1', [id]);
  } finally {
    await pool.end();
  }
}

/** Create an organisation: its id is chosen first so the insert passes its own RLS check. */
export async function createOrganisation(database: Database, input: { slug: string; name: string; kind?: 'landlord' | 'federation' }): Promise<string> {
  const { rows } = await sql<{ id: string }>`select lien_uuid_v7() as id`.execute(database.db);
  const id = (rows[0] as { id: string }).id;
  await database.withOrg({ organisationId: id }, (trx) =>
    trx
      .insertInto('organisations')
      .values({ id, slug: input.slug, name: input.name, kind: input.kind ?? 'landlord' })
      .execute(),
  );
  return id;
}

/** The transaction's organisation (row-level security shows only it). */
export function organisationOf(trx: Tx) {
  return trx.selectFrom('organisations').select(['id', 'name', 'slug']).executeTakeFirstOrThrow();
}

/** Whether the transaction's organisation is the demo one (set only by the demo seed). */
export async function isDemoOrganisation(trx: Tx): Promise<boolean> {
  const row = await trx.selectFrom('organisations').select('is_demo').executeTakeFirst();
  return row?.is_demo === true;
}

/** The transaction's organisation with its kind: a landlord, or a federation of landlords (issue 18). */
export async function organisationKindOf(trx: Tx): Promise<{ id: string; name: string; kind: 'landlord' | 'federation' }> {
  const row = await trx.selectFrom('organisations').select(['id', 'name', 'kind']).executeTakeFirstOrThrow();
  return row as { id: string; name: string; kind: 'landlord' | 'federation' };
}
