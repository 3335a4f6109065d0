// ADR 0021 (Lien on Citus, distributed by organisation_id): a query used by the API never joins
// two organisation-owned tables without matching their organisation_id. The check reads the SQL of
// every server file (colocated-joins.ts); what was written before the rule is a baseline, counted
// per file, that may only shrink.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { organisationTables, unmatchedJoins } from './colocated-joins.ts';

const root = path.join(import.meta.dirname, '..', '..', '..');
const orgTables = organisationTables(readFileSync(path.join(import.meta.dirname, 'schema.generated.ts'), 'utf8'));

/**
 * Joins written before ADR 0021, by file: id-to-id joins inside one module's tables (a household
 * and its dwelling and residence, a person and its contacts, a plan and its instalments, a
 * referral and its partner, a follow-up and its case). They are correct today — row-level
 * security filters both sides by the same organisation — and on Citus they stay on one shard only
 * because every statement carries the organisation; each must gain `x.organisation_id =
 * y.organisation_id` before the tables are distributed (ADR 0021, « Before distributing »).
 * A count may only go down: lower it when you fix one.
 */
const baseline: Record<string, number> = {
  'server/modules/registry/households.repository.ts': 17,
  'server/modules/registry/lookups.repository.ts': 4,
  'server/modules/registry/registry.repository.ts': 2,
  'server/modules/registry/residences.repository.ts': 1,
};

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

  it('no query of the server joins two organisation-owned tables without matching organisation_id, beyond the baseline', () => {
    const counts: Record<string, number> = {};
    const lines: string[] = [];
    for (const file of sourceFiles(path.join(root, 'server'))) {
      const found = unmatchedJoins(readFileSync(file, 'utf8'), orgTables);
      const rel = path.relative(root, file);
      if (found.length) counts[rel] = found.length;
      for (const f of found) lines.push(`${rel}:${f.line} ${f.joined} ← ${f.other}`);
    }
    const over = Object.entries(counts)
      .filter(([file, n]) => n > (baseline[file] ?? 0))
      .map(([file, n]) => `${file}: ${n} (baseline ${baseline[file] ?? 0})`);
    expect(over, `joins without organisation_id (match x.organisation_id = y.organisation_id):\n${lines.join('\n')}`).toEqual([]);
    // The baseline only shrinks: a file that got better must say so here.
    const stale = Object.entries(baseline)
      .filter(([file, n]) => (counts[file] ?? 0) < n)
      .map(([file, n]) => `${file}: ${counts[file] ?? 0} (baseline ${n})`);
    expect(stale, 'lower the baseline of these files').toEqual([]);
  });
});
