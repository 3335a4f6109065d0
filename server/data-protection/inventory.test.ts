import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { classify } from '../platform/db/classification.ts';
import { classifiedColumns } from './classification.ts';
import { inventoryFile, inventoryMarkdown } from './inventory.ts';

describe('the data inventory of the DPIA file (docs/aipd/inventaire.md)', () => {
  it('is what the classification declarations give', async () => {
    const committed = await readFile(inventoryFile, 'utf8').catch(() => '');
    if (committed !== inventoryMarkdown()) {
      expect.fail('docs/aipd/inventaire.md n’est plus à jour avec la classification des colonnes : lancez « npm run docs:aipd » et committez le fichier');
    }
  });

  it('lists each column with its class, purposes and owning module, in French', () => {
    const text = inventoryMarkdown();
    expect(text).toContain('| `value` | Donnée personnelle | Gestion locative | `registry` |');
    expect(text).toContain('| `kind` | Santé ou handicap (art. 9 RGPD) | Registre des fragilités et accompagnement | `registry` |');
    expect(text).toContain('| `note` | Donnée sociale sensible | Campagnes d’appels (veille téléphonique) | `calls` |');
    expect(text).toContain(`${new Set(classifiedColumns().map((c) => c.table)).size} tables, ${classifiedColumns().length} colonnes.`);
  });

  it('changes when a classification changes, so a stale file is caught', () => {
    const columns = classifiedColumns();
    const changed = columns.map((c) => (c.table === 'persons' && c.column === 'birth_date' ? { ...c, ...classify('art9_health', 'fragility_register') } : c));
    expect(inventoryMarkdown(changed)).not.toBe(inventoryMarkdown(columns));
  });
});
