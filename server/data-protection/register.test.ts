import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { purposes } from '../../contracts/data-protection.ts';
import { classify } from '../platform/db/classification.ts';
import { classifiedColumns } from './classification.ts';
import { processingRegister, registerFile, registerMarkdown } from './register.ts';

describe('the model of the processing register (docs/aipd/registre.md, TRUST DP-12)', () => {
  it('is what the classification gives', async () => {
    const committed = await readFile(registerFile, 'utf8').catch(() => '');
    if (committed !== registerMarkdown()) {
      expect.fail('docs/aipd/registre.md n’est plus à jour avec la classification des colonnes : lancez « npm run docs:aipd » et committez le fichier');
    }
  });

  it('has one entry per purpose, with the personal data that serve it and the roles that see them', () => {
    const { entries } = processingRegister();
    expect(entries.map((e) => e.purpose)).toEqual([...purposes]);
    const fragility = entries.find((e) => e.purpose === 'fragility_register');
    expect(fragility?.tables.map((t) => t.table)).toEqual(expect.arrayContaining(['vulnerability_indicators', 'declared_needs']));
    expect(fragility?.classes[0]).toMatchObject({ class: 'art9_health', label: 'Santé ou handicap (art. 9 RGPD)' });
    // Volunteers call (the card shows the fragility) but never see a balance.
    expect(fragility?.recipients).toContain('Bénévole');
    expect(entries.find((e) => e.purpose === 'arrears')?.recipients).not.toContain('Bénévole');
    expect(entries.find((e) => e.purpose === 'arrears')?.recipients).not.toContain('Gardien·ne');
    // Only personal data: no internal or public column in the register.
    expect(entries.flatMap((e) => e.classes.map((c) => c.class))).not.toContain('internal');
    expect(entries.every((e) => e.retention.includes('docs/aipd/conservation.md'))).toBe(true);
  });

  it('follows the classification: a column reclassified moves in the register', () => {
    const columns = classifiedColumns();
    const changed = columns.map((c) => (c.table === 'persons' && c.column === 'birth_date' ? { ...c, ...classify('art9_health', 'portal') } : c));
    const portal = processingRegister(changed).entries.find((e) => e.purpose === 'portal');
    // The portal's own tables (issue 16) are there already; the reclassified column joins them.
    const before = processingRegister(columns).entries.find((e) => e.purpose === 'portal');
    expect(before?.tables.map((t) => t.table)).not.toContain('persons');
    // Whatever the order (platform/files' `files` is the portal's too now, listed before `persons`).
    expect(portal?.tables.map((t) => t.table).sort()).toEqual(['persons', ...(before?.tables.map((t) => t.table) ?? [])].sort());
    expect(registerMarkdown(processingRegister(changed))).not.toBe(registerMarkdown());
  });
});
