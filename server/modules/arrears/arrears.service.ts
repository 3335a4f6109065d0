/**
 * Arrears and payment plans (issue 14): the view « nouveaux ou aggravés depuis le … », balance
 * files (check, preview, apply at once), payment plans and their compliance, crisis pauses, FSL
 * and guarantee steps. Balances are the registry's, cases and tasks followups'.
 */
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import {
  type ArrearsRow,
  arrearsViewBody,
  balanceColumns,
  type PlanCreateBody,
  type pauseBody,
  planCreateBody,
  planKindLabels,
  type stepCreateBody,
  stepKindLabels,
} from '../../../contracts/arrears.ts';
import type { TimelineEvent } from '../../../contracts/households.ts';
import { euros } from '../../../contracts/money.ts';
import { frenchDay } from '../../../contracts/paris-time.ts';
import { HOUSEHOLD_IDS } from '../../platform/audit/accesses.ts';
import { actorOf, recordAudit } from '../../platform/audit/audit.ts';
import { can } from '../../platform/auth/abilities.ts';
import { type SessionContext, withSession } from '../../platform/auth/sessions.repository.ts';
import type { Tx } from '../../platform/db/database.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors/app-error.ts';
import type { MaintenanceTask } from '../../platform/jobs/maintenance.ts';
import { parisToday } from '../../platform/time.ts';
import { type Deps, nowOf } from '../deps.ts';
import { addCaseTask, joinOrOpenCase } from '../followups/index.ts';
import {
  applyBalanceImport,
  arrearsSince,
  arrearsSinceIds,
  type BalanceLine,
  type BalanceLineError,
  balanceImportOf,
  balanceImports,
  cancelBalanceImport,
  fslFactsOf,
  householdAgencyOf,
  householdIdsByRef,
  householdsInScope,
  householdsOfPlace,
  latestBalances,
  parseAmountCents,
  parseFrenchDate,
  readExport,
  scopeOf,
  seedDemoBalances,
  stageBalanceImport,
  UnreadableExport,
} from '../registry/index.ts';
import * as repo from './arrears.repository.ts';
import { planSchedule } from './schedule.ts';

const householdNotFound = () => notFound('Ménage', 'household_not_found');

/** The household's agency when the session reaches it; 404 otherwise (another organisation's too). */
async function reachableAgency(trx: Tx, s: SessionContext, householdId: string) {
  const agencyId = await householdAgencyOf(trx, householdId);
  const scope = scopeOf(s);
  if (!agencyId || (scope && !scope.includes(agencyId))) throw householdNotFound();
  return agencyId;
}

/** Households whose debt appeared or grew since a date, paged; the households listed are audited. */
export function arrearsView(deps: Deps, s: SessionContext, input: z.input<typeof arrearsViewBody>, ip: string) {
  const f = arrearsViewBody.parse(input);
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    const rows = await arrearsSince(
      trx,
      { since: f.since, agencyId: f.agencyId, sort: f.sort, limit: f.limit, offset: (f.page - 1) * f.limit },
      scopeOf(s),
      can(s.role, 'households.restricted'),
    );
    const total = Number(rows[0]?.total ?? 0);
    const found = rows.filter((r): r is typeof r & { id: string } => r.id !== null);
    const ids = found.map((r) => r.id);
    const [pauses, plans] = [await repo.pausesOn(trx, ids, today), await repo.activePlans(trx, ids)];
    await recordAudit(trx, actorOf(s, ip), { action: 'arrears.listed', details: { since: f.since, [HOUSEHOLD_IDS]: ids } });
    return {
      total,
      rows: found.map((r): ArrearsRow => {
        const balance = Number(r.balance_cents);
        const before = r.before_cents === null ? null : Number(r.before_cents);
        const rent = r.monthly_rent_cents === null ? null : Number(r.monthly_rent_cents);
        return {
          householdId: r.id,
          householdRef: r.erp_ref,
          holder: r.holder ?? '',
          residence: r.residence,
          agency: r.agency,
          balanceCents: balance,
          beforeCents: before,
          growthCents: balance - Math.max(before ?? 0, 0),
          monthsOfRent: rent ? Math.round((balance / rent) * 10) / 10 : null,
          balanceAt: r.balance_at?.toISOString() ?? null,
          pausedUntil: pauses.get(r.id)?.untilOn ?? null,
          activePlanId: plans.get(r.id) ?? null,
        };
      }),
    };
  });
}

