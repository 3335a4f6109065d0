/**
 * The static check of ADR 0021 (Lien on Citus, distributed by `organisation_id`): a statement
 * that joins two organisation-owned tables must match their `organisation_id`, so that the join
 * is co-located (it runs inside one shard, as the row-level-security context already does) and
 * never needs a repartition. Pure functions over a file's text; colocated-joins.test.ts walks
 * `server/` and compares the findings with a short, explained baseline.
 *
 * What it reads:
 * - raw SQL (`sql` templates, strings): `join <table> [as] <alias> on <condition>` and
 *   `… using (…)`; the condition must compare `<alias>.organisation_id` with the
 *   `organisation_id` of the other side, when that other side is an organisation-owned table
 *   named in the same statement text (a CTE, `unnest`, `values` or a subquery's alias is not);
 *   a statement holding a nested template (`${f(sql`…`)}`) is read whole, interpolations blanked;
 * - the query builder: `.innerJoin('t as a', 'a.x', 'b.y')` (and left/right/full): the
 *   two-column form matches one column, so it is a finding when both tables are organisation-owned;
 *   the callback form must name `organisation_id`.
 * Not read: correlated subqueries (`where m.partner_id = p.id` inside `exists (…)`), which the
 * ADR asks to write with the organisation too; comma joins (the code has none).
 */

export type JoinFinding = { line: number; joined: string; other: string; text: string };

/** Blank comments (lines and offsets kept). */
function withoutComments(text: string) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, (m, p: string) => p + ' '.repeat(m.length - p.length));
}

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** alias → table, from `from|join <table> [as] <alias>` and builder `'table as alias'` in a text. */
function aliasesIn(text: string, orgTables: ReadonlySet<string>) {
  const map = new Map<string, string>();
  for (const m of text.matchAll(/\b(?:from|join|update|into)\s+([a-z_][a-z0-9_]*)\s+(?:as\s+)?([a-z_][a-z0-9_]*)\b/gi)) {
    const table = (m[1] as string).toLowerCase();
    const alias = (m[2] as string).toLowerCase();
    if (orgTables.has(table) && !/^(on|where|using|set|join|left|right|inner|full|cross|group|order|limit|values|select|returning)$/.test(alias))
      map.set(alias, table);
  }
  for (const m of text.matchAll(/['"]([a-z_][a-z0-9_]*)\s+as\s+([a-z_][a-z0-9_]*)['"]/gi)) {
    const table = (m[1] as string).toLowerCase();
    if (orgTables.has(table)) map.set((m[2] as string).toLowerCase(), table);
  }
  for (const t of orgTables) if (!map.has(t)) map.set(t, t);
  return map;
}

/**
 * Blank every `${…}` interpolation (braces balanced, lines and offsets kept): a template nested in
 * one (`${agencyNameOf(sql`…`)}`) would otherwise end the statement at its first backtick, and the
 * joins after it would go unread.
 */
function withoutInterpolations(text: string) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out += text.slice(i, j + 1).replace(/[^\n]/g, ' ');
      i = j + 1;
    } else out += text[i++];
  }
  return out;
}

/**
 * The SQL statements of a file: the text between backticks or quotes that reads like SQL, read
 * twice: as written (a fragment inside an interpolation is a statement of its own) and with the
 * interpolations blanked (the whole statement around a nested template).
 */
