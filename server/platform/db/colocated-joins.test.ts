// ADR 0021 (Lien on Citus, distributed by organisation_id): a query used by the API never joins
// two organisation-owned tables without matching their organisation_id. The check reads the SQL of
// every server file (colocated-joins.ts) and fails on any such join.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { organisationTables, unmatchedJoins } from './colocated-joins.ts';

const root = path.join(import.meta.dirname, '..', '..', '..');
const orgTables = organisationTables(readFileSync(path.join(import.meta.dirname, 'schema.generated.ts'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' || full === path.join(root, 'server', 'test') ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('co-located joins (ADR 0021)', () => {
  it('knows the organisation-owned tables from the schema', () => {
    for (const t of ['households', 'persons', 'call_attempts', 'cases', 'federation_aggregates']) expect(orgTables.has(t), t).toBe(true);
    expect(orgTables.has('auth_throttle')).toBe(false);
  });

  it('finds a join of two organisation-owned tables on their ids alone', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template
    const source = 'const q = sql`select h.id from households h join housing_units u on u.id = h.unit_id where h.status = ${s}`;';
    expect(unmatchedJoins(source, orgTables)).toEqual([expect.objectContaining({ line: 1, joined: 'housing_units', other: 'households' })]);
    const builder = "trx.selectFrom('persons').innerJoin('households', 'households.id', 'persons.household_id')";
    expect(unmatchedJoins(builder, orgTables)).toEqual([expect.objectContaining({ joined: 'households', other: 'persons' })]);
  });

  it('reads the joins after a template nested in the statement, once', () => {
    // Read as written, the nested template's backticks cut the statement before its joins.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template
    const nested = 'sql`select ${nameOf(sql`r.agency_id`)} from households h join housing_units u on u.id = h.unit_id where h.id = ${id}`';
    expect(unmatchedJoins(nested, orgTables)).toEqual([expect.objectContaining({ line: 1, joined: 'housing_units', other: 'households' })]);
  });

  it('accepts a join that matches the organisation, and joins to a CTE, a subquery or unnest', () => {
    const matched = 'sql`select 1 from households h join housing_units u on u.organisation_id = h.organisation_id and u.id = h.unit_id`';
    const cte = 'sql`with ev as (select household_id from cases) select 1 from ev join households h on h.id = ev.household_id`';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template
    const unnest = 'sql`select 1 from unnest(${ids}::uuid[]) as x(id) join households h on h.id = x.id`';
    const callback =
      "trx.selectFrom('households as h').innerJoin('housing_units as u', (j) => j.onRef('u.organisation_id', '=', 'h.organisation_id').onRef('u.id', '=', 'h.unit_id'))";
    for (const s of [matched, cte, unnest, callback]) expect(unmatchedJoins(s, orgTables), s).toEqual([]);
  });

  it('no query of the server joins two organisation-owned tables without matching organisation_id', () => {
    const lines: string[] = [];
    for (const file of sourceFiles(path.join(root, 'server'))) {
      const found = unmatchedJoins(readFileSync(file, 'utf8'), orgTables);
      const rel = path.relative(root, file);
      for (const f of found) lines.push(`${rel}:${f.line} ${f.joined} ← ${f.other}`);
    }
    expect(lines, 'joins without organisation_id (match x.organisation_id = y.organisation_id)').toEqual([]);
  });
});
