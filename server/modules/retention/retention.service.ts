import { sql } from 'kysely';
import { type Purpose, purposes } from '../../../contracts/data-protection.ts';
import {
  followupPurposes,
  type PurgeLine,
  type PurgePreview,
  type RetentionRuleBody,
  type RetentionRuleRow,
  securityMonths,
} from '../../../contracts/retention.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import { type Database, dropAfterCommit, type Tx } from '../../platform/db/database.ts';
import type { Expiry, PurgeContext } from '../../platform/db/purge.ts';
import { forbidden, invalid } from '../../platform/errors/app-error.ts';
import type { Logger } from '../../platform/logger.ts';
import { type Deps, nowOf } from '../deps.ts';
import { defaultRules, type Rule } from './defaults.ts';
import { purgeTargets } from './purge-targets.ts';
import { retentionRoles } from './retention.policy.ts';
import * as repo from './retention.repository.ts';

/** The daily purge's schedule (pg-boss cron, UTC): 02:30 UTC, the middle of the French night. */
export const PURGE_CRON = '30 2 * * *';
const PURGE_HOUR_UTC = 2;
const PURGE_MINUTE_UTC = 30;

function check(s: SessionContext) {
  if (!retentionRoles.includes(s.role)) throw forbidden();
}

/** The next run of the daily purge after `now`. */
export function nextPurgeAt(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), PURGE_HOUR_UTC, PURGE_MINUTE_UTC));
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** `now` minus whole months (UTC), the cut-off of a rule. */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** Which rows a rule makes expired: a fixed duration runs from the recording, the others from the end. */
export function expiryOf(rule: Rule, now: Date): Expiry {
  return { basis: rule.endKind === 'fixed' ? 'recorded' : 'ended', before: monthsBefore(now, rule.months) };
}

/** The organisation's rule for every purpose: its own where it set one, the default elsewhere. */
async function effectiveRules(trx: Tx): Promise<Map<Purpose, Rule & { own: repo.RuleRow | undefined }>> {
  const own = new Map((await repo.ownRules(trx)).map((r) => [r.purpose, r]));
  return new Map(
    purposes.map((p) => {
      const o = own.get(p);
      return [p, o ? { endKind: o.end_kind, months: o.months, own: o } : { endKind: defaultRules[p].endKind, months: defaultRules[p].months, own: undefined }];
    }),
  );
}

/** Why a rule is refused, in French; null when it is acceptable. */
export function ruleProblem(purpose: Purpose, rule: Rule): { code: string; message: string } | null {
  if (purpose === 'security') {
    if (rule.endKind !== 'fixed') return { code: 'retention_security_fixed', message: 'Le journal d’audit se conserve pour une durée fixe.' };
    if (rule.months < securityMonths.min || rule.months > securityMonths.max) {
      return { code: 'retention_security_months', message: 'Le journal d’audit se conserve entre 6 et 12 mois.' };
    }
  }
  if (rule.endKind === 'end_of_followup' && !followupPurposes.includes(purpose)) {
    return {
      code: 'retention_end_kind',
      message:
        '« À la fin du suivi » ne vaut que pour le registre des fragilités et l’orientation ; choisissez « tant que dure la finalité » ou une durée fixe.',
    };
  }
  return null;
}

/** Every purpose's rule, for the DPO's screen. */
export async function listRules(deps: Deps, s: SessionContext): Promise<RetentionRuleRow[]> {
  check(s);
  return withSession(deps.database, s, async (trx) => {
    const rules = await effectiveRules(trx);
    return purposes.map((p) => {
      const r = rules.get(p) as Rule & { own: repo.RuleRow | undefined };
      return {
        purpose: p,
        endKind: r.endKind,
        months: r.months,
        isDefault: !r.own,
        defaultEndKind: defaultRules[p].endKind,
        defaultMonths: defaultRules[p].months,
        basis: defaultRules[p].basis,
        updatedAt: r.own ? r.own.updated_at.toISOString() : null,
      };
    });
  });
}

/** Sets an organisation's rule for a purpose (refused in French when the law or the design forbids it); audited. */
export async function setRule(deps: Deps, s: SessionContext, input: RetentionRuleBody & { purpose: Purpose; ip: string }): Promise<RetentionRuleRow[]> {
  check(s);
  const problem = ruleProblem(input.purpose, input);
  if (problem) throw invalid(problem.code, problem.message);
  await withSession(deps.database, s, async (trx) => {
    await repo.upsertRule(trx, { purpose: input.purpose, endKind: input.endKind, months: input.months });
    await recordAudit(trx, actorOf(s, input.ip), {
      action: 'retention.rule_changed',
      objectType: 'retention_rule',
      details: { purpose: input.purpose, endKind: input.endKind, months: input.months },
    });
  });
  return listRules(deps, s);
}

