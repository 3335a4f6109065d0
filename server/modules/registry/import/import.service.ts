import type { Readable } from 'node:stream';
import { largeChange } from '../../../../contracts/imports.ts';
import { type Actor, recordAudit } from '../../../platform/audit/audit.ts';
import type { OrgContext, Tx } from '../../../platform/db/database.ts';
import { AppError, invalid, notFound } from '../../../platform/errors/app-error.ts';
import type { Deps } from '../../deps.ts';
import { type ExportRows, ExportTooLarge, IMPORT_LIMITS, readExport, UnreadableExport } from './export-reader.ts';
import * as repo from './import.repository.ts';
import { explicitMapping, fieldLabels, guessMapping, type ImportField, type Mapping, MappingRefused, missingFields, normaliseHeader } from './mapping.ts';
import { isNir, isNirHeader } from './nir.ts';
import { type LineError, type ValidatedLine, validateLine } from './validate.ts';

/** `refused_columns`: columns refused because they hold social-security numbers (NIR), never read. */
export type ImportSummary = repo.PreviewCounts & { applied?: Record<string, number>; refused_columns?: string[] };

/**
 * Who imports: the organisation, the user, and the agencies of a manager limited to some (null:
 * org admins and managers of the whole organisation). A limited manager sees and drives only the
 * imports they started, and their lines touching another agency are rejected.
 */
export type ImportCtx = OrgContext & { userId: string; agencyIds?: string[] | null | undefined };
const startedBy = (ctx: ImportCtx) => (ctx.agencyIds ? ctx.userId : undefined);
/** The French sentence explaining why a large change waits for a confirmation. */
export function largeChangeMessage(s: repo.PreviewCounts): string {
  const c = largeChange(s);
  const percent = (c.share * 100).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  return `Cet import touche ${c.touched} des ${c.existing} ménages déjà dans le registre (${percent} %, au-delà de 5 %) : ${s.households_updated} à mettre à jour (dont ${s.households_left} sortis) et ${s.households_missing} absents de l’export.`;
}

/** Phases of an import, in order: the progress reports each one. */
export type ImportPhase = 'reading' | 'staging' | 'duplicates' | 'preview' | 'applying';
export type Progress = (phase: ImportPhase, done: number, total: number) => void;

// LIEN_IMPORT_TIMINGS=1 prints how long each phase took (benchmarks, diagnosis). The clock
// restarts at the start of each import, validation and apply (several run in one process).
const timings = process.env.LIEN_IMPORT_TIMINGS === '1';
let last = performance.now();
function mark(label: string) {
  if (!timings) return;
  const now = performance.now();
  process.stderr.write(`  [import] ${label}: ${((now - last) / 1000).toFixed(2)} s\n`);
  last = now;
}

const unreadable = (error: unknown) => {
  if (error instanceof ExportTooLarge) return new AppError('payload_too_large', 413, error.message);
  return error instanceof UnreadableExport ? invalid('unreadable_file', error.message) : error;
};

function mappingByHeader(headers: string[], mapping: Mapping): Record<string, ImportField | null> {
  // No prototype: a header may be called « __proto__ ».
  const out: Record<string, ImportField | null> = Object.create(null);
  headers.forEach((h, i) => {
    out[normaliseHeader(h)] = mapping[String(i)] ?? null;
  });
  return out;
}

/**
 * Lines validated batch by batch, in the order of the file (the reader skips blank lines):
 * `onLine` sees each one before its batch goes on to staging.
 */
async function* validated(
  batches: AsyncIterable<{ line: number; cells: string[] }[]>,
  mapping: Mapping,
  headers: string[],
  onLine?: (v: ValidatedLine) => void,
  refusedColumns?: ReadonlySet<number>,
  onEnd?: () => void,
): AsyncGenerator<ValidatedLine[]> {
  for await (const rows of batches) {
    const out: ValidatedLine[] = [];
    for (const { line, cells } of rows) {
      const v = validateLine(line, cells, mapping, headers, refusedColumns);
      onLine?.(v);
      out.push(v);
    }
    yield out;
  }
  onEnd?.();
}