type PlanRows = Awaited<ReturnType<typeof repo.plansOf>>;
const planOut = (p: PlanRows[number]) => ({
  id: p.id,
  householdId: p.household_id,
  caseId: p.case_id,
  kind: p.kind,
  amountCents: Number(p.amount_cents),
  startOn: p.start_on,
  months: p.months,
  signedOn: p.signed_on,
  graceDays: p.grace_days,
  baselineCents: Number(p.baseline_cents),
  status: p.status,
  instalments: p.instalments.map((i) => ({ seq: i.seq, dueOn: i.due_on, amountCents: Number(i.amount_cents), status: i.status })),
});

/** A household's arrears: latest balance, history, pause in force, plans and steps; audited. */
export function householdArrears(deps: Deps, s: SessionContext, householdId: string, ip: string) {
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    await reachableAgency(trx, s, householdId);
    const facts = await fslFactsOf(trx, householdId);
    const pause = (await repo.pausesOn(trx, [householdId], today)).get(householdId) ?? null;
    const plans = await repo.plansOf(trx, householdId);
    const steps = await repo.stepsOf(trx, householdId);
    await recordAudit(trx, actorOf(s, ip), { action: 'arrears.read', details: { [HOUSEHOLD_IDS]: [householdId] } });
    return {
      householdId,
      balanceCents: facts.household?.balance_cents == null ? null : Number(facts.household.balance_cents),
      monthlyRentCents: facts.household?.monthly_rent_cents == null ? null : Number(facts.household.monthly_rent_cents),
      balances: facts.history.map((b) => ({ on: b.on, cents: Number(b.cents) })),
      pause,
      plans: plans.map(planOut),
      steps: steps.map((x) => ({
        id: x.id,
        caseId: x.case_id,
        kind: x.kind,
        filedOn: x.filed_on,
        decidedOn: x.decided_on,
        decision: x.decision,
        amountCents: x.amount_cents === null ? null : Number(x.amount_cents),
      })),
    };
  });
}

/** The household's open rent case (« impayés »), or a new one: its id. */
export function openRentCase(deps: Deps, s: SessionContext, householdId: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const agencyId = await reachableAgency(trx, s, householdId);
    const id = await joinOrOpenCase(trx, { householdId, agencyId, type: 'rent', origin: 'staff', urgent: false });
    await recordAudit(trx, actorOf(s, ip), { action: 'arrears.case_opened', objectType: 'case', objectId: id, details: { [HOUSEHOLD_IDS]: [householdId] } });
    return { id };
  });
}

/**
 * A signed payment plan: the schedule computed here (integer cents, the remainder on the last
 * instalment), attached to the household's rent case (joined or opened). The household's current
 * balance is the baseline compliance is measured from; a household without a debt has no plan.
 */
export function createPlan(deps: Deps, s: SessionContext, input: PlanCreateBody, ip: string) {
  const p = planCreateBody.parse(input);
  return withSession(deps.database, s, async (trx) => {
    const agencyId = await reachableAgency(trx, s, p.householdId);
    const balance = (await latestBalances(trx, [p.householdId])).get(p.householdId);
    if (!balance || balance.cents <= 0) throw invalid('no_debt', 'Ce ménage n’a pas de dette connue : un plan d’apurement suppose un solde débiteur.');
    if (p.amountCents > balance.cents)
      throw invalid('amount_above_debt', `Le montant du plan (${euros(p.amountCents)}) dépasse la dette connue (${euros(balance.cents)}).`);
    if (p.signedOn > parisToday(nowOf(deps))) throw invalid('signed_in_future', 'La date de signature ne peut pas être dans le futur.');
    const caseId = await joinOrOpenCase(trx, { householdId: p.householdId, agencyId, type: 'rent', origin: 'staff', urgent: false });
    const instalments = planSchedule(p.kind, p.amountCents, p.startOn, p.months);
    const id = await repo.insertPlan(trx, { ...p, caseId, baselineCents: balance.cents, userId: s.userId, instalments });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'arrears.plan_created',
      objectType: 'payment_plan',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: [p.householdId], kind: p.kind, amountCents: p.amountCents, months: p.months },
    });
    return { id, caseId };
  });
}

