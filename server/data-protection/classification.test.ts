import { describe, expect, it } from 'vitest';
import { dataClasses, purposes } from '../../contracts/data-protection.ts';
import { doorstepData } from '../modules/doorstep/index.ts';
import { classify, type ModuleClassification, type TableClassification } from '../platform/db/classification.ts';
import { tables } from '../platform/db/tables.ts';
import { classificationGaps, classifiedColumns, declarationFile } from './classification.ts';

describe('the classification declarations', () => {
  it('cover every table of the owner map, each column with a known class and at least one known purpose', () => {
    const columns = classifiedColumns();
    expect(new Set(columns.map((c) => c.table))).toEqual(new Set(Object.keys(tables)));
    for (const c of columns) {
      expect(dataClasses, `${c.table}.${c.column}`).toContain(c.class);
      expect(c.purposes.length, `${c.table}.${c.column}`).toBeGreaterThan(0);
      for (const p of c.purposes) expect(purposes, `${c.table}.${c.column}`).toContain(p);
      expect(c.owner).toBe(tables[c.table].owner);
    }
  });

  it('classify the sensitive columns as such', () => {
    const classOf = (table: string, column: string) => classifiedColumns().find((c) => c.table === table && c.column === column)?.class;
    expect(classOf('contact_points', 'value')).toBe('personal');
    expect(classOf('vulnerability_indicators', 'kind')).toBe('art9_health');
    expect(classOf('declared_needs', 'label')).toBe('art9_health');
    expect(classOf('call_attempts', 'answers')).toBe('art9_health');
    expect(classOf('call_attempts', 'note')).toBe('social_sensitive');
    expect(classOf('household_balances', 'balance_cents')).toBe('social_sensitive');
    expect(classifiedColumns().find((c) => c.table === 'users' && c.column === 'totp_secret')?.purposes).toEqual(['security']);
  });

  it('name where each owner declares its columns', () => {
    expect(declarationFile('registry')).toBe('server/modules/registry/registry.data.ts');
    expect(declarationFile('platform/auth')).toBe('server/platform/auth/auth.data.ts');
  });
});

describe('the comparison with the database', () => {
  const declared = [
    { table: 'persons', column: 'id', ...classify('personal', 'rental_management') },
    { table: 'persons', column: 'first_name', ...classify('personal', 'rental_management') },
  ];

  it('is empty when the database and the declarations agree', () => {
    expect(
      classificationGaps(
        [
          { table: 'persons', column: 'id' },
          { table: 'persons', column: 'first_name' },
        ],
        declared,
      ),
    ).toEqual([]);
  });

  it('names an unclassified column with the owner’s file, a table without owner, a declared column that is gone and a declaration without purpose', () => {
    const inDatabase = [
      { table: 'persons', column: 'id' },
      { table: 'persons', column: 'shoe_size' },
      { table: 'new_table', column: 'x' },
      { table: 'users', column: 'email' },
    ];
    const withoutPurpose = [...declared, { table: 'users', column: 'email', class: 'personal' as const, purposes: [] as never }];
    expect(classificationGaps(inDatabase, withoutPurpose)).toEqual([
      'persons.shoe_size has no data class or purpose: declare it in server/modules/registry/registry.data.ts',
      "new_table.x has no data class or purpose: its table new_table has no owner in server/platform/db/tables.ts; add it there, then classify its columns in the owner's .data.ts",
      'persons.first_name is declared but the database has no such column',
      'users.email is declared without a data class or a purpose',
    ]);
  });
});

// Complete by construction: these declarations must not compile (`npm run check` runs tsc on
// tests; an `@ts-expect-error` that meets no error is itself an error).
const c = classify('internal', 'rental_management');
const typeChecks = [
  // @ts-expect-error a column of the table is missing
  { about: 'x', columns: { organisation_id: c, kind: c } } satisfies TableClassification<'person_names'>,
  // @ts-expect-error a column that does not exist
  { about: 'x', columns: { organisation_id: c, kind: c, name: c, shoe_size: c } } satisfies TableClassification<'person_names'>,
  // @ts-expect-error a table the module owns is missing
  {} satisfies ModuleClassification<'doorstep'>,
  // @ts-expect-error a table of another module
  { doorstep_visits: doorstepData.doorstep_visits, persons: { about: 'x', columns: {} } } satisfies ModuleClassification<'doorstep'>,
  { doorstep_visits: doorstepData.doorstep_visits } satisfies ModuleClassification<'doorstep'>,
];

describe('the declaration types', () => {
  it('accept a complete declaration (the refused ones above fail `tsc`)', () => {
    expect(typeChecks.at(-1)).toEqual(doorstepData);
  });
});
