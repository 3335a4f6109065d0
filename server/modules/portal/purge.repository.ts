/**
 * What the retention purge (TRUST DP-02) removes from the portal's tables: a request, its
 * exchanges and internal notes end when it is closed or resolved (purpose « portail locataire »);
 * sign-in codes and tenant sessions are security data that end when used, expired or ended.
 */
import { sql } from 'kysely';
import { changed, deleteExpired, type Expiry, expired, type PurgeTarget } from '../../platform/db/purge.ts';

const requestExpired = (e: Expiry) => expired(e, sql`q.created_at`, sql`q.closed_at`);

const documentRequestExpired = (e: Expiry) => expired(e, sql`d.asked_at`, sql`d.closed_at`);

export const portalPurgeTargets: PurgeTarget[] = [
  // Documents (issue 16): a published document ends when withdrawn, a document asked for when accepted.
  // Only the rows go: the files' records and bytes stay until platform/files deletes files on purge.
  {
    table: 'portal_document_uploads',
    purpose: 'portal',
    action: 'delete',
    label: 'Fichiers envoyés pour des documents demandés acceptés',
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
