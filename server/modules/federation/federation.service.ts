/**
 * The federation (issue 18, TRUST DP-14). A federation's administrator lists its member landlords;
 * each member's administrator chooses the indicators it shares, previews exactly what leaves,
 * and may leave. A refresh job computes every active member's aggregates inside the member's own
 * transaction (its row-level-security context) and the federation's analyst reads only those.
 */
import { DateTime } from 'luxon';
import {
  type AggregateCell,
  type Dashboard,
  INDICATOR_DICTIONARY_VERSION,
  type IndicatorId,
  indicatorIds,
  indicators,
  SMALL_CELL_THRESHOLD,
} from '../../../contracts/indicators.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { organisationKindOf } from '../../platform/db/organisations.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { type Deps, nowOf } from '../deps.ts';
import * as repo from './federation.repository.ts';
import { countIndicator } from './indicator-sources.ts';
import { suppress } from './suppression.ts';

export const FEDERATION_REFRESH_QUEUE = 'federation-refresh';

/** How many months back a refresh computes (and the current month). */
export const REFRESH_MONTHS = 12;

/** A refresh still « queued » or « running » after this long is taken for dead (its worker stopped). */
const STALE_MS = 30 * 60_000;

const onlyFederation = () => new AppError('not_a_federation', 409, 'Cet espace est réservé aux fédérations de bailleurs.');
const onlyLandlord = () => new AppError('not_a_landlord', 409, 'Seul un bailleur membre choisit ce qu’il partage avec une fédération.');
/**
 * The member's aggregates for a federation have one writer at a time (a refresh, a change of
 * agreement, leaving): a refresh that began before the member left waits, then finds it gone.
 */
const lockOf = (federationId: string) => `federation:${federationId}`;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function federationOf(trx: Tx) {
  const org = await organisationKindOf(trx);
  if (org.kind !== 'federation') throw onlyFederation();
  return org;
}

async function landlordOf(trx: Tx) {
  const org = await organisationKindOf(trx);
  if (org.kind !== 'landlord') throw onlyLandlord();
  return org;
}

/** The dictionary, as the API sends it. */
export function dictionary() {
  return {
    version: INDICATOR_DICTIONARY_VERSION,
    threshold: SMALL_CELL_THRESHOLD,
    indicators: indicatorIds.map((id) => {
      const { countsHouseholds: _, ...rest } = indicators[id];
      return rest;
    }),
  };
}

/** Active members: listed by the federation and sharing (an agreement not left), with what they share. */
async function activeMembers(trx: Tx) {
  const members = (await repo.members(trx)).filter((m) => m.removed_at === null);
  const agreements = new Map((await repo.agreementsAbout(trx, 'federation')).map((a) => [a.organisation_id, a]));
  return members.flatMap((m) => {
    const a = agreements.get(m.member_id);
    return a && a.left_at === null ? [{ ...m, indicators: a.indicators as IndicatorId[] }] : [];
  });
}

/** What the signed-in organisation sees of federations: its members (a federation), or its memberships (a landlord). */
export function space(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    const org = await organisationKindOf(trx);
    if (org.kind === 'federation') {
      const agreements = new Map((await repo.agreementsAbout(trx, 'federation')).map((a) => [a.organisation_id, a]));
      const members = (await repo.members(trx)).map((m) => {
        const a = agreements.get(m.member_id);
        return {
          memberId: m.member_id,
          name: m.member_name,
          addedAt: m.added_at.toISOString(),
          removedAt: iso(m.removed_at),
          agreement: a ? { indicators: a.indicators as IndicatorId[], agreedAt: a.agreed_at.toISOString(), leftAt: iso(a.left_at) } : null,
          reportText: m.report_text,
        };
      });
      return { kind: org.kind, name: org.name, members, memberships: [] };
    }
    const agreements = new Map((await repo.agreementsAbout(trx, 'member')).map((a) => [a.federation_id, a]));
    const memberships = (await repo.invitations(trx)).map((i) => {
      const a = agreements.get(i.federation_id);
      return {
        federationId: i.federation_id,
        federationName: i.federation_name,
        invitedAt: i.added_at.toISOString(),
        removedAt: iso(i.removed_at),
        indicators: (a && a.left_at === null ? a.indicators : []) as IndicatorId[],
        agreedAt: iso(a?.agreed_at ?? null),
        leftAt: iso(a?.left_at ?? null),
      };
    });
    return { kind: org.kind, name: org.name, members: [], memberships };
  });
}