/** One plan (404 outside the caller's agencies). */
export function planDetail(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const p = await repo.planOf(trx, id);
    if (!p) throw notFound('Plan', 'plan_not_found');
    const scope = scopeOf(s);
    if (scope && !(await householdsInScope(trx, [p.household_id], scope)).size) throw notFound('Plan', 'plan_not_found');
    await recordAudit(trx, actorOf(s, ip), {
      action: 'arrears.plan_read',
      objectType: 'payment_plan',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: [p.household_id] },
    });
    return planOut(p);
  });
}

/**
 * Compliance on `on` (the date of the latest balances): every pending instalment due (due date +
 * grace) by then is met when the household's latest balance is at most the plan's baseline less
 * the instalments so far, else missed — a task on the plan's case for its assignee. A balance
 * dated before the instalment's due date + grace says nothing yet of a missed one: it stays pending
 * until a later balance (a file or an ERP import) comes. Households whose reminders are paused on
 * that date are left pending (crisis mode). `userId`: who asked, or null for the daily check.
 */
export async function checkCompliance(trx: Tx, userId: string | null, on: string, today: string) {
  const due = await repo.dueInstalments(trx, on);
  const households = [...new Set(due.map((i) => i.household_id))];
  const balances = await latestBalances(trx, households);
  const paused = await repo.pausesOn(trx, households, on);
  const met: string[] = [];
  const missed: { id: string; taskId: string | null }[] = [];
  for (const i of due) {
    if (paused.has(i.household_id)) continue;
    const balance = balances.get(i.household_id);
    if (!balance) continue;
    if (balance.cents <= Number(i.expected_cents)) {
      met.push(i.id);
      continue;
    }
    if (balance.on < addDaysIso(i.due_on, Number(i.grace_days))) continue;
    const title =
      `Échéance n° ${i.seq} du ${frenchDay(i.due_on)} non honorée (${planKindLabels[i.kind]} : solde ${euros(balance.cents)}, ` +
      `${euros(Number(i.expected_cents))} attendus au plus après le délai de grâce)`;
    // A plan whose case was erased (fragility register) keeps its compliance, without a task to raise.
    const taskId = i.case_id ? await addCaseTask(trx, { caseId: i.case_id, title: title.slice(0, 200), dueOn: today, remind: true, userId }) : null;
    missed.push({ id: i.id, taskId });
  }
  await repo.recordCheck(trx, met, missed);
  return { checked: met.length + missed.length, missed: missed.length };
}

/** The daily check of every organisation's plans against their latest balances (ERP imports included); no user. */
export const arrearsCompliance: MaintenanceTask = {
  name: 'arrears_compliance',
  run: async (trx, now) => {
    const today = parisToday(now);
    return (await checkCompliance(trx, null, today, today)).missed;
  },
};

/** Checks compliance now (today's balances), for the plans of the caller's organisation; audited. */
export function runCompliance(deps: Deps, s: SessionContext, ip: string) {
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    const r = await checkCompliance(trx, s.userId, today, today);
    await recordAudit(trx, actorOf(s, ip), { action: 'arrears.compliance_checked', details: r });
    return r;
  });
}

const normalise = (header: string) =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const MAX_LINES = 600_000;
const SHOWN_ERRORS = 500;

/**
 * Reads and checks a balance file (CSV or XLSX, the ERP import's reader): the columns by their
 * French header; each line's ERP reference (known household), balance, date (not in the future)
 * and optional monthly rent. Nothing is written to the history: the checked lines are staged for
 * the preview, the refused ones listed with their French reason.
 */
