/** The SQL of the `files` table (platform/files owns it). */
import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';

export type StoredFile = {
  id: string;
  storage_name: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  scan_status: 'pending' | 'clean' | 'infected';
};

export async function insertFile(
  trx: Tx,
  f: { storageName: string; fileName: string; contentType: string; size: number; purpose: string; createdBy: string | null },
): Promise<string> {
  const r = await sql<{ id: string }>`
    insert into files (organisation_id, storage_name, file_name, content_type, size_bytes, purpose, created_by)
    values (lien_current_org(), ${f.storageName}, ${f.fileName}, ${f.contentType}, ${f.size}, ${f.purpose}, ${f.createdBy})
    returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export async function storedFile(trx: Tx, id: string): Promise<StoredFile | undefined> {
  const r = await sql<StoredFile>`
    select id, storage_name, file_name, content_type, size_bytes, scan_status from files where id = ${id}::uuid`.execute(trx);
  return r.rows[0];
}

/** Records a scan's verdict; a file already judged keeps its verdict. */
export async function markScanned(trx: Tx, id: string, verdict: { status: 'clean' | 'infected'; signature: string | null }) {
  await sql`update files set scan_status = ${verdict.status}, scan_signature = ${verdict.signature}, scanned_at = now()
    where id = ${id}::uuid and scan_status = 'pending'`.execute(trx);
}
