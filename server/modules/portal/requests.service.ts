/**
 * Requests (issue 16): a tenant files one (category, description, photos or PDF), follows it and
 * exchanges with staff; staff work them from the inbox (routing by agency and category, deadline,
 * assignment, replies, internal notes, status, a case). Tenant functions run in `withTenant`
 * (the database narrows every portal table to the tenant's household); staff functions in the
 * staff session's transaction, within the agencies the session reaches.
 */
import {
  defaultDeadlineDays,
  isFinished,
  type RequestCategory,
  type RequestStatus,
  requestCategoryLabels,
  requestStatuses,
  requestStatusLabels,
} from '../../../contracts/portal.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { organisationOf } from '../../platform/db/organisations.ts';
import { AppError, invalid, notFound } from '../../platform/errors/app-error.ts';
import { fileForDownload, storeFile } from '../../platform/files/files.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { arrearsRowsOf } from '../arrears/index.ts';
import { type Deps, nowOf } from '../deps.ts';
import { joinOrOpenCase } from '../followups/index.ts';
import { householdAgencyOf, householdNames, latestBalances, portalPersonOf, scopeOf } from '../registry/index.ts';
import * as repo from './portal.repository.ts';
import { type TenantContext, withTenant } from './tenant.ts';

const requestNotFound = () => notFound('Demande');
const iso = (d: Date) => d.toISOString();

async function exchangesOf(deps: Deps, trx: Tx, organisationId: string, requestId: string) {
  const rows = await repo.messagesOf(trx, requestId);
  const out = [];
  for (const m of rows) {
    const f = m.file_id ? await fileForDownload(trx, deps.config, organisationId, m.file_id) : null;
    out.push({
      id: m.id,
      at: iso(m.created_at),
      author: m.author,
      body: m.body,
      file: f ? { id: f.id, name: f.fileName, scanStatus: f.scanStatus } : null,
    });
  }
  return out;
}