export async function previewBalanceFile(deps: Deps, s: SessionContext, file: Readable, fileName: string, ip: string) {
  const today = parisToday(nowOf(deps));
  let rows: Awaited<ReturnType<typeof readExport>>;
  try {
    rows = await readExport(file);
  } catch (error) {
    if (error instanceof UnreadableExport) throw new AppError('file_unreadable', error.message.includes('taille') ? 413 : 422, error.message);
    throw error;
  }
  const headers = rows.headers.map(normalise);
  const col = (names: readonly string[]) => headers.findIndex((h) => names.includes(h));
  const at = { ref: col(balanceColumns.ref), balance: col(balanceColumns.balance), date: col(balanceColumns.date), rent: col(balanceColumns.rent) };
  const missing = [at.ref < 0 && '« Référence »', at.balance < 0 && '« Solde »', at.date < 0 && '« Date »'].filter(Boolean);
  if (missing.length)
    throw invalid(
      'balance_columns',
      `Colonnes introuvables : ${missing.join(', ')}. Le fichier doit avoir une ligne d’en-tête avec Référence, Solde, Date et, si vous l’avez, Loyer mensuel (charges comprises).`,
    );
  type Parsed = { line: number; ref: string; balanceCents: number; balanceOn: string; monthlyRentCents: number | null };
  const parsed: Parsed[] = [];
  const errors: BalanceLineError[] = [];
  const seen = new Set<string>();
  let total = 0;
  try {
    for await (const row of rows.rows) {
      total++;
      if (total > MAX_LINES) throw invalid('too_many_lines', `Le fichier dépasse ${MAX_LINES.toLocaleString('fr-FR')} lignes : découpez-le.`);
      const cell = (i: number) => (i < 0 ? '' : (row.cells[i] ?? '').trim());
      const fail = (column: string, value: string, reason: string) => errors.push({ line: row.line, column, value: value.slice(0, 80), reason });
      const ref = cell(at.ref);
      if (!ref) {
        fail('Référence', '', 'référence ERP manquante');
        continue;
      }
      let balanceCents: number;
      let balanceOn: string;
      let monthlyRentCents: number | null = null;
      try {
        balanceCents = parseAmountCents(cell(at.balance));
      } catch (error) {
        fail('Solde', cell(at.balance), cell(at.balance) ? (error as Error).message : 'solde manquant');
        continue;
      }
      try {
        balanceOn = parseFrenchDate(cell(at.date));
      } catch (error) {
        fail('Date', cell(at.date), cell(at.date) ? (error as Error).message : 'date manquante');
        continue;
      }
      if (balanceOn > today) {
        fail('Date', cell(at.date), 'date dans le futur');
        continue;
      }
      if (cell(at.rent)) {
        try {
          monthlyRentCents = parseAmountCents(cell(at.rent));
        } catch (error) {
          fail('Loyer mensuel', cell(at.rent), (error as Error).message);
          continue;
        }
        if (monthlyRentCents <= 0) {
          fail('Loyer mensuel', cell(at.rent), 'le loyer mensuel doit être positif');
          continue;
        }
      }
      const key = `${ref}|${balanceOn}`;
      if (seen.has(key)) {
        fail('Référence', ref, 'ligne en double : ce ménage a déjà un solde à cette date dans le fichier');
        continue;
      }
      seen.add(key);
      parsed.push({ line: row.line, ref, balanceCents, balanceOn, monthlyRentCents });
    }
  } catch (error) {
    if (error instanceof UnreadableExport) throw new AppError('file_unreadable', 422, error.message);
    throw error;
  }
  if (total === 0) throw invalid('file_empty', 'Le fichier ne contient aucune ligne de solde.');
  return withSession(deps.database, s, async (trx) => {
    const ids = await householdIdsByRef(
      trx,
      parsed.map((p) => p.ref),
    );
    const lines: BalanceLine[] = [];
    for (const p of parsed) {
      const householdId = ids.get(p.ref);
      if (!householdId) errors.push({ line: p.line, column: 'Référence', value: p.ref.slice(0, 80), reason: 'référence ERP inconnue : aucun ménage' });
      else lines.push({ line: p.line, householdId, balanceCents: p.balanceCents, balanceOn: p.balanceOn, monthlyRentCents: p.monthlyRentCents });
    }
    errors.sort((a, b) => a.line - b.line);
    const id = await stageBalanceImport(trx, { fileName: fileName.slice(0, 255), totalLines: total, lines, errors, userId: s.userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'balances.previewed',
      objectType: 'balance_import',
      objectId: id,
      details: { lines: total, refused: errors.length },
    });
    const staged = (await balanceImportOf(trx, id)) as NonNullable<Awaited<ReturnType<typeof balanceImportOf>>>;
    return importOut(staged);
  });
}

