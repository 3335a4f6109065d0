import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { addressPartFields, type ImportFieldName, importFieldNames } from '../../../../contracts/imports.ts';
import type { Tx } from '../../../platform/db/database.ts';
import type { ImportStatus } from '../../../platform/db/schema.ts';
import { agenciesUpsert, agencyIdOfCode } from '../../identity/index.ts';
import { watchedHouseholdsSql } from '../balances/watched-balances.ts';
import type { ImportLine, LineError } from './validate.ts';

/**
 * Columns of `import_lines` in COPY order (after organisation_id, import_id, line): the mapped
 * fields, with the two that staging stores in another form (a person's stable key, cents); the
 * address parts are not staged, validation composed them into `address`.
 */
const stagedAs: Partial<Record<ImportFieldName, keyof ImportLine>> = { person_ref: 'person_key', balance: 'balance_cents' };
const composed = new Set<string>(addressPartFields);
const lineColumns = importFieldNames.filter((f) => !composed.has(f)).map((f) => stagedAs[f] ?? (f as keyof ImportLine));

/**
 * A line's values in the order of `lineColumns` (after a slot for the line number, before two for
 * errors and warnings), read by name: a loop over the column names read
 * them by a computed key, which costs far more per value, line after line. Checked against
 * `lineColumns` when the module loads.
 */
const stagedValues = (r: ImportLine): unknown[] => [
  0,
  r.agency_code,
  r.agency_name,
  r.residence_code,
  r.residence_name,
  r.address,
  r.postal_code,
  r.city,
  r.insee_code,
  r.qpv,
  r.unit_ref,
  r.floor,
  r.rooms,
  r.has_lift,
  r.lease_ref,
  r.lease_start,
  r.lease_end,
  r.household_ref,
  r.person_key,
  r.civility,
  r.last_name,
  r.first_name,
  r.birth_date,
  r.household_role,
  r.mobile,
  r.landline,
  r.email,
  r.language,
  r.preferred_channel,
  r.balance_cents,
  r.reduced_mobility,
  r.disability,
  null,
  null,
];
{
  const probe = Object.fromEntries(lineColumns.map((c) => [c, c])) as unknown as ImportLine;
  if (stagedValues(probe).slice(1, -2).join() !== lineColumns.join()) throw new Error('stagedValues does not follow lineColumns');
}
const noValues: unknown[] = [0, ...lineColumns.map(() => null), null, null];