const tenantRow = (r: repo.RequestRow) => ({
  id: r.id,
  category: r.category,
  description: r.description,
  status: r.status,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

async function deadlineFor(trx: Tx, category: RequestCategory) {
  const set = await repo.deadlineDays(trx);
  return set[category] ?? defaultDeadlineDays[category];
}

// ——— Tenant ———

/** Who is signed in, and their landlord (the portal's header). */
export function tenantHome(deps: Deps, t: TenantContext) {
  return withTenant(deps.database, t, async (trx) => {
    const [person, org] = await Promise.all([portalPersonOf(trx, t.personId), organisationOf(trx)]);
    return { firstName: person?.firstName ?? '', landlord: org.name, slug: org.slug };
  });
}

export function tenantRequests(deps: Deps, t: TenantContext) {
  return withTenant(deps.database, t, async (trx) => (await repo.householdRequests(trx, t.householdId)).map(tenantRow));
}

export function fileRequest(deps: Deps, t: TenantContext, body: { category: RequestCategory; description: string }) {
  return withTenant(deps.database, t, async (trx) => {
    const agencyId = await householdAgencyOf(trx, t.householdId);
    if (!agencyId) throw invalid('household_without_agency', 'Votre logement n’est rattaché à aucune agence : contactez votre bailleur.');
    const id = await repo.insertRequest(trx, {
      ...body,
      householdId: t.householdId,
      agencyId,
      personId: t.personId,
      days: await deadlineFor(trx, body.category),
    });
    return { id };
  });
}

export function tenantRequest(deps: Deps, t: TenantContext, id: string) {
  return withTenant(deps.database, t, async (trx) => {
    const r = await repo.requestById(trx, id);
    if (!r) throw requestNotFound();
    return { ...tenantRow(r), exchanges: await exchangesOf(deps, trx, t.organisationId, id) };
  });
}

export function tenantMessage(deps: Deps, t: TenantContext, id: string, body: string) {
  return withTenant(deps.database, t, async (trx) => {
    const r = await repo.requestById(trx, id, true);
    if (!r) throw requestNotFound();
    if (r.status === 'closed') throw new AppError('request_closed', 409, 'Cette demande est clôturée : déposez une nouvelle demande.');
    await repo.insertMessage(trx, { requestId: id, householdId: r.household_id, author: 'tenant', personId: t.personId, body });
    if (r.status === 'waiting_tenant' || r.status === 'resolved') await repo.updateRequest(trx, id, { status: 'in_progress' });
    else await repo.updateRequest(trx, id, {});
  });
}

/** A photo or PDF added to a request: checked, stripped, kept, scanned (platform/files); opens once clean. */
export function tenantFile(deps: Deps, t: TenantContext, id: string, file: { fileName: string; bytes: Buffer }) {
  return withTenant(deps.database, t, async (trx) => {
    const r = await repo.requestById(trx, id, true);
    if (!r) throw requestNotFound();
    if (r.status === 'closed') throw new AppError('request_closed', 409, 'Cette demande est clôturée : déposez une nouvelle demande.');
    const fileId = await storeFile(trx, deps.jobs, deps.config, t.organisationId, { ...file, purpose: 'portal_request', createdBy: null });
    await repo.insertMessage(trx, { requestId: id, householdId: r.household_id, author: 'tenant', personId: t.personId, body: '', fileId });
    await repo.updateRequest(trx, id, {});
    return { fileId };
  });
}

/** A short-lived link to a file of the tenant's household's requests, once clean; 404 for any other file. */
export function tenantFileLink(deps: Deps, t: TenantContext, fileId: string) {
  return withTenant(deps.database, t, async (trx) => fileLink(deps, trx, t.organisationId, fileId));
}

async function fileLink(deps: Deps, trx: Tx, organisationId: string, fileId: string) {
  if (!(await repo.fileRequest(trx, fileId))) throw notFound('Document');
  const f = await fileForDownload(trx, deps.config, organisationId, fileId);
  if (!f) throw notFound('Document');
  if (!f.link)
    throw new AppError(
      'file_not_ready',
      409,
      f.scanStatus === 'pending'
        ? 'Ce document est en cours d’analyse antivirus : réessayez dans quelques minutes.'
        : 'Ce document a été bloqué par l’antivirus et ne peut pas être ouvert.',
    );
  return { link: f.link, fileName: f.fileName };
}

// ——— Staff ———

async function staffRequest(trx: Tx, s: SessionContext, id: string, forUpdate = false) {
  const r = await repo.requestById(trx, id, forUpdate);
  const scope = scopeOf(s);
  if (!r || (scope && !scope.includes(r.agency_id))) throw requestNotFound();
  return r;
}

export function inbox(
  deps: Deps,
  s: SessionContext,
  f: { status: RequestStatus | 'open'; category?: RequestCategory | undefined; agencyId?: string | undefined; mine?: boolean | undefined },
) {
  return withSession(deps.database, s, async (trx) => {
    const scope = scopeOf(s);
    const agencyIds = f.agencyId ? (scope && !scope.includes(f.agencyId) ? [] : [f.agencyId]) : scope;
    const statuses = f.status === 'open' ? requestStatuses.filter((x) => !isFinished(x)) : [f.status];
    const rows = await repo.inboxRequests(trx, { statuses, category: f.category, agencyIds, assignee: f.mine ? s.userId : undefined });
    const names = await householdNames(trx, [...new Set(rows.map((r) => r.household_id))]);
    const now = nowOf(deps);
    return rows.map((r) => inboxRow(r, names.get(r.household_id) ?? '', now));
  });
}

/** A request as the inbox lists it; overdue once its deadline passed and while it is not finished. */
function inboxRow(r: repo.RequestRow, householdName: string, now: Date) {
  return {
    id: r.id,
    householdId: r.household_id,
    householdName,
    agencyId: r.agency_id,
    category: r.category,
    description: r.description,
    status: r.status,
    assignedTo: r.assigned_to,
    dueAt: iso(r.due_at),
    overdue: r.due_at < now && !isFinished(r.status),
    createdAt: iso(r.created_at),
  };
}

export function inboxRequest(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const r = await staffRequest(trx, s, id);
    const names = await householdNames(trx, [r.household_id]);
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.request_viewed', objectType: 'household', objectId: r.household_id, details: { requestId: id } });
    return {
      ...inboxRow(r, names.get(r.household_id) ?? '', nowOf(deps)),
      caseId: r.case_id,
      exchanges: await exchangesOf(deps, trx, s.organisationId, id),
      notes: (await repo.notesOf(trx, id)).map((n) => ({ id: n.id, at: iso(n.created_at), userId: n.user_id, body: n.body })),
    };
  });
}