export function addMember(deps: Deps, s: SessionContext, slug: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const federation = await federationOf(trx);
    const landlord = await repo.landlordBySlug(trx, slug);
    if (!landlord) throw notFound('Bailleur', 'landlord_not_found');
    await repo.addMember(trx, { memberId: landlord.id, memberName: landlord.name, federationName: federation.name });
    await recordAudit(trx, actorOf(s, ip), { action: 'federation.member_added', objectType: 'organisation', objectId: landlord.id });
    return { memberId: landlord.id };
  });
}

/** The member stops counting from now: the dashboard and the next refresh leave it out. */
export function removeMember(deps: Deps, s: SessionContext, memberId: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await federationOf(trx);
    if (!(await repo.removeMember(trx, memberId))) throw notFound('Membre', 'member_not_found');
    await recordAudit(trx, actorOf(s, ip), { action: 'federation.member_removed', objectType: 'organisation', objectId: memberId });
  });
}

export function setReportText(deps: Deps, s: SessionContext, memberId: string, text: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await federationOf(trx);
    if (!(await repo.setReportText(trx, memberId, text.trim()))) throw notFound('Membre', 'member_not_found');
    await recordAudit(trx, actorOf(s, ip), { action: 'federation.report_text_set', objectType: 'organisation', objectId: memberId });
  });
}

async function invitationOf(trx: Tx, federationId: string) {
  const invitation = (await repo.invitations(trx)).find((i) => i.federation_id === federationId && i.removed_at === null);
  if (!invitation) throw notFound('Fédération', 'federation_not_found');
  return invitation;
}

/**
 * The member's choice of what it shares with a federation. What it no longer shares is dropped
 * from its aggregates at once (the federation reads nothing of it from now on).
 */
export function setAgreement(deps: Deps, s: SessionContext, federationId: string, chosen: IndicatorId[], ip: string) {
  return withSession(
    deps.database,
    s,
    async (trx) => {
      await landlordOf(trx);
      const invitation = await invitationOf(trx, federationId);
      const shared = indicatorIds.filter((id) => chosen.includes(id));
      await repo.upsertAgreement(trx, { federationId, federationName: invitation.federation_name, indicators: shared });
      await repo.dropAggregatesExcept(trx, federationId, shared);
      await recordAudit(trx, actorOf(s, ip), {
        action: 'federation.agreement_set',
        objectType: 'organisation',
        objectId: federationId,
        details: { indicators: shared },
      });
      return { indicators: shared };
    },
    { lock: lockOf(federationId) },
  );
}

/** Leave a federation: the agreement ends now and the member's aggregates for it are deleted in the same transaction. */
export function leaveFederation(deps: Deps, s: SessionContext, federationId: string, ip: string) {
  return withSession(
    deps.database,
    s,
    async (trx) => {
      await landlordOf(trx);
      if (!(await repo.leave(trx, federationId))) throw notFound('Adhésion', 'agreement_not_found');
      await repo.replaceAggregates(trx, federationId, []);
      await recordAudit(trx, actorOf(s, ip), { action: 'federation.left', objectType: 'organisation', objectId: federationId });
    },
    { lock: lockOf(federationId) },
  );
}

/** The months a refresh covers: the current one and the REFRESH_MONTHS before it (Paris time). */
export function refreshRange(now: Date) {
  const month = DateTime.fromJSDate(now, { zone: 'Europe/Paris' }).startOf('month');
  return { from: month.minus({ months: REFRESH_MONTHS }).toJSDate(), to: month.plus({ months: 1 }).toJSDate() };
}

/** The member's cells for some indicators, computed in its own transaction (the same as a refresh writes). */
export async function memberCells(trx: Tx, chosen: readonly IndicatorId[], now: Date): Promise<AggregateCell[]> {
  const range = refreshRange(now);
  const cells: AggregateCell[] = [];
  for (const id of chosen) cells.push(...suppress(id, await countIndicator(trx, id, range)));
  return cells;
}

