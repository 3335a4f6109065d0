/**
 * Documents in the tenant portal (issue 16): the landlord makes documents available to one
 * household (attestation, payment plan, letter) and asks a household for documents; the tenant
 * downloads the first (only clean files, through a short-lived signed link) and sends the second.
 * Tenant functions run in `withTenant` (the database narrows every table to the household: an
 * other household's document is « introuvable », like an unknown id); staff functions in the staff
 * session's transaction, within the agencies the session reaches.
 */
import { canMove, type DocumentKind, type DocumentRequestStatus, documentKindLabels, documentRequestStatusLabels } from '../../../contracts/portal.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { organisationOf } from '../../platform/db/organisations.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { fileForDownload, storeFile } from '../../platform/files/files.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import type { Deps } from '../deps.ts';
import { householdAgencyOf, portalHouseholdContactOf, scopeOf } from '../registry/index.ts';
import * as repo from './documents.repository.ts';
import { type TenantContext, withTenant } from './tenant.ts';

const iso = (d: Date) => d.toISOString();
const documentNotFound = () => notFound('Document');
type Upload = { fileName: string; bytes: Buffer };

async function fileState(deps: Deps, trx: Tx, organisationId: string, fileId: string) {
  const f = await fileForDownload(trx, deps.config, organisationId, fileId);
  if (!f) throw documentNotFound();
  return { file: { id: f.id, name: f.fileName, scanStatus: f.scanStatus }, link: f.link };
}

async function requestsOut(deps: Deps, trx: Tx, organisationId: string, householdId: string) {
  const rows = await repo.documentRequestsOf(trx, householdId);
  const uploads = await repo.uploadsOf(
    trx,
    rows.map((r) => r.id),
  );
  const out = [];
  for (const r of rows) {
    const sent = [];
    for (const u of uploads.filter((x) => x.request_id === r.id))
      sent.push({ at: iso(u.uploaded_at), file: (await fileState(deps, trx, organisationId, u.file_id)).file });
    out.push({
      id: r.id,
      label: r.label,
      note: r.note,
      dueOn: r.due_on,
      askedAt: iso(r.asked_at),
      status: r.status,
      redoReason: r.redo_reason,
      uploads: sent,
    });
  }
  return out;
}

function notReady(scanStatus: string) {
  return new AppError(
    'file_not_ready',
    409,
    scanStatus === 'pending'
      ? 'Ce document est en cours d’analyse antivirus : réessayez dans quelques minutes.'
      : 'Ce document a été bloqué par l’antivirus et ne peut pas être ouvert.',
  );
}

// ——— Tenant ———

/** « Mes documents »: the documents to download (published, not withdrawn, clean) and those asked for. */
export function tenantDocuments(deps: Deps, t: TenantContext) {
  return withTenant(deps.database, t, async (trx) => {
    const documents = [];
    for (const d of await repo.documentsOf(trx, t.householdId, true)) {
      const f = await fileState(deps, trx, t.organisationId, d.file_id);
      if (f.file.scanStatus !== 'clean') continue;
      documents.push({ id: d.id, kind: d.kind, title: d.title, publishedAt: iso(d.published_at), fileName: f.file.name });
    }
    return { documents, requests: await requestsOut(deps, trx, t.organisationId, t.householdId) };
  });
}

/** A short-lived link to a published document of the tenant's household; the first opening is recorded. */
export function tenantDocumentLink(deps: Deps, t: TenantContext, id: string) {
  return withTenant(deps.database, t, async (trx) => {
    const d = await repo.documentById(trx, id);
    if (!d || d.withdrawn_at) throw documentNotFound();
    const f = await fileState(deps, trx, t.organisationId, d.file_id);
    if (!f.link) throw notReady(f.file.scanStatus);
    await repo.markOpened(trx, id);
    return { link: f.link, fileName: f.file.name };
  });
}