const copySpecial = /[\\\t\n\r]/;
const escapeCopy = (text: string) => text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** One value in PostgreSQL's COPY text format. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  // Most values have nothing to escape: tested once rather than replaced four times.
  if (typeof value === 'string') return copySpecial.test(value) ? escapeCopy(value) : value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (Array.isArray(value)) return escapeCopy(`{${value.map((v) => `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`);
  return escapeCopy(String(value));
}

/** COPY text gathered per batch (≈ 4 MB, some 12,000 staged lines). */
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * COPY rows into an organisation-owned table. PostgreSQL refuses COPY FROM on a table under
 * row-level security, so rows go to a session-private temporary table first, then move with an
 * INSERT … SELECT that RLS checks (WITH CHECK) like any other write. They go in batches: while
 * PostgreSQL copies and moves one batch, the next one is read and validated here (two processes
 * at work instead of one after the other); at most one batch waits in memory.
 */
async function copyInto<T>(
  client: pg.PoolClient,
  table: 'import_cells' | 'import_lines',
  ids: { organisationId: string; importId: string },
  columns: string[],
  batches: AsyncIterable<readonly T[]>,
  format: (row: T) => string,
) {
  const temp = `${table}_copy`;
  const list = columns.join(', ');
  const all = `organisation_id, import_id, ${list}`;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!uuid.test(ids.organisationId) || !uuid.test(ids.importId)) throw new Error('copyInto: organisation and import ids must be UUIDs');
  await client.query(`create temporary table if not exists ${temp} (like ${table}) on commit drop`);
  await client.query(`truncate ${temp}`);
  // The organisation and the import are the same on every line: the copy's defaults, not 74
  // characters of each line for this process to write and PostgreSQL to parse.
  await client.query(
    `alter table ${temp} alter column organisation_id set default '${ids.organisationId}'::uuid, alter column import_id set default '${ids.importId}'::uuid`,
  );
  const move = async (text: string) => {
    await pipeline(Readable.from([text]), client.query(copyFrom(`copy ${temp} (${list}) from stdin`)));
    await client.query(`insert into ${table} (${all}) select ${all} from ${temp}`);
    await client.query(`truncate ${temp}`);
  };
  let moving: Promise<void> | null = null;
  const stats = { batches: 0, waitedMs: 0 };
  const wait = async () => {
    const t = performance.now();
    await moving;
    stats.waitedMs += performance.now() - t;
  };
  // Lines kept apart and joined once: a string grown line by line would keep every piece alive
  // (a rope) until it is sent, work for the garbage collector.
  let batch: string[] = [];
  let size = 0;
  try {
    const lines: string[] = [];
    for await (const rows of batches) {
      // The lines of a read batch joined at once: one string survives until the COPY, not one per line.
      for (const row of rows) lines.push(format(row));
      const part = lines.join('');
      lines.length = 0;
      batch.push(part);
      size += part.length;
      if (size < BATCH_CHARS) {
        // A turn of the event loop between two read batches while a batch is moving: its COPY
        // text goes on to the socket and its next statement starts when PostgreSQL answers,
        // instead of waiting for the reading to stop (measured: the moves took 1.75 s of wall
        // for 1.15 s of PostgreSQL's CPU without it, at 100,000 households).
        if (moving) await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (moving) await wait();
      stats.batches++;
      moving = move(batch.join(''));
      // Awaited before the next batch or below; until then a failure must not count as unhandled.
      moving.catch(() => {});
      batch = [];
      size = 0;
    }
  } catch (error) {
    // Reading failed: let the batch in flight end, so the connection is idle for the rollback.
    await moving?.catch(() => {});
    throw error;
  }
  if (moving) await wait();
  if (batch.length) {
    stats.batches++;
    const t = performance.now();
    await move(batch.join(''));
    stats.waitedMs += performance.now() - t;
  }
  return stats;
}

export async function createImport(
  trx: Tx,
  values: {
    fileName: string;
    format: string;
    encoding: string | null;
    delimiter: string | null;
    headers: string[];
    createdBy: string | null;
    status: ImportStatus;
    /** Agencies of a manager limited to some (null: the whole organisation). */
    agencyIds?: string[] | null;
  },
) {
  const row = await trx
    .insertInto('imports')
    .values({
      organisation_id: sql<string>`lien_current_org()`,
      status: values.status,
      file_name: values.fileName.slice(0, 200),
      format: values.format,
      encoding: values.encoding,
      delimiter: values.delimiter,
      headers: values.headers,
      created_by: values.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (values.agencyIds) await setImportScope(trx, row.id, values.agencyIds);
  return row.id;
}

/**
 * An import; `startedBy` limits it to the imports a user started (managers limited to some
 * agencies see only theirs), undefined for the background jobs and organisation-wide users.
 */
export function findImport(trx: Tx, importId: string, startedBy?: string) {
  let q = trx.selectFrom('imports').selectAll().where('id', '=', importId);
  if (startedBy) q = q.where('created_by', '=', startedBy);
  return q.executeTakeFirst();
}

export function lockImport(trx: Tx, importId: string, startedBy?: string) {
  let q = trx.selectFrom('imports').selectAll().where('id', '=', importId);
  if (startedBy) q = q.where('created_by', '=', startedBy);
  return q.forUpdate().executeTakeFirst();
}

export function listImports(trx: Tx, startedBy?: string) {
  let q = trx.selectFrom('imports').selectAll();
  if (startedBy) q = q.where('created_by', '=', startedBy);
  return q.orderBy('created_at', 'desc').limit(50).execute();
}

/** The agencies an import is limited to (null: the whole organisation). */
export async function importScope(trx: Tx, importId: string): Promise<string[] | null> {
  const r = await sql<{ agency_ids: string[] | null }>`select agency_ids from imports where id = ${importId}`.execute(trx);
  return r.rows[0]?.agency_ids ?? null;
}

export async function setImportScope(trx: Tx, importId: string, agencyIds: string[] | null) {
  await sql`update imports set agency_ids = ${agencyIds}::uuid[] where id = ${importId}`.execute(trx);
}

/**
 * An import limited to some agencies: its valid lines touching anything outside them — an
 * agency not theirs (or none given), another agency's residence, unit, household or lease —
 * become rejected lines with a French reason, so nothing is written for them. Returns how many.
 */
export async function rejectOutOfScope(trx: Tx, importId: string, agencyIds: string[]) {
  const r = await sql`
    update import_lines l set errors = jsonb_build_array(jsonb_build_object('line', l.line, 'column', d.label, 'value', d.value, 'reason', d.reason))
    from (select l2.line,
        case when a.id is null or not (a.id = any(${agencyIds}::uuid[])) then 'Code agence'
          when r.agency_id is not null and not (r.agency_id = any(${agencyIds}::uuid[])) then 'Code groupe / résidence'
          when ur.agency_id is not null and not (ur.agency_id = any(${agencyIds}::uuid[])) then 'Référence logement'
          when hr.agency_id is not null and not (hr.agency_id = any(${agencyIds}::uuid[])) then 'Référence ménage'
          when lr.agency_id is not null and not (lr.agency_id = any(${agencyIds}::uuid[])) then 'Référence bail' end as label,
        case when a.id is null or not (a.id = any(${agencyIds}::uuid[])) then coalesce(l2.agency_code, '')
          when r.agency_id is not null and not (r.agency_id = any(${agencyIds}::uuid[])) then l2.residence_code
          when ur.agency_id is not null and not (ur.agency_id = any(${agencyIds}::uuid[])) then l2.unit_ref
          when hr.agency_id is not null and not (hr.agency_id = any(${agencyIds}::uuid[])) then l2.household_ref
          else l2.lease_ref end as value,
        case when a.id is null or not (a.id = any(${agencyIds}::uuid[]))
            then case when l2.agency_code is null then 'agence non indiquée : indiquez le code d’une de vos agences' else 'agence hors de votre périmètre' end
          when r.agency_id is not null and not (r.agency_id = any(${agencyIds}::uuid[])) then 'résidence d’une agence hors de votre périmètre'
          when ur.agency_id is not null and not (ur.agency_id = any(${agencyIds}::uuid[])) then 'logement d’une agence hors de votre périmètre'
          when hr.agency_id is not null and not (hr.agency_id = any(${agencyIds}::uuid[])) then 'ménage d’une agence hors de votre périmètre'
          else 'bail d’une agence hors de votre périmètre' end as reason
      from import_lines l2
      cross join lateral (select ${agencyIdOfCode(sql`coalesce(l2.agency_code, 'PRINCIPALE')`)} as id) a
      left join residences r on r.organisation_id = l2.organisation_id and r.erp_code = l2.residence_code
      left join housing_units u on u.organisation_id = l2.organisation_id and u.erp_ref = l2.unit_ref
      left join residences ur on ur.organisation_id = u.organisation_id and ur.id = u.residence_id
      left join households h on h.organisation_id = l2.organisation_id and h.erp_ref = l2.household_ref
      left join housing_units hu on hu.organisation_id = h.organisation_id and hu.id = h.unit_id
      left join residences hr on hr.organisation_id = hu.organisation_id and hr.id = hu.residence_id
      left join leases le on le.organisation_id = l2.organisation_id and le.erp_ref = l2.lease_ref
      left join housing_units lu on lu.organisation_id = le.organisation_id and lu.id = le.unit_id
      left join residences lr on lr.organisation_id = lu.organisation_id and lr.id = lu.residence_id
      where l2.import_id = ${importId} and l2.errors is null) d
    where l.import_id = ${importId} and l.line = d.line and d.label is not null`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export async function updateImport(
  trx: Tx,
  importId: string,
  changes: Partial<{
    status: ImportStatus;
    mapping: string;
    summary: string | null;
    error: string | null;
    total_lines: number;
    progress_done: number;
    progress_total: number;
    full_export: boolean;
    valid_only: boolean;
  }>,
) {
  await trx
    .updateTable('imports')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', importId)
    .execute();
}

/** Mark an import failed, unless another run finished it meanwhile. */
export async function failApplying(trx: Tx, importId: string, error: string) {
  await sql`update imports set status = 'failed', error = ${error}, updated_at = now() where id = ${importId} and status = 'applying'`.execute(trx);
}

/** Stage raw cells (web path): one COPY, returns the number of lines. */
export async function stageCells(client: pg.PoolClient, importId: string, rows: AsyncIterable<{ line: number; cells: string[] }[]>) {
  let count = 0;
  const org = (await client.query(`select lien_current_org() as id`)).rows[0].id as string;
  await copyInto(client, 'import_cells', { organisationId: org, importId }, ['line', 'cells'], rows, (r) => {
    count++;
    return `${r.line}\t${copyValue(r.cells)}\n`;
  });
  return count;
}

/**
 * Stage validated lines with COPY; answers how many batches went and how long reading waited for
 * PostgreSQL to take them (diagnosis: LIEN_IMPORT_TIMINGS), and how many valid lines have a
 * surname not in capitals (`harmoniseSurnameCase` has nothing to do when there is none). Rejected lines keep their values too (refused ones null):
 * their household and role report a household whose holder is rejected, and count its occupants.
 */
export async function stageLines(
  client: pg.PoolClient,
  importId: string,
  lines: AsyncIterable<{ line: number; record: ImportLine | null; errors: LineError[]; warnings?: LineError[] }[]>,
) {
  const org = (await client.query(`select lien_current_org() as id`)).rows[0].id as string;
  const json = (list: LineError[] | undefined) => (list?.length ? copyValue(JSON.stringify(list)) : '\\N');
  let surnamesNotInCapitals = 0;
  const stats = await copyInto(client, 'import_lines', { organisationId: org, importId }, ['line', ...lineColumns, 'errors', 'warnings'], lines, (l) => {
    const rejected = l.errors.length > 0;
    const surname = l.record?.last_name;
    if (!rejected && surname && surname !== surname.toUpperCase()) surnamesNotInCapitals++;
    // [line, …lineColumns, errors, warnings]: one array of its final size, joined once.
    const values: unknown[] = l.record ? stagedValues(l.record) : noValues.slice();
    const last = values.length - 2;
    for (let i = 1; i < last; i++) {
      const v = values[i];
      values[i] = copyValue(rejected && v === '' ? null : v);
    }
    values[0] = l.line;
    values[last] = json(l.errors);
    values[last + 1] = `${json(l.warnings)}\n`;
    return values.join('\t');
  });
  return { ...stats, surnamesNotInCapitals };
}

/**
 * Lines rejected because of other lines, once the file is staged: a person listed twice in the
 * same household (the later lines), and every line of a household whose holder's line is
 * rejected — the household is not imported without its holder (its name, the first person
 * called, « lives alone » would all be wrong); an existing household stays as it was.
 *
 * Freshly staged lines have no statistics yet (autovacuum analyses `import_lines` later, and the
 * application role may not ANALYZE it): the planner then guesses one row per side, and a
 * nested loop that re-ran the window over the import for every line took 204 s on a
 * 24,000-line file (issue 12, docs/benchmarks.md). So the keys of the import are read once into
 * session-private tables that are analysed (a session may always analyse its own temporary
 * tables), the rejections are computed there, and `import_lines` is only written by primary key.
 */
export async function checkHouseholds(trx: Tx, importId: string) {
  await sql`drop table if exists import_keys, import_rejections`.execute(trx);
  await sql`create temporary table import_keys on commit drop as
    select line, nullif(household_ref, '') as household_ref, person_key, household_role, last_name, first_name, errors is null as valid
    from import_lines where import_id = ${importId}`.execute(trx);
  await sql`analyze import_keys`.execute(trx);
  await sql`create temporary table import_rejections on commit drop as
    -- Persons listed more than once in a household (valid lines have a household): grouped, not
    -- sorted; only the lines of those few are read again.
    with firsts as (select household_ref, person_key, min(line) as first_line from import_keys where valid group by 1, 2 having count(*) > 1),
    duplicates as (
      select k.line, k.household_ref, jsonb_build_object('line', k.line, 'column', 'Référence occupant', 'value', coalesce(k.last_name || ' ' || k.first_name, ''),
        'reason', 'occupant en double dans ce ménage (déjà ligne ' || f.first_line || ')') as error
      from firsts f join import_keys k on k.household_ref = f.household_ref and k.person_key = f.person_key where k.valid and k.line <> f.first_line),
    -- A holder line rejected for its own values (not a repeated line): its whole household goes.
    holders as (select household_ref, min(line) as holder_line from import_keys k
      where not valid and household_role = 'holder' and household_ref is not null group by household_ref)
    select k.line, jsonb_build_object('line', k.line, 'column', 'Qualité', 'value', coalesce(k.last_name || ' ' || k.first_name, ''),
        'reason', 'ménage non importé : la ligne de son titulaire (ligne ' || h.holder_line || ') est rejetée ; corrigez-la pour importer tout le ménage') as error
      from import_keys k join holders h on h.household_ref = k.household_ref where k.valid
    union all
    select d.line, d.error from duplicates d where not exists (select 1 from holders h where h.household_ref = d.household_ref)`.execute(trx);
  await sql`create index on import_rejections (line)`.execute(trx);
  await sql`analyze import_rejections`.execute(trx);
  const r = await sql`
    update import_lines l set errors = jsonb_build_array(x.error), warnings = null from import_rejections x
    where l.organisation_id = lien_current_org() and l.import_id = ${importId} and l.line = x.line`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** Households `h` of these agencies (all when null): a scoped full export marks only its own missing. */
const inScope = (agencyIds: string[] | null) =>
  agencyIds
    ? sql`and exists (select 1 from housing_units su join residences sr on sr.organisation_id = su.organisation_id and sr.id = su.residence_id where su.organisation_id = h.organisation_id and su.id = h.unit_id and sr.agency_id = any(${agencyIds}::uuid[]))`
    : sql``;

/** What applying an import would do, and what the file holds (its valid lines). */
export type PreviewCounts = {
  lines: number;
  rejected_lines: number;
  /** Imported lines with optional values set aside (a bad phone or e-mail). */
  warning_lines: number;
  households_created: number;
  households_updated: number;
  households_unchanged: number;
  households_left: number;
  households_missing: number;
  persons_created: number;
  persons_updated: number;
  persons_unchanged: number;
  balances_changed: number;
  file_households: number;
  file_persons: number;
  file_residences: number;
  file_units: number;
};

/**
 * The import's lines as one analysed session copy, read by every step of the preview and of the
 * apply instead of `import_lines`. Freshly staged lines have no statistics (autovacuum analyses
 * `import_lines` later, and the application role may not ANALYZE it): the planner guessed one
 * row and chose nested loops — a `not exists` over the staged lines for every household of the
 * registry ran for minutes on a 500,000-household monthly delta (issue 12). A session may always
 * analyse its own temporary tables, so the file is read once into:
 * - `import_valid`: the valid lines, which are also the file's persons: a person listed twice in
 *   a household is rejected on its later lines before (`checkHouseholds`, run by every path
 *   before a preview), so each valid line is one person of the file;
 * - `import_households`: the file's households (first line of each wins, as when writing);
 * - `import_refs`: every household reference of the file, rejected lines included, with its
 *   number of occupants (a household some of whose lines were rejected does not live alone),
 *   and whether a valid line says reduced mobility or disability (the indicators' step reads
 *   these per household, not the lines again).
 * Called once per transaction (preview, apply) after the lines' errors are final (duplicates,
 * scope). Sorts and hashes of a whole file get the memory to stay off disk for this transaction.
 */
export async function openLines(trx: Tx, importId: string) {
  await sql`set local work_mem = '128MB'`.execute(trx);
  await sql`drop table if exists import_valid, import_households, import_refs`.execute(trx);
  await sql`create temporary table import_valid on commit drop as
    select * from import_lines where import_id = ${importId} and errors is null`.execute(trx);
  await sql`create temporary table import_households on commit drop as
    select distinct on (l.household_ref) l.household_ref, l.line, l.unit_ref, l.balance_cents, l.lease_end from import_valid l order by l.household_ref, l.line`.execute(
    trx,
  );
  await sql`create temporary table import_refs on commit drop as
    select k.household_ref, count(*) as occupants, coalesce(bool_or(k.reduced_mobility), false) as reduced_mobility, coalesce(bool_or(k.disability), false) as disability
    from (select household_ref, coalesce(person_key, 'line ' || line), bool_or(reduced_mobility) filter (where errors is null) as reduced_mobility,
            bool_or(disability) filter (where errors is null) as disability
          from import_lines where import_id = ${importId} and household_ref is not null group by 1, 2) k
    group by k.household_ref`.execute(trx);
  // Row counts, and the statistics of the columns joins and groupings read.
  await sql`analyze import_valid (household_ref, person_key, unit_ref, residence_code, lease_ref, agency_code), import_households, import_refs`.execute(trx);
}

/**
 * The file's households (`hx`) and persons (`px`) set against the registry (first line of each
 * wins, as when writing), shared by the preview and the count of households to update; reads
 * the session copy (`openLines`).
 */
const againstRegistry = sql`
    px as (select pp.household_ref, p.id, (p.id is not null and (p.first_name, p.last_name, p.birth_date, p.civility, p.household_role, p.preferred_language, p.preferred_channel)
             is distinct from (pp.first_name, pp.last_name, pp.birth_date, pp.civility, pp.household_role,
               coalesce(pp.language, p.preferred_language), coalesce(pp.preferred_channel, p.preferred_channel))) as changed
           from import_valid pp left join households h on h.erp_ref = pp.household_ref
           left join persons p on p.organisation_id = h.organisation_id and p.household_id = h.id and p.person_key = pp.person_key),
    px_households as (select distinct household_ref from px where px.id is null or px.changed),
    hx as (select hh.household_ref, hh.unit_ref, hh.balance_cents, hh.lease_end, h.id, h.status, h.missing_since, h.balance_cents as old_balance, u.erp_ref as old_unit
           from import_households hh left join households h on h.erp_ref = hh.household_ref
           left join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id)`;

/**
 * « Household to update », the one definition of the preview and of the result: a household
 * already in the registry whose unit, balance or status (active / left) changes, that comes back
 * after being missing from a full export, or one of whose persons is created or changed.
 */
const householdUpdated = sql`hx.id is not null and (hx.old_unit is distinct from hx.unit_ref
         or (hx.balance_cents is not null and hx.old_balance is distinct from hx.balance_cents)
         or (hx.status = 'active') <> (hx.lease_end is null or hx.lease_end > current_date)
         or hx.missing_since is not null
         or exists (select 1 from px_households ph where ph.household_ref = hx.household_ref))`;

/** How many households of the file applying would update (see `householdUpdated`); after `openLines`. */
export async function householdsToUpdate(trx: Tx): Promise<number> {
  const { rows } = await sql<{ n: number }>`with ${againstRegistry} select count(*)::int as n from hx where ${householdUpdated}`.execute(trx);
  return rows[0]?.n ?? 0;
}

/** What applying would do, computed against the registry as it is; after `openLines`. */
export async function previewCounts(trx: Tx, importId: string, fullExport: boolean, agencyIds: string[] | null = null): Promise<PreviewCounts> {
  const { rows } = await sql<Omit<PreviewCounts, 'households_unchanged' | 'file_households' | 'file_persons' | 'file_residences' | 'file_units'>>`
    with ${againstRegistry},
    staged as (select count(*)::int as lines, (count(*) filter (where errors is not null))::int as rejected_lines,
      (count(*) filter (where errors is null and warnings is not null))::int as warning_lines from import_lines where import_id = ${importId})
    select staged.*,
      (select count(*) from hx where id is null)::int as households_created,
      (select count(*) from hx where ${householdUpdated})::int as households_updated,
      (select count(*) from hx where id is not null and lease_end is not null and lease_end <= current_date and status = 'active')::int as households_left,
      (select count(*) from px where id is null)::int as persons_created,
      (select count(*) from px where changed)::int as persons_updated,
      (select count(*) from px where id is not null and not changed)::int as persons_unchanged,
      (select count(*) from hx where id is not null and balance_cents is not null and old_balance is distinct from balance_cents)::int as balances_changed,
      case when ${fullExport} then (select count(*) from households h where h.status = 'active' and h.missing_since is null ${inScope(agencyIds)}
        and not exists (select 1 from import_refs r where r.household_ref = h.erp_ref))::int else 0 end as households_missing
    from staged`.execute(trx);
  const c = rows[0] as Omit<PreviewCounts, 'households_unchanged' | 'file_households' | 'file_persons' | 'file_residences' | 'file_units'>;
  // What the file holds (its valid lines): households, persons, residences, units (distinct
  // values counted through a grouping, which may hash, where count(distinct) always sorts).
  const file = await sql<{ households: number; persons: number; residences: number; units: number }>`
    select (select count(household_ref) from import_households)::int as households, (select count(*) from import_valid)::int as persons,
      (select count(*) from (select residence_code from import_valid where residence_code is not null group by 1) r)::int as residences,
      (select count(*) from (select unit_ref from import_valid where unit_ref is not null group by 1) u)::int as units`.execute(trx);
  const f = file.rows[0] ?? { households: 0, persons: 0, residences: 0, units: 0 };
  return {
    ...c,
    households_unchanged: f.households - c.households_created - c.households_updated,
    file_households: f.households,
    file_persons: f.persons,
    file_residences: f.residences,
    file_units: f.units,
  };
}

/**
 * Surnames in capitals when the file writes them so: if most valid lines of the import have
 * their surname in capitals, the others (« dupont ») are written in capitals too. A file in
 * mixed case (« Dupont ») is left as it is.
 */
export async function harmoniseSurnameCase(trx: Tx, importId: string) {
  const r = await sql`
    with s as (select count(*) filter (where last_name = upper(last_name) and last_name <> lower(last_name)) as upper_case, count(*) as n
               from import_lines where import_id = ${importId} and errors is null)
    update import_lines set last_name = upper(last_name)
    where import_id = ${importId} and errors is null and last_name <> upper(last_name) and (select upper_case * 2 > n from s)`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Whether the import still has staged lines. `import_lines` is unlogged (transient staging): a
 * crash of PostgreSQL empties it, and an apply must then stop rather than write an empty file
 * (a full export would mark every household missing).
 */
export async function hasStagedLines(trx: Tx, importId: string) {
  const { rows } = await sql<{ any: boolean }>`select exists (select 1 from import_lines where import_id = ${importId}) as any`.execute(trx);
  return rows[0]?.any ?? false;
}

/**
 * One apply at a time per organisation (a transaction-level advisory lock, released at commit or
 * rollback): a second import waits for the first to end, then sets its file against what the
 * first wrote. Taken before anything is compared with the registry.
 */
export async function serialiseApplies(trx: Tx) {
  await sql`select pg_advisory_xact_lock(hashtextextended('lien-import-apply:' || lien_current_org()::text, 0))`.execute(trx);
}

/**
 * Ids for the rows of one apply (ADR 0012, migration 2026-12-01T1400): UUIDs version 7 whose time
 * is the apply's start, then a row number (the line of the file: the ids of one statement come in
 * order), then 44 bits keyed by a secret drawn here (128 strong random bits, never stored or
 * logged). One strong random draw per apply instead of one per row. A number must be unique
 * within a table for one apply and below 2^28.
 */
function counted() {
  const prefix = `${Date.now().toString(16).padStart(12, '0')}7`;
  const secret = randomBytes(16).toString('hex');
  return (n: RawBuilder<unknown>) => sql`lien_uuid_v7_counted(${prefix}, ${secret}, ${n})`;
}

/** Which registry tables hold nothing yet for the organisation (a first load writes them without upserts). */
async function firstLoad(trx: Tx) {
  const { rows } = await sql<{ units: boolean; households: boolean; leases: boolean; persons: boolean; indicators: boolean }>`
    select not exists (select 1 from housing_units) as units, not exists (select 1 from households) as households,
      not exists (select 1 from leases) as leases, not exists (select 1 from persons) as persons,
      not exists (select 1 from vulnerability_indicators) as indicators`.execute(trx);
  return rows[0] ?? { units: false, households: false, leases: false, persons: false, indicators: false };
}

/**
 * Write the valid staged lines into the registry, set-based, inside the caller's transaction:
 * agencies → residences → units → households (balances with history) → leases → persons →
 * contact points → indicators. Reads the session copy of the lines (`openLines`, called first).
 * Every step first sets the file's rows against the registry (hash joins over analysed tables)
 * and writes only those that are new or changed: the same export imported twice writes nothing
 * the second time, and costs little more than reading it (an upsert of an unchanged row still
 * probes its unique index and locks the row).
 */
export async function applyLines(trx: Tx, importId: string, fullExport: boolean, agencyIds: string[] | null = null) {
  const id = importId;
  let t = performance.now();
  const timed = (label: string) => {
    if (process.env.LIEN_IMPORT_TIMINGS === '1') {
      process.stderr.write(`    [apply] ${label}: ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
      t = performance.now();
    }
  };
  const count = async (label: string, q: ReturnType<typeof sql>) => {
    const n = Number((await q.execute(trx)).numAffectedRows ?? 0);
    timed(label);
    return n;
  };
  const out: Record<string, number> = {};
  // Ids of the rows this apply creates (ADR 0012): numbered by their line of the file, keyed by
  // a secret drawn here for this apply alone, instead of one strong random draw per row.
  const idOf = counted();

  // A first load: the tables below that hold nothing yet for the organisation take plain inserts.
  // Every row is new there (the file's rows are distinct by key), so an upsert's speculative
  // insertion — a probe of the conflict index and one more WAL record per row — buys nothing.
  // Applies of one organisation are serialised (`serialiseApplies`), so no other import fills
  // a table between this check and the writes.
  const first = await firstLoad(trx);

  // Holder name and oldest birth date of each household of the file that the registry does not
  // have yet, as lien_refresh_household_summary computes them (only a household's insert takes
  // them from here; a household already there is refreshed after its persons are written).
  await sql`create temporary table import_summaries on commit drop as
    select p.household_ref, (array_agg(p.last_name || ' ' || p.first_name order by array_position(array['holder', 'co_holder', 'occupant'], p.household_role), p.birth_date, p.person_key))[1] as holder_name,
      min(p.birth_date) as oldest_birth_date
    from import_valid p
    ${
      first.households
        ? sql``
        : // The file's new households found among its households, not among its lines (half as many rows to set against the registry).
          sql`where p.household_ref in (select s.household_ref from import_households s where not exists (select 1 from households h where h.erp_ref = s.household_ref))`
    }
    group by p.household_ref`.execute(trx);
  await sql`create temporary table import_new_households (id uuid primary key) on commit drop`.execute(trx);
  await sql`create temporary table import_created_persons (id uuid primary key, household_id uuid not null, person_key text) on commit drop`.execute(trx);
  await sql`analyze import_summaries`.execute(trx);
  timed('summaries');

  // Agencies and residences: a handful of rows, each taken from its first line (grouped, not sorted).
  out.agencies = await count(
    'agencies step',
    agenciesUpsert(sql`
    select distinct on (k.code) k.code, k.name from (
      select coalesce(l.agency_code, 'PRINCIPALE') as code, coalesce(l.agency_name, l.agency_code, 'Agence principale') as name, min(l.line) as line
      from import_valid l group by 1, 2) k
    order by k.code, k.line`),
  );

  out.residences = await count(
    'residences',
    sql`
    insert into residences (organisation_id, agency_id, erp_code, name, address, postal_code, city, insee_code, qpv)
    select lien_current_org(), s.agency_id, s.residence_code, s.name, s.address, s.postal_code, s.city, s.insee_code, s.qpv
    from (select f.*, ${agencyIdOfCode(sql`f.agency_code`)} as agency_id from (
        select distinct on (g.residence_code) g.* from (
          select l.residence_code, coalesce(l.agency_code, 'PRINCIPALE') as agency_code, coalesce(l.residence_name, l.residence_code) as name, l.address, l.postal_code, l.city, l.insee_code,
            coalesce(l.qpv, false) as qpv, min(l.line) as line
          from import_valid l group by 1, 2, 3, 4, 5, 6, 7, 8) g
        order by g.residence_code, g.line) f) s
    left join residences r on r.erp_code = s.residence_code
    where r.id is null or (r.agency_id, r.name, r.address, r.postal_code, r.city, r.insee_code, r.qpv)
      is distinct from (s.agency_id, s.name, coalesce(s.address, r.address), coalesce(s.postal_code, r.postal_code), coalesce(s.city, r.city), coalesce(s.insee_code, r.insee_code), s.qpv)
    on conflict (organisation_id, erp_code) do update set agency_id = excluded.agency_id, name = excluded.name, address = coalesce(excluded.address, residences.address),
      postal_code = coalesce(excluded.postal_code, residences.postal_code), city = coalesce(excluded.city, residences.city), insee_code = coalesce(excluded.insee_code, residences.insee_code), qpv = excluded.qpv
    where (residences.agency_id, residences.name, residences.address, residences.postal_code, residences.city, residences.insee_code, residences.qpv)
      is distinct from (excluded.agency_id, excluded.name, coalesce(excluded.address, residences.address), coalesce(excluded.postal_code, residences.postal_code), coalesce(excluded.city, residences.city), coalesce(excluded.insee_code, residences.insee_code), excluded.qpv)`,
  );

  out.units = await count(
    'units',
    sql`
    insert into housing_units (id, organisation_id, residence_id, erp_ref, floor, rooms, has_lift)
    select ${idOf(sql`s.line`)}, lien_current_org(), s.residence_id, s.unit_ref, s.floor, s.rooms, s.has_lift
    from (select distinct on (l.unit_ref) r.id as residence_id, l.line, l.unit_ref, l.floor, l.rooms, l.has_lift
          from import_valid l join residences r on r.erp_code = l.residence_code order by l.unit_ref, l.line) s
    left join housing_units u on u.erp_ref = s.unit_ref
    where u.id is null or (u.residence_id, u.floor, u.rooms, u.has_lift) is distinct from (s.residence_id, s.floor, s.rooms, s.has_lift)
    ${
      first.units
        ? sql``
        : sql`on conflict (organisation_id, erp_ref) do update set residence_id = excluded.residence_id, floor = excluded.floor, rooms = excluded.rooms, has_lift = excluded.has_lift
    where (housing_units.residence_id, housing_units.floor, housing_units.rooms, housing_units.has_lift) is distinct from (excluded.residence_id, excluded.floor, excluded.rooms, excluded.has_lift)`
    }`,
  );

  // Balance history first, while the old balances are still there.
  out.balances = await count(
    'balances history',
    sql`
    insert into household_balances (organisation_id, household_id, balance_cents, import_id)
    select lien_current_org(), h.id, s.balance_cents, ${id}::uuid
    from import_households s join households h on h.erp_ref = s.household_ref
    where s.balance_cents is not null and h.balance_cents is distinct from s.balance_cents`,
  );
  // The same balance again, dated today, for the households a module watches (a payment plan's
  // compliance: a debt that did not go down is a missed instalment) — once a day at most.
  out.balances_confirmed = await count(
    'balances confirmed',
    sql`
    insert into household_balances (organisation_id, household_id, balance_cents, import_id)
    select lien_current_org(), h.id, s.balance_cents, ${id}::uuid
    from import_households s join households h on h.erp_ref = s.household_ref
    where s.balance_cents is not null and h.balance_cents = s.balance_cents
      and h.id in (${watchedHouseholdsSql()})
      and not exists (select 1 from household_balances b where b.organisation_id = h.organisation_id and b.household_id = h.id and b.balance_on >= (now() at time zone 'Europe/Paris')::date)`,
  );

  const households = await sql<{ created: number; total: number }>`
    with written as (
    insert into households (id, organisation_id, unit_id, agency_id, erp_ref, status, left_at, balance_cents, balance_at, holder_name, oldest_birth_date)
    select ${idOf(sql`s.line`)}, lien_current_org(), s.unit_id, s.agency_id, s.household_ref, s.status, s.left_at, s.balance_cents, s.balance_at, s.holder_name, s.oldest_birth_date
    from (select u.id as unit_id, r.agency_id, l.line, l.household_ref,
            case when l.lease_end is not null and l.lease_end <= current_date then 'left' else 'active' end as status,
            case when l.lease_end is not null and l.lease_end <= current_date then l.lease_end::timestamptz end as left_at,
            l.balance_cents, case when l.balance_cents is not null then now() end as balance_at, m.holder_name, m.oldest_birth_date
          from import_households l join housing_units u on u.erp_ref = l.unit_ref join residences r on r.organisation_id = u.organisation_id and r.id = u.residence_id left join import_summaries m on m.household_ref = l.household_ref) s
    left join households h on h.erp_ref = s.household_ref
    where h.id is null or (h.unit_id, h.status, h.balance_cents, h.missing_since is null)
      is distinct from (s.unit_id, s.status, coalesce(s.balance_cents, h.balance_cents), true)
    ${
      first.households
        ? sql``
        : sql`on conflict (organisation_id, erp_ref) do update set unit_id = excluded.unit_id, agency_id = excluded.agency_id, status = excluded.status, left_at = coalesce(households.left_at, excluded.left_at),
      balance_cents = coalesce(excluded.balance_cents, households.balance_cents),
      balance_at = case when excluded.balance_cents is distinct from households.balance_cents and excluded.balance_cents is not null then now() else households.balance_at end,
      missing_since = null, updated_at = now()
    where (households.unit_id, households.status, households.balance_cents, households.missing_since is null)
      is distinct from (excluded.unit_id, excluded.status, coalesce(excluded.balance_cents, households.balance_cents), true)`
    }
    returning id, (xmax = 0) as created, erp_ref, balance_cents),
    fresh as (insert into import_new_households (id) select id from written where created),
    -- A new household's first balance also goes to the history, from the insert's own answer
    -- (not by reading the new households back, one index probe each).
    first_balances as (insert into household_balances (id, organisation_id, household_id, balance_cents, import_id)
      select ${idOf(sql`s.line`)}, lien_current_org(), w.id, w.balance_cents, ${id}::uuid
      from written w join import_households s on s.household_ref = w.erp_ref
      where w.created and w.balance_cents is not null)
    select (count(*) filter (where created))::int as created, count(*)::int as total from written`.execute(trx);
  out.households_created = households.rows[0]?.created ?? 0;
  out.households_updated = (households.rows[0]?.total ?? 0) - out.households_created;
  await sql`analyze import_new_households`.execute(trx);
  timed('households and first balances');

  // The file's households with their ids, read by the steps below (households written a moment
  // ago have no statistics: the planner reads them through this analysed table).
  await sql`create temporary table import_household_ids on commit drop as
    select s.household_ref, h.id from import_households s join households h on h.erp_ref = s.household_ref`.execute(trx);
  await sql`analyze import_household_ids`.execute(trx);
  timed('household ids');

  out.leases = await count(
    'leases',
    sql`
    insert into leases (id, organisation_id, household_id, unit_id, erp_ref, start_date, end_date)
    select ${idOf(sql`s.line`)}, lien_current_org(), s.household_id, s.unit_id, s.lease_ref, s.lease_start, s.lease_end
    from (select distinct on (l.lease_ref) h.id as household_id, u.id as unit_id, l.line, l.lease_ref, l.lease_start, l.lease_end
          from import_valid l join import_household_ids h on h.household_ref = l.household_ref join housing_units u on u.erp_ref = l.unit_ref order by l.lease_ref, l.line) s
    left join leases le on le.erp_ref = s.lease_ref
    where le.id is null or (le.household_id, le.unit_id, le.start_date, le.end_date) is distinct from (s.household_id, s.unit_id, s.lease_start, s.lease_end)
    ${
      first.leases
        ? sql``
        : sql`on conflict (organisation_id, erp_ref) do update set household_id = excluded.household_id, unit_id = excluded.unit_id, start_date = excluded.start_date, end_date = excluded.end_date
    where (leases.household_id, leases.unit_id, leases.start_date, leases.end_date) is distinct from (excluded.household_id, excluded.unit_id, excluded.start_date, excluded.end_date)`
    }`,
  );

  // The file's persons set against the registry, once: the writes below and the contacts read it.
  await sql`create temporary table import_person_ids on commit drop as
    select l.line, l.person_key, l.civility, l.first_name, l.last_name, l.birth_date, l.household_role, l.language, l.preferred_channel, l.mobile, l.landline, l.email, l.warnings,
      h.id as household_id, p.id as person_id,
      (p.id is null or (p.civility, p.first_name, p.last_name, p.birth_date, p.household_role, p.preferred_language, p.preferred_channel)
        is distinct from (l.civility, l.first_name, l.last_name, l.birth_date, l.household_role, coalesce(l.language, p.preferred_language), coalesce(l.preferred_channel, p.preferred_channel))) as to_write
    from import_valid l join import_household_ids h on h.household_ref = l.household_ref
    left join persons p on p.household_id = h.id and p.person_key = l.person_key`.execute(trx);
  await sql`analyze import_person_ids (household_id, person_key, person_id)`.execute(trx);
  timed('persons against the registry');

  // Counted in SQL: one row back, not one per person (memory stays flat on a million lines).
  // The ids of persons created go back to the table above, for their contacts.
  const persons = await sql<{ created: number; total: number; households: string[] | null }>`
    with written as (
    insert into persons (id, organisation_id, household_id, person_key, civility, first_name, last_name, birth_date, household_role, preferred_language, preferred_channel)
    select ${idOf(sql`l.line`)}, lien_current_org(), l.household_id, l.person_key, l.civility, l.first_name, l.last_name, l.birth_date, l.household_role, l.language, l.preferred_channel
    from import_person_ids l where l.to_write
    ${
      first.persons
        ? sql``
        : sql`on conflict (organisation_id, household_id, person_key) do update set civility = excluded.civility, first_name = excluded.first_name, last_name = excluded.last_name,
      birth_date = excluded.birth_date, household_role = excluded.household_role, preferred_language = coalesce(excluded.preferred_language, persons.preferred_language),
      preferred_channel = coalesce(excluded.preferred_channel, persons.preferred_channel), updated_at = now()
    where (persons.civility, persons.first_name, persons.last_name, persons.birth_date, persons.household_role, persons.preferred_language, persons.preferred_channel)
      is distinct from (excluded.civility, excluded.first_name, excluded.last_name, excluded.birth_date, excluded.household_role, coalesce(excluded.preferred_language, persons.preferred_language), coalesce(excluded.preferred_channel, persons.preferred_channel))`
    }
    returning id, (xmax = 0) as created, household_id, person_key),
    ids as (insert into import_created_persons (id, household_id, person_key) select id, household_id, person_key from written where created)
    select (count(*) filter (where w.created))::int as created, count(*)::int as total,
      array_agg(distinct w.household_id) filter (where n.id is null) as households
    from written w left join import_new_households n on n.id = w.household_id`.execute(trx);
  timed('persons');
  const written = persons.rows[0] ?? { created: 0, total: 0, households: null };
  out.persons_created = written.created;
  out.persons_updated = written.total - written.created;

  // Holder name and oldest birth date (list sort and age filter): households created by this
  // import got theirs from the file; the others are refreshed only when their persons were
  // written, so a re-import that changes nothing refreshes nothing.
  if (written.households?.length) await count('household summaries', sql`select lien_refresh_household_summary(${written.households}::uuid[])`);

  // Contacts from the ERP (issue 12): an ERP contact of a person of the file whose value the
  // file changed — or, in a full export, no longer has — is ended (kept as history, no longer
  // used); the file's values that are not current yet are added. A value set aside on the line
  // (unreadable phone or e-mail, a warning) leaves the current one alone. Staff contacts are
  // never touched. The ERP's current contacts are set against their person's line of the file
  // (one hash join on the person, the line's value of the contact's kind), not against a row per
  // kind and person: a full export would make three of those per person, the empty ones included.
  out.contacts_ended = await count(
    'contacts ended',
    sql`
    with ended as (
      select c.id from contact_points c join import_person_ids s on s.person_id = c.person_id
      cross join lateral (select case c.kind when 'mobile' then s.mobile when 'landline' then s.landline else s.email end as value) f
      where c.organisation_id = lien_current_org() and c.source = 'erp_import' and c.ended_at is null and f.value is distinct from c.value
        and (f.value is not null or (${fullExport} and not coalesce(s.warnings @> jsonb_build_array(jsonb_build_object('field', c.kind)), false))))
    update contact_points c set ended_at = now(), updated_at = now() from ended e where c.id = e.id`,
  );
  // The file's values by person id (created persons' ids from the insert's own answer), built once and analysed.
  await sql`analyze import_created_persons`.execute(trx);
  await sql`create temporary table import_contacts on commit drop as
    select coalesce(s.person_id, n.id) as person_id, s.line * 3 + c.k as n, c.kind, c.value
    from import_person_ids s left join import_created_persons n on s.person_id is null and n.household_id = s.household_id and n.person_key = s.person_key
    cross join lateral (values (0, 'mobile', s.mobile), (1, 'landline', s.landline), (2, 'email', s.email)) c(k, kind, value)
    where c.value is not null and coalesce(s.person_id, n.id) is not null`.execute(trx);
  await sql`analyze import_contacts`.execute(trx);
  timed('contacts of the file');
  out.contacts = await count(
    'contacts added',
    sql`
    insert into contact_points (id, organisation_id, person_id, kind, value, source)
    select ${idOf(sql`x.n`)}, lien_current_org(), x.person_id, x.kind, x.value, 'erp_import' from import_contacts x
    where not exists (select 1 from contact_points c where c.organisation_id = lien_current_org() and c.person_id = x.person_id and c.kind = x.kind
        and c.source = 'erp_import' and c.ended_at is null)`,
  );

  // Indicators the ERP knows: living alone (one occupant), reduced mobility, disability.
  // Occupants are counted on every line of the household, rejected ones too (`import_refs`): a
  // household whose other lines were rejected does not live alone (issue 12).
  await sql`
    create temporary table import_flags on commit drop as
    select h.id as household_id, s.line, o.occupants = 1 as lives_alone, o.reduced_mobility, o.disability
    from import_households s join import_household_ids h on h.household_ref = s.household_ref join import_refs o on o.household_ref = s.household_ref`.execute(
    trx,
  );
  await sql`analyze import_flags`.execute(trx);
  timed('indicators of the file');
  out.indicators = 0;
  for (const [k, kind] of (['lives_alone', 'reduced_mobility', 'disability'] as const).entries()) {
    out.indicators += await count(
      `${kind} added`,
      sql`
      insert into vulnerability_indicators (id, organisation_id, household_id, kind, source)
      select ${idOf(sql`f.line * 3 + ${sql.lit(k)}`)}, lien_current_org(), f.household_id, ${kind}, 'erp_import' from import_flags f where ${sql.ref(`f.${kind}`)}
        and not exists (select 1 from vulnerability_indicators v where v.household_id = f.household_id and v.kind = ${kind} and v.source = 'erp_import' and v.person_id is null)
        -- Not for a household that objected to the register or whose data were erased (TRUST DP-07).
        and not exists (select 1 from objections o where o.household_id = f.household_id and o.kind = 'no_fragility_register')
        and f.household_id not in (select x.id from households x where x.restricted_at is not null)
      ${first.indicators ? sql`` : sql`on conflict (organisation_id, household_id, kind, source) where person_id is null do nothing`}`,
    );
    out.indicators += await count(
      `${kind} removed`,
      sql`
      delete from vulnerability_indicators v using import_flags f
      where v.household_id = f.household_id and v.kind = ${kind} and v.source = 'erp_import' and v.person_id is null and not ${sql.ref(`f.${kind}`)}`,
    );
  }

  // Households of the registry absent from a full export: an anti-join on the file's references.
  out.households_missing = fullExport
    ? await count(
        'households missing',
        sql`
        update households h set missing_since = now(), updated_at = now() where h.status = 'active' and h.missing_since is null ${inScope(agencyIds)}
        and not exists (select 1 from import_refs r where r.household_ref = h.erp_ref)`,
      )
    : 0;
  return out;
}