/** Exactly what would leave the member for these indicators: the cells, « < 11 » included. */
export function preview(deps: Deps, s: SessionContext, federationId: string, chosen: IndicatorId[], ip: string) {
  return withSession(deps.database, s, async (trx) => {
    await landlordOf(trx);
    await invitationOf(trx, federationId);
    const range = refreshRange(new Date());
    const cells = await memberCells(trx, chosen, new Date());
    await recordAudit(trx, actorOf(s, ip), { action: 'federation.preview_viewed', objectType: 'organisation', objectId: federationId });
    return { federationId, from: range.from.toISOString(), to: range.to.toISOString(), cells };
  });
}

// ----- Refresh -----

const refreshOut = (r: NonNullable<Awaited<ReturnType<typeof repo.latestRefresh>>>) => ({
  id: r.id,
  status: r.status,
  membersTotal: r.members_total,
  membersDone: r.members_done,
  requestedAt: r.requested_at.toISOString(),
  finishedAt: iso(r.finished_at),
});

export function requestRefresh(deps: Deps, s: SessionContext, ip: string) {
  return withSession(
    deps.database,
    s,
    async (trx) => {
      await federationOf(trx);
      // One refresh at a time: a request while one is queued or running (for less than half an
      // hour: a worker that died leaves it so) follows that one.
      const current = await repo.latestRefresh(trx);
      const live =
        current && (current.status === 'queued' || current.status === 'running') && nowOf(deps).getTime() - current.requested_at.getTime() < STALE_MS;
      if (current && live) return refreshOut(current);
      const id = await repo.newRefresh(trx);
      await deps.jobs.send(trx, FEDERATION_REFRESH_QUEUE, { organisationId: s.organisationId, refreshId: id }, { retryLimit: 1 });
      await recordAudit(trx, actorOf(s, ip), { action: 'federation.refresh_requested', objectType: 'federation_refresh', objectId: id });
      return refreshOut((await repo.refreshById(trx, id)) as NonNullable<Awaited<ReturnType<typeof repo.refreshById>>>);
    },
    { lock: `federation-refresh:${s.organisationId}` },
  );
}

export function refreshStatus(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => {
    await federationOf(trx);
    const r = await repo.latestRefresh(trx);
    return { refresh: r ? refreshOut(r) : null };
  });
}

/**
 * The refresh job: the federation's active members, then, for each, one transaction in the
 * member's own context that computes the indicators it shares and replaces its aggregates.
 * Members listed but not sharing (removed, left, never agreed) are asked to drop theirs.
 */
export async function runRefresh(database: Database, federationId: string, refreshId: string | null, now = new Date()) {
  const { active, inactive } = await database.withOrg({ organisationId: federationId }, async (trx) => {
    const all = await repo.members(trx);
    const act = await activeMembers(trx);
    if (refreshId) await repo.setRefresh(trx, refreshId, { status: 'running', membersTotal: act.length, membersDone: 0 });
    return { active: act, inactive: all.filter((m) => !act.some((a) => a.member_id === m.member_id)) };
  });
  try {
    let done = 0;
    for (const m of active) {
      // One writer per member and federation at a time: a job delivered twice waits, then writes the same rows.
      await database.withOrg({ organisationId: m.member_id, lock: lockOf(federationId) }, async (trx) => {
        // The member's own agreement decides, whatever the federation's list says.
        const own = await repo.ownAgreement(trx, federationId);
        const shared = own && own.left_at === null ? (own.indicators as IndicatorId[]).filter((i) => indicatorIds.includes(i)) : [];
        await repo.replaceAggregates(trx, federationId, await memberCells(trx, shared, now));
      });
      done++;
      if (refreshId) await database.withOrg({ organisationId: federationId }, (trx) => repo.setRefresh(trx, refreshId, { membersDone: done }));
    }
    for (const m of inactive)
      await database.withOrg({ organisationId: m.member_id, lock: lockOf(federationId) }, (trx) => repo.replaceAggregates(trx, federationId, []));
    if (refreshId) await database.withOrg({ organisationId: federationId }, (trx) => repo.setRefresh(trx, refreshId, { status: 'done' }));
  } catch (error) {
    if (refreshId)
      await database.withOrg({ organisationId: federationId }, (trx) =>
        repo.setRefresh(trx, refreshId, { status: 'failed', error: error instanceof Error ? error.message : String(error) }),
      );
    throw error;
  }
}

