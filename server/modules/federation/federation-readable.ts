/**
 * The schema check of TRUST DP-14: which relations an organisation reads of another one's rows
 * (a policy that compares `lien_current_org()` with a column other than the row's own
 * `organisation_id`: a federation reading its members'), and whether any of them holds an
 * identifier column — a uuid, or a column named `…_id` (but the dictionary's `indicator_id`), that is not
 * an organisation's (a foreign key to `organisations`), or a column named like a person's identifier
 * (reference, name, e-mail, phone, birth date, address, user, household, person).
 * Run by federation.int.test.ts on the migrated database.
 */
type Queryable = { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> };

/** The tables with a policy that lets an organisation read rows that are not its own, and the columns those policies compare. */
export async function federationReadable(db: Queryable): Promise<{ table: string; columns: string[] }[]> {
  const { rows } = (await db.query(
    `select tablename as table, coalesce(qual, '') || ' ' || coalesce(with_check, '') as text from pg_policies where schemaname = 'public'`,
  )) as { rows: { table: string; text: string }[] };
  const found = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const m of r.text.matchAll(/(\w+) = \(?\s*(?:SELECT )?lien_current_org\(\)/gi)) {
      const column = m[1] as string;
      if (column === 'organisation_id' || (r.table === 'organisations' && column === 'id')) continue;
      found.set(r.table, (found.get(r.table) ?? new Set()).add(column));
    }
  }
  return [...found].map(([table, columns]) => ({ table, columns: [...columns].sort() })).sort((a, b) => a.table.localeCompare(b.table));
}

/** Columns ending in `_id` that hold a code of the indicator dictionary, not anyone's id. */
const dictionaryCodes = new Set(['indicator_id']);

const personalName = /(^|_)(ref|email|phone|mobile|landline|birth|birth_date|first_name|last_name|holder_name|address|note|user|caller|household|person)(_|$)/;

/** `table.column` of every identifier column of those tables. */
export async function identifierColumns(db: Queryable, readable: { table: string }[]): Promise<string[]> {
  const tables = readable.map((r) => r.table);
  const { rows: columns } = (await db.query(
    `select table_name as table, column_name as column, data_type as type from information_schema.columns where table_schema = 'public' and table_name = any($1) order by table_name, ordinal_position`,
    [tables],
  )) as { rows: { table: string; column: string; type: string }[] };
  const { rows: orgKeys } = (await db.query(
    `select k.conrelid::regclass::text as table, a.attname as column from pg_constraint k
     join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
     where k.contype = 'f' and k.confrelid = 'public.organisations'::regclass and cardinality(k.conkey) = 1`,
  )) as { rows: { table: string; column: string }[] };
  const organisation = new Set(orgKeys.map((k) => `${k.table}.${k.column}`));
  return columns
    .filter((c) => {
      const name = `${c.table}.${c.column}`;
      if (organisation.has(name)) return false;
      return c.type === 'uuid' || (c.column.endsWith('_id') && !dictionaryCodes.has(c.column)) || personalName.test(c.column);
    })
    .map((c) => `${c.table}.${c.column}`);
}