/**
 * Rejected lines, and imported lines whose optional values were set aside (errors empty,
 * warnings given): number, reasons and the original cells (NIR values already blanked).
 */
export function rejectedLines(trx: Tx, importId: string) {
  return sql<{ line: number; errors: LineError[]; warnings: LineError[]; cells: string[] | null }>`
    select l.line, coalesce(l.errors, '[]') as errors, coalesce(l.warnings, '[]') as warnings, c.cells
    from import_lines l left join import_cells c on c.organisation_id = l.organisation_id and c.import_id = l.import_id and c.line = l.line
    where l.import_id = ${importId} and (l.errors is not null or l.warnings is not null) order by l.line`
    .execute(trx)
    .then((r) => r.rows);
}

/** Forget validated lines (before validating again with another mapping). */
export async function clearLines(trx: Tx, importId: string) {
  await sql`delete from import_lines where import_id = ${importId}`.execute(trx);
}

/** Drop the staged data of an import (applied, cancelled or failed). */
export async function clearStaging(trx: Tx, importId: string) {
  await sql`delete from import_lines where import_id = ${importId}`.execute(trx);
  await sql`delete from import_cells where import_id = ${importId}`.execute(trx);
}

export async function loadSavedMapping(trx: Tx): Promise<Record<string, string | null>> {
  const row = await trx.selectFrom('import_mappings').select('mapping').executeTakeFirst();
  return row?.mapping ?? {};
}

export async function saveMapping(trx: Tx, mapping: Record<string, string | null>) {
  await sql`insert into import_mappings (organisation_id, mapping) values (lien_current_org(), ${JSON.stringify(mapping)}::jsonb)
    on conflict (organisation_id) do update set mapping = import_mappings.mapping || excluded.mapping, updated_at = now()`.execute(trx);
}

/**
 * Imports left unfinished for a day (abandoned page, killed command) are cancelled and their
 * staged lines — personal data — deleted.
 */
export async function expireStaleImports(trx: Tx) {
  const stale = await sql<{ id: string }>`
    update imports set status = 'cancelled', error = 'Abandonné (inactif depuis plus de 24 h).', updated_at = now()
    where status in ('staged', 'validating', 'previewed') and updated_at < now() - interval '1 day' returning id`.execute(trx);
  const ids = stale.rows.map((r) => r.id);
  if (ids.length) {
    await sql`delete from import_lines where import_id = any(${ids}::uuid[])`.execute(trx);
    await sql`delete from import_cells where import_id = any(${ids}::uuid[])`.execute(trx);
  }
  return ids.length;
}