/** Tell the tenant who filed the request that staff answered (SMS to their mobile, else e-mail). */
async function notifyTenant(deps: Deps, trx: Tx, organisationId: string, r: repo.RequestRow, messageId: string) {
  if (!r.person_id) return;
  const person = await portalPersonOf(trx, r.person_id);
  if (!person || (!person.mobile && !person.email)) return;
  const org = await organisationOf(trx);
  const link = `${deps.config.publicUrl}/locataire/${org.slug}`;
  const text = `${org.name} a répondu à votre demande « ${requestCategoryLabels[r.category]} ». Consultez la réponse dans votre espace locataire : ${link}`;
  await enqueueMessage(trx, deps.jobs, organisationId, {
    channel: person.mobile ? 'sms' : 'email',
    recipient: (person.mobile ?? person.email) as string,
    subject: person.mobile ? null : 'Réponse à votre demande',
    body: text,
    purpose: 'portal_reply',
    idempotencyKey: `portal-reply:${messageId}`,
  });
}

export function reply(deps: Deps, s: SessionContext, id: string, body: { body: string; status?: RequestStatus | undefined }, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const r = await staffRequest(trx, s, id, true);
    const messageId = await repo.insertMessage(trx, { requestId: id, householdId: r.household_id, author: 'landlord', userId: s.userId, body: body.body });
    const status = body.status ?? (r.status === 'new' ? 'in_progress' : undefined);
    if (status && status !== r.status)
      await repo.insertMessage(trx, { requestId: id, householdId: r.household_id, author: 'status', userId: s.userId, body: requestStatusLabels[status] });
    await repo.updateRequest(trx, id, { status });
    await notifyTenant(deps, trx, s.organisationId, r, messageId);
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.request_replied', objectType: 'household', objectId: r.household_id, details: { requestId: id } });
    return { id: messageId };
  });
}

export function addNote(deps: Deps, s: SessionContext, id: string, body: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const r = await staffRequest(trx, s, id);
    const noteId = await repo.insertNote(trx, { requestId: id, userId: s.userId, body });
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.request_noted', objectType: 'household', objectId: r.household_id, details: { requestId: id } });
    return { id: noteId };
  });
}

export function changeRequest(
  deps: Deps,
  s: SessionContext,
  id: string,
  change: { status?: RequestStatus | undefined; assignedTo?: string | null | undefined },
  ip: string,
) {
  return withSession(deps.database, s, async (trx) => {
    const r = await staffRequest(trx, s, id, true);
    if (change.status && change.status !== r.status)
      await repo.insertMessage(trx, {
        requestId: id,
        householdId: r.household_id,
        author: 'status',
        userId: s.userId,
        body: requestStatusLabels[change.status],
      });
    try {
      await repo.updateRequest(trx, id, change);
    } catch (e) {
      if ((e as { code?: string }).code === '23503') throw invalid('assignee_unknown', 'Cette personne n’a pas de compte chez ce bailleur.');
      throw e;
    }
    await recordAudit(trx, actorOf(s, ip), {
      action: 'portal.request_changed',
      objectType: 'household',
      objectId: r.household_id,
      details: {
        requestId: id,
        ...(change.status ? { status: change.status } : {}),
        ...(change.assignedTo !== undefined ? { assigned: change.assignedTo !== null } : {}),
      },
    });
  });
}

const caseTypeOf: Record<RequestCategory, 'technical' | 'rent' | 'other'> = {
  technical: 'technical',
  common_areas: 'technical',
  rent: 'rent',
  certificate: 'other',
  neighbourhood: 'other',
  other: 'other',
};

/** Open the household's case of the request's kind, or join the one already open. */
export function requestCase(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const r = await staffRequest(trx, s, id, true);
    const caseId = await joinOrOpenCase(trx, {
      householdId: r.household_id,
      agencyId: r.agency_id,
      type: caseTypeOf[r.category],
      origin: 'tenant_request',
      urgent: false,
    });
    await repo.updateRequest(trx, id, { caseId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'portal.request_case',
      objectType: 'household',
      objectId: r.household_id,
      details: { requestId: id, caseId },
    });
    return { caseId };
  });
}

export function staffFileLink(deps: Deps, s: SessionContext, fileId: string) {
  return withSession(deps.database, s, async (trx) => {
    const requestId = await repo.fileRequest(trx, fileId);
    if (!requestId) throw notFound('Document');
    await staffRequest(trx, s, requestId);
    return fileLink(deps, trx, s.organisationId, fileId);
  });
}

