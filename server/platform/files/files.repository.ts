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

/** Deletes file records (the caller's organisation: RLS); the storage names of those that went. */
export async function deleteFileRows(trx: Tx, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const r = await sql<{ storage_name: string }>`delete from files where id = any(${[...ids]}::uuid[]) returning storage_name`.execute(trx);
  return r.rows.map((x) => x.storage_name);
}

/** Which of these storage names have a record (the others' bytes are orphans). */
export async function recordedNames(trx: Tx, names: readonly string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const r = await sql<{ storage_name: string }>`select storage_name from files where storage_name = any(${[...names]}::text[])`.execute(trx);
  return new Set(r.rows.map((x) => x.storage_name));
}