const importOut = (b: NonNullable<Awaited<ReturnType<typeof balanceImportOf>>>) => ({
  id: b.id,
  fileName: b.file_name,
  status: b.status,
  totalLines: b.total_lines,
  validLines: b.valid_lines,
  errors: b.errors.slice(0, SHOWN_ERRORS),
  createdAt: b.created_at.toISOString(),
  appliedAt: b.applied_at?.toISOString() ?? null,
});

/** A staged balance file and its refused lines. */
export function balanceImport(deps: Deps, s: SessionContext, id: string) {
  return withSession(deps.database, s, async (trx) => {
    const b = await balanceImportOf(trx, id);
    if (!b) throw notFound('Fichier de soldes', 'balance_import_not_found');
    return importOut(b);
  });
}

/** The last balance files. */
export function listBalanceImports(deps: Deps, s: SessionContext) {
  return withSession(deps.database, s, async (trx) => (await balanceImports(trx, 20)).map(importOut));
}

/**
 * Applies a checked balance file at once, in one transaction: a file with refused lines is not
 * applied (a partial balance file would show debts as paid); then compliance runs on the file's
 * latest date.
 */
export function applyBalanceFile(deps: Deps, s: SessionContext, id: string, ip: string) {
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    const b = await balanceImportOf(trx, id, true);
    if (!b) throw notFound('Fichier de soldes', 'balance_import_not_found');
    if (b.status !== 'previewed') throw conflict('balance_import_done', 'Ce fichier a déjà été appliqué ou annulé.');
    if (b.errors.length)
      throw invalid(
        'balance_lines_refused',
        `${b.errors.length} ligne${b.errors.length > 1 ? 's' : ''} refusée${b.errors.length > 1 ? 's' : ''} : corrigez le fichier puis déposez-le à nouveau. Rien n’a été enregistré.`,
      );
    const applied = await applyBalanceImport(trx, id);
    const compliance = applied.latestOn ? await checkCompliance(trx, s.userId, applied.latestOn, today) : { checked: 0, missed: 0 };
    await recordAudit(trx, actorOf(s, ip), {
      action: 'balances.applied',
      objectType: 'balance_import',
      objectId: id,
      details: { written: applied.written, households: applied.households, ...compliance },
    });
    return { written: applied.written, households: applied.households, ...compliance };
  });
}

/** Drops a staged balance file. */
export function cancelBalanceFile(deps: Deps, s: SessionContext, id: string, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const b = await balanceImportOf(trx, id, true);
    if (!b) throw notFound('Fichier de soldes', 'balance_import_not_found');
    if (b.status !== 'previewed') throw conflict('balance_import_done', 'Ce fichier a déjà été appliqué ou annulé.');
    await cancelBalanceImport(trx, id);
    await recordAudit(trx, actorOf(s, ip), { action: 'balances.cancelled', objectType: 'balance_import', objectId: id });
    return { ok: true as const };
  });
}

/**
 * Crisis mode (2020 national charter): pauses the arrears reminders of a segment — an agency, a
 * residence or households of the view — until a date, with a reason. While paused, compliance
 * raises no task for them.
 */