export type FileImportOptions = {
  fileName: string;
  dryRun?: boolean;
  validOnly?: boolean;
  fullExport?: boolean;
  userId?: string | null;
  onProgress?: Progress;
  /** Apply even when the import changes or removes more than 5 % of the households (IN-06). */
  confirmLarge?: boolean;
  /** Receives each line rejected while reading (original cells, NIR values blanked); every rejection is in the result's `rejected`. */
  onRejected?: (line: number, cells: string[], errors: LineError[]) => void;
  /** Receives each imported line with values set aside (a bad phone or e-mail), with the reasons. */
  onWarning?: (line: number, cells: string[], warnings: LineError[]) => void;
  /** Header → field written by hand (CLI `--mapping`); it wins over the saved mapping and the guess. */
  mapping?: unknown;
  /** Remember the mapping used for the organisation's next imports, as the web page does. */
  saveMapping?: boolean;
};

/**
 * Import an export end to end (CLI, tests, benchmark): read, map (explicit mapping, else saved,
 * else guessed), validate, stage with COPY, preview, then apply in one transaction — or nothing,
 * when a line is invalid and `validOnly` is not set, when the change is large and not confirmed,
 * or in a dry run. `rejected` lists every rejected line (duplicates included) with its reasons.
 */
export async function importFile(deps: Deps, ctx: OrgContext, source: Readable, options: FileImportOptions) {
  const { database } = deps;
  last = performance.now();
  let exportRows: ExportRows;
  try {
    exportRows = await readExport(source);
  } catch (error) {
    throw unreadable(error);
  }
  const { headers, dialect } = exportRows;
  let explicit: Mapping = {};
  try {
    if (options.mapping !== undefined) explicit = explicitMapping(headers, options.mapping);
  } catch (error) {
    if (error instanceof MappingRefused) throw invalid('mapping_invalid', `${error.message} Rien n’a été importé.`, { headers });
    throw error;
  }
  const saved = await database.withOrg(ctx, async (trx) => {
    await repo.expireStaleImports(trx);
    return repo.loadSavedMapping(trx);
  });
  const mapping = guessMapping(headers, saved as Record<string, ImportField | null>, explicit);
  const missing = missingFields(mapping);
  if (missing.length)
    throw invalid('mapping_incomplete', `Colonnes obligatoires introuvables : ${missing.map((f) => fieldLabels[f]).join(', ')}.`, { headers });
  const refusedByHeader = new Set(headers.flatMap((h, i) => (isNirHeader(h) ? [i] : [])));
  const importId = await database.withOrg(ctx, async (trx) => {
    if (options.saveMapping) await repo.saveMapping(trx, mappingByHeader(headers, mapping));
    return repo.createImport(trx, {
      fileName: options.fileName,
      format: dialect.format,
      encoding: dialect.encoding,
      delimiter: dialect.delimiter,
      headers,
      createdBy: options.userId ?? null,
      status: 'validating',
    });
  });
  let lines = 0;
  const nirColumns = new Set<number>(refusedByHeader);
  const cpu = process.cpuUsage();
  let staged: Awaited<ReturnType<typeof repo.stageLines>> | undefined;
  try {
    staged = await database.withOrgClient(ctx, (client) =>
      repo.stageLines(
        client,
        importId,
        validated(
          exportRows.batches,
          mapping,
          headers,
          (v) => {
            lines++;
            if (lines % 1_000 === 0) options.onProgress?.('reading', lines, 0);
            for (const i of v.nirColumns) nirColumns.add(i);
            if (v.errors.length) options.onRejected?.(v.line, v.cells, v.errors);
            else if (v.warnings.length) options.onWarning?.(v.line, v.cells, v.warnings);
          },
          refusedByHeader,
          () => options.onProgress?.('staging', lines, lines),
        ),
      ),
    );
  } catch (error) {
    await database.withOrg(ctx, (trx) => repo.updateImport(trx, importId, { status: 'failed', error: String((error as Error).message).slice(0, 500) }));
    throw unreadable(error);
  }
  if (timings && staged) {
    const used = process.cpuUsage(cpu);
    process.stderr.write(
      `  [import] (reading, validating, formatting: ${((used.user + used.system) / 1e6).toFixed(2)} s of CPU here; waited ${(staged.waitedMs / 1000).toFixed(2)} s for PostgreSQL to take ${staged.batches} batches)\n`,
    );
  }
  mark('read + validate + stage');
  const refusedColumns = [...nirColumns].sort((a, b) => a - b).map((i) => headers[i] ?? `colonne ${i + 1}`);
  // Preview, then (unless refused) apply, in one transaction: the apply reads the session copy
  // of the lines the preview made (`repo.openLines`) and takes its count of households to update
  // (the same definition, on the same copy, against the same registry) instead of building both again.
  const outcome = await database.withOrg(ctx, async (trx) => {
    // An import that may apply waits here for another import of the organisation to end, so its
    // preview already sees what that one wrote (the apply below takes the same lock again).
    if (!options.dryRun) await repo.serialiseApplies(trx);
    options.onProgress?.('duplicates', 0, 1);
    // Every valid surname already in capitals (most ERP exports): nothing to harmonise, no pass over the lines.
    if (staged?.surnamesNotInCapitals) await repo.harmoniseSurnameCase(trx, importId);
    mark('surname case');
    await repo.checkHouseholds(trx, importId);
    mark('duplicates');
    options.onProgress?.('preview', 0, 1);
    await repo.openLines(trx, importId);
    mark('session copy');
    const counts = await repo.previewCounts(trx, importId, options.fullExport ?? false);
    mark('preview');
    // Every rejection, those found in SQL (duplicates) included; line numbers and reasons only.
    const rejected = counts.rejected_lines
      ? (await repo.rejectedLines(trx, importId)).filter((l) => l.errors.length).map((l) => ({ line: l.line, errors: l.errors }))
      : [];
    const summary = { ...counts, refused_columns: refusedColumns } as ImportSummary;
    const change = largeChange(summary);
    const refuse = (!options.dryRun && !options.validOnly && summary.rejected_lines > 0) || (change.large && !options.confirmLarge);
    if (options.dryRun || refuse) {
      await repo.updateImport(trx, importId, { status: 'cancelled', summary: JSON.stringify(summary), total_lines: lines });
      await repo.clearStaging(trx, importId);
      return { summary, rejected, change, applied: null };
    }
    options.onProgress?.('applying', 0, 1);
    const applied = await applyInTransaction(
      trx,
      importId,
      { fullExport: options.fullExport ?? false, actor: { userId: options.userId ?? null, role: null, ip: null } },
      counts.households_updated,
    );
    options.onProgress?.('applying', 1, 1);
    return { summary, rejected, change, applied };
  });
  const { summary, rejected, change, applied } = outcome;
  const result = { importId, dialect, headers, mapping, nirColumns: refusedColumns, summary, rejected, largeDiff: change.large, change };
  if (!applied) return { ...result, applied: false };
  return { ...result, summary: { ...summary, applied }, applied: true };
}

