import { describe, expect, it } from 'vitest';
import { type ClassifiedColumn, classifiedColumns } from '../../data-protection/classification.ts';
import { tables } from '../../platform/db/tables.ts';
import { exportedTables, minimise, notAPersonsData, othersReduced } from './access-export.ts';

/**
 * The rule of what is a person's data (TRUST DP-06): a table that points at a household or a
 * person (a `household_id` or `person_id` column, or the households and persons themselves), or
 * that has a column classified personal or above. Each must be a section of the access export
 * or be listed, with its reason, as not a tenant's data.
 */
function personTables(columns: ClassifiedColumn[]): string[] {
  const found = new Set<string>();
  for (const c of columns) {
    if (
      c.table === 'households' ||
      c.table === 'persons' ||
      c.column === 'household_id' ||
      c.column === 'person_id' ||
      (c.class !== 'public' && c.class !== 'internal')
    ) {
      found.add(c.table);
    }
  }
  return [...found];
}

/** The tables holding a person's data that neither the export nor the exclusions cover, by name. */
function uncovered(columns: ClassifiedColumn[]): string[] {
  const covered = new Set<string>([...exportedTables, ...Object.keys(notAPersonsData)]);
  return personTables(columns).filter((t) => !covered.has(t));
}

describe('right-of-access export coverage (schema-driven)', () => {
  it('covers every table of the classification that holds a person’s data, or says why it is not a tenant’s data', () => {
    expect(uncovered(classifiedColumns())).toEqual([]);
  });

  it('names a new table that points at a household and is missing from the export', () => {
    const added: ClassifiedColumn = {
      table: 'tenant_letters' as never,
      column: 'household_id',
      owner: 'registry',
      about: 'Courriers',
      class: 'internal',
      purposes: ['rental_management'],
    };
    expect(uncovered([...classifiedColumns(), added])).toEqual(['tenant_letters']);
  });

  it('excludes only tables of the owner map, each with a reason, and never a table it exports', () => {
    for (const [table, reason] of Object.entries(notAPersonsData)) {
      expect(Object.hasOwn(tables, table), table).toBe(true);
      expect(reason?.length, table).toBeGreaterThan(10);
      expect((exportedTables as readonly string[]).includes(table), table).toBe(false);
    }
  });

  it('drops the columns kept for security only (data minimisation)', () => {
    const rows = minimise('messages', [{ id: 'm1', recipient: '0612345678', body: 'Bonjour', sealed_body: Buffer.from('secret'), sealed_until: null }]);
    expect(rows).toEqual([{ id: 'm1', recipient: '0612345678', body: 'Bonjour' }]);
    const securityOnly = classifiedColumns().filter(
      (c) => (exportedTables as readonly string[]).includes(c.table) && c.table !== 'audit_events' && c.purposes.every((p) => p === 'security'),
    );
    for (const c of securityOnly) expect(Object.keys(minimise(c.table as never, [{ [c.column]: 'x' }])[0] ?? {})).toEqual([]);
  });

  it('shows the other members of the household with their name and role only', () => {
    const persons = [
      { id: 'p1', household_role: 'holder', first_name: 'Jeanne', last_name: 'Martin', birth_date: '1935-04-03', preferred_language: 'fr' },
      { id: 'p2', household_role: 'occupant', first_name: 'Louis', last_name: 'Martin', birth_date: '1990-01-01', preferred_language: 'fr' },
    ];
    expect(othersReduced(persons, 'p1')).toEqual([persons[0], { id: 'p2', household_role: 'occupant', first_name: 'Louis', last_name: 'Martin' }]);
  });
});