function statements(text: string) {
  const out: { start: number; text: string }[] = [];
  for (const source of [text, withoutInterpolations(text)])
    for (const m of source.matchAll(/`[^`]*`/g)) if (/\b(select|update|delete|insert)\b/i.test(m[0])) out.push({ start: m.index ?? 0, text: m[0] });
  return out;
}

const END =
  /\b(?:left\s+join|right\s+join|inner\s+join|full\s+join|cross\s+join|join|where|group\s+by|order\s+by|limit|returning|union|having|on\s+conflict|for\s+update)\b|`/i;

/** Joins of two organisation-owned tables that do not match `organisation_id`. */
export function unmatchedJoins(source: string, orgTables: ReadonlySet<string>): JoinFinding[] {
  const text = withoutComments(source);
  const found: JoinFinding[] = [];
  // A join both readings of the statements see is one finding.
  const seen = new Set<string>();
  const add = (at: number, f: JoinFinding) => {
    const key = `${at} ${f.joined} ${f.other}`;
    if (!seen.has(key)) found.push(f);
    seen.add(key);
  };
  for (const st of statements(text)) {
    const aliases = aliasesIn(st.text, orgTables);
    for (const m of st.text.matchAll(/\bjoin\s+(?:lateral\s+)?([a-z_][a-z0-9_]*)\s+(?:as\s+)?([a-z_][a-z0-9_]*)\s+(on|using)\b/gi)) {
      const joined = (m[1] as string).toLowerCase();
      const alias = (m[2] as string).toLowerCase();
      if (!orgTables.has(joined)) continue;
      const after = st.text.slice((m.index ?? 0) + m[0].length);
      const end = after.search(END);
      const condition = (end === -1 ? after : after.slice(0, end)).toLowerCase();
      if (m[3]?.toLowerCase() === 'using') {
        if (!/organisation_id/.test(condition))
          add(st.start + (m.index ?? 0), { line: lineAt(text, st.start + (m.index ?? 0)), joined, other: '?', text: m[0] });
        continue;
      }
      const others = new Set<string>();
      for (const ref of condition.matchAll(/\b([a-z_][a-z0-9_]*)\.[a-z_][a-z0-9_]*/g)) {
        const a = ref[1] as string;
        if (a !== alias && aliases.has(a)) others.add(a);
      }
      for (const other of others) {
        const matched =
          new RegExp(`\\b${alias}\\.organisation_id\\s*=\\s*${other}\\.organisation_id\\b`).test(condition) ||
          new RegExp(`\\b${other}\\.organisation_id\\s*=\\s*${alias}\\.organisation_id\\b`).test(condition);
        if (!matched)
          add(st.start + (m.index ?? 0), {
            line: lineAt(text, st.start + (m.index ?? 0)),
            joined,
            other: aliases.get(other) as string,
            text: `${m[0]} ${condition.trim().slice(0, 80)}`,
          });
      }
    }
  }
  // The query builder's joins.
  const fileAliases = aliasesIn(text, orgTables);
  for (const m of text.matchAll(
    /\.(?:inner|left|right|full)Join\(\s*['"]([a-z_][a-z0-9_]*)(?:\s+as\s+([a-z_][a-z0-9_]*))?['"]\s*,\s*(['"]([a-z_][a-z0-9_]*)\.[a-z_]+['"]\s*,\s*['"]([a-z_][a-z0-9_]*)\.[a-z_]+['"]|\([^)]*\)\s*=>)/gi,
  )) {
    const joined = (m[1] as string).toLowerCase();
    if (!orgTables.has(joined)) continue;
    const line = lineAt(text, m.index ?? 0);
    if (m[4] !== undefined) {
      const alias = (m[2] ?? m[1] ?? '').toLowerCase();
      const otherAlias = ((m[4] as string).toLowerCase() === alias ? m[5] : m[4])?.toLowerCase() ?? '';
      const other = fileAliases.get(otherAlias);
      if (other) found.push({ line, joined, other, text: m[0] });
    } else {
      const body = text.slice(m.index ?? 0, (m.index ?? 0) + 400);
      const close = body.indexOf(')', body.indexOf('=>'));
      if (!/organisation_id/.test(body.slice(0, close === -1 ? 400 : close + 200))) found.push({ line, joined, other: '?', text: m[0] });
    }
  }
  return found;
}

/** Organisation-owned tables, from the generated schema: the interfaces with an `organisation_id`. */
export function organisationTables(schemaText: string): Set<string> {
  const interfaces = new Map<string, boolean>();
  for (const m of schemaText.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) interfaces.set(m[1] as string, /\n\s+organisation_id:/.test(m[2] as string));
  const db = /export interface DB \{([\s\S]*?)\n\}/.exec(schemaText)?.[1] ?? '';
  const out = new Set<string>();
  for (const m of db.matchAll(/\n\s+(\w+): (\w+);/g)) if (interfaces.get(m[2] as string)) out.add(m[1] as string);
  return out;
}