type ApplyOptions = { fullExport: boolean; actor: Actor; onlyIf?: Row['status'] };

/**
 * Apply a staged import in one transaction; staging is cleared in the same transaction.
 * `onlyIf`: apply only from this status (a job run twice finds the import applied or failed by
 * the other run and does nothing).
 */
export async function applyStaged(deps: Deps, ctx: OrgContext, importId: string, options: ApplyOptions) {
  last = performance.now();
  return deps.database.withOrg(ctx, (trx) => applyInTransaction(trx, importId, options));
}

/**
 * The apply, in the caller's transaction. `previewed`: the count of households to update that a
 * preview of this transaction computed after `repo.openLines` (command line); without it (a job
 * applying what an earlier transaction previewed), the session copy is made here.
 */
async function applyInTransaction(trx: Tx, importId: string, options: ApplyOptions, previewed?: number): Promise<Record<string, number>> {
  const current = await repo.lockImport(trx, importId);
  if (!current) throw notFound('Import', 'import_not_found');
  await repo.serialiseApplies(trx);
  if (current.status === 'applied' || (options.onlyIf && current.status !== options.onlyIf)) {
    return (current.summary?.applied ?? {}) as Record<string, number>;
  }
  // Staging is unlogged: after a crash of PostgreSQL the lines are gone, and nothing is written.
  if (!(await repo.hasStagedLines(trx, importId))) {
    throw invalid(
      'import_staging_lost',
      'Les lignes de ce fichier ne sont plus en attente (redémarrage du serveur) : rien n’a été écrit ; envoyez le fichier de nouveau.',
    );
  }
  // The scope is checked again in the writing transaction: a residence or household may have
  // changed agency since the dry run. Such lines are not written; all-or-nothing stops.
  const agencyIds = await repo.importScope(trx, importId);
  const outOfScope = agencyIds ? await repo.rejectOutOfScope(trx, importId, agencyIds) : 0;
  if (outOfScope > 0 && !current.valid_only) {
    throw invalid(
      'import_out_of_scope',
      'Des lignes concernent désormais une agence hors de votre périmètre : relancez la simulation, ou importez seulement les lignes valides.',
    );
  }
  mark('apply: scope');
  // « Households to update » has one definition, the preview's, counted here just before writing
  // (applyLines alone counts only the household rows it rewrote, not those whose persons changed).
  let householdsUpdated = previewed;
  if (householdsUpdated === undefined || outOfScope > 0) {
    // One analysed session copy of the lines, read by every step below (repo.openLines).
    await repo.openLines(trx, importId);
    mark('apply: session copy');
    householdsUpdated = await repo.householdsToUpdate(trx);
    mark('apply: households to update');
  }
  const applied = { ...(await repo.applyLines(trx, importId, options.fullExport, agencyIds)), households_updated: householdsUpdated };
  await repo.updateImport(trx, importId, {
    status: 'applied',
    summary: JSON.stringify({ ...(current.summary ?? {}), applied }),
    progress_done: 1,
    progress_total: 1,
  });
  await repo.clearStaging(trx, importId);
  await recordAudit(trx, options.actor, { action: 'registry.import_applied', objectType: 'import', objectId: importId, details: applied });
  mark('apply: writes');
  return applied;
}