export function pauseReminders(deps: Deps, s: SessionContext, body: z.infer<typeof pauseBody>, ip: string) {
  const today = parisToday(nowOf(deps));
  if (body.untilOn < today) throw invalid('pause_past', 'La date de fin de la pause est déjà passée.');
  return withSession(deps.database, s, async (trx) => {
    const scope = scopeOf(s);
    let ids: string[];
    if ('view' in body.segment) {
      if (body.segment.view.agencyId && scope && !scope.includes(body.segment.view.agencyId)) throw notFound('Agence', 'agency_not_found');
      ids = await arrearsSinceIds(trx, body.segment.view, scope, can(s.role, 'households.restricted'));
    } else if ('householdIds' in body.segment) {
      const reached = await householdsInScope(trx, body.segment.householdIds, scope);
      if (reached.size !== new Set(body.segment.householdIds).size) throw householdNotFound();
      ids = [...reached];
    } else {
      if ('agencyId' in body.segment && scope && !scope.includes(body.segment.agencyId)) throw notFound('Agence', 'agency_not_found');
      ids = await householdsOfPlace(trx, body.segment, scope);
    }
    const paused = await repo.insertPauses(trx, { householdIds: ids, untilOn: body.untilOn, reason: body.reason, userId: s.userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'arrears.paused',
      details: { untilOn: body.untilOn, reason: body.reason, [HOUSEHOLD_IDS]: ids },
    });
    return { households: paused };
  });
}

/** An FSL application or a guarantee activation, a step of the household's rent case. */
export function addStep(deps: Deps, s: SessionContext, body: z.infer<typeof stepCreateBody>, ip: string) {
  return withSession(deps.database, s, async (trx) => {
    const agencyId = await reachableAgency(trx, s, body.householdId);
    if (body.decidedOn && body.decidedOn < body.filedOn) throw invalid('decided_before_filed', 'La décision ne peut pas précéder le dépôt.');
    const caseId = await joinOrOpenCase(trx, { householdId: body.householdId, agencyId, type: 'rent', origin: 'staff', urgent: false });
    const id = await repo.insertStep(trx, { ...body, caseId, userId: s.userId });
    await recordAudit(trx, actorOf(s, ip), {
      action: 'arrears.step_added',
      objectType: 'arrears_step',
      objectId: id,
      details: { [HOUSEHOLD_IDS]: [body.householdId], kind: body.kind },
    });
    return { id, caseId };
  });
}

/** What the pre-filled FSL summary shows (also what its PDF prints); audited as a read of the household. */
export function fslSummary(deps: Deps, s: SessionContext, householdId: string, ip: string) {
  const today = parisToday(nowOf(deps));
  return withSession(deps.database, s, async (trx) => {
    await reachableAgency(trx, s, householdId);
    const facts = await fslFactsOf(trx, householdId);
    const plans = await repo.plansOf(trx, householdId);
    const steps = await repo.stepsOf(trx, householdId);
    await recordAudit(trx, actorOf(s, ip), { action: 'arrears.fsl_summary', details: { [HOUSEHOLD_IDS]: [householdId] } });
    const h = facts.household;
    if (!h) throw householdNotFound();
    const balance = h.balance_cents === null ? null : Number(h.balance_cents);
    const rent = h.monthly_rent_cents === null ? null : Number(h.monthly_rent_cents);
    const lines = [
      `Résumé pour une demande au Fonds de solidarité pour le logement (FSL), établi le ${frenchDay(today)} — à vérifier par le travailleur social.`,
      `Ménage : ${h.erp_ref}${h.holder ? ` — ${h.holder}` : ''}`,
      `Logement : ${h.residence}${h.address ? `, ${h.address}` : ''} (agence ${h.agency})`,
      `Bail depuis le : ${h.lease_start ? frenchDay(h.lease_start) : 'non renseigné'}`,
      `Occupants : ${facts.persons.map((p) => p.name).join(', ') || 'non renseignés'}`,
      `Dette locative : ${balance === null ? 'inconnue' : euros(balance)}${rent ? ` — loyer mensuel (charges comprises) ${euros(rent)}, soit ${(Math.round(((balance ?? 0) / rent) * 10) / 10).toLocaleString('fr-FR')} mois` : ''}`,
      'Soldes récents :',
      ...facts.history.map((b) => `• ${frenchDay(b.on)} : ${euros(Number(b.cents))}`),
      'Plans signés :',
      ...(plans.length
        ? plans.map((p) => `• ${planKindLabels[p.kind]} de ${euros(Number(p.amount_cents))} sur ${p.months} mois, signé le ${frenchDay(p.signed_on)}`)
        : ['• aucun']),
      'Démarches :',
      ...(steps.length
        ? steps.map(
            (x) =>
              `• ${stepKindLabels[x.kind]} déposée le ${frenchDay(x.filed_on)}${x.decision ? ` — ${x.decision === 'granted' ? 'accordée' : 'refusée'}` : ''}`,
          )
        : ['• aucune']),
    ];
    return { ref: h.erp_ref, lines };
  });
}