export function deadlines(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const set = await repo.deadlineDays(trx);
    return Object.fromEntries(Object.entries(defaultDeadlineDays).map(([c, d]) => [c, set[c as RequestCategory] ?? d])) as Record<RequestCategory, number>;
  });
}

export function saveDeadlines(deps: Deps, s: SessionContext, days: Partial<Record<RequestCategory, number>>, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    for (const [category, d] of Object.entries(days)) await repo.saveDeadline(trx, category as RequestCategory, d as number);
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.deadlines_saved', details: { categories: Object.keys(days) } });
  });
}

/** The household's requests on its timeline (staff). */
export async function requestTimeline(trx: Tx, _s: SessionContext, householdId: string) {
  return (await repo.timelineRequests(trx, householdId)).map((r) => ({
    at: iso(r.created_at),
    kind: 'portal_request',
    type: 'message' as const,
    label: `Demande en ligne : ${requestCategoryLabels[r.category]} (${requestStatusLabels[r.status].toLowerCase()})`,
  }));
}

// ——— FAQ and news ———

const articleOut = (a: repo.ArticleRow) => ({ id: a.id, kind: a.kind, agencyId: a.agency_id, title: a.title, body: a.body, updatedAt: iso(a.updated_at) });

/** The FAQ and news for the tenant's agency and for all tenants. */
export function tenantArticles(deps: Deps, t: TenantContext) {
  return withTenant(deps.database, t, async (trx) => {
    const agencyId = await householdAgencyOf(trx, t.householdId);
    return (await repo.articles(trx, agencyId ?? '00000000-0000-0000-0000-000000000000')).map(articleOut);
  });
}

export function staffArticles(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await repo.articles(trx, null)).map(articleOut));
}

type ArticleInput = { kind: 'faq' | 'news'; agencyId: string | null; title: string; body: string };

const unknownAgency = (e: unknown) => {
  if ((e as { code?: string }).code === '23503') return invalid('agency_unknown', 'Agence inconnue.');
  return e;
};

export function saveArticle(deps: Deps, s: SessionContext, id: string | null, a: ArticleInput, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    let articleId = id;
    try {
      if (id) {
        if (!(await repo.updateArticle(trx, id, a))) throw notFound('Article');
      } else articleId = await repo.insertArticle(trx, { ...a, userId: s.userId });
    } catch (e) {
      throw unknownAgency(e);
    }
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.article_saved', objectType: 'portal_article', objectId: articleId, details: { kind: a.kind } });
    return { id: articleId as string };
  });
}

export function removeArticle(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    if (!(await repo.deleteArticle(trx, id))) throw notFound('Article');
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.article_deleted', objectType: 'portal_article', objectId: id });
  });
}

// ——— Balance and payment plan ———

/** The household's latest balance and active payment plan, when the landlord shows them. */
export function tenantBalance(deps: Deps, t: TenantContext) {
  return withTenant(deps.database, t, async (trx) => {
    if (!(await repo.showsBalance(trx))) return { shown: false as const };
    const balance = (await latestBalances(trx, [t.householdId])).get(t.householdId);
    const rows = await arrearsRowsOf(trx, t.householdId);
    const plan = rows.payment_plans.find((p) => p.status === 'active');
    return {
      shown: true as const,
      balance: balance ? { cents: balance.cents, on: balance.on } : null,
      plan: plan
        ? {
            kind: plan.kind as 'deferral' | 'instalments' | 'clearance',
            amountCents: Number(plan.amount_cents),
            instalments: rows.plan_instalments
              .filter((i) => i.plan_id === plan.id)
              .map((i) => ({
                dueOn: typeof i.due_on === 'string' ? i.due_on : iso(i.due_on as Date).slice(0, 10),
                amountCents: Number(i.amount_cents),
                status: i.status as 'pending' | 'met' | 'missed',
              })),
          }
        : null,
    };
  });
}

export function portalSettings(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => ({ showBalance: await repo.showsBalance(trx) }));
}

export function savePortalSettings(deps: Deps, s: SessionContext, body: { showBalance: boolean }, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await repo.saveShowBalance(trx, body.showBalance);
    await recordAudit(trx, actorOf(s, ip), { action: 'portal.settings_saved', details: { showBalance: body.showBalance } });
  });
}