// ——— Web path: upload (staged raw), mapping + validation (job), apply (job) ———

const SAMPLE = 5;

/** Stage an upload's raw cells; returns headers, guessed mapping, a sample and NIR columns. */
export async function stageUpload(deps: Deps, ctx: ImportCtx, source: Readable, fileName: string) {
  let exportRows: ExportRows;
  try {
    exportRows = await readExport(source, IMPORT_LIMITS.maxUploadBytes);
  } catch (error) {
    throw unreadable(error);
  }
  const { headers, dialect } = exportRows;
  const importId = await deps.database.withOrg(ctx, async (trx) => {
    await repo.expireStaleImports(trx);
    return repo.createImport(trx, {
      fileName,
      format: dialect.format,
      encoding: dialect.encoding,
      delimiter: dialect.delimiter,
      headers,
      createdBy: ctx.userId,
      status: 'staged',
      agencyIds: ctx.agencyIds ?? null,
    });
  });
  const sample: string[][] = [];
  // Columns named like a social-security number are refused whatever they hold; so is any column holding one.
  const refusedByHeader = headers.flatMap((h, i) => (isNirHeader(h) ? [i] : []));
  const nir = new Set<number>(refusedByHeader);
  let lines = 0;
  try {
    lines = await deps.database.withOrgClient(ctx, (client) =>
      repo.stageCells(
        client,
        importId,
        (async function* () {
          for await (const rows of exportRows.batches) {
            for (const row of rows) {
              // NIR values never reach the database, whatever their column.
              row.cells.forEach((c, i) => {
                if (c && (nir.has(i) || isNir(c.trim()))) {
                  nir.add(i);
                  row.cells[i] = '';
                }
              });
              if (sample.length < SAMPLE) sample.push(row.cells);
            }
            yield rows;
          }
        })(),
      ),
    );
  } catch (error) {
    await deps.database.withOrg(ctx, (trx) => repo.updateImport(trx, importId, { status: 'failed', error: String((error as Error).message).slice(0, 500) }));
    throw unreadable(error);
  }
  const nirColumns = [...nir].sort((a, b) => a - b).map((i) => headers[i] ?? `colonne ${i + 1}`);
  const mapping = await deps.database.withOrg(ctx, async (trx) => {
    const saved = await repo.loadSavedMapping(trx);
    const guessed = guessMapping(headers, saved as Record<string, ImportField | null>);
    for (const i of nir) guessed[String(i)] = null;
    // The refused columns are kept with the import (its summary) until the preview says so again.
    await repo.updateImport(trx, importId, {
      total_lines: lines,
      mapping: JSON.stringify(guessed),
      summary: JSON.stringify({ refused_columns: nirColumns, refused_column_indexes: [...nir] }),
    });
    return guessed;
  });
  const run = await getImport(deps, ctx, importId);
  return { run, sample, nirColumns, mapping };
}