export async function startFederationWorker(deps: Deps) {
  await deps.jobs.work<{ organisationId: string; refreshId: string }>(FEDERATION_REFRESH_QUEUE, ({ database, organisationId, data }) =>
    runRefresh(database, organisationId, data.refreshId),
  );
}

// ----- The analyst's dashboard -----

type Sum = { value: number; hidden: number };
const add = (map: Map<string, Sum>, key: string, row: { value: number | null; suppressed: boolean }) => {
  const s = map.get(key) ?? { value: 0, hidden: 0 };
  if (row.suppressed || row.value === null) s.hidden++;
  else s.value += row.value;
  map.set(key, s);
};

/** One indicator across the active members that share it: in total, over time, by member, department and QPV. */
export async function dashboardIn(trx: Tx, q: { indicatorId: IndicatorId; from: string; to: string }): Promise<Dashboard> {
  if (q.from > q.to) throw new AppError('invalid_range', 422, 'Le mois de début doit précéder le mois de fin.');
  const members = (await activeMembers(trx)).filter((m) => m.indicators.includes(q.indicatorId));
  const names = new Map(members.map((m) => [m.member_id, m.member_name]));
  const rows = await repo.aggregates(trx, { indicatorId: q.indicatorId, memberIds: [...names.keys()], from: q.from, to: q.to });
  const total: Sum = { value: 0, hidden: 0 };
  const overTime = new Map<string, Sum>();
  const byMember = new Map<string, Sum>([...names.keys()].map((id) => [id, { value: 0, hidden: 0 }]));
  const byDepartment = new Map<string, Sum>();
  const byQpv = new Map<string, Sum>();
  let last: Date | null = null;
  for (const r of rows) {
    if (!last || r.computed_at > last) last = r.computed_at;
    if (r.dimension === 'total') {
      add(overTime, r.period, r);
      add(byMember, r.organisation_id, r);
      if (r.suppressed) total.hidden++;
      else total.value += r.value ?? 0;
    } else if (r.dimension === 'department') add(byDepartment, r.dimension_value, r);
    else add(byQpv, r.dimension_value, r);
  }
  const months: string[] = [];
  for (let m = DateTime.fromISO(`${q.from}-01`); m.toFormat('yyyy-MM') <= q.to && months.length < 120; m = m.plus({ months: 1 }))
    months.push(m.toFormat('yyyy-MM'));
  const { countsHouseholds: _, ...indicator } = indicators[q.indicatorId];
  return {
    indicator,
    from: q.from,
    to: q.to,
    members: members.length,
    total,
    overTime: months.map((period) => ({ period, ...(overTime.get(period) ?? { value: 0, hidden: 0 }) })),
    byMember: [...byMember]
      .map(([memberId, s]) => ({ memberId, name: names.get(memberId) ?? '', ...s }))
      .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name)),
    byDepartment: [...byDepartment].map(([department, s]) => ({ department, ...s })).sort((a, b) => a.department.localeCompare(b.department)),
    byQpv: [...byQpv].map(([qpv, s]) => ({ qpv, ...s })).sort((a, b) => a.qpv.localeCompare(b.qpv)),
    lastComputedAt: iso(last),
  };
}

export function dashboard(deps: Deps, s: SessionContext, q: { indicatorId: IndicatorId; from: string; to: string }) {
  return withSession(deps.database, s, async (trx) => {
    await federationOf(trx);
    return dashboardIn(trx, q);
  });
}

/** The periodic report's content: every indicator's figures and each member's text. */
export function reportContent(deps: Deps, s: SessionContext, q: { from: string; to: string }, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const federation = await federationOf(trx);
    const boards = [];
    for (const id of indicatorIds) boards.push(await dashboardIn(trx, { indicatorId: id, from: q.from, to: q.to }));
    const members = (await activeMembers(trx)).map((m) => ({ id: m.member_id, name: m.member_name, text: m.report_text }));
    await recordAudit(trx, actorOf(s, ip), { action: 'federation.report_generated', details: { from: q.from, to: q.to } });
    return { federation: federation.name, from: q.from, to: q.to, boards, members };
  });
}
