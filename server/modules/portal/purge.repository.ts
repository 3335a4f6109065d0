/**
 * What the retention purge (TRUST DP-02) removes from the portal's tables: a request, its
 * exchanges and internal notes end when it is closed or resolved (purpose « portail locataire »);
 * sign-in codes and tenant sessions are security data that end when used, expired or ended. The
 * photos and documents of the exchanges go with them: a request's file no exchange holds any more
 * is deleted (platform/files: its record now, its bytes once the purge commits).
 */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import { changed, deleteExpired, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';
import { deleteFiles, unheldFilesTarget } from '../../platform/files/files.ts';

const requestExpired = (e: Expiry) => expired(e, sql`q.created_at`, sql`q.closed_at`);

const documentRequestExpired = (e: Expiry) => expired(e, sql`d.asked_at`, sql`d.closed_at`);

export const portalPurgeTargets: PurgeTarget[] = [
  // Documents (issue 16): a published document ends when withdrawn, a document asked for when
  // accepted; their files go with them (the two file targets below).
  {
    table: 'portal_document_uploads',
    purpose: 'portal',
    action: 'delete',
    label: 'Envois de documents demandés acceptés',
    purge: (trx, e) =>
      changed(
        trx,
        sql`delete from portal_document_uploads u where exists (select 1 from portal_document_requests d where d.organisation_id = u.organisation_id and d.id = u.request_id and ${documentRequestExpired(e)})`,
      ),
  },
  {
    table: 'portal_document_requests',
    purpose: 'portal',
    action: 'delete',
    label: 'Documents demandés aux locataires et acceptés',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'portal_document_requests', alias: 'd', recorded: sql`d.asked_at`, ended: sql`d.closed_at` }),
  },
  {
    table: 'portal_documents',
    purpose: 'portal',
    action: 'delete',
    label: 'Documents retirés de l’espace locataire',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'portal_documents', alias: 'p', recorded: sql`p.published_at`, ended: sql`p.withdrawn_at` }),
  },
  unheldFilesTarget({
    filePurpose: 'portal_document',
    purpose: 'portal',
    label: 'Fichiers des documents retirés de l’espace locataire',
    heldBy: (fileId) => sql`exists (select 1 from portal_documents p where p.file_id = ${fileId})`,
  }),
  unheldFilesTarget({
    filePurpose: 'portal_document_request',
    purpose: 'portal',
    label: 'Fichiers envoyés pour des documents demandés acceptés',
    heldBy: (fileId) => sql`exists (select 1 from portal_document_uploads u where u.file_id = ${fileId})`,
  }),
  {
    table: 'portal_request_messages',
    purpose: 'portal',
    action: 'delete',
    label: 'Échanges des demandes en ligne terminées',
    purge: (trx, e) =>
      changed(
        trx,
        sql`delete from portal_request_messages m where exists (select 1 from portal_requests q where q.organisation_id = m.organisation_id and q.id = m.request_id and ${requestExpired(e)})`,
      ),
  },
  {
    table: 'portal_request_notes',
    purpose: 'portal',
    action: 'delete',
    label: 'Notes internes des demandes en ligne terminées',
    purge: (trx, e) =>
      changed(
        trx,
        sql`delete from portal_request_notes n where exists (select 1 from portal_requests q where q.organisation_id = n.organisation_id and q.id = n.request_id and ${requestExpired(e)})`,
      ),
  },
  {
    table: 'portal_requests',
    purpose: 'portal',
    action: 'delete',
    label: 'Demandes en ligne terminées',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'portal_requests', alias: 'q', recorded: sql`q.created_at`, ended: sql`q.closed_at` }),
  },
  // After the exchanges and the requests (whose deletion takes their exchanges): the files they held.
  unheldFilesTarget({
    // The purpose requests.service `tenantFile` stores a request's photo or document under.
    filePurpose: 'portal_request',
    purpose: 'portal',
    label: 'Photos et documents des demandes en ligne terminées',
    heldBy: (fileId) => sql`exists (select 1 from portal_request_messages m where m.file_id = ${fileId})`,
  }),
  {
    table: 'portal_codes',
    purpose: 'security',
    action: 'delete',
    label: 'Codes de connexion à l’espace locataire',
    purge: (trx, e) => deleteExpired(trx, e, { table: 'portal_codes', alias: 'c', recorded: sql`c.created_at`, ended: sql`coalesce(c.used_at, c.expires_at)` }),
  },
  {
    table: 'tenant_sessions',
    purpose: 'security',
    action: 'delete',
    label: 'Sessions terminées de l’espace locataire',
    purge: (trx, e) =>
      deleteExpired(trx, e, { table: 'tenant_sessions', alias: 's', recorded: sql`s.created_at`, ended: sql`coalesce(s.ended_at, s.last_seen_at)` }),
  },
];

/**
 * Erasure of a household's requests (TRUST DP-07, privacy's erasure plan, purpose « portail
 * locataire »): its requests, their exchanges and internal notes, and the files the exchanges held
 * (records in the caller's transaction, bytes once it commits; `files` null: left to the sweep).
 * The counts deleted per table.
 */
export async function erasePortalRequestsOf(trx: Tx, files: Parameters<typeof deleteFiles>[1], organisationId: string, householdId: string) {
  const held = await sql<{ file_id: string }>`
    select m.file_id from portal_request_messages m where m.household_id = ${householdId} and m.file_id is not null`.execute(trx);
  const requests = sql`select q.id from portal_requests q where q.household_id = ${householdId}`;
  const notes = await changed(trx, sql`delete from portal_request_notes n where n.request_id in (${requests})`);
  const messages = await changed(trx, sql`delete from portal_request_messages m where m.request_id in (${requests})`);
  const removed = await changed(trx, sql`delete from portal_requests q where q.household_id = ${householdId}`);
  const fileCount = await deleteFiles(
    trx,
    files,
    organisationId,
    held.rows.map((r) => r.file_id),
  );
  return { portal_request_notes: notes, portal_request_messages: messages, portal_requests: removed, files: fileCount };
}

/**
 * Erasure of a household's documents (same plan, same purpose): the documents made available to it,
 * the documents asked of it with what it sent, and their files (bytes once the erasure commits).
 */
export async function erasePortalDocumentsOf(trx: Tx, files: Parameters<typeof deleteFiles>[1], organisationId: string, householdId: string) {
  const held = await sql<{ file_id: string }>`
    select p.file_id from portal_documents p where p.household_id = ${householdId}
    union select u.file_id from portal_document_uploads u where u.household_id = ${householdId}`.execute(trx);
  const uploads = await changed(trx, sql`delete from portal_document_uploads u where u.household_id = ${householdId}`);
  const requests = await changed(trx, sql`delete from portal_document_requests d where d.household_id = ${householdId}`);
  const documents = await changed(trx, sql`delete from portal_documents p where p.household_id = ${householdId}`);
  const fileCount = await deleteFiles(
    trx,
    files,
    organisationId,
    held.rows.map((r) => r.file_id),
  );
  return { portal_document_uploads: uploads, portal_document_requests: requests, portal_documents: documents, files: fileCount };
}