/** Back to the default rule of a purpose; audited. */
export async function resetRule(deps: Deps, s: SessionContext, input: { purpose: Purpose; ip: string }): Promise<RetentionRuleRow[]> {
  check(s);
  await withSession(deps.database, s, async (trx) => {
    if (await repo.deleteRule(trx, input.purpose)) {
      const d = defaultRules[input.purpose];
      await recordAudit(trx, actorOf(s, input.ip), {
        action: 'retention.rule_changed',
        objectType: 'retention_rule',
        details: { purpose: input.purpose, endKind: d.endKind, months: d.months, default: true },
      });
    }
  });
  return listRules(deps, s);
}

/** Told each step's line and time in milliseconds (the purge benchmark). */
type StepTimer = (line: PurgeLine, ms: number) => void;

/** Purges the transaction's organisation by its rules, target after target, and says how many rows each changed. */
async function purgeIn(trx: Tx, now: Date, ctx: PurgeContext, onStep?: StepTimer): Promise<PurgeLine[]> {
  // The steps anti-join hundreds of thousands of rows (queue entries without calls, calls without
  // follow-ups): with the default 4 MB the hash spilled to disk in batches (EXPLAIN of the
  // 500,000-household bench); this transaction only.
  await sql`set local work_mem = '64MB'`.execute(trx);
  const rules = await effectiveRules(trx);
  const lines: PurgeLine[] = [];
  for (const t of purgeTargets) {
    const t0 = performance.now();
    const count = await t.purge(trx, expiryOf(rules.get(t.purpose) as Rule, now), ctx);
    const line = { table: t.table, purpose: t.purpose, action: t.action, label: t.label, count };
    onStep?.(line, performance.now() - t0);
    lines.push(line);
  }
  return lines;
}

/**
 * What the next purge would remove, per table and purpose, and when it runs: the purge itself,
 * run at the next run's time and rolled back, so that a step that frees rows for the next one
 * (a follow-up deleted, then the call it rested on) is counted as the purge will do it.
 */
export async function previewPurge(deps: Deps, s: SessionContext): Promise<PurgePreview> {
  check(s);
  const next = nextPurgeAt(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    await sql`savepoint retention_preview`.execute(trx);
    const lines = await purgeIn(trx, next, { organisationId: s.organisationId, files: deps.config });
    await sql`rollback to savepoint retention_preview`.execute(trx);
    // The files the preview deleted are back: their bytes must stay.
    dropAfterCommit(trx);
    return { nextPurgeAt: next.toISOString(), lines, total: lines.reduce((n, l) => n + l.count, 0) };
  });
}

/**
 * Purges one organisation in its own transaction (RLS: nothing of another organisation is seen or
 * touched): every target by the organisation's rules, then one audit event « N purgés » with the
 * count per table and purpose. Safe to run twice (a second run finds nothing). `files`: where the
 * bytes of the files it deletes are, removed once it commits (without it, left to the sweep).
 */
export async function purgeOrganisation(
  database: Database,
  organisationId: string,
  now: Date,
  onStep?: StepTimer,
  files: PurgeContext['files'] = null,
): Promise<PurgeLine[]> {
  return database.withOrg({ organisationId }, async (trx) => {
    const lines = await purgeIn(trx, now, { organisationId, files }, onStep);
    const total = lines.reduce((n, l) => n + l.count, 0);
    await recordAudit(
      trx,
      { userId: null, role: null, ip: null },
      {
        action: 'retention.purged',
        objectType: 'organisation',
        objectId: organisationId,
        details: {
          total,
          summary: `${total} purgé${total > 1 ? 's' : ''}`,
          lines: lines.filter((l) => l.count > 0).map((l) => ({ table: l.table, purpose: l.purpose, action: l.action, count: l.count })),
        },
      },
    );
    return lines;
  });
}

/** The daily purge: every organisation, one after the other, each in its own transaction. One failing organisation does not stop the others. */
export async function purgeAllOrganisations(
  database: Database,
  now: Date,
  logger?: Logger,
  files: PurgeContext['files'] = null,
): Promise<{ purged: number; failures: number }> {
  const { rows } = await sql<{ id: string }>`select lien_organisation_ids() as id`.execute(database.db);
  let purged = 0;
  let failures = 0;
  for (const { id } of rows) {
    try {
      purged += (await purgeOrganisation(database, id, now, undefined, files)).reduce((n, l) => n + l.count, 0);
    } catch (error) {
      failures++;
      logger?.error({ organisationId: id, err: error }, 'retention purge failed');
    }
  }
  return { purged, failures };
}
