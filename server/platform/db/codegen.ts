import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

// How `npm run db:types` and the check that the types are current (schema-types.int.test.ts)
// turn a migrated database into `schema.generated.ts`: kysely-codegen reads the catalog; the
// text columns a CHECK (col in (…)) limits become string unions, read from the same catalog, so
// the migrations stay the one truth. Hand-chosen column types are the few `overrides` below.

const execFileAsync = promisify(execFile);
const root = path.join(import.meta.dirname, '..', '..', '..');
/** kysely-codegen's command line (its package's `bin`), run with this Node. */
const codegenCli = path.join(path.dirname(fileURLToPath(import.meta.resolve('kysely-codegen'))), 'cli', 'bin.js');

/** The committed file the database types are generated into (`npm run db:types`). */
export const generatedSchemaFile = path.join(import.meta.dirname, 'schema.generated.ts');

/** Migration bookkeeping and the job queue's own schema are not ours to type. */
const excludePattern = '{pgboss.*,kysely_migration,kysely_migration_lock}';

/**
 * Column types the catalog cannot say, as kysely-codegen `--overrides` (the whole column type,
 * `Generated<…>` and `| null` included): only the JSON columns whose shape the code reads. They
 * are written as JSON text (JSON.stringify) and read back parsed; every other `jsonb` column
 * stays kysely-codegen's `Json`.
 */
const overrides: Record<string, string> = {
  'audit_events.details': 'Generated<ColumnType<Record<string, unknown>, string | undefined, string>>',
  'imports.summary': 'ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>',
  'import_mappings.mapping': 'ColumnType<Record<string, string | null>, string, string>',
};

/** `int8` arrives as a JavaScript number (database.ts sets pg's parser): the counts and cents stay far below 2^53. */
const typeMapping = { int8: 'ColumnType<number, bigint | number | string, bigint | number | string>' };

type Column = { table: string; column: string; nullable: boolean; hasDefault: boolean; def: string };

/**
 * One override per text column that a single-column CHECK limits to a list of values
 * (`status in ('draft', 'active')`, which PostgreSQL keeps as `status = ANY (ARRAY[…])`).
 */
async function checkedColumns(ownerUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Column>(`
      select rel.relname as table, att.attname as column, not att.attnotnull as nullable, att.atthasdef as "hasDefault",
        pg_get_constraintdef(con.oid) as def
      from pg_constraint con
      join pg_class rel on rel.oid = con.conrelid
      join pg_namespace n on n.oid = rel.relnamespace
      join pg_attribute att on att.attrelid = rel.oid and att.attnum = con.conkey[1]
      where con.contype = 'c' and n.nspname = 'public' and cardinality(con.conkey) = 1
        and format_type(att.atttypid, att.atttypmod) = 'text'
      order by 1, 2, 5`);
    const unions = new Map<string, { values: string[]; nullable: boolean; hasDefault: boolean }>();
    for (const row of rows) {
      const values = allowedValues(row.column, row.def);
      if (!values) continue;
      const key = `${row.table}.${row.column}`;
      const known = unions.get(key);
      // Two such checks on a column: only the values both allow.
      unions.set(key, { ...row, values: known ? known.values.filter((v) => values.includes(v)) : values });
    }
    const result: Record<string, string> = {};
    for (const [key, { values, nullable, hasDefault }] of unions) {
      const union = [...values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`), ...(nullable ? ['null'] : [])].join(' | ');
      result[key] = hasDefault ? `Generated<${union}>` : union;
    }
    return result;
  } finally {
    await client.end();
  }
}

/** The values of `CHECK ((col = ANY (ARRAY['a'::text, 'b'::text])))` or `CHECK ((col = 'a'::text))`, else null. */
export function allowedValues(column: string, def: string): string[] | null {
  const name = column.replace(/[^a-z0-9_]/g, '');
  const list = new RegExp(`^CHECK \\(\\(${name} = ANY \\(ARRAY\\[(.*)\\]\\)\\)\\)$`).exec(def);
  const single = new RegExp(`^CHECK \\(\\(${name} = ('(?:[^']|'')*'::text)\\)\\)$`).exec(def);
  const body = list?.[1] ?? single?.[1];
  if (body === undefined) return null;
  const item = "'(?:[^']|'')*'::text";
  if (!new RegExp(`^${item}(?:, ${item})*$`).test(body)) return null;
  return [...body.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

/**
 * Stored generated columns (`generated always as (…) stored`): never written (Kysely's
 * `GeneratedAlways`, spelt out as the file does not import it), so an insert
 * or update that names one does not compile (PostgreSQL would refuse it). kysely-codegen types
 * them as plain `Generated`.
 */
async function computedColumns(ownerUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string; column: string; type: string; nullable: boolean }>(`
      select rel.relname as table, att.attname as column, format_type(att.atttypid, att.atttypmod) as type, not att.attnotnull as nullable
      from pg_attribute att
      join pg_class rel on rel.oid = att.attrelid
      join pg_namespace n on n.oid = rel.relnamespace
      where n.nspname = 'public' and rel.relkind = 'r' and att.attgenerated = 's' and not att.attisdropped
      order by 1, 2`);
    const scalar: Record<string, string> = { text: 'string', integer: 'number', boolean: 'boolean' };
    const result: Record<string, string> = {};
    for (const row of rows) {
      const type = scalar[row.type];
      if (!type) throw new Error(`Colonne calculée ${row.table}.${row.column} de type ${row.type} : ajoutez son type à codegen.ts.`);
      result[`${row.table}.${row.column}`] = `ColumnType<${type}${row.nullable ? ' | null' : ''}, never, never>`;
    }
    return result;
  } finally {
    await client.end();
  }
}

/**
 * Generate the Kysely types of the database behind `ownerUrl` (migrated by our migrations) with
 * kysely-codegen, formatted by biome: the text of `schema.generated.ts`.
 */
export async function generateSchemaTypes(ownerUrl: string): Promise<string> {
  const columns = { ...(await checkedColumns(ownerUrl)), ...(await computedColumns(ownerUrl)), ...overrides };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'lien-db-types-'));
  try {
    const raw = path.join(tmp, 'schema.generated.ts');
    await execFileAsync(
      process.execPath,
      [
        codegenCli,
        '--dialect=postgres',
        `--url=${ownerUrl}`,
        `--out-file=${raw}`,
        `--exclude-pattern=${excludePattern}`,
        '--date-parser=string',
        `--type-mapping=${JSON.stringify(typeMapping)}`,
        `--overrides=${JSON.stringify({ columns })}`,
        '--log-level=error',
      ],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
    return await formatted(await readFile(raw, 'utf8'));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The text as biome writes it at the committed file's path (its configuration, imports sorted). */
async function formatted(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      path.join(root, 'node_modules', '.bin', 'biome'),
      ['check', '--write', `--stdin-file-path=${path.relative(root, generatedSchemaFile)}`],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`biome: ${stderr || error.message}`)) : resolve(stdout)),
    );
    child.stdin?.end(text);
  });
}