/** The tenant sends a file for a document asked for (again after « à refaire »): checked, kept, scanned. */
export function tenantSendDocument(deps: Deps, t: TenantContext, requestId: string, file: Upload) {
  return withTenant(deps.database, t, async (trx) => {
    const r = await repo.documentRequestById(trx, requestId, true);
    if (!r) throw notFound('Document demandé');
    if (!canMove('upload', r.status)) throw new AppError('document_accepted', 409, 'Ce document a déjà été accepté par votre bailleur : rien à renvoyer.');
    const fileId = await storeFile(trx, deps.jobs, deps.config, t.organisationId, { ...file, purpose: 'portal_document_request', createdBy: null });
    await repo.insertUpload(trx, { requestId, householdId: r.household_id, fileId, personId: t.personId });
    await repo.setDocumentRequestStatus(trx, requestId, 'received', null);
    return { fileId };
  });
}

// ——— Staff ———

/** Whether the household exists and lies in the agencies the staff session reaches. */
async function inScope(trx: Tx, s: SessionContext, householdId: string) {
  const agencyId = await householdAgencyOf(trx, householdId);
  const scope = scopeOf(s);
  return Boolean(agencyId && (!scope || scope.includes(agencyId)));
}

async function staffHousehold(trx: Tx, s: SessionContext, householdId: string) {
  if (!(await inScope(trx, s, householdId))) throw notFound('Ménage', 'household_not_found');
}

/** Tell the household (its holder first, by SMS, else e-mail) that its space has something new. */
async function notifyHousehold(deps: Deps, trx: Tx, organisationId: string, householdId: string, what: string, key: string) {
  const contact = await portalHouseholdContactOf(trx, householdId);
  if (!contact) return;
  const org = await organisationOf(trx);
  const link = `${deps.config.publicUrl}/locataire/${org.slug}`;
  await enqueueMessage(trx, deps.jobs, organisationId, {
    channel: contact.mobile ? 'sms' : 'email',
    recipient: (contact.mobile ?? contact.email) as string,
    subject: contact.mobile ? null : 'Votre espace locataire',
    body: `${org.name} : ${what}. Rendez-vous dans votre espace locataire, rubrique « Mes documents » : ${link}`,
    purpose: 'portal_document',
    idempotencyKey: key,
  });
}

export function staffDocuments(deps: Deps, s: SessionContext, householdId: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await staffHousehold(trx, s, householdId);
    const documents = [];
    for (const d of await repo.documentsOf(trx, householdId, false)) {
      const f = await fileState(deps, trx, s.organisationId, d.file_id);
      documents.push({
        id: d.id,
        kind: d.kind,
        title: d.title,
        publishedAt: iso(d.published_at),
        fileName: f.file.name,
        file: f.file,
        firstOpenedAt: d.first_opened_at ? iso(d.first_opened_at) : null,
        withdrawnAt: d.withdrawn_at ? iso(d.withdrawn_at) : null,
      });
    }
    const requests = await requestsOut(deps, trx, s.organisationId, householdId);
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.documents_viewed', objectType: 'household', objectId: householdId });
    return { documents, requests };
  });
}

export function publishDocument(deps: Deps, s: SessionContext, householdId: string, fields: { kind: DocumentKind; title: string }, file: Upload, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await staffHousehold(trx, s, householdId);
    const fileId = await storeFile(trx, deps.jobs, deps.config, s.organisationId, { ...file, purpose: 'portal_document', createdBy: s.userId });
    const id = await repo.insertDocument(trx, { householdId, ...fields, fileId, userId: s.userId });
    await notifyHousehold(
      deps,
      trx,
      s.organisationId,
      householdId,
      `un document est disponible (${documentKindLabels[fields.kind].toLowerCase()})`,
      `portal-document:${id}`,
    );
    await recordAudit(trx, actorOf(s, ip), {
      action: 'portal.document_published',
      objectType: 'household',
      objectId: householdId,
      details: { documentId: id, kind: fields.kind },
    });
    return { id };
  });
}