/** Job: validate the staged cells with the chosen mapping, then compute the preview. */
export async function validateStaged(deps: Deps, ctx: OrgContext, importId: string) {
  // At-least-once delivery may run this job twice at the same time (TRUST FT-04): a session
  // advisory lock per import lets one run work; the other returns at once. A crashed worker's
  // session ends and frees the lock for the retry.
  const lock = await deps.database.pool.connect();
  try {
    const { rows } = await lock.query<{ got: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as got', [`import-validate:${importId}`]);
    if (!rows[0]?.got) return;
    try {
      return await validateLocked(deps, ctx, importId);
    } finally {
      await lock.query('select pg_advisory_unlock(hashtextextended($1, 0))', [`import-validate:${importId}`]);
    }
  } finally {
    lock.release();
  }
}

async function validateLocked(deps: Deps, ctx: OrgContext, importId: string) {
  const { database } = deps;
  last = performance.now();
  const current = await database.withOrg(ctx, (trx) => repo.findImport(trx, importId));
  if (current?.status !== 'validating') return;
  const mapping = (current.mapping ?? {}) as Mapping;
  const total = current.total_lines;
  let done = 0;
  try {
    await database.withOrg(ctx, (trx) => repo.clearLines(trx, importId));
    // One connection reads the staged cells page by page while another COPYs the results.
    const staged = await database.withOrgClient(ctx, (reader) =>
      database.withOrgClient(ctx, async (writer) => {
        const cells = (async function* () {
          let after = 0;
          for (;;) {
            const { rows } = await reader.query<{ line: number; cells: string[] }>(
              'select line, cells from import_cells where import_id = $1 and line > $2 order by line limit 5000',
              [importId, after],
            );
            if (!rows.length) return;
            yield rows;
            after = rows[rows.length - 1]?.line ?? after;
            await database.withOrg(ctx, (trx) => repo.updateImport(trx, importId, { progress_done: done, progress_total: total }));
          }
        })();
        return repo.stageLines(
          writer,
          importId,
          validated(
            cells,
            mapping,
            current.headers,
            () => {
              done++;
            },
            new Set(refusedOf(current).indexes),
          ),
        );
      }),
    );
    const refused = refusedOf(current);
    const summary = await database.withOrg(ctx, async (trx) => {
      if (staged.surnamesNotInCapitals) await repo.harmoniseSurnameCase(trx, importId);
      await repo.checkHouseholds(trx, importId);
      const agencyIds = await repo.importScope(trx, importId);
      if (agencyIds) await repo.rejectOutOfScope(trx, importId, agencyIds);
      await repo.openLines(trx, importId);
      const counts = await repo.previewCounts(trx, importId, current.full_export, agencyIds);
      const s: ImportSummary & { refused_column_indexes: number[] } = { ...counts, refused_columns: refused.names, refused_column_indexes: refused.indexes };
      await repo.updateImport(trx, importId, { status: 'previewed', summary: JSON.stringify(s), progress_done: done, progress_total: total });
      return s;
    });
    return summary;
  } catch (error) {
    await database.withOrg(ctx, (trx) => repo.updateImport(trx, importId, { status: 'failed', error: String((error as Error).message).slice(0, 500) }));
    throw error;
  }
}

// ——— Web path: state of a run, and the steps the page drives ———

export const IMPORT_VALIDATE_QUEUE = 'import-validate';
export const IMPORT_APPLY_QUEUE = 'import-apply';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findImport>>>;

/** An import run as the page sees it. */
export function toRun(row: Row) {
  return {
    id: row.id,
    status: row.status,
    fileName: row.file_name,
    format: row.format,
    encoding: row.encoding,
    delimiter: row.delimiter,
    headers: row.headers,
    mapping: (row.mapping ?? null) as Record<string, ImportField | null> | null,
    fullExport: row.full_export,
    validOnly: row.valid_only,
    totalLines: row.total_lines,
    progressDone: row.progress_done,
    progressTotal: row.progress_total,
    summary: row.summary,
    error: row.error,
    createdAt: row.created_at.toISOString(),
  };
}

const importNotFound = () => notFound('Import', 'import_not_found');

export async function getImport(deps: Deps, ctx: ImportCtx, importId: string) {
  const row = await deps.database.withOrg(ctx, (trx) => repo.findImport(trx, importId, startedBy(ctx)));
  if (!row) throw importNotFound();
  return toRun(row);
}

export async function listImports(deps: Deps, ctx: ImportCtx) {
  return (await deps.database.withOrg(ctx, (trx) => repo.listImports(trx, startedBy(ctx)))).map(toRun);
}

/** The columns refused at upload (social-security numbers), kept in the import's summary. */
function refusedOf(row: Row): { names: string[]; indexes: number[] } {
  const s = (row.summary ?? {}) as { refused_columns?: string[]; refused_column_indexes?: number[] };
  const indexes = new Set<number>(s.refused_column_indexes ?? []);
  row.headers.forEach((h, i) => {
    if (isNirHeader(h)) indexes.add(i);
  });
  const sorted = [...indexes].sort((a, b) => a - b);
  return { names: sorted.map((i) => row.headers[i] ?? `colonne ${i + 1}`), indexes: sorted };
}

/** Record the mapping (saved for next time, by header) and start validation in the background. */
export async function startValidation(deps: Deps, ctx: ImportCtx, importId: string, mapping: Mapping, fullExport: boolean, actor: Actor) {
  return deps.database.withOrg(ctx, async (trx) => {
    const row = await repo.lockImport(trx, importId, startedBy(ctx));
    if (!row) throw importNotFound();
    if (!['staged', 'previewed'].includes(row.status)) throw invalid('import_not_editable', 'Cet import ne peut plus être modifié.');
    const clean: Mapping = {};
    const used = new Set<string>();
    const refused = refusedOf(row);
    for (const [column, field] of Object.entries(mapping)) {
      if (Number(column) >= row.headers.length) continue;
      // A refused column (social-security numbers) is never read, whatever the mapping says.
      if (refused.indexes.includes(Number(column))) {
        clean[column] = null;
        continue;
      }
      if (field && used.has(field)) throw invalid('mapping_duplicate', `Le champ « ${fieldLabels[field]} » est associé à deux colonnes.`);
      if (field) used.add(field);
      clean[column] = field;
    }
    const missing = missingFields(clean);
    if (missing.length) throw invalid('mapping_incomplete', `Associez une colonne à : ${missing.map((f) => fieldLabels[f]).join(', ')}.`);
    await repo.saveMapping(trx, mappingByHeader(row.headers, clean));
    // The lines are checked against the agencies of whoever runs the dry run.
    await repo.setImportScope(trx, importId, ctx.agencyIds ?? null);
    await repo.updateImport(trx, importId, {
      status: 'validating',
      mapping: JSON.stringify(clean),
      full_export: fullExport,
      progress_done: 0,
      progress_total: row.total_lines,
      summary: JSON.stringify({ refused_columns: refused.names, refused_column_indexes: refused.indexes }),
      error: null,
    });
    await deps.jobs.send(trx, IMPORT_VALIDATE_QUEUE, { organisationId: ctx.organisationId, importId });
    await recordAudit(trx, actor, { action: 'registry.import_validation_started', objectType: 'import', objectId: importId });
    return toRun((await repo.findImport(trx, importId)) as Row);
  });
}

/** Confirm: apply in the background, all or nothing, or valid lines only when asked. */
export async function startApply(deps: Deps, ctx: ImportCtx, importId: string, validOnly: boolean, actor: Actor, confirmLarge = false) {
  return deps.database.withOrg(ctx, async (trx) => {
    const row = await repo.lockImport(trx, importId, startedBy(ctx));
    if (!row) throw importNotFound();
    if (row.status !== 'previewed') throw invalid('import_not_previewed', "Vérifiez d'abord le fichier (simulation) avant de l'importer.");
    // Previewed under another scope (a limited manager confirming what an organisation-wide one checked): check again.
    const previewedFor = await repo.importScope(trx, importId);
    const mine = ctx.agencyIds ?? null;
    if (mine && (!previewedFor || mine.some((a) => !previewedFor.includes(a)) || previewedFor.some((a) => !mine.includes(a)))) {
      throw invalid('import_not_previewed', 'Relancez la simulation : elle a été faite pour d’autres agences que les vôtres.');
    }
    await repo.setImportScope(trx, importId, mine ?? previewedFor);
    const rejected = Number((row.summary as { rejected_lines?: number } | null)?.rejected_lines ?? 0);
    if (rejected > 0 && !validOnly) {
      throw invalid(
        'import_has_errors',
        `${rejected === 1 ? 'Une ligne est' : `${rejected} lignes sont`} en erreur : corrigez le fichier, ou importez seulement les lignes valides.`,
      );
    }
    const summary = row.summary as repo.PreviewCounts | null;
    if (summary && largeChange(summary).large && !confirmLarge) {
      throw invalid('import_large_change', `${largeChangeMessage(summary)} Vérifiez la simulation, puis confirmez explicitement.`);
    }
    await repo.updateImport(trx, importId, { status: 'applying', valid_only: validOnly, progress_done: 0, progress_total: 1 });
    await deps.jobs.send(trx, IMPORT_APPLY_QUEUE, { organisationId: ctx.organisationId, importId });
    await recordAudit(trx, actor, { action: 'registry.import_confirmed', objectType: 'import', objectId: importId, details: { validOnly, confirmLarge } });
    return toRun((await repo.findImport(trx, importId)) as Row);
  });
}

/** Job handler of IMPORT_APPLY_QUEUE. */
export async function applyJob(deps: Deps, organisationId: string, importId: string) {
  const row = await deps.database.withOrg({ organisationId }, (trx) => repo.findImport(trx, importId));
  if (row?.status !== 'applying') return;
  try {
    await applyStaged(deps, { organisationId }, importId, {
      fullExport: row.full_export,
      actor: { userId: row.created_by, role: null, ip: null },
      onlyIf: 'applying',
    });
  } catch (error) {
    // Only an import still being applied fails: a second run that applied it meanwhile stands.
    await deps.database.withOrg({ organisationId }, (trx) => repo.failApplying(trx, importId, String((error as Error).message).slice(0, 500)));
    throw error;
  }
}

export async function cancelImport(deps: Deps, ctx: ImportCtx, importId: string, actor: Actor) {
  await deps.database.withOrg(ctx, async (trx) => {
    const row = await repo.lockImport(trx, importId, startedBy(ctx));
    if (!row) throw importNotFound();
    if (['applying', 'applied'].includes(row.status)) throw invalid('import_not_cancellable', 'Cet import est déjà en cours d’écriture ou terminé.');
    await repo.updateImport(trx, importId, { status: 'cancelled' });
    await repo.clearStaging(trx, importId);
    await recordAudit(trx, actor, { action: 'registry.import_cancelled', objectType: 'import', objectId: importId });
  });
}

/** Rejected lines with their reasons, and the original cells (for the downloadable file). */
export async function rejectedLinesOf(deps: Deps, ctx: ImportCtx, importId: string) {
  return deps.database.withOrg(ctx, async (trx) => {
    const row = await repo.findImport(trx, importId, startedBy(ctx));
    if (!row) throw importNotFound();
    return { headers: row.headers, lines: await repo.rejectedLines(trx, importId) };
  });
}

/**
 * The original cells of some lines of an export, read again (CLI `--rejected`: the lines rejected
 * after reading, duplicates, have no cells kept). Social-security numbers are blanked as when
 * importing: columns named like one, and any value that is one.
 */
export async function* cellsOfLines(source: Readable, wanted: ReadonlySet<number>): AsyncGenerator<{ line: number; cells: string[] }> {
  const { headers, rows } = await readExport(source);
  const refused = new Set(headers.flatMap((h, i) => (isNirHeader(h) ? [i] : [])));
  let left = wanted.size;
  for await (const row of rows) {
    if (!wanted.has(row.line)) continue;
    yield { line: row.line, cells: row.cells.map((c, i) => (refused.has(i) || isNir(c.trim()) ? '' : c)) };
    if (--left === 0) return;
  }
}
