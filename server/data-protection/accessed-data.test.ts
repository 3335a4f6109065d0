import { describe, expect, it } from 'vitest';
import { auditActions } from '../../contracts/audit.ts';
import { householdFieldGroups } from '../../contracts/households.ts';
import { accessedData, categoryOf, tablesOfFieldGroup, tablesTouched } from './accessed-data.ts';

describe('what each audited action touches of a household’s data (TRUST DP-15)', () => {
  it('places every action code the server writes, and no other', () => {
    // contracts/audit.test.ts fails when the server writes an action missing from auditActions.
    const missing = Object.keys(auditActions).filter((a) => !accessedData[a]);
    expect(missing, 'declare these actions in server/data-protection/accessed-data.ts').toEqual([]);
    expect(Object.keys(accessedData).filter((a) => !auditActions[a])).toEqual([]);
  });

  it('names only classified tables, and maps every field group of a household', () => {
    expect(Object.keys(tablesOfFieldGroup).sort()).toEqual([...householdFieldGroups].sort());
    for (const touch of Object.values(accessedData)) {
      if (touch.kind === 'none') continue;
      for (const table of touch.tables ?? []) expect(categoryOf(table).label).not.toBe('');
    }
    for (const tables of Object.values(tablesOfFieldGroup)) for (const table of tables) expect(categoryOf(table).label).not.toBe('');
  });

  it('narrows the registry’s views to the groups the actor’s role reads', () => {
    // A caretaker's file shows names, phones and the address: no balance, no health need.
    expect(tablesTouched('household.viewed', 'caretaker').sort()).toEqual(['contact_points', 'households', 'housing_units', 'persons', 'residences']);
    expect(tablesTouched('household.viewed', 'manager')).toEqual(expect.arrayContaining(['household_balances', 'declared_needs', 'vulnerability_indicators']));
    // An unknown role counts as the worst case.
    expect(tablesTouched('household.viewed', null)).toEqual(tablesTouched('household.viewed', 'org_admin'));
    expect(tablesTouched('auth.signed_in', 'manager')).toEqual([]);
    expect(categoryOf('declared_needs').class).toBe('art9_health');
  });
});