export function withdrawDocument(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const d = await repo.documentById(trx, id);
    if (!d || !(await inScope(trx, s, d.household_id))) throw documentNotFound();
    if (!(await repo.withdrawDocument(trx, id))) throw new AppError('document_withdrawn', 409, 'Ce document est déjà retiré.');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'portal.document_withdrawn',
      objectType: 'household',
      objectId: d.household_id,
      details: { documentId: id },
    });
  });
}

export function askDocument(
  deps: Deps,
  s: SessionContext,
  householdId: string,
  body: { label: string; note?: string | undefined; dueOn?: string | undefined },
  ip: string,
) {
  return withSession(deps.database, s, async (trx) => {
    await staffHousehold(trx, s, householdId);
    const id = await repo.insertDocumentRequest(trx, { householdId, label: body.label, note: body.note || null, dueOn: body.dueOn ?? null, userId: s.userId });
    await notifyHousehold(
      deps,
      trx,
      s.organisationId,
      householdId,
      `votre bailleur vous demande un document (« ${body.label} »)`,
      `portal-document-request:${id}`,
    );
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.document_asked', objectType: 'household', objectId: householdId, details: { requestId: id } });
    return { id };
  });
}

/** Staff judge what came back: accepted, or to redo with a reason (the tenant is told, and may send again). */
export function reviewDocument(deps: Deps, s: SessionContext, id: string, review: { decision: 'accept' } | { decision: 'redo'; reason: string }, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const r = await repo.documentRequestById(trx, id, true);
    if (!r || !(await inScope(trx, s, r.household_id))) throw notFound('Document demandé');
    if (!canMove(review.decision, r.status))
      throw new AppError(
        'document_request_status',
        409,
        `Ce document est « ${documentRequestStatusLabels[r.status].toLowerCase()} » : seul un document reçu peut être accepté ou renvoyé à refaire.`,
      );
    const status: DocumentRequestStatus = review.decision === 'accept' ? 'accepted' : 'redo';
    await repo.setDocumentRequestStatus(trx, id, status, review.decision === 'redo' ? review.reason : null);
    if (review.decision === 'redo')
      await notifyHousehold(
        deps,
        trx,
        s.organisationId,
        r.household_id,
        `le document « ${r.label} » est à refaire`,
        `portal-document-redo:${id}:${(await repo.uploadsOf(trx, [id])).length}`,
      );
    await recordAudit(trx, actorOf(s, ip), {
      action: 'portal.document_reviewed',
      objectType: 'household',
      objectId: r.household_id,
      details: { requestId: id, decision: review.decision },
    });
  });
}

/** A link to a file of the household's portal documents (published or sent), once clean; 404 for any other file. */
export function staffDocumentFileLink(deps: Deps, s: SessionContext, fileId: string) {
  return withSession(deps.database, s, async (trx) => {
    const householdId = await repo.fileHousehold(trx, fileId);
    if (!householdId || !(await inScope(trx, s, householdId))) throw documentNotFound();
    const f = await fileState(deps, trx, s.organisationId, fileId);
    if (!f.link) throw notReady(f.file.scanStatus);
    return { link: f.link, fileName: f.file.name };
  });
}

/** The household's portal documents on its timeline (staff): each one published, each one asked for. */
export async function documentTimeline(trx: Tx, _s: SessionContext, householdId: string) {
  const published = (await repo.documentsOf(trx, householdId, false)).slice(0, 50).map((d) => ({
    at: iso(d.published_at),
    kind: 'portal_document',
    type: 'message' as const,
    label: `Espace locataire : document mis à disposition (${documentKindLabels[d.kind].toLowerCase()}) « ${d.title} »${d.withdrawn_at ? ', retiré' : ''}`,
  }));
  const asked = (await repo.documentRequestsOf(trx, householdId)).slice(0, 50).map((r) => ({
    at: iso(r.asked_at),
    kind: 'portal_document_request',
    type: 'message' as const,
    label: `Espace locataire : document demandé « ${r.label} » (${documentRequestStatusLabels[r.status].toLowerCase()})`,
  }));
  return [...published, ...asked];
}