/** The household's plans, missed instalments, steps and pauses on its timeline: the roles that work on arrears only. */
export async function arrearsTimeline(trx: Tx, s: SessionContext, householdId: string): Promise<TimelineEvent[]> {
  if (!can(s.role, 'arrears.work')) return [];
  return (await repo.arrearsEventsOf(trx, householdId)).map((e) => {
    const base = { at: e.at.toISOString(), kind: e.kind, type: 'plan' as const, ...(e.case_id ? { caseId: e.case_id } : {}) };
    const cents = e.cents === null ? '' : euros(Number(e.cents));
    switch (e.kind) {
      case 'plan.created':
        return { ...base, label: `${planKindLabels[e.detail as keyof typeof planKindLabels]} signé le ${frenchDay(e.on ?? '')} : ${cents}` };
      case 'plan.missed':
        return { ...base, label: `Échéance du ${frenchDay(e.on ?? '')} non honorée (${cents})` };
      case 'pause':
        return { ...base, label: `Relances suspendues jusqu’au ${frenchDay(e.on ?? '')} : ${e.detail}` };
      default:
        return {
          ...base,
          label: `${e.kind === 'step.fsl' ? stepKindLabels.fsl : stepKindLabels.guarantee} déposée le ${frenchDay(e.on ?? '')}${e.detail === 'filed' ? '' : ` — ${e.detail === 'granted' ? 'accordée' : 'refusée'}`}${cents ? ` (${cents})` : ''}`,
        };
    }
  });
}

/**
 * Demo data: eight households whose debt grew between March and June 2020, two of them with a
 * signed plan in their rent case, one with its reminders paused (crisis mode).
 */
export async function seedDemoArrears(trx: Tx, p: { officerId: string; managerId: string; today: string }) {
  await seedDemoBalances(trx, 8);
  const rows = await arrearsSince(trx, { since: '2020-03-17', sort: 'amount', limit: 8, offset: 0 }, null, true);
  const [first, second, third] = rows.filter((r) => r.id !== null) as { id: string; balance_cents: string }[];
  for (const [row, kind] of [
    [first, 'clearance'],
    [second, 'instalments'],
  ] as const) {
    if (!row) continue;
    const agencyId = (await householdAgencyOf(trx, row.id)) as string;
    const caseId = await joinOrOpenCase(trx, { householdId: row.id, agencyId, type: 'rent', origin: 'staff', urgent: false });
    const amountCents = Number(row.balance_cents);
    const instalments = planSchedule(kind, amountCents, '2020-07-05', 12);
    await repo.insertPlan(trx, {
      householdId: row.id,
      caseId,
      kind,
      amountCents,
      startOn: '2020-07-05',
      months: 12,
      signedOn: '2020-06-20',
      graceDays: 10,
      baselineCents: amountCents,
      userId: p.officerId,
      instalments,
    });
  }
  if (third)
    await repo.insertPauses(trx, {
      householdIds: [third.id],
      untilOn: addDaysIso(p.today, 90),
      reason: 'Crise sanitaire : relances suspendues (charte 2020)',
      userId: p.managerId,
    });
}

const addDaysIso = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
