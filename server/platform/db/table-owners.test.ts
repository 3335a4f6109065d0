import { describe, expect, it } from 'vitest';
import { moduleOf, tableUses, violations } from './table-owners.ts';

const fixture = [
  "import { sql } from 'kysely';",
  '// A comment that says: select * from households — not SQL.',
  'const quote = /[\'`"]/g;',
  'export async function ownUse(trx) {',
  "  return trx.selectFrom('followups as f').innerJoin('households as h', 'h.id', 'f.household_id').selectAll().execute();",
  '}',
  'export async function rawUse(trx, id) {',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template.
  '  await sql`update users set x = ${sql`(select 1 from followups)`} where id = ${id}`.execute(trx);',
  "  return trx.insertInto('followups').values({}).execute();",
  '}',
].join('\n');

describe('the table ownership check', () => {
  it('finds the tables a file names in builder calls and raw SQL, with line and function, and skips comments and regular expressions', () => {
    expect(tableUses(fixture).map((u) => `${u.line} ${u.table} ${u.inFunction}`)).toEqual([
      '5 followups ownUse',
      '5 households ownUse',
      '8 users rawUse',
      '8 followups rawUse',
      '9 followups rawUse',
    ]);
  });

  it('reports a table the module does not own, with its owner, and accepts the owner’s own use', () => {
    const found = violations('server/modules/followups/followups.repository.ts', fixture);
    expect(found.map((v) => `${v.line} ${v.table} ${v.owner}`)).toEqual(['5 households registry', '8 users identity']);
    expect(violations('server/modules/registry/households.repository.ts', "const q = (trx) => trx.selectFrom('households').selectAll();")).toEqual([]);
  });

  it('knows the module of a file', () => {
    expect(moduleOf('server/modules/calls/calls.repository.ts')).toBe('calls');
    expect(moduleOf('server/platform/audit/audit.ts')).toBe('platform/audit');
    expect(moduleOf('server/app.ts')).toBeNull();
  });
});
