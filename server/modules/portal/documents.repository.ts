/** The SQL of the portal's documents (migration 2026-12-02T1400_portal-documents; module portal owns the tables). */
import { sql } from 'kysely';
import type { DocumentKind, DocumentRequestStatus } from '../../../contracts/portal.ts';
import type { Tx } from '../../platform/db/database.ts';

export type DocumentRow = {
  id: string;
  household_id: string;
  kind: DocumentKind;
  title: string;
  file_id: string;
  published_at: Date;
  first_opened_at: Date | null;
  withdrawn_at: Date | null;
};

const documentColumns = sql`id, household_id, kind, title, file_id, published_at, first_opened_at, withdrawn_at`;

export async function insertDocument(trx: Tx, d: { householdId: string; kind: DocumentKind; title: string; fileId: string; userId: string }) {
  const r = await sql<{ id: string }>`insert into portal_documents (organisation_id, household_id, kind, title, file_id, published_by)
    values (lien_current_org(), ${d.householdId}, ${d.kind}, ${d.title}, ${d.fileId}, ${d.userId}) returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

/** A household's documents, newest first; `live`: only those not withdrawn (the tenant's list). */
export async function documentsOf(trx: Tx, householdId: string, live: boolean): Promise<DocumentRow[]> {
  const r = await sql<DocumentRow>`select ${documentColumns} from portal_documents
    where household_id = ${householdId} ${live ? sql`and withdrawn_at is null` : sql``}
    order by published_at desc limit 200`.execute(trx);
  return r.rows;
}

export async function documentById(trx: Tx, id: string): Promise<DocumentRow | undefined> {
  const r = await sql<DocumentRow>`select ${documentColumns} from portal_documents where id = ${id}::uuid`.execute(trx);
  return r.rows[0];
}

export async function withdrawDocument(trx: Tx, id: string): Promise<boolean> {
  const r = await sql`update portal_documents set withdrawn_at = now() where id = ${id}::uuid and withdrawn_at is null`.execute(trx);
  return Number(r.numAffectedRows) === 1;
}

/** The first time the tenant opens it; later openings keep the first moment. */
export async function markOpened(trx: Tx, id: string) {
  await sql`update portal_documents set first_opened_at = now() where id = ${id}::uuid and first_opened_at is null`.execute(trx);
}

export type DocumentRequestRow = {
  id: string;
  household_id: string;
  label: string;
  note: string | null;
  due_on: string | null;
  asked_at: Date;
  status: DocumentRequestStatus;
  redo_reason: string | null;
};

const requestColumns = sql`id, household_id, label, note, to_char(due_on, 'YYYY-MM-DD') as due_on, asked_at, status, redo_reason`;

export async function insertDocumentRequest(trx: Tx, d: { householdId: string; label: string; note: string | null; dueOn: string | null; userId: string }) {
  const r = await sql<{ id: string }>`insert into portal_document_requests (organisation_id, household_id, label, note, due_on, asked_by)
    values (lien_current_org(), ${d.householdId}, ${d.label}, ${d.note}, ${d.dueOn}::date, ${d.userId}) returning id`.execute(trx);
  return (r.rows[0] as { id: string }).id;
}

export async function documentRequestsOf(trx: Tx, householdId: string): Promise<DocumentRequestRow[]> {
  const r = await sql<DocumentRequestRow>`select ${requestColumns} from portal_document_requests
    where household_id = ${householdId} order by asked_at desc limit 200`.execute(trx);
  return r.rows;
}

export async function documentRequestById(trx: Tx, id: string, forUpdate = false): Promise<DocumentRequestRow | undefined> {
  const r = await sql<DocumentRequestRow>`select ${requestColumns} from portal_document_requests where id = ${id}::uuid
    ${forUpdate ? sql`for update` : sql``}`.execute(trx);
  return r.rows[0];
}

export async function setDocumentRequestStatus(trx: Tx, id: string, status: DocumentRequestStatus, redoReason: string | null) {
  await sql`update portal_document_requests set status = ${status}, redo_reason = ${redoReason}, updated_at = now(),
    closed_at = ${status === 'accepted' ? sql`now()` : sql`null`} where id = ${id}::uuid`.execute(trx);
}

export async function insertUpload(trx: Tx, u: { requestId: string; householdId: string; fileId: string; personId: string }) {
  await sql`insert into portal_document_uploads (organisation_id, request_id, household_id, file_id, person_id)
    values (lien_current_org(), ${u.requestId}, ${u.householdId}, ${u.fileId}, ${u.personId})`.execute(trx);
}

export type UploadRow = { request_id: string; file_id: string; uploaded_at: Date };

export async function uploadsOf(trx: Tx, requestIds: string[]): Promise<UploadRow[]> {
  if (!requestIds.length) return [];
  const r = await sql<UploadRow>`select request_id, file_id, uploaded_at from portal_document_uploads
    where request_id = any(${requestIds}::uuid[]) order by uploaded_at`.execute(trx);
  return r.rows;
}

/** The household whose portal documents (published, or sent for a request) hold this file (the staff link's check). */
export async function fileHousehold(trx: Tx, fileId: string): Promise<string | undefined> {
  const r = await sql<{ household_id: string }>`
    select household_id from portal_document_uploads where file_id = ${fileId}::uuid
    union all select household_id from portal_documents where file_id = ${fileId}::uuid limit 1`.execute(trx);
  return r.rows[0]?.household_id;
}

/** The household's documents, requests and files sent, for the right-of-access file (privacy). */
export async function documentRowsOf(trx: Tx, householdId: string) {
  const documents = await sql<Record<string, unknown>>`select * from portal_documents where household_id = ${householdId} order by published_at`.execute(trx);
  const requests = await sql<Record<string, unknown>>`select * from portal_document_requests where household_id = ${householdId} order by asked_at`.execute(
    trx,
  );
  const uploads = await sql<Record<string, unknown>>`select * from portal_document_uploads where household_id = ${householdId} order by uploaded_at`.execute(
    trx,
  );
  return { portal_documents: documents.rows, portal_document_requests: requests.rows, portal_document_uploads: uploads.rows };
}
